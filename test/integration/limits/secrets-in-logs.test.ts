import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { signLinkToken } from '../../../src/app/reports/link-token';
import { FakeSlackApi } from '../../fakes/slack-api';
import { directMessage, eventEnvelope } from '../../fixtures/slack/payloads';
import { signedRequest } from '../../fixtures/slack/sign';
import { freePort } from '../../helpers/cluster';
import { testDatabaseUri } from '../../helpers/harness';

const root = path.resolve(__dirname, '..', '..', '..');

/** Known values for every secret the process is given: none may appear anywhere in its output. */
const SECRETS = {
  SLACK_BOT_TOKEN: 'xoxb-4242-known-bot-token-value',
  SLACK_SIGNING_SECRET: 'known-signing-secret-value-1234',
  HUBSPOT_TOKEN: 'pat-eu1-known-hubspot-token-value',
  REPORTS_SECRET: 'known-reports-secret-value-0123456789abcdef',
};

describe('Secrets never reach the logs of a running process', () => {
  let child: ChildProcess | undefined;
  let slack: FakeSlackApi;
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await slack?.stop();
  });

  it('runs dist/main.js at debug with known secrets, drives traffic, and finds none of them in stdout or stderr', async () => {
    slack = await new FakeSlackApi().start();
    const port = await freePort();
    const { uri } = testDatabaseUri('secrets');
    let out = '';
    child = spawn(process.execPath, [path.join(root, 'dist', 'main.js')], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NODE_ENV: 'test',
        LOG_LEVEL: 'debug',
        PORT: String(port),
        HOST: '127.0.0.1',
        MONGODB_URI: uri,
        SLACK_API_URL: slack.url,
        CLIENT_DIRECTORY: 'yaml',
        HELPLINE_PLAYGROUND: '1', // /api/messages (auth off) beside Slack, so its request is logged too
        ...SECRETS,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d) => {
      out += d;
    });
    child.stderr?.on('data', (d) => {
      out += d;
    });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      if (/Helpline is listening/.test(out)) break;
      if (i > 400 || child.exitCode !== null) throw new Error(`did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }

    // A signed Slack request, and a forged one (a bad signature, an Authorization header).
    const body = JSON.stringify(eventEnvelope(directMessage({ id: 'U0REQUESTER', name: 'Rita' }, 'hello there')));
    const signed = signedRequest(body, 'application/json', { secret: SECRETS.SLACK_SIGNING_SECRET });
    expect((await fetch(`${base}/slack/events`, { method: 'POST', headers: signed.headers, body })).status).toBe(200);
    const forged = await fetch(`${base}/slack/events`, {
      method: 'POST',
      headers: {
        ...signed.headers,
        'x-slack-signature': 'v0=forged0000',
        authorization: `Bearer ${SECRETS.SLACK_BOT_TOKEN}`,
      },
      body,
    });
    expect(forged.status).toBeGreaterThanOrEqual(400);
    // A report link with its token in the URL, and one that is refused (an error path).
    const token = signLinkToken(
      SECRETS.REPORTS_SECRET,
      { personId: 'mike.fox', platform: 'slack', userId: 'U0TEAMLEAD' },
      new Date(),
    );
    await fetch(`${base}/reports/open?token=${encodeURIComponent(token)}`, { redirect: 'manual' });
    await fetch(`${base}/reports/open?token=${encodeURIComponent(`${token}x`)}`, { redirect: 'manual' });
    await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRETS.HUBSPOT_TOKEN}` },
      body: '{not json',
    });
    await new Promise((r) => setTimeout(r, 500));
    child.kill('SIGTERM');
    await new Promise((r) => child?.once('exit', r));

    expect(out).toMatch(/"url":"\/reports\/open\?token=\[redacted\]"/);
    expect(out).toContain('[redacted]');
    for (const [name, value] of Object.entries({ ...SECRETS, LINK_TOKEN: token }))
      expect({ name, found: out.includes(value) }).toEqual({ name, found: false });
  });
});
