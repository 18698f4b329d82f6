import { raiseTicket } from '../../../src/app/raise-ticket';
import { FakeSlackApi } from '../../fakes/slack-api';
import { BOT_TOKEN, MONDAY_10AM, people, slackPolicy } from '../../fixtures/slack/kit';
import { SIGNING_SECRET } from '../../fixtures/slack/sign';
import { startTestHelpline, type TestHelpline } from '../../helpers/harness';

/**
 * Two replicas on one database, a delivery lease of 600 ms, and a Slack that takes 2.5 s to answer the post of a
 * triage card: the replica posting it keeps renewing its lease, so the other never claims the item and posts the
 * card a second time.
 */
describe('a slow platform call keeps its delivery lease', () => {
  let slack: FakeSlackApi;
  let a: TestHelpline;
  let b: TestHelpline;

  beforeAll(async () => {
    slack = await new FakeSlackApi().start();
    const env = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url };
    const common = { policy: slackPolicy(), now: MONDAY_10AM, deliveryLeaseMs: 600 };
    a = await startTestHelpline({ ...common, prefix: 'lease', env });
    b = await startTestHelpline({ ...common, env: { ...env, MONGODB_URI: `${process.env.MONGODB_URI}${a.dbName}` } });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await slack?.stop();
  });

  it('the other replica, draining all the while, never posts the card a second time', async () => {
    slack.delayNext({ ms: 2500, method: 'chat.postMessage', channel: 'C0TRIAGE' });
    const r = await raiseTicket(a.app, {
      requester: { platform: 'slack', userId: people.rita.id, name: people.rita.name },
      text: 'The supplier import failed this morning',
    });
    const posting = a.notifier.drain();
    const until = Date.now() + 3000;
    while (Date.now() < until) {
      await b.notifier.drain();
      await new Promise((done) => setTimeout(done, 100));
    }
    await posting;
    await a.notifier.drain();
    await b.notifier.drain();
    const cards = slack
      .callsTo('chat.postMessage')
      .filter((c) => c.body.channel === 'C0TRIAGE' && JSON.stringify(c.body).includes(`${r.ticket?.number}`));
    expect(cards).toHaveLength(1);
    expect(Date.now()).toBeGreaterThan(until); // the other replica drained through the whole slow post
  }, 30_000);
});
