import { Action } from '../../../src/cards/actions';
import { parentOf, partsOf, type Ticket } from '../../../src/domain/ticket/ticket';
import {
  botAddedToTeam,
  cardAction,
  personalConversation,
  personalMessage,
  TEAM_ID,
  type TeamsUser,
  user,
} from '../../fixtures/teams/activities';
import {
  MANAGERS_CHANNEL,
  people,
  startTeamsKit,
  TEAM_TICKETING_CHANNEL,
  type TeamsKit,
  TRIAGE_CHANNEL,
} from '../../fixtures/teams/kit';
import { eventually } from '../../helpers/harness';

type InvokeBody = { statusCode: number; type: string; value: unknown };
const tom = user('29:1requester-tom', 'Tom Teams');

describe('Teams: an outage with several reporters run as one incident', () => {
  let kit: TeamsKit;
  const ticket = async (n: string): Promise<Ticket> => (await kit.helpline.app.tickets.get(n))!;

  async function act(who: TeamsUser, verb: string, data: Record<string, unknown>) {
    const res = await kit.send(cardAction(kit.connector.url, who, verb, data));
    return { status: res.status, body: res.body as InvokeBody };
  }
  async function raise(who: TeamsUser, title: string): Promise<string> {
    expect(
      (await act(who, Action.SubmitForm, { title, description: title, severity: '1', category: 'none' })).status,
    ).toBe(200);
    const mine = await kit.helpline.app.tickets.listByRequester(
      { platform: 'teams', userId: who.id },
      { openOnly: true, limit: 1 },
    );
    return mine[0]!.number;
  }
  /** "Add me to <incident>" pressed on the intake card of `words`: the invoke's answer and the ticket it raised. */
  async function joinFrom(who: TeamsUser, words: string, incident: string, severity: string) {
    const r = await act(who, Action.SubmitForm, {
      title: words.slice(0, 40),
      description: words,
      severity,
      category: 'none',
      incident,
      join: '1',
      form: `join-${who.id}`,
    });
    expect(r.status).toBe(200);
    const mine = await kit.helpline.app.tickets.listByRequester(
      { platform: 'teams', userId: who.id },
      { openOnly: true, limit: 1 },
    );
    return { r, ticket: mine[0]! };
  }
  /** A message's own words: its text, or its card's first block (a ticket card below it may quote older messages). */
  const headline = (body: Record<string, unknown>): string => {
    if (typeof body.text === 'string' && body.text) return body.text;
    const card = (body.attachments as Array<{ content?: { body?: unknown[] } }> | undefined)?.[0]?.content;
    return JSON.stringify(card?.body?.[0] ?? '');
  };
  /** Messages sent into a person's chat with Helpline whose own words say `text`. */
  const sentTo = (who: TeamsUser, text: string) =>
    kit.connector
      .delivered()
      .filter(
        (c) =>
          c.kind === 'send' && c.conversationId === personalConversation(who).id && headline(c.body).includes(text),
      );

  beforeAll(async () => {
    kit = await startTeamsKit();
    kit.connector.setTeamChannels(TEAM_ID, [
      { id: TRIAGE_CHANNEL, name: 'support-triage' },
      { id: TEAM_TICKETING_CHANNEL, name: 'Team Ticketing' },
      { id: MANAGERS_CHANNEL, name: 'support-managers' },
    ]);
    expect((await kit.send(botAddedToTeam(kit.connector.url, people.lee))).status).toBe(200);
  });
  afterAll(async () => {
    await kit?.stop();
  });

  it('linked from the card and by chat; the update and the fix reach each reporter once, in their own chat', async () => {
    const parent = await raise(people.rita, 'The platform is down for everyone');
    const a = await raise(people.otto, 'Platform down, cannot log in');
    const b = await raise(tom, 'Nothing loads at all');
    await kit.helpline.notifier.drain();

    const r = await act(people.lee, Action.Link, { ticket: a, card: 'triage', linkKind: 'part_of', linkTo: parent });
    expect(r.body).toMatchObject({ statusCode: 200 });
    expect(JSON.stringify(r.body.value)).toContain('Part of incident');
    expect((await kit.send(personalMessage(kit.connector.url, people.lee, `${b} part of ${parent}`))).status).toBe(200);
    await eventually(async () => parentOf(await ticket(b)) === parent, 5000, 'linked by chat');
    expect(partsOf(await ticket(parent)).map((l) => l.ticket)).toEqual([a, b]);
    // A requester cannot link.
    await act(people.otto, Action.Link, { ticket: a, card: 'requester', linkKind: 'unlink' });
    expect(parentOf(await ticket(a))).toBe(parent);

    await act(people.lee, Action.MessageRequester, { ticket: parent, card: 'triage', message: 'Cause found, fixing' });
    await act(people.lee, Action.Resolve, { ticket: parent, card: 'triage', note: 'Fixed the load balancer' });
    await eventually(async () => (await ticket(b)).status === 'on_customer_test', 5000, 'children resolved');
    await kit.helpline.notifier.drain();
    await kit.helpline.notifier.drain();
    for (const who of [people.rita, people.otto, tom]) {
      await eventually(() => sentTo(who, 'Fixed the load balancer')[0], 5000, `fix to ${who.name}`);
      expect(sentTo(who, 'Cause found, fixing')).toHaveLength(1);
      expect(sentTo(who, 'Fixed the load balancer')).toHaveLength(1);
    }
  });

  it('a new reporter is offered "Add me to SR-n" on the intake card: raised part of the incident, paging nobody', async () => {
    const parent = await raise(people.rita, 'The platform is down for everyone, nobody can log in');
    await kit.helpline.notifier.drain();
    const ada = user('29:1requester-ada', 'Ada Adams');
    const before = kit.connector.delivered().length;
    expect(
      (await kit.send(personalMessage(kit.connector.url, ada, 'Platform is down for us too, nobody can log in')))
        .status,
    ).toBe(200);
    const card = await eventually(
      () =>
        kit.connector
          .delivered()
          .slice(before)
          .find((c) => JSON.stringify(c.body).includes('Add me to SR-')),
      5000,
      'the intake card with the offer',
    );
    const offered = /Add me to (SR-\d+)/.exec(JSON.stringify(card.body))?.[1] ?? '';
    expect(offered).toBe(parent);
    const { r, ticket: child } = await joinFrom(ada, 'Platform is down for us too, nobody can log in', offered, '1');
    expect(parentOf(child)).toBe(parent);
    expect(child.nextCheckAt).toBeNull();
    expect(partsOf(await ticket(parent)).map((l) => l.ticket)).toContain(child.number);
    await kit.helpline.notifier.drain();
    // Nobody was paged for the child; its requester was told it is part of the incident.
    const paged = kit.connector.delivered().filter((c) => JSON.stringify(c.body).includes('Immediate escalation'));
    expect(paged.filter((c) => JSON.stringify(c.body).includes(child.number))).toHaveLength(0);
    const told = JSON.stringify([r.body, kit.connector.delivered().slice(before)]);
    expect(told).toContain(`added to incident ${parent}`);
  });

  it('a tampered "Add me to" naming a ticket that is no incident raises the request on its own', async () => {
    const other = await raise(people.otto, 'Please change the logo on our invoice template');
    const eve = user('29:1requester-eve', 'Eve Evans');
    const { ticket: raised } = await joinFrom(eve, 'Platform is down, nobody can log in', other, '3');
    expect(parentOf(raised)).toBeNull();
    expect(partsOf(await ticket(other))).toEqual([]);
  });
});
