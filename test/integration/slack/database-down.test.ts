import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { type Helpline, startHelpline } from '../../../src/bootstrap';
import { Action, View } from '../../../src/cards/actions';
import { MovableClock } from '../../../src/clock';
import { type LocalMongo, startLocalMongo } from '../../../src/store/local-mongo';
import { startFakeBotConnector } from '../../fakes/bot-connector';
import { FakeSlackApi } from '../../fakes/slack-api';
import { BOT_TOKEN, MONDAY_10AM, people, slackPolicy } from '../../fixtures/slack/kit';
import { assertBlockKitLimits } from '../../fixtures/slack/limits';
import {
  buttonClick,
  chosen,
  directMessage,
  eventEnvelope,
  TRIAGE,
  text,
  viewSubmission,
} from '../../fixtures/slack/payloads';
import { formPayload, SIGNING_SECRET, signedRequest } from '../../fixtures/slack/sign';
import { personalMessage, user } from '../../fixtures/teams/activities';

/**
 * The database really goes away: this suite runs its own local server and stops it under the
 * running app (no mocks of our modules). Every request is then told "not saved, try again".
 */
describe('Slack: the database is down', () => {
  let dataDir: string;
  let db: LocalMongo;
  let helpline: Helpline;
  const slack = new FakeSlackApi();

  beforeAll(async () => {
    await slack.start();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpline-slack-down-'));
    db = await startLocalMongo({ dataDir, backend: 'h2' });
    const clock = new MovableClock();
    clock.set(MONDAY_10AM);
    helpline = await startHelpline({
      env: {
        PORT: '0',
        HOST: '127.0.0.1',
        MONGODB_URI: `${db.uri}helpline_slack_down`,
        LOG_LEVEL: 'silent',
        NODE_ENV: 'test',
        SCHEDULER_ENABLED: '0',
        HELPLINE_PLAYGROUND: '1', // Teams without MicrosoftAppId beside Slack
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.url,
      },
      policy: slackPolicy(),
      clock,
      logger: pino({ level: 'silent' }),
    });
    await db.stop();
  }, 60_000);

  afterAll(async () => {
    await helpline?.stop();
    await db?.stop().catch(() => undefined);
    await slack.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  afterEach(() => {
    for (const c of slack.calls) assertBlockKitLimits(c);
    slack.reset();
  });

  const post = async (body: string, type: 'application/json' | 'application/x-www-form-urlencoded') => {
    const r = signedRequest(body, type);
    const started = Date.now();
    const res = await fetch(`http://127.0.0.1:${helpline.port}/slack/events`, {
      method: 'POST',
      headers: r.headers,
      body: r.body,
    });
    return { status: res.status, text: await res.text(), ms: Date.now() - started };
  };

  it('the form stays open with "not saved, try again" (answered within Slack\'s 3 s)', async () => {
    const res = await post(
      formPayload(
        viewSubmission(
          people.rita,
          { callback_id: View.Intake, private_metadata: '{}' },
          {
            title: { value: text('Cannot log in') },
            severity: { value: chosen('2') },
          },
        ),
      ),
      'application/x-www-form-urlencoded',
    );
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(3000);
    expect(JSON.parse(res.text)).toMatchObject({
      response_action: 'errors',
      errors: { title: expect.stringMatching(/not saved.*try again/i) },
    });
  }, 20_000);

  it('a DM is answered 503 (Slack sends it again later) and told in thread that it was not saved', async () => {
    const msg = directMessage(people.rita, 'The invoice run failed for all customers');
    const res = await post(JSON.stringify(eventEnvelope(msg)), 'application/json');
    expect(res.status).toBe(503); // not 200: nothing was saved, so Slack's retry may still save it
    const deadline = Date.now() + 15_000;
    const inThread = () => slack.callsTo('chat.postMessage').find((c) => c.body.thread_ts === msg.ts);
    while (!inThread() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const reply = inThread();
    expect(reply?.body.thread_ts).toBe(msg.ts);
    expect(String(reply?.body.text)).toMatch(/not saved.*try again/i);
  }, 20_000);

  it('a card button is answered 503 before the slow failing work ends, and the person is told that nothing was saved', async () => {
    const res = await post(
      formPayload(
        buttonClick(people.lee, { action_id: Action.AssignToMe, value: 'SR-1' }, { channel: TRIAGE, ts: '1.1' }),
      ),
      'application/x-www-form-urlencoded',
    );
    expect(res.status).toBe(503); // not 200: the work has not been saved
    // Answered while the work still waits for the database (Slack wants its answer within 3 s): not told yet.
    expect(slack.callsTo('chat.postEphemeral')).toHaveLength(0);
    const deadline = Date.now() + 15_000;
    while (!slack.callsTo('chat.postEphemeral').length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(String(slack.callsTo('chat.postEphemeral')[0]?.body.text)).toMatch(/not saved.*try again/i);
  }, 20_000);

  it('Teams too: a message not saved is answered 503 (sent again later), and the person is told in the chat', async () => {
    const connector = await startFakeBotConnector();
    try {
      const msg = personalMessage(connector.url, user('29:rita-down', 'Rita Down'), 'The invoice run failed');
      const res = await fetch(`http://127.0.0.1:${helpline.port}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(msg),
      });
      expect(res.status).toBe(503);
      const told = connector.delivered().find((c) => c.activityId === msg.id);
      expect(JSON.stringify(told?.body)).toMatch(/not saved|try again/i);
    } finally {
      await connector.close();
    }
  }, 20_000);
});
