import { Action } from '../../../src/cards/actions';
import type { Ticket } from '../../../src/domain/ticket/ticket';
import {
  botAddedToTeam,
  cardAction,
  personalConversation,
  personalMessage,
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
import { eventually } from '../../helpers/harness';

type InvokeBody = { statusCode: number; type: string; value: unknown };

describe('Teams: a low rating opens a follow-up on the managers card, "you said, we did" tells the requester', () => {
  let kit: TeamsKit;

  async function act(who: TeamsUser, verb: string, data: Record<string, unknown>) {
    const res = await kit.send(cardAction(kit.connector.url, who, verb, data));
    const body = res.body as InvokeBody;
    if (body?.type === 'application/vnd.microsoft.card.adaptive') assertValidCard(body.value);
    return body;
  }
  const get = async (n: string): Promise<Ticket> => (await kit.helpline.app.tickets.get(n))!;
  const drain = () => kit.helpline.notifier.drain();
  const carrying = (text: string) => kit.connector.delivered().filter((c) => JSON.stringify(c.body).includes(text));

  beforeAll(async () => {
    kit = await startTeamsKit();
    kit.connector.setTeamChannels(TEAM_ID, [
      { id: TRIAGE_CHANNEL, name: 'support-triage' },
      { id: TEAM_TICKETING_CHANNEL, name: 'Team Ticketing' },
      { id: MANAGERS_CHANNEL, name: 'support-managers' },
    ]);
    expect((await kit.send(botAddedToTeam(kit.connector.url, people.lee))).status).toBe(200);
    await kit.send(personalMessage(kit.connector.url, people.rita, 'help'));
  });
  afterAll(async () => {
    await kit?.stop();
  });

  it('the card carries "Called them" and "Note…"; a note marked for the requester tells them and ends it', async () => {
    const raised = await act(people.rita, Action.SubmitForm, {
      title: 'The login page times out',
      description: 'The login page times out for everyone',
      severity: '3',
      category: 'none',
    });
    expect(raised.statusCode).toBe(200);
    const number = (
      await kit.helpline.app.tickets.listByRequester(
        { platform: 'teams', userId: people.rita.id },
        { openOnly: true, limit: 1 },
      )
    )[0]!.number;
    await act(people.lee, Action.Resolve, { ticket: number, card: 'triage', note: 'Session store restarted' });
    await act(people.rita, Action.FixedYes, { ticket: number, card: 'requester' });
    await drain();
    const rated = await act(people.rita, Action.Csat, {
      ticket: number,
      card: 'requester',
      score: '1',
      comment: 'Slow',
    });
    expect(rated.statusCode).toBe(200);
    expect((await get(number)).csatFollowUps?.[0]).toMatchObject({ state: 'open', score: 1, comment: 'Slow' });
    await drain();
    const posted = await eventually(
      () => carrying('Low CSAT').find((c) => c.conversationId === MANAGERS_CHANNEL),
      5000,
      'the managers card',
    );
    const card = JSON.stringify(posted.body);
    expect(card).toContain(Action.FollowUpCalled);
    expect(card).toContain(Action.FollowUpNote);
    expect(card).toContain('Low CSAT follow-up');

    // The requester may not close it; an agent may.
    expect((await act(people.rita, Action.FollowUpCalled, { ticket: number, card: 'alert' })).statusCode).toBe(403);
    const noted = await act(people.sam, Action.FollowUpNote, {
      ticket: number,
      card: 'alert',
      followUpNote: 'We moved the session store to faster disks',
      tell: 'requester',
    });
    expect(noted.statusCode).toBe(200);
    expect(JSON.stringify(noted.value)).not.toContain(Action.FollowUpCalled); // done: no more buttons
    expect((await get(number)).csatFollowUps?.[0]).toMatchObject({ state: 'done', doneBy: 'Sam Singh' });
    await drain();
    await eventually(
      () =>
        carrying('We did: We moved the session store').find(
          (c) => c.conversationId === personalConversation(people.rita).id,
        ),
      5000,
      "Rita's chat told",
    );
    // A second note finds nothing open.
    const again = await act(people.sam, Action.FollowUpCalled, { ticket: number, card: 'alert' });
    expect(JSON.stringify(again.value)).toMatch(/no low rating waiting/);
  });
});
