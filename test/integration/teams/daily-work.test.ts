import { Action } from '../../../src/cards/actions';
import type { Ticket } from '../../../src/domain/ticket/ticket';
import { botAddedToTeam, cardAction, TEAM_ID, type TeamsUser, user } from '../../fixtures/teams/activities';
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
const mike = user('29:mike-fox', 'Mike Fox'); // Team Lead: a manager
const priya = user('29:priya-patel', 'Priya Patel'); // Level 1

describe('Teams: assign to a person, category and team selects, close with a reason, plain status moves', () => {
  let kit: TeamsKit;
  const ticket = async (n: string): Promise<Ticket> => (await kit.helpline.app.tickets.get(n))!;

  async function act(who: TeamsUser, verb: string, data: Record<string, unknown>) {
    const res = await kit.send(cardAction(kit.connector.url, who, verb, data));
    const body = res.body as InvokeBody;
    if (body?.type === 'application/vnd.microsoft.card.adaptive') assertValidCard(body.value);
    return { status: res.status, body };
  }

  async function raise(who: TeamsUser, title: string): Promise<string> {
    expect(
      (await act(who, Action.SubmitForm, { title, description: title, severity: '3', category: 'none' })).status,
    ).toBe(200);
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
  });
  afterAll(async () => {
    await kit?.stop();
  });
  afterEach(() => {
    kit.assertRecordedCardsValid();
  });

  it('a manager assigns from the triage card (a ChoiceSet of the team); the assignee gets the card in a DM', async () => {
    const number = await raise(people.rita, 'Workflow password reset needed');
    const card = JSON.stringify((await act(people.lee, Action.RefreshCard, { ticket: number, card: 'triage' })).body);
    expect(card).toContain(Action.AssignTo);
    expect(card).toContain('Priya Patel');
    // Level 1 may not give it to someone else.
    await act(people.lee, Action.AssignTo, { ticket: number, card: 'triage', assignee: 'priya.level1' });
    expect((await ticket(number)).assignee).toBeNull();
    const r = await act(mike, Action.AssignTo, { ticket: number, card: 'triage', assignee: 'priya.level1' });
    expect(r.body).toMatchObject({ statusCode: 200 });
    expect((await ticket(number)).assignee).toMatchObject({ userId: priya.id, name: 'Priya Patel' });
    expect(JSON.stringify(r.body.value)).toContain('Mike Fox assigned it to Priya Patel');
    await kit.helpline.notifier.drain();
    const dm = kit.connector
      .delivered()
      .find((c) => c.kind === 'send' && JSON.stringify(c.body).includes(`Mike Fox assigned ${number} to you`));
    expect(dm).toBeDefined();
    expect(JSON.stringify(dm!.body)).toContain(Action.AssignTo);
    // A person id that is not in the policy is refused at the edge.
    const bad = await act(mike, Action.AssignTo, { ticket: number, card: 'triage', assignee: '$where' });
    expect(JSON.stringify(bad.body)).toMatch(/Invalid card data/);
  });

  it('category and team selects on the triage and Team Ticketing cards record corrections like Slack', async () => {
    const number = await raise(people.rita, 'Invoices on hold in the client portal');
    const triage = JSON.stringify((await act(people.lee, Action.RefreshCard, { ticket: number, card: 'triage' })).body);
    expect(triage).toContain(Action.SetCategory);
    await act(people.lee, Action.SetCategory, { ticket: number, card: 'triage', category: 'file-upload-requests' });
    const t = await ticket(number);
    expect(t).toMatchObject({ categoryId: 'file-upload-requests', team: 'level2' });
    const events = await kit.helpline.app.events.listFor(number);
    expect(events.find((e) => e.type === 'category')).toMatchObject({ to: 'file-upload-requests' });
    if (t.triage) expect(events.some((e) => e.type === 'triage_corrected' && e.note === 'category')).toBe(true);
    await act(people.lee, Action.EscalateTeamTicketing, { ticket: number, card: 'triage' });
    const tt = await act(people.sam, Action.RefreshCard, { ticket: number, card: 'teamTicketing' });
    const ttCard = JSON.stringify(tt.body);
    expect(ttCard).toContain(Action.SetCategory);
    expect(ttCard).toContain(Action.SetTeam);
    expect(ttCard).toContain(Action.AssignTo);
    expect(ttCard).toContain(Action.Close);
    expect(ttCard).not.toContain('"value":"escalated_to_dev"');
    await act(people.sam, Action.SetTeam, { ticket: number, card: 'teamTicketing', team: 'admin' });
    expect((await ticket(number)).team).toBe('admin');
  });

  it('the plain status move refuses Escalated to Dev; close with a reason asks the requester to rate a withdrawn ticket', async () => {
    const number = await raise(people.rita, 'Export to the ERP failed overnight');
    await act(people.sam, Action.ChangeStatus, { ticket: number, card: 'teamTicketing', status: 'escalated_to_dev' });
    expect((await ticket(number)).status).toBe('new');
    await act(people.lee, Action.Close, {
      ticket: number,
      card: 'triage',
      closeReason: 'withdrawn',
      closeNote: 'sorted',
    });
    expect(await ticket(number)).toMatchObject({ status: 'closed', closeReason: 'withdrawn' });
    await kit.helpline.notifier.drain();
    const told = kit.connector.delivered().filter((c) => JSON.stringify(c.body).includes(number));
    expect(told.some((c) => JSON.stringify(c.body).includes('it was withdrawn (sorted)'))).toBe(true);
    expect(told.some((c) => JSON.stringify(c.body).includes(Action.Csat))).toBe(true);
    const rated = await act(people.rita, Action.Csat, { ticket: number, card: 'requester', score: '5' });
    expect(rated.body).toMatchObject({ statusCode: 200 });
    expect((await ticket(number)).csat?.score).toBe(5);
    // Closing needs a reason.
    const other = await raise(people.otto, 'Report totals look wrong');
    const bad = await act(people.lee, Action.Close, { ticket: other, card: 'triage' });
    expect(JSON.stringify(bad.body)).toMatch(/Invalid card data/);
    await act(people.lee, Action.Close, {
      ticket: other,
      card: 'triage',
      closeReason: 'duplicate',
      duplicateOf: number,
    });
    expect((await ticket(other)).status).toBe('new'); // its original is closed: refused
  });
});
