import { Action } from '../../../src/cards/actions';
import { DEVELOPMENT_STATUSES } from '../../../src/config/policy.schema';
import type { Ticket } from '../../../src/domain/ticket/ticket';
import {
  botAddedToTeam,
  cardAction,
  personalMessage,
  submitMessage,
  TEAM_ID,
  type TeamsUser,
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

type InvokeBody = { statusCode: number; type: string; value: unknown };
type Card = { actions?: Array<{ title?: string; verb?: string; type: string }>; refresh?: { userIds: string[] } };

describe('Teams: card actions (Universal Actions)', () => {
  let kit: TeamsKit;
  let number: string;

  const ticket = async (): Promise<Ticket> => (await kit.helpline.app.tickets.get(number))!;

  async function act(who: TeamsUser, verb: string, data: unknown, activity?: Record<string, unknown>) {
    const invoke = activity ?? cardAction(kit.connector.url, who, verb, data);
    const res = await kit.send(invoke);
    const body = res.body as InvokeBody;
    if (body?.type === 'application/vnd.microsoft.card.adaptive') assertValidCard(body.value);
    return { status: res.status, body, invoke };
  }

  async function raise(who: TeamsUser, title: string): Promise<string> {
    const r = await act(who, Action.SubmitForm, {
      title,
      description: `${title}, since this morning`,
      severity: '3',
      category: 'none',
    });
    expect(r.status).toBe(200);
    const mine = await kit.helpline.app.tickets.listByRequester(
      { platform: 'teams', userId: who.id },
      { openOnly: true, limit: 1 },
    );
    return mine[0]!.number;
  }

  beforeAll(async () => {
    kit = await startTeamsKit();
    kit.connector.setTeamChannels(TEAM_ID, [
      { id: TRIAGE_CHANNEL, name: 'support-triage' },
      { id: TEAM_TICKETING_CHANNEL, name: 'Team Ticketing' },
      { id: MANAGERS_CHANNEL, name: 'support-managers' },
    ]);
    expect((await kit.send(botAddedToTeam(kit.connector.url, people.lee))).status).toBe(200);
    number = await raise(people.rita, 'Invoices do not send');
  });
  afterAll(async () => {
    await kit?.stop();
  });
  afterEach(() => {
    kit.assertRecordedCardsValid();
  });

  it('triage: assign to me, severity, team, request info — each answers with the refreshed card', async () => {
    let r = await act(people.lee, Action.AssignToMe, { ticket: number, card: 'triage' });
    expect(r.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(await ticket()).toMatchObject({ assignee: { userId: people.lee.id }, status: 'triage' });
    const card = r.body.value as Card;
    expect(card.actions?.map((a) => a.title)).toEqual(
      expect.arrayContaining(['Assign to me', 'Escalate to Team Ticketing']),
    );
    expect(card.refresh?.userIds).toEqual(expect.arrayContaining([people.lee.id, people.sam.id, people.rita.id]));
    expect(JSON.stringify(card)).toContain('Lee Lewis');

    // Triage's reasons stand beside the severity and the category / team it suggested.
    const suggested = (await ticket()).triage!;
    expect(JSON.stringify(card)).toContain(`Why severity 3: triage suggested ${suggested.severity}: `);
    expect(JSON.stringify(card)).toContain(suggested.categoryReason.slice(0, 40));

    r = await act(people.lee, Action.SetSeverity, { ticket: number, card: 'triage', severity: '2', team: 'level1' });
    expect(r.body.statusCode).toBe(200);
    expect((await ticket()).severity).toBe(2);
    expect(JSON.stringify(r.body.value)).toContain('Why severity 2: ');
    const events = await kit.helpline.app.events.listFor(number);
    expect(events.find((e) => e.type === 'triage_corrected')).toMatchObject({
      note: 'severity',
      from: suggested.severity,
      to: 2,
      actor: { userId: people.lee.id, platform: 'teams' },
    });

    r = await act(people.lee, Action.SetTeam, { ticket: number, card: 'triage', team: 'admin' });
    expect((await ticket()).team).toBe('admin');

    r = await act(people.lee, Action.RequestInfo, { ticket: number, card: 'triage', question: 'Which invoices?' });
    expect(await ticket()).toMatchObject({ status: 'waiting_for_customer', pendingQuestion: 'Which invoices?' });
  });

  it('requester loop: the answer in personal chat is added to the ticket waiting for it', async () => {
    kit.connector.reset();
    const msg = personalMessage(kit.connector.url, people.rita, 'All the EU invoices since Monday');
    expect((await kit.send(msg)).status).toBe(200);
    const t = await ticket();
    expect(t.status).toBe('customer_responded');
    expect(t.conversation.at(-1)).toMatchObject({ text: 'All the EU invoices since Monday', fromAgent: false });
    const reply = kit.connector.delivered().find((c) => c.kind === 'reply');
    expect(reply?.body.text).toMatch(new RegExp(`^Added to ${number} `));
    // "SR-n: …" adds to a named ticket; someone else's ticket is not reachable.
    await kit.send(
      personalMessage(kit.connector.url, people.rita, `${number}: screenshot at https://example.com/s.png`),
    );
    expect((await ticket()).conversation.at(-1)?.text).toBe('screenshot at https://example.com/s.png');
    const before = (await ticket()).version;
    await kit.send(personalMessage(kit.connector.url, people.otto, `${number}: hijack`));
    expect((await ticket()).version).toBe(before);
  });

  it('a redelivered invoke (same activity id) acts once', async () => {
    const before = await ticket();
    const first = await act(people.lee, Action.ChangeStatus, {
      ticket: number,
      card: 'triage',
      status: 'work_in_progress',
    });
    expect(first.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    const after = await ticket();
    expect(after.status).toBe('work_in_progress');
    expect(after.version).toBe(before.version + 1);
    const again = await act(people.lee, Action.ChangeStatus, {}, first.invoke);
    expect(again.body.statusCode).toBe(200);
    expect((await ticket()).version).toBe(after.version);
  });

  it('a double click (two invokes from one card rendering) acts once; a click on the refreshed card acts again', async () => {
    const before = await ticket();
    const [x, y] = before.severity === 2 ? ['4', '3'] : ['2', before.severity === 3 ? '4' : '3'];
    const data = { ticket: number, card: 'triage', rev: String(before.version), severity: x };
    const [a, b] = await Promise.all([
      act(people.lee, Action.SetSeverity, data),
      act(people.lee, Action.SetSeverity, data),
    ]);
    expect([a.body.statusCode, b.body.statusCode]).toEqual([200, 200]);
    const once = await ticket();
    expect(once.severity).toBe(Number(x));
    expect(once.version).toBe(before.version + 1);
    await act(people.lee, Action.SetSeverity, { ...data, severity: y }); // a stale card, another choice: acts
    const other = await ticket();
    expect(other.severity).toBe(Number(y));
    // Back to the first choice from the newest rendering: not mistaken for the first click.
    await act(people.lee, Action.SetSeverity, { ...data, rev: String(other.version), severity: x });
    expect((await ticket()).severity).toBe(Number(x));
  });

  it('refresh shows each viewer the actions their role allows', async () => {
    const agent = (await act(people.sam, Action.RefreshCard, { ticket: number, card: 'triage' })).body.value as Card;
    expect(agent.actions?.length).toBeGreaterThan(0);
    // The kind asked for is a hint: the requester gets the requester's card, never the agents' actions.
    const requester = (await act(people.rita, Action.RefreshCard, { ticket: number, card: 'triage' })).body
      .value as Card;
    expect(JSON.stringify(requester)).not.toContain(Action.AssignToMe);
    expect(requester.actions?.map((a) => a.title)).toEqual(['Escalate']);
    const requesterView = (await act(people.rita, Action.RefreshCard, { ticket: number, card: 'requester' })).body
      .value as Card;
    expect(requesterView.actions?.map((a) => a.title)).toContain('Escalate');
  });

  it('escalate to Team Ticketing posts the full ticket to the Team Ticketing channel', async () => {
    kit.connector.reset();
    await act(people.lee, Action.EscalateTeamTicketing, { ticket: number, card: 'triage' });
    expect((await ticket()).inTeamTicketing).toBe(true);
    await kit.helpline.notifier.drain();
    const post = kit.connector
      .delivered()
      .find((c) => c.kind === 'send' && c.conversationId === TEAM_TICKETING_CHANNEL);
    expect(post).toBeDefined();
    const card = JSON.stringify(post!.body);
    expect(card).toContain('Invoices do not send, since this morning');
    expect(card).toContain(Action.Take);
    // The triage card posted earlier is updated in place (PUT) for everyone.
    expect(kit.connector.delivered().some((c) => c.kind === 'update' && c.conversationId === TRIAGE_CHANNEL)).toBe(
      true,
    );
  });

  it('Team Ticketing: take, status, development route and statuses to Released', async () => {
    await act(people.sam, Action.Take, { ticket: number, card: 'teamTicketing' });
    expect((await ticket()).assignee?.userId).toBe(people.sam.id);
    await act(people.sam, Action.ChangeStatus, { ticket: number, card: 'teamTicketing', status: 'under_review' });
    expect((await ticket()).status).toBe('under_review');
    const route = Object.keys(kit.helpline.app.policy.developmentRoutes)[0]!;
    await act(people.sam, Action.EscalateDevelopment, { ticket: number, card: 'teamTicketing', route });
    expect(await ticket()).toMatchObject({ status: 'escalated_to_dev', development: { route, status: 'planned' } });
    for (let i = 0; i < 10 && (await ticket()).development?.status !== 'released'; i++) {
      const from = DEVELOPMENT_STATUSES.indexOf((await ticket()).development!.status);
      const to = DEVELOPMENT_STATUSES[from + 1]!;
      // The review is the Dev Lead's sign-off, the approval QA's: someone other than the developer.
      const who = to === 'dev_done_waiting_qa' ? people.devon : to === 'ready_for_release' ? people.quinn : people.dana;
      const r = await act(who, Action.AdvanceDevelopment, {
        ticket: number,
        card: 'teamTicketing',
        devStatus: to,
        releaseNote: 'Fixed in 4.2',
      });
      expect(r.body.statusCode).toBe(200);
    }
    expect(await ticket()).toMatchObject({
      status: 'on_customer_test',
      development: { status: 'released', releaseNote: 'Fixed in 4.2' },
    });
  });

  it('requester: not fixed reopens, fixed → Pending Closure, CSAT, customer escalation', async () => {
    let r = await act(people.rita, Action.FixedNo, {
      ticket: number,
      card: 'requester',
      notFixedReason: 'Still failing for EU invoices',
    });
    expect(r.body.statusCode).toBe(200);
    expect((await ticket()).status).toBe('customer_responded');
    await act(people.lee, Action.Resolve, { ticket: number, card: 'triage', note: 'EU template fixed' });
    expect((await ticket()).status).toBe('on_customer_test');
    const card = (await act(people.rita, Action.RefreshCard, { ticket: number, card: 'requester' })).body.value as Card;
    expect(card.actions?.map((a) => a.title)).toEqual(expect.arrayContaining(['Yes, it is fixed', 'No, still broken']));
    r = await act(people.rita, Action.FixedYes, { ticket: number, card: 'requester' });
    expect((await ticket()).status).toBe('pending_closure');
    r = await act(people.rita, Action.Csat, {
      ticket: number,
      card: 'requester',
      score: '4',
      comment: 'Quick, thanks',
    });
    expect((await ticket()).csat).toMatchObject({ score: 4, comment: 'Quick, thanks' });
    r = await act(people.rita, Action.CustomerEscalate, {
      ticket: number,
      card: 'requester',
      reason: 'Month end is blocked',
      impact: 'All EU invoicing',
    });
    expect(r.body.statusCode).toBe(200);
    expect((await ticket()).escalationLevel).toBe(1);
  });

  it('tampered data gets a 400 error response and changes nothing', async () => {
    const before = await ticket();
    const cases: Array<[string, unknown]> = [
      [Action.AssignToMe, { ticket: 'SR-999999', card: 'triage' }],
      [Action.AssignToMe, { ticket: { $gt: '' }, card: 'triage' }],
      [Action.AssignToMe, { ticket: ['SR-1'] }],
      [Action.SetSeverity, { ticket: number, severity: { $gt: '' } }],
      [Action.SetTeam, { ticket: number, team: 'wizards' }],
      [Action.ChangeStatus, { ticket: number, status: 'closed; drop' }],
      ['ticket.delete_everything', { ticket: number }],
      [Action.AssignToMe, 'SR-1'],
    ];
    for (const [verb, data] of cases) {
      const r = await act(people.lee, verb, data);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({
        statusCode: 400,
        type: 'application/vnd.microsoft.error',
        value: { code: 'BadRequest' },
      });
      expect((r.body.value as { message: string }).message.length).toBeGreaterThan(5);
    }
    // An invoke without an action at all.
    const bare = cardAction(kit.connector.url, people.lee, Action.AssignToMe, {});
    bare.value = { trigger: 'manual' };
    expect((await act(people.lee, '', {}, bare)).status).toBe(400);
    expect((await ticket()).version).toBe(before.version);
  });

  it('a requester cannot use an agent verb; someone else cannot answer for the requester', async () => {
    const other = await raise(people.otto, 'Cannot print reports');
    const before = (await kit.helpline.app.tickets.get(other))!;
    const r = await act(people.otto, Action.AssignToMe, { ticket: other, card: 'triage' });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({
      statusCode: 403,
      type: 'application/vnd.microsoft.error',
      value: { code: 'Forbidden' },
    });
    // Someone with no business with a ticket is told it does not exist, as for a missing number.
    const esc = await act(people.rita, Action.EscalateTeamTicketing, { ticket: other, card: 'triage' });
    expect(esc.status).toBe(400);
    expect(JSON.stringify(esc.body)).toContain(`${other} does not exist`);
    const csat = await act(people.rita, Action.Csat, { ticket: other, card: 'requester', score: '1' });
    expect(csat.status).toBe(400);
    expect((await kit.helpline.app.tickets.get(other))!.version).toBe(before.version);
  });

  it('a lifecycle rule is explained to the person, with nothing changed', async () => {
    const before = await ticket();
    const r = await act(people.lee, Action.Acknowledge, { ticket: number, card: 'alert' });
    expect(r.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    expect(String(r.body.value)).toMatch(/no breach alert/);
    expect((await ticket()).version).toBe(before.version);
  });

  it('SLA breach alert: Acknowledge from the alert card', async () => {
    const breaching = await raise(people.otto, 'Reports are empty');
    kit.helpline.clock.advanceMinutes(8 * 60);
    await kit.helpline.scheduler.runNow(['sla-sweep']);
    const t = (await kit.helpline.app.tickets.get(breaching))!;
    expect(t.alerting.breachedAt).not.toBeNull();
    const r = await act(people.lee, Action.Acknowledge, { ticket: breaching, card: 'alert' });
    expect(r.body.statusCode).toBe(200);
    expect((await kit.helpline.app.tickets.get(breaching))!.alerting.acknowledgedBy?.userId).toBe(people.lee.id);
  });

  it('Action.Submit fallback of a button updates the card in place', async () => {
    const other = await raise(people.otto, 'Fallback client');
    kit.connector.reset();
    const replyTo = 'act-card-1';
    const res = await kit.send(
      submitMessage(kit.connector.url, people.lee, { verb: Action.AssignToMe, ticket: other, card: 'triage' }, replyTo),
    );
    expect(res.status).toBe(200);
    expect((await kit.helpline.app.tickets.get(other))!.assignee?.userId).toBe(people.lee.id);
    const update = kit.connector.delivered().find((c) => c.kind === 'update' && c.activityId === replyTo);
    expect(update).toBeDefined();
    expect(JSON.stringify(update!.body)).toContain('Lee Lewis');
  });
});
