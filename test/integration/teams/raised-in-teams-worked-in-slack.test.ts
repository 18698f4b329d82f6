import { Action } from '../../../src/cards/actions';
import { loadPolicy } from '../../../src/config/policy';
import type { Ticket } from '../../../src/domain/ticket/ticket';
import { type FakeBotConnector, startFakeBotConnector } from '../../fakes/bot-connector';
import { FakeSlackApi } from '../../fakes/slack-api';
import { findElement, latestCard, type SlackKit } from '../../fixtures/slack/kit';
import { buttonClick, TRIAGE } from '../../fixtures/slack/payloads';
import { formPayload, SIGNING_SECRET, signedRequest } from '../../fixtures/slack/sign';
import { cardAction, personalConversation, personalMessage } from '../../fixtures/teams/activities';
import { people } from '../../fixtures/teams/kit';
import { eventually, startTestHelpline, type TestHelpline } from '../../helpers/harness';

/**
 * The direction untested before: a ticket raised in Teams whose triage card and conversation live in
 * Slack (the seeds' policy: triage in Slack). Lee works it from Slack; Rita talks from Teams.
 */
describe('Teams → Slack: raised in Teams, triaged and answered in Slack', () => {
  let helpline: TestHelpline;
  let slack: FakeSlackApi;
  let connector: FakeBotConnector;
  const LEE_SLACK = { id: 'U0LEVEL1', name: 'Lee Lewis' };

  beforeAll(async () => {
    slack = await new FakeSlackApi().start();
    connector = await startFakeBotConnector();
    helpline = await startTestHelpline({
      prefix: 'teams2slack',
      policy: loadPolicy(),
      now: new Date('2026-03-02T10:00:00Z'),
      env: { SLACK_BOT_TOKEN: 'xoxb-t2s', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url },
    });
  });
  afterAll(async () => {
    await helpline?.stop();
    await slack?.stop();
    await connector?.close();
  });

  const get = async (n: string): Promise<Ticket> => (await helpline.app.tickets.get(n))!;
  const interact = async (payload: unknown) => {
    const r = signedRequest(formPayload(payload), 'application/x-www-form-urlencoded');
    const res = await fetch(`${helpline.base}/slack/events`, { method: 'POST', headers: r.headers, body: r.body });
    expect(res.status).toBe(200);
  };
  const asKit = () => ({ slack }) as unknown as SlackKit;

  it('the Slack triage card, the Slack agent, and the Teams requester talk both ways', async () => {
    await fetch(`${helpline.base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(personalMessage(connector.url, people.rita, 'help')),
    });
    const raised = await fetch(`${helpline.base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        cardAction(connector.url, people.rita, Action.SubmitForm, {
          title: 'Purchase orders fail to sync',
          description: 'Since 9am every PO sync fails',
          severity: '3',
          category: 'none',
        }),
      ),
    });
    expect(raised.status).toBe(200);
    const [mine] = await helpline.app.tickets.listByRequester(
      { platform: 'teams', userId: people.rita.id },
      { openOnly: true, limit: 1 },
    );
    const number = mine!.number;
    await helpline.notifier.drain();
    const card = await eventually(() => latestCard(asKit(), TRIAGE, number), 5000, 'Slack triage card');

    // Lee (Slack) takes it; then Rita (Teams) writes on it: Lee hears it in a Slack DM.
    const assign = findElement(card, Action.AssignToMe)!;
    await interact(
      buttonClick(
        LEE_SLACK,
        { action_id: Action.AssignToMe, value: assign.element.value, block_id: assign.blockId },
        { channel: TRIAGE, ts: String(card.response?.ts) },
      ),
    );
    await eventually(async () => (await get(number)).assignee?.userId === LEE_SLACK.id, 5000, 'assigned in Slack');
    await helpline.notifier.drain();
    // Rita is told in Teams who has it.
    await eventually(
      () =>
        connector
          .delivered()
          .find(
            (c) =>
              c.conversationId === personalConversation(people.rita).id && JSON.stringify(c.body).includes('Lee Lewis'),
          ),
      5000,
      'Rita told in Teams',
    );
    await fetch(`${helpline.base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(personalMessage(connector.url, people.rita, `${number}: it fails only for EUR orders`)),
    });
    await eventually(async () => (await get(number)).conversation.length === 1, 5000, 'added');
    await helpline.notifier.drain();
    await eventually(
      () =>
        slack
          .callsTo('chat.postMessage')
          .find((c) => c.body.channel === LEE_SLACK.id && JSON.stringify(c.body).includes('only for EUR orders')),
      5000,
      "Lee's Slack DM",
    );
    // The Slack triage card shows the latest exchange.
    await eventually(
      () => JSON.stringify(latestCard(asKit(), TRIAGE, number)?.body.blocks ?? '').includes('only for EUR orders'),
      5000,
      'card shows the exchange',
    );
  });
});
