import { createHmac, randomBytes } from 'node:crypto';
import { Action } from '../../../src/cards/actions';
import { loadPolicy } from '../../../src/config/policy';
import { type FakeBotConnector, startFakeBotConnector } from '../../fakes/bot-connector';
import { FakeSlackApi } from '../../fakes/slack-api';
import { botAddedToTeam, TEAM_ID } from '../../fixtures/teams/activities';
import { assertValidCard } from '../../fixtures/teams/cards';
import { people, TEAM_TICKETING_CHANNEL } from '../../fixtures/teams/kit';
import { eventually, startTestHelpline, type TestHelpline } from '../../helpers/harness';

const SIGNING_SECRET = 'cross-platform-signing-secret';

/** A request as Slack signs it: v0=HMAC-SHA256(v0:{timestamp}:{raw body}). */
function signed(body: string, contentType: string): RequestInit {
  const ts = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  return {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-slack-request-timestamp': ts, 'x-slack-signature': signature },
    body,
  };
}

describe('Teams ⇄ Slack: a ticket raised in Slack is escalated to the Teams Team Ticketing channel', () => {
  let helpline: TestHelpline;
  let slack: FakeSlackApi;
  let connector: FakeBotConnector;

  beforeAll(async () => {
    slack = await new FakeSlackApi().start();
    connector = await startFakeBotConnector();
    // The seeds' policy: triage in Slack, Team Ticketing in Teams ("19:team-ticketing@thread.tacv2").
    helpline = await startTestHelpline({
      prefix: 'teamsx',
      policy: loadPolicy(),
      now: new Date('2026-03-02T10:00:00Z'),
      env: { SLACK_BOT_TOKEN: 'xoxb-cross-platform', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url },
    });
  });
  afterAll(async () => {
    await helpline?.stop();
    await slack?.stop();
    await connector?.close();
  });

  const slackEvent = (event: Record<string, unknown>) =>
    fetch(
      `${helpline.base}/slack/events`,
      signed(
        JSON.stringify({
          type: 'event_callback',
          team_id: 'T0HELPLINE',
          api_app_id: 'A0HELPLINE',
          event_id: `Ev${randomBytes(5).toString('hex')}`,
          event_time: Math.floor(Date.now() / 1000),
          event,
        }),
        'application/json',
      ),
    );
  const slackAction = (user: string, action: Record<string, unknown>, channel: string) =>
    fetch(
      `${helpline.base}/slack/events`,
      signed(
        `payload=${encodeURIComponent(
          JSON.stringify({
            type: 'block_actions',
            user: { id: user, name: user.toLowerCase() },
            team: { id: 'T0HELPLINE' },
            trigger_id: `${Date.now()}.trigger`,
            container: { type: 'message', channel_id: channel, message_ts: '1700000000.000100' },
            channel: { id: channel },
            message: { ts: '1700000000.000100' },
            actions: [{ type: 'button', action_ts: `${Date.now() / 1000}`, block_id: 'b1', ...action }],
          }),
        )}`,
        'application/x-www-form-urlencoded',
      ),
    );

  it('raise in a Slack DM, Level 1 escalates from Slack, the full ticket card reaches Teams', async () => {
    connector.setTeamChannels(TEAM_ID, [{ id: TEAM_TICKETING_CHANNEL, name: 'Team Ticketing' }]);
    const added = await fetch(`${helpline.base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(botAddedToTeam(connector.url, people.sam)),
    });
    expect(added.status).toBe(200);

    // 1. Sally writes to the bot in Slack; the bot answers with what it understood and a "Raise ticket" button.
    const res = await slackEvent({
      type: 'message',
      channel_type: 'im',
      channel: 'D0SALLY',
      user: 'U0SALLY',
      text: 'The stock report is missing last week, the warehouse team cannot reorder',
      ts: '1700000000.000200',
      event_ts: '1700000000.000200',
    });
    expect(res.status).toBe(200);
    const raiseButton = await eventually(
      () =>
        slack.calls
          .filter((c) => c.method === 'chat.postMessage' || c.method === 'chat.postEphemeral')
          .flatMap(
            (c) =>
              (c.body.blocks as Array<{ elements?: Array<{ action_id?: string; value?: string }> }> | undefined) ?? [],
          )
          .flatMap((b) => b.elements ?? [])
          .find((e) => e.action_id === Action.RaiseNow),
      5000,
      'the Slack "Raise ticket" button',
    );

    // 2. She presses it: the ticket is raised in Slack.
    expect(
      (await slackAction('U0SALLY', { action_id: Action.RaiseNow, value: raiseButton.value }, 'D0SALLY')).status,
    ).toBe(200);
    const ticket = await eventually(
      async () =>
        (
          await helpline.app.tickets.listByRequester(
            { platform: 'slack', userId: 'U0SALLY' },
            { openOnly: true, limit: 1 },
          )
        )[0],
      5000,
      'the ticket',
    );

    // 3. Level 1 (Lee, in Slack) presses "Escalate to Team Ticketing" on the triage card.
    expect(
      (await slackAction('U0LEVEL1', { action_id: Action.EscalateTeamTicketing, value: ticket.number }, 'C0TRIAGE'))
        .status,
    ).toBe(200);
    await eventually(
      async () => (await helpline.app.tickets.get(ticket.number))?.inTeamTicketing,
      5000,
      'the escalation',
    );

    // 4. The notifier posts the full ticket to the Teams Team Ticketing channel.
    await helpline.notifier.drain();
    const post = await eventually(
      () => connector.delivered().find((c) => c.kind === 'send' && c.conversationId === TEAM_TICKETING_CHANNEL),
      5000,
      'the Teams post',
    );
    const card = (post.body.attachments as Array<{ content: unknown }>)[0]!.content;
    assertValidCard(card);
    const json = JSON.stringify(card);
    expect(json).toContain(ticket.number);
    expect(json).toContain('stock report is missing');
    expect(json).toContain(Action.Take);
    for (const c of connector.cards()) assertValidCard(c);
  });
});
