import { raiseTicket } from '../../../src/app/raise-ticket';
import { Action } from '../../../src/cards/actions';
import { cardAction, personalMessage } from '../../fixtures/teams/activities';
import { assertValidCard } from '../../fixtures/teams/cards';
import { people, startTeamsKit, type TeamsKit } from '../../fixtures/teams/kit';
import { eventually } from '../../helpers/harness';

type InvokeBody = { statusCode: number; type: string; value: unknown };

/** The same queue in Teams: the `queue` command, its order read from the card, filters, Open and Take. */
describe('Teams: the queue', () => {
  let kit: TeamsKit;
  const numbers: Record<string, string> = {};

  beforeAll(async () => {
    kit = await startTeamsKit({ now: new Date('2026-03-02T09:00:00Z') });
    const raise = async (key: string, at: string, text: string) => {
      kit.helpline.clock.set(new Date(at));
      const r = await raiseTicket(kit.helpline.app, {
        requester: { platform: 'teams', userId: people.rita.id, name: people.rita.name },
        text,
      });
      numbers[key] = r.ticket!.number;
    };
    await raise('sev4', '2026-03-02T09:00:00Z', 'There is a typo in the footer of the invoice PDF, purely cosmetic');
    await raise(
      'sev3',
      '2026-03-02T09:20:00Z',
      'The approval workflow is broken, we use email approvals as a workaround',
    );
    await raise('sev1', '2026-03-02T09:25:00Z', 'The system is down, users cannot log in at all');
    kit.helpline.clock.set(new Date('2026-03-02T09:41:00Z'));
  });
  afterAll(async () => {
    await kit.stop();
  });

  const order = (card: unknown) => [...JSON.stringify(card).matchAll(/"(SR-\d+) · /g)].map((m) => m[1]);
  /** The latest queue card the bot sent (the notifier may post other cards meanwhile, e.g. after a Take). */
  const lastQueueCard = () =>
    kit.connector
      .cards()
      .filter((c) => JSON.stringify(c).includes('"Queue: '))
      .at(-1);

  it('"queue": the breached first (Severity 1 before 4), then the rest; each with Open and Take', async () => {
    // 09:41: Severity 4 breached (09:30) and Severity 1 breached (09:40); Severity 3 on track (warning 09:42:30).
    await kit.send(personalMessage(kit.connector.url, people.lee, 'queue'));
    const card = lastQueueCard()!;
    assertValidCard(card);
    expect(order(card)).toEqual([numbers.sev1, numbers.sev4, numbers.sev3]);
    const text = JSON.stringify(card);
    expect(text).toContain(Action.OpenTicket);
    expect(text).toContain(Action.Take);
    expect(text).toContain('Severity 1 · Priority 1');
  });

  it('filters with a button, opens a ticket and takes one', async () => {
    const filtered = await kit.send(cardAction(kit.connector.url, people.lee, Action.QueueFilter, { scope: 'mine' }));
    const mine = (filtered.body as InvokeBody).value;
    assertValidCard(mine);
    expect(order(mine)).toEqual([]);
    expect(JSON.stringify(mine)).toContain('Queue: assigned to you');

    const opened = await kit.send(
      cardAction(kit.connector.url, people.lee, Action.OpenTicket, { ticket: numbers.sev1, card: 'view' }),
    );
    const card = JSON.stringify((opened.body as InvokeBody).value);
    expect(card).toContain(numbers.sev1);
    expect(card).toContain('target 15 business minutes (Severity 1, business hours)');

    const took = await kit.send(
      cardAction(kit.connector.url, people.lee, Action.Take, { ticket: numbers.sev3, card: 'view' }),
    );
    expect((took.body as InvokeBody).statusCode).toBe(200);
    expect((await kit.helpline.app.tickets.get(numbers.sev3!))?.assignee?.name).toBe('Lee Lewis');

    await kit.send(personalMessage(kit.connector.url, people.lee, 'queue mine'));
    expect(JSON.stringify(lastQueueCard())).toContain('Queue: assigned to you');
    expect(order(lastQueueCard())).toEqual([numbers.sev3]);
    await kit.send(personalMessage(kit.connector.url, people.lee, 'queue unassigned'));
    expect(JSON.stringify(lastQueueCard())).toContain('Queue: unassigned');
    expect(order(lastQueueCard())).toEqual([numbers.sev1, numbers.sev4]);
  });

  it('a customer escalation ("impact has increased") raises the priority, and the queue follows', async () => {
    const r = await kit.send(
      cardAction(kit.connector.url, people.rita, Action.CustomerEscalate, {
        ticket: numbers.sev4,
        card: 'requester',
        reason: 'Our auditors are reading these PDFs today',
        priority: '1',
      }),
    );
    expect((r.body as InvokeBody).statusCode).toBe(200);
    const t = await kit.helpline.app.tickets.get(numbers.sev4!);
    expect(t).toMatchObject({ severity: 4, priority: 1, escalationLevel: 1 });
    // Priority 1 lets the Severity 4's ladder climb to the Head of Support; in the queue it stays after Severity 1.
    await kit.send(personalMessage(kit.connector.url, people.lee, 'queue unassigned'));
    const card = JSON.stringify(kit.connector.cards().at(-1));
    expect(card).toContain('Severity 4 · Priority 1');
  });

  it('tells a requester the queue is for agents', async () => {
    const before = kit.connector.cards().length;
    await kit.send(personalMessage(kit.connector.url, people.rita, 'queue'));
    // Other notices (an earlier assignment's) may land meanwhile: look at every card sent since.
    const cards = () => JSON.stringify(kit.connector.cards().slice(before));
    await eventually(() => cards().includes('The queue is for support agents'), 5000, 'the answer to a requester');
  });
});
