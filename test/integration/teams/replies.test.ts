import { Action } from '../../../src/cards/actions';
import type { Ticket } from '../../../src/domain/ticket/ticket';
import { cardAction, personalConversation, personalMessage, type TeamsUser } from '../../fixtures/teams/activities';
import { assertValidCard } from '../../fixtures/teams/cards';
import { people, startTeamsKit, type TeamsKit } from '../../fixtures/teams/kit';
import { eventually } from '../../helpers/harness';

type InvokeBody = { statusCode: number; type: string; value: unknown };
type Json = Record<string, unknown>;

/** The Action.Execute titled `title` anywhere in a card (show cards and action sets included). */
function actionTitled(card: unknown, title: string): Json | undefined {
  const seen: Json[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      const o = x as Json;
      if (o.type === 'Action.Execute' && o.title === title) seen.push(o);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return seen[0];
}

describe('Teams: canned replies, previewed in a card before they are sent (activities)', () => {
  let kit: TeamsKit;

  async function act(who: TeamsUser, verb: string, data: Record<string, unknown>) {
    const res = await kit.send(cardAction(kit.connector.url, who, verb, data));
    const body = res.body as InvokeBody;
    if (body?.type === 'application/vnd.microsoft.card.adaptive') assertValidCard(body.value);
    return body;
  }
  const get = async (n: string): Promise<Ticket> => (await kit.helpline.app.tickets.get(n))!;
  const drain = () => kit.helpline.notifier.drain();

  async function raise(title: string): Promise<string> {
    const r = await act(people.rita, Action.SubmitForm, { title, description: title, severity: '3', category: 'none' });
    expect(r.statusCode).toBe(200);
    const mine = await kit.helpline.app.tickets.listByRequester(
      { platform: 'teams', userId: people.rita.id },
      { openOnly: true, limit: 1 },
    );
    await drain();
    return mine[0]!.number;
  }

  beforeAll(async () => {
    kit = await startTeamsKit();
    await kit.send(personalMessage(kit.connector.url, people.rita, 'help'));
  });
  afterAll(async () => {
    await kit?.stop();
  });

  it('pick → preview filled from the ticket → edit → Send: the requester gets it, then On Customer Test', async () => {
    const number = await raise('Please send us the SOC 2 report for our audit');
    expect((await get(number)).team).toBe('level1');
    const card = await act(people.lee, Action.RefreshCard, { ticket: number, card: 'triage' });
    expect(JSON.stringify(card.value)).toContain('Sent the SOC 2 report');
    expect(actionTitled(card.value, 'Preview reply')?.verb).toBe(Action.PreviewReply);

    const preview = await act(people.lee, Action.PreviewReply, {
      ticket: number,
      card: 'triage',
      reply: 'soc2-report',
    });
    expect(preview.statusCode).toBe(200);
    const shown = JSON.stringify(preview.value);
    expect(shown).toContain(`Hi Rita Requester, as requested on ${number}`);
    expect(shown).toContain('Kind regards, Lee Lewis');
    expect(shown).toContain('moves to On Customer Test');
    expect((await get(number)).conversation).toHaveLength(0);

    const sendButton = actionTitled(preview.value, 'Send')!;
    expect(sendButton.verb).toBe(Action.Reply);
    const sent = await act(people.lee, Action.Reply, {
      ...(sendButton.data as Json),
      message: `Hi {requester}, the SOC 2 report for ${number} is attached.`,
    });
    expect(sent.statusCode).toBe(200);
    expect(JSON.stringify(sent.value)).toContain(number); // the ticket's card again
    const t = await get(number);
    expect(t.status).toBe('on_customer_test');
    expect(t.conversation.at(-1)?.text).toBe(`Hi Rita Requester, the SOC 2 report for ${number} is attached.`);
    await drain();
    await eventually(
      () =>
        kit.connector
          .delivered()
          .find(
            (c) =>
              c.conversationId === personalConversation(people.rita).id &&
              JSON.stringify(c.body).includes('the SOC 2 report for'),
          ),
      5000,
      "the reply in Rita's chat",
    );
  });

  it('refused for an agent of another team, the requester and a reply the policy does not have', async () => {
    const number = await raise('Could we have your SOC 2 report again please');
    const before = (await get(number)).version;
    const sam = await act(people.sam, Action.PreviewReply, { ticket: number, card: 'triage', reply: 'soc2-report' });
    expect(sam.statusCode).toBe(403);
    expect(JSON.stringify(sam.value)).toMatch(/team that owns/);
    const samSends = await act(people.sam, Action.Reply, {
      ticket: number,
      card: 'triage',
      reply: 'soc2-report',
      message: 'from Sam',
    });
    expect(samSends.statusCode).toBe(403);
    const rita = await act(people.rita, Action.Reply, {
      ticket: number,
      card: 'requester',
      reply: 'soc2-report',
      message: 'from Rita',
    });
    expect(rita.statusCode).toBe(403);
    const forged = await act(people.lee, Action.Reply, {
      ticket: number,
      card: 'triage',
      reply: 'close-everything',
      message: 'forged',
    });
    expect(JSON.stringify(forged.value)).toMatch(/Choose a reply from the list/);
    expect((await get(number)).version).toBe(before);
  });
});
