import { digestBody } from '../../../src/app/reports/digest';
import { loadPolicy } from '../../../src/config/policy';
import type { Notice } from '../../../src/domain/ticket/notice';
import { parseOutboxCommand, runOutboxCommand } from '../../../src/notify/outbox-command';
import { type FakeBotConnector, startFakeBotConnector } from '../../fakes/bot-connector';
import { FakeSlackApi } from '../../fakes/slack-api';
import { botAddedToTeam, TEAM_ID } from '../../fixtures/teams/activities';
import { people, TEAM_TICKETING_CHANNEL } from '../../fixtures/teams/kit';
import { eventually, startTestHelpline, type TestHelpline } from '../../helpers/harness';

const SIGNING_SECRET = 'outage-signing-secret';

/**
 * A Slack outage, compressed: back-off 50 ms doubling to 400 ms (policy sla.delivery) where production waits 2 s
 * to 5 min. The real notifier delivers to the fake Slack Web API and the fake Bot Connector. Slack answers 500,
 * then invalid_auth (its token rotated), far past the old eight-attempt limit: Teams keeps delivering, the
 * managers hear of it in Teams, and once Slack answers every alert is delivered once, in order per channel. A
 * channel that is gone makes its notification dead with that reason; retry-dead re-drives it once it is back.
 */
