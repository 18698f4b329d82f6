import { Action } from '../../../src/cards/actions';
import type { Ticket } from '../../../src/domain/ticket/ticket';
import {
  botAddedToTeam,
  cardAction,
  personalConversation,
  personalMessage,
  TEAM_ID,
  type TeamsUser,
  user,
} from '../../fixtures/teams/activities';
import { assertValidCard } from '../../fixtures/teams/cards';
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
const mike = user('29:mike-fox', 'Mike Fox'); // Team Lead

describe('Teams: the conversation loop, alerts in place and feedback that management hears', () => {
  let kit: TeamsKit;

  async function act(who: TeamsUser, verb: string, data: Record<string, unknown>) {
    const res = await kit.send(cardAction(kit.connector.url, who, verb, data));
    const body = res.body as InvokeBody;
    if (body?.type === 'application/vnd.microsoft.card.adaptive') assertValidCard(body.value);
    return { status: res.status, body };
  }
  const get = async (n: string): Promise<Ticket> => (await kit.helpline.app.tickets.get(n))!;
  const drain = () => kit.helpline.notifier.drain();

  async function raise(who: TeamsUser, title: string): Promise<string> {
    const r = await act(who, Action.SubmitForm, {
      title,
      description: `${title}, since today`,
      severity: '3',
      category: 'none',
    });
    expect(r.status).toBe(200);
    const mine = await kit.helpline.app.tickets.listByRequester(
      { platform: 'teams', userId: who.id },
      { openOnly: true, limit: 1 },
    );
    await drain();
    return mine[0]!.number;
  }
  /** Delivered calls (sends, replies, updates) whose body contains `text`. */
  const carrying = (text: string) => kit.connector.delivered().filter((c) => JSON.stringify(c.body).includes(text));

  beforeAll(async () => {
    kit = await startTeamsKit();
    kit.connector.setTeamChannels(TEAM_ID, [
      { id: TRIAGE_CHANNEL, name: 'support-triage' },
      { id: TEAM_TICKETING_CHANNEL, name: 'Team Ticketing' },
      { id: MANAGERS_CHANNEL, name: 'support-managers' },
    ]);
    expect((await kit.send(botAddedToTeam(kit.connector.url, people.lee))).status).toBe(200);
    // Rita and Lee have talked to the bot in personal chat: their chats are known.
    await kit.send(personalMessage(kit.connector.url, people.rita, 'help'));
    await kit.send(personalMessage(kit.connector.url, people.lee, 'help'));
  });
  afterAll(async () => {
    await kit?.stop();
  });
  afterEach(() => {
    kit.assertRecordedCardsValid();
    kit.connector.reset();
  });

  it("the requester's answer reaches the assignee's personal chat with its text", async () => {
    const number = await raise(people.rita, 'Invoices do not send to the portal');
    await act(people.lee, Action.AssignToMe, { ticket: number, card: 'triage' });
    await act(people.lee, Action.RequestInfo, { ticket: number, card: 'triage', question: 'Which portal?' });
    await drain();
    kit.connector.reset();
    await kit.send(personalMessage(kit.connector.url, people.rita, 'The Coupa portal, all EU invoices'));
    expect((await get(number)).status).toBe('customer_responded');
    await drain();
    const told = await eventually(
      () => carrying('The Coupa portal').find((c) => c.conversationId === personalConversation(people.lee).id),
      5000,
      "Lee's personal chat",
    );
    expect(JSON.stringify(told.body)).toContain(number);
  });

  it('with nobody assigned, a reply in the thread of the triage card', async () => {
    const number = await raise(people.rita, 'Scanned invoices lose their VAT line');
    const triagePost = (await get(number)).posts.find((p) => p.kind === 'triage')!;
    expect(triagePost.channel).toBe(TRIAGE_CHANNEL);
    kit.connector.reset();
    await kit.send(personalMessage(kit.connector.url, people.rita, `${number}: only for the Dutch supplier`));
    await drain();
    const reply = await eventually(
      () =>
        carrying('only for the Dutch supplier').find((c) => c.kind === 'reply' && c.conversationId === TRIAGE_CHANNEL),
      5000,
      'thread reply',
    );
    expect(reply.activityId).toBe(triagePost.messageId);
  });

  it('an image attached to an answer is kept as evidence by its content URL', async () => {
    const number = await raise(people.rita, 'The totals row shows NaN');
    const msg = personalMessage(kit.connector.url, people.rita, `${number}: screenshot attached`);
    const withImage = {
      ...msg,
      attachments: [
        { contentType: 'image/png', contentUrl: 'https://teams.example.com/img/shot-1.png', name: 'shot-1.png' },
      ],
    };
    expect((await kit.send(withImage)).status).toBe(200);
    expect((await get(number)).evidence).toEqual([
      { kind: 'file', value: 'https://teams.example.com/img/shot-1.png', name: 'shot-1.png' },
    ]);
    const triage = await act(people.lee, Action.RefreshCard, { ticket: number, card: 'triage' });
    expect(JSON.stringify(triage.body.value)).toContain('shot-1.png');
  });

  it('a plain update reaches the requester; an internal note never does', async () => {
    const number = await raise(people.rita, 'Approvals stuck at step two');
    const before = (await get(number)).status;
    let r = await act(people.lee, Action.MessageRequester, {
      ticket: number,
      card: 'triage',
      message: 'Looking at it now',
    });
    expect(r.body.statusCode).toBe(200);
    expect((await get(number)).status).toBe(before);
    r = await act(people.lee, Action.InternalNote, {
      ticket: number,
      card: 'triage',
      internalNote: 'TEAMS-SECRET: VIP client',
    });
    expect(JSON.stringify(r.body.value)).toContain('TEAMS-SECRET');
    expect(JSON.stringify(r.body.value)).toContain('internal note');
    await drain();
    await eventually(
      () => carrying('Looking at it now').find((c) => c.conversationId === personalConversation(people.rita).id),
      5000,
      'update to Rita',
    );
    // The requester's own card, her status view and history: no note.
    const mine = await act(people.rita, Action.RefreshCard, { ticket: number, card: 'requester' });
    expect(JSON.stringify(mine.body.value)).toContain('Looking at it now');
    expect(JSON.stringify(mine.body.value)).not.toContain('TEAMS-SECRET');
    await kit.send(personalMessage(kit.connector.url, people.rita, `status ${number}`));
    await kit.send(personalMessage(kit.connector.url, people.rita, `history ${number}`));
    const toRita = kit.connector.delivered().filter((c) => c.conversationId === personalConversation(people.rita).id);
    expect(toRita.some((c) => JSON.stringify(c.body).includes(`History of ${number}`))).toBe(true);
    for (const c of toRita) expect(JSON.stringify(c.body)).not.toContain('TEAMS-SECRET');
    // Lee's history has it.
    await kit.send(personalMessage(kit.connector.url, people.lee, `history ${number}`));
    expect(carrying('TEAMS-SECRET').some((c) => c.conversationId === personalConversation(people.lee).id)).toBe(true);
  });

  it('an acknowledged breach alert is updated in place: who and when, no button', async () => {
    const number = await raise(people.otto, 'Reports are empty for every user');
    kit.helpline.clock.advanceMinutes(8 * 60);
    await kit.helpline.scheduler.runNow(['sla-sweep']);
    await drain();
    const alert = (await get(number)).posts.find((p) => p.kind === 'alert' && p.channel === MANAGERS_CHANNEL);
    expect(alert).toBeDefined();
    kit.connector.reset();
    const r = await act(mike, Action.Acknowledge, { ticket: number, card: 'alert' });
    expect(r.body.statusCode).toBe(200);
    expect(JSON.stringify(r.body.value)).not.toContain(Action.Acknowledge);
    await drain();
    const put = await eventually(
      () => kit.connector.delivered().find((c) => c.kind === 'update' && c.activityId === alert!.messageId),
      5000,
      'alert updated in place',
    );
    const card = JSON.stringify(put.body);
    expect(card).toMatch(/Mike Fox at (\w{3} )+?(\d{1,2} \w{3} )?\d{2}:\d{2}/);
    expect(card).toContain('SLA BREACH');
    expect(card).not.toContain(Action.Acknowledge);
  });

  it('Level 2 resolves with a note from the Team Ticketing card', async () => {
    const number = await raise(people.rita, 'Custom report totals are wrong');
    const esc = await act(people.lee, Action.EscalateTeamTicketing, { ticket: number, card: 'triage' });
    expect(esc.body.statusCode).toBe(200);
    const card = await act(people.sam, Action.RefreshCard, { ticket: number, card: 'teamTicketing' });
    expect(JSON.stringify(card.body.value)).toContain(Action.Resolve);
    const r = await act(people.sam, Action.Resolve, { ticket: number, card: 'teamTicketing', note: 'Filter fixed' });
    expect(r.body.statusCode).toBe(200);
    expect((await get(number)).status).toBe('on_customer_test');
  });

  it('a low score reaches the managers channel and the Team Lead at once', async () => {
    const number = await raise(people.rita, 'The login page times out');
    await act(people.lee, Action.Resolve, { ticket: number, card: 'triage', note: 'Session store restarted' });
    await act(people.rita, Action.FixedYes, { ticket: number, card: 'requester' });
    await drain();
    kit.connector.reset();
    const r = await act(people.rita, Action.Csat, {
      ticket: number,
      card: 'requester',
      score: '2',
      comment: 'Slow answers',
    });
    expect(r.body.statusCode).toBe(200);
    await drain();
    await eventually(
      () => carrying('Low CSAT').find((c) => c.conversationId === MANAGERS_CHANNEL),
      5000,
      'managers told',
    );
    // The Team Lead is notified on his platform (Slack by the default policy: no Slack here, so not in Teams).
    expect(carrying('Slow answers').length).toBeGreaterThan(0);
  });
});
