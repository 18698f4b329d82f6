import { prefillFrom, raiseFromForm, raiseReply } from '../../../src/adapters/slack/intake';
import { raiseTicket } from '../../../src/app/raise-ticket';
import { close } from '../../../src/app/ticket-actions';
import { startTestHelpline, type TestHelpline } from '../../helpers/harness';

const rita = { platform: 'slack' as const, userId: 'U0REQUESTER', name: 'Rita Reyes' };
const lee = { platform: 'slack' as const, userId: 'U0LEVEL1', name: 'Lee Lewis' };

/** Each not-supported route, as a requester says it. */
const ROUTES = [
  {
    route: 'quote_required',
    text: 'Could you write a SQL query for us to list the overdue invoices?',
    status: 'quote_required',
    statusName: 'Quote Required',
    clocks: 'paused',
    words: 'I have passed it to Professional Services to quote (Quote Required)',
  },
  {
    route: 'change_request',
    text: 'Please add a new importable field to the OCR so it picks up the PO number',
    status: 'new',
    statusName: 'New',
    clocks: 'running',
    words: "I have logged it as a change request for the Product team's roadmap review",
  },
] as const;

/** The requester is told where the ticket went: what its status and route are, from a DM and from the form alike. */
describe('Not Supported requests: the words match the ticket', () => {
  let h: TestHelpline;
  beforeAll(async () => {
    h = await startTestHelpline({ now: new Date('2026-03-02T10:00:00Z'), prefix: 'notsupported' });
  });
  afterAll(() => h.stop());

  const paths = {
    dm: (text: string) => raiseTicket(h.app, { requester: rita, text }),
    // The form arrives with the category triage filled in, as the Slack and Teams forms send it.
    form: (text: string, n: number) => {
      const p = prefillFrom(h.app, text);
      return raiseFromForm(
        h.app,
        rita,
        {
          title: p.title || text,
          description: text,
          businessImpact: undefined,
          client: undefined,
          clientId: undefined,
          severity: p.severity as 1 | 2 | 3 | 4,
          categoryId: p.categoryId ?? undefined,
          links: undefined,
        },
        { opKey: `form-${n}-${text.length}`, sourceLink: null },
      );
    },
  };

  for (const r of ROUTES)
    for (const [path, raise] of Object.entries(paths))
      it(`${r.route} raised from ${path === 'dm' ? 'a DM' : 'the form'}: ${r.statusName}, clocks ${r.clocks}`, async () => {
        const result = await raise(r.text, 1);
        expect(result.kind).toBe('not_supported');
        const t = result.ticket!;
        expect(t.status).toBe(r.status);
        expect(t.sla.response.state).toBe(r.clocks);
        expect(t.sla.resolution.state).toBe(r.clocks);
        if (r.route === 'change_request') {
          expect(t.team).toBe('development');
          expect(t.requestType).toBe('change_request');
        }
        const said = raiseReply(result);
        expect(said).toContain(r.words);
        expect(said).toContain(`${t.number} was recorded for this request: ${r.statusName}`);
        if (r.route === 'quote_required') {
          // A declined quote is closed from the card.
          const closed = await close(h.app, { number: t.number, actor: lee }, 'quote declined');
          expect(closed.ticket.status).toBe('closed');
        }
      });

  for (const path of Object.keys(paths) as Array<keyof typeof paths>)
    it(`declined, raised from ${path === 'dm' ? 'a DM' : 'the form'}: no ticket, the policy's words`, async () => {
      const text = 'Can you change our import schedule to run at 6am?';
      const result = await paths[path](text, 2);
      expect(result).toMatchObject({ kind: 'not_supported', ticket: null });
      expect(raiseReply(result)).toContain('is not supported');
    });
});