describe('no alert is lost to an outage', () => {
  let helpline: TestHelpline;
  let slack: FakeSlackApi;
  let connector: FakeBotConnector;

  beforeAll(async () => {
    slack = await new FakeSlackApi().start();
    connector = await startFakeBotConnector();
    // The seeds' policy: triage, managers and development triage in Slack, Team Ticketing in Teams.
    const policy = loadPolicy();
    policy.sla.delivery = { retryFirst: 50, retryMax: 400, troubleAfter: 3 };
    helpline = await startTestHelpline({
      prefix: 'outage',
      policy,
      env: { SLACK_BOT_TOKEN: 'xoxb-outage', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url },
    });
    connector.setTeamChannels(TEAM_ID, [{ id: TEAM_TICKETING_CHANNEL, name: 'Team Ticketing' }]);
    const added = await fetch(`${helpline.base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(botAddedToTeam(connector.url, people.sam)),
    });
    expect(added.status).toBe(200);
  }, 30_000);
  afterAll(async () => {
    await helpline?.stop();
    await slack?.stop();
    await connector?.close();
  });

  let seq = 0;
  /** Queues a plain notice for a channel of the policy, each created a millisecond after the one before. */
  async function alert(channel: 'triage' | 'managers' | 'teamTicketing' | 'developmentTriage', text: string) {
    const notice: Notice = {
      key: `outage:${String(++seq).padStart(3, '0')}`,
      type: 'requester.update',
      ticket: null,
      audience: { kind: 'channel', channel },
      text,
    };
    await helpline.app.outbox.enqueue([notice], new Date(helpline.clock.now().getTime() + seq));
  }
  /** Drains, then checks: the notifier does its work as a replica would, the test only waits for the result. */
  const until = <T>(check: () => T | Promise<T>, what: string, ms = 15_000) =>
    eventually(
      async () => {
        await helpline.notifier.drain();
        return check();
      },
      ms,
      what,
    );
  const slackTexts = (channel: string) =>
    slack
      .succeeded('chat.postMessage')
      .filter((c) => c.body.channel === channel)
      .map((c) => String(c.body.text));
  const teamsTexts = (conversationId: string) =>
    connector
      .delivered()
      .filter((c) => c.conversationId === conversationId)
      .map((c) => JSON.stringify(c.body));
  const circuit = async (platform: 'slack' | 'teams') => (await helpline.app.outbox.health()).circuits[platform];

  it('pauses only Slack, keeps Teams delivering, and delivers every alert once, in order, when Slack is back', async () => {
    const outage = slack.failUntilStopped({ status: 500, method: 'chat.postMessage' });
    for (let i = 1; i <= 4; i++) {
      await alert('triage', `breach ${i} for triage`);
      await alert('managers', `breach ${i} for managers`);
      await alert('teamTicketing', `card ${i} for Team Ticketing`);
    }
    await alert('developmentTriage', 'escalated to development');

    // Teams delivers all four while Slack fails.
    await until(() => teamsTexts(TEAM_TICKETING_CHANNEL).length === 4, 'the Team Ticketing cards in Teams');
    expect(teamsTexts(TEAM_TICKETING_CHANNEL).map((t) => /card (\d)/.exec(t)?.[1])).toEqual(['1', '2', '3', '4']);

    // Slack is "in trouble": the managers channel is in Slack, so the ladder's managers are told in Teams, once.
    await until(async () => (await circuit('slack'))?.state === 'open', 'the Slack circuit to open');
    await until(
      () => connector.delivered().filter((c) => JSON.stringify(c.body).includes('cannot deliver to Slack')).length >= 4,
      'the managers told in Teams',
    );
    expect((await circuit('teams'))?.state ?? 'closed').toBe('closed');

    // The token is rotated mid-outage: auth errors pause Slack too, they do not kill anything.
    await until(async () => ((await circuit('slack'))?.failures ?? 0) >= 5, 'more Slack failures');
    const revoked = slack.failUntilStopped({ status: 200, error: 'invalid_auth', method: 'chat.postMessage' });
    outage.stop();
    await until(async () => ((await circuit('slack'))?.failures ?? 0) >= 10, 'Slack failing past the old limit');
    expect(await helpline.app.outbox.countDead()).toBe(0);
    // Paused means probed: one call at a time while it fails, not one per alert per back-off.
    const failedPosts = slack.callsTo('chat.postMessage').filter((c) => c.response?.ok !== true);
    expect(failedPosts.length).toBeLessThanOrEqual(((await circuit('slack'))?.failures ?? 0) + 1);
    expect(slack.succeeded('chat.postMessage')).toHaveLength(0);

    revoked.stop(); // the operator puts the new token in place
    // The development triage channel was deleted meanwhile: Slack's first real answer to it is "channel_not_found"
    // (set only now: while Slack failed as a whole, whichever item the circuit probed with must not die of it).
    const gone = slack.failUntilStopped({
      status: 200,
      error: 'channel_not_found',
      method: 'chat.postMessage',
      channel: 'C0DEVTRIAGE',
    });
    await until(
      () => slackTexts('C0TRIAGE').length === 4 && slackTexts('C0MANAGERS').length === 4,
      'every Slack alert delivered',
    );
    await until(async () => (await helpline.app.outbox.countDead()) === 1, 'the gone channel to go dead');
    // Once each, in the order they were raised, per channel.
    expect(slackTexts('C0TRIAGE')).toEqual([1, 2, 3, 4].map((i) => `breach ${i} for triage`));
    expect(slackTexts('C0MANAGERS')).toEqual([1, 2, 3, 4].map((i) => `breach ${i} for managers`));
    expect(teamsTexts(TEAM_TICKETING_CHANNEL)).toHaveLength(4);
    await until(async () => (await circuit('slack'))?.state === 'closed', 'the Slack circuit to close');
    await until(
      () => connector.delivered().filter((c) => JSON.stringify(c.body).includes('Slack answers again')).length >= 4,
      'the managers told Slack is back',
    );

    // The channel that is gone: dead, with its reason and platform, shown to the health check and the CLI.
    const health = await helpline.app.outbox.health();
    expect(health).toMatchObject({ dead: 1, deadByPlatform: { slack: 1 }, circuits: { slack: { state: 'closed' } } });
    const [dead] = await helpline.app.outbox.listDead({ platform: 'slack' });
    expect(dead).toMatchObject({ reason: 'channel_not_found', platform: 'slack', type: 'requester.update' });
    const listed = await runOutboxCommand(parseOutboxCommand(['list-dead']), helpline.app.outbox, new Date());
    expect(listed.join('\n')).toContain('channel_not_found');
    // ...and to the managers in the next digest.
    const now = helpline.clock.now();
    const digest = await digestBody(helpline.app, new Date(now.getTime() - 86_400_000), now);
    expect(digest).toContain('Undelivered: 1 notification refused for good (slack: 1)');

    // The bot is invited back: retry-dead re-drives it, once.
    gone.stop();
    const none = await runOutboxCommand(
      parseOutboxCommand(['retry-dead', '--platform', 'teams']),
      helpline.app.outbox,
      helpline.clock.now(),
    );
    expect(none).toEqual(['0 dead notifications on teams queued for delivery again']);
    const redriven = await runOutboxCommand(
      parseOutboxCommand(['retry-dead', '--platform', 'slack', '--reason', 'channel_not_found']),
      helpline.app.outbox,
      helpline.clock.now(),
    );
    expect(redriven).toEqual(['1 dead notification on slack with reason channel_not_found queued for delivery again']);
    await until(() => slackTexts('C0DEVTRIAGE').length === 1, 'the re-driven alert');
    await helpline.notifier.drain();
    expect(slackTexts('C0DEVTRIAGE')).toEqual(['escalated to development']);
    expect(await helpline.app.outbox.countDead()).toBe(0);
  }, 60_000);

  it('a Teams refusal (403: the bot was removed) goes dead with its reason and leaves Teams delivering', async () => {
    connector.failNext(1, 403);
    await alert('teamTicketing', 'card refused');
    await alert('teamTicketing', 'card after the refusal');
    await until(
      () => teamsTexts(TEAM_TICKETING_CHANNEL).some((t) => t.includes('card after the refusal')),
      'the next Teams card',
    );
    const dead = await helpline.app.outbox.listDead({ platform: 'teams' });
    expect(dead.map((d) => [d.reason, d.platform])).toEqual([['http_403', 'teams']]);
    expect((await circuit('teams'))?.state ?? 'closed').toBe('closed');
  }, 30_000);
});
