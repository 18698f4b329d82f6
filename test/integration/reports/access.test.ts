import mongoose from 'mongoose';
import { personalConversationId } from '../../../src/adapters/playground/directory';
import { type Helpline, startHelpline } from '../../../src/bootstrap';
import { startTestHelpline, type TestHelpline } from '../../helpers/harness';
import { PlaygroundClient } from '../playground/kit';
import { SEEDED_NOW, seedReportData } from './dataset';

const SECRET = 'reports-secret-for-tests-0123456789abcdef';
const MIKE = personalConversationId('mike.fox');
const RITA = personalConversationId('rita.requester');
const LINK = /https?:\/\/\S+\/reports\/open\?token=[A-Za-z0-9._%-]+/;

describe('/reports access: links from the bot, single use, sessions in the database', () => {
  let h: TestHelpline;
  let client: PlaygroundClient;
  beforeAll(async () => {
    h = await startTestHelpline({ now: SEEDED_NOW, prefix: 'reportsaccess', env: { REPORTS_SECRET: SECRET } });
    await seedReportData(h);
    client = new PlaygroundClient(h);
    await client.listen();
  });
  afterAll(async () => {
    client?.close();
    await h?.stop();
  });

  /** Ask the bot for a link as a playground person; the link, pointed at this server. */
  async function askForLink(as: string, conversation: string): Promise<string> {
    const before = client.seen.length;
    expect((await client.say(as, conversation, 'report')).status).toBe(200);
    // The answer to this request (a card the notifier sends the same person meanwhile, or an earlier answer, is not).
    const reply = await client.waitForNewText(conversation, /reports|Sorry/, before, 'the report answer');
    const url = LINK.exec(reply.text ?? '')?.[0];
    if (!url) throw new Error(`no link in: ${reply.text}`);
    return `${h.base}${new URL(url).pathname}${new URL(url).search}`;
  }
  /** What a link scanner, a chat preview or the manager's first click does: a GET. */
  const look = (url: string) => fetch(url, { redirect: 'manual' });
  /** The page's button: a form POST of the token. */
  const press = (token: string, headers: Record<string, string> = {}) =>
    fetch(`${h.base}/reports/open`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams({ token }).toString(),
    });
  const tokenOf = (url: string) => new URL(url).searchParams.get('token') ?? '';
  /** Look at the link, then press its button, as a manager does. */
  const open = async (url: string) => {
    const page = await look(url);
    expect(page.status).toBe(200);
    return press(tokenOf(url));
  };
  const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

  it('without a session: 401 and no data, on every route', async () => {
    for (const p of ['/reports', '/reports/api/report', '/reports/csv/sla-weekly', '/reports/tickets/SR-1']) {
      const res = await fetch(`${h.base}${p}`);
      expect(res.status).toBe(401);
      const body = await res.text();
      expect(body).not.toMatch(/Acme|Bravo|Export file/);
    }
    const forged = await fetch(`${h.base}/reports/api/report`, {
      headers: { cookie: 'helpline_reports=0123456789abcdef0123456789abcdef.AAAA' },
    });
    expect(forged.status).toBe(401);
  });

  it('looking at a link spends nothing: its page has a button whose POST starts the session, once', async () => {
    const url = await askForLink('mike.fox', MIKE);
    for (let i = 0; i < 2; i++) {
      // A scanner, then the manager: the same page both times, and no cookie.
      const page = await look(url);
      expect(page.status).toBe(200);
      expect(page.headers.get('set-cookie')).toBeNull();
      const html = await page.text();
      expect(html).toMatch(/<form method="post" action="\/reports\/open">/);
      expect(html).toContain(`<input type="hidden" name="token" value="${tokenOf(url)}" />`);
      expect(html).toMatch(/This link is for Mike Fox/);
    }
    const first = await press(tokenOf(url));
    expect(first.status).toBe(303);
    expect(first.headers.get('set-cookie')).toMatch(/^helpline_reports=/);
    const second = await press(tokenOf(url));
    expect(second.status).toBe(401);
    expect(second.headers.get('set-cookie')).toBeNull();
    expect(await second.text()).toMatch(/already used.*Ask the bot again/s);
    // Looking again now says so too, with no button.
    const after = await look(url);
    expect(after.status).toBe(401);
    expect(await after.text()).not.toMatch(/<form/);
  });

  it('a form posted from another site is refused, and the link stays unspent', async () => {
    const url = await askForLink('mike.fox', MIKE);
    const other = await press(tokenOf(url), { origin: 'https://evil.example' });
    expect(other.status).toBe(403);
    const fetched = await press(tokenOf(url), { 'sec-fetch-site': 'cross-site' });
    expect(fetched.status).toBe(403);
    const own = await press(tokenOf(url), { origin: h.base, 'sec-fetch-site': 'same-origin' });
    expect(own.status).toBe(303);
  });

  it('a manager gets a personal link; it opens a session cookie once; the session serves the figures', async () => {
    const url = await askForLink('mike.fox', MIKE);
    const first = await open(url);
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/reports');
    const setCookie = first.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^helpline_reports=[a-f0-9]{32}\.[A-Za-z0-9_-]+;/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toMatch(/Secure/); // NODE_ENV=test: only development goes without
    expect(setCookie).toMatch(/Path=\/reports/);
    const cookie = cookieOf(first);

    const page = await fetch(`${h.base}/reports`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    const data = (await (
      await fetch(`${h.base}/reports/api/report?from=2026-03-02&to=2026-03-09`, { headers: { cookie } })
    ).json()) as { viewer: string; tables: Array<{ id: string; rows: unknown[][] }> };
    expect(data.viewer).toBe('Mike Fox');
    expect(data.tables.find((t) => t.id === 'sla-weekly')?.rows).toEqual([
      ['2026-03-02', 2, 1, 1, 40, 2, 0, 315, 0, 0],
      ['2026-03-09', 1, 1, 0, 10, 1, 0, 40, 0, 0],
    ]);
    const csv = await fetch(`${h.base}/reports/csv/csat-weekly?from=2026-03-02&to=2026-03-09`, { headers: { cookie } });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(await csv.text()).toBe(
      'Week of,Responses,Score 1,Score 2,Score 3,Score 4,Score 5,Average\r\n2026-03-02,2,0,1,0,0,1,3.5\r\n2026-03-09,1,1,0,0,0,0,1\r\n',
    );

    // Single use: the same link again is refused with a page that says to ask again.
    const again = await look(url);
    expect(again.status).toBe(401);
    expect(await again.text()).toMatch(/already used.*Ask the bot again/s);
  });

  it('a tampered or expired link gets a clear page saying to ask the bot again', async () => {
    const url = await askForLink('james.goulbourne', personalConversationId('james.goulbourne'));
    const u = new URL(url);
    const token = u.searchParams.get('token') ?? '';
    const [payload = '', sig = ''] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, personId: 'james.lawson' })).toString('base64url');
    for (const res of [
      await look(`${h.base}/reports/open?token=${forgedPayload}.${sig}`),
      await press(`${forgedPayload}.${sig}`),
    ]) {
      expect(res.status).toBe(401);
      expect(await res.text()).toMatch(/not valid.*Ask the bot again/s);
    }

    h.clock.advanceMinutes(16);
    try {
      for (const res of [await look(url), await press(tokenOf(url))]) {
        expect(res.status).toBe(401);
        expect(await res.text()).toMatch(/expired.*Ask the bot again/s);
      }
    } finally {
      h.clock.set(SEEDED_NOW);
    }
  });

  it('a malformed or tampered cookie is no session: 401 and the ask-the-bot page, never a 500', async () => {
    const cookies = [
      'helpline_reports=%E0%A4%A',
      'helpline_reports=%',
      'helpline_reports=',
      'helpline_reports=a.b.c',
      `helpline_reports=${'x'.repeat(3000)}`,
      'helpline_reports=0123456789abcdef0123456789abcdef.%ZZ',
      'other=1; helpline_reports=%E0%A4%A; more=2',
    ];
    for (const cookie of cookies) {
      const page = await fetch(`${h.base}/reports`, { headers: { cookie } });
      expect([cookie, page.status]).toEqual([cookie, 401]);
      expect(await page.text()).toMatch(/Ask the bot for a link/);
      const api = await fetch(`${h.base}/reports/api/report`, { headers: { cookie } });
      expect([cookie, api.status]).toEqual([cookie, 401]);
      expect(await api.json()).toEqual({ error: 'no report session: ask the bot for a link' });
    }
  });

  it('static files: only the allow-listed two; any other name is a 404 that names no path', async () => {
    for (const file of ['app.css', 'app.js'])
      expect((await fetch(`${h.base}/reports/static/${file}`)).status).toBe(200);
    for (const file of [
      'constructor',
      '__proto__',
      'hasOwnProperty',
      'toString',
      'index.html',
      'routes.ts',
      '..%2Fpages.ts',
    ]) {
      const res = await fetch(`${h.base}/reports/static/${file}`);
      const body = await res.text();
      expect([file, res.status]).toEqual([file, 404]);
      expect(body).not.toMatch(/\/work|\/src|ENOENT|at .*\(/);
    }
  });

  it('a range longer than 26 weeks or a malformed date is a 400 that says what to change (the weeks are counted, never walked)', async () => {
    const cookie = cookieOf(await open(await askForLink('mike.fox', MIKE)));
    const cases: Array<[string, RegExp]> = [
      ['from=1626-03-09&to=2026-03-09', /at most 26 weeks; this range covers 20872/],
      ['from=0001-01-01&to=9999-12-31', /at most 26 weeks/],
      ['from=2025-03-02', /at most 26 weeks/],
      ['from=2026-02-30&to=2026-03-09', /"from" date must be a calendar date written YYYY-MM-DD/],
      ['from=2026-03-02&to=next%20week', /"to" date must be/],
    ];
    for (const [query, message] of cases) {
      const api = await fetch(`${h.base}/reports/api/report?${query}`, { headers: { cookie } });
      expect([query, api.status]).toEqual([query, 400]);
      expect((await api.json()) as { error: string }).toEqual({ error: expect.stringMatching(message) });
      const csv = await fetch(`${h.base}/reports/csv/sla-weekly?${query}`, { headers: { cookie } });
      expect([query, csv.status]).toEqual([query, 400]);
    }
    // 26 weeks is fine.
    const longest = await fetch(`${h.base}/reports/api/report?from=2025-09-15&to=2026-03-15`, { headers: { cookie } });
    expect(longest.status).toBe(200);
    expect(((await longest.json()) as { weeks: string[] }).weeks).toHaveLength(26);
  });

  it('a non-manager asking gets a polite refusal and no link', async () => {
    expect((await client.say('rita.requester', RITA, 'report')).status).toBe(200);
    const reply = await client.waitFor(RITA, /Sorry/, 'the refusal');
    expect(reply.text).toMatch(/reports are for support managers/);
    expect(reply.text).not.toMatch(/token=/);
  });

  it('another replica on the same database serves the session (nothing in process memory)', async () => {
    const cookie = cookieOf(await open(await askForLink('mike.fox', MIKE)));
    let replica: Helpline | undefined;
    try {
      const uri = `${process.env.MONGODB_URI?.replace(/\/[^/]*$/, '/')}${h.dbName}`;
      replica = await startHelpline({
        env: {
          PORT: '0',
          HOST: '127.0.0.1',
          MONGODB_URI: uri,
          LOG_LEVEL: 'silent',
          NODE_ENV: 'test',
          SCHEDULER_ENABLED: '0',
          REPORTS_SECRET: SECRET,
        },
        clock: h.clock,
      });
      const res = await fetch(`http://127.0.0.1:${replica.port}/reports/api/report`, { headers: { cookie } });
      expect(res.status).toBe(200);
    } finally {
      await replica?.stop();
    }
  });

  it('housekeeping deletes expired sessions and used links; a TTL index covers the same field', async () => {
    const conn = await mongoose.createConnection(`${process.env.MONGODB_URI}${h.dbName}`).asPromise();
    try {
      const access = conn.collection('report_access');
      const indexes = await access.indexes();
      expect(indexes.find((i) => i.name === 'report_access_expiry')).toMatchObject({
        key: { expiresAt: 1 },
        expireAfterSeconds: 0,
      });
      // Tuesday 09:00 and 12:00: two sessions (8 hours each) from two links (15 minutes each).
      h.clock.set(new Date('2026-03-10T09:00:00Z'));
      const morning = cookieOf(await open(await askForLink('mike.fox', MIKE)));
      h.clock.set(new Date('2026-03-10T12:00:00Z'));
      const noon = cookieOf(await open(await askForLink('mike.fox', MIKE)));
      const noonSession = `session:${noon.split('=')[1]?.split('.')[0]}`;
      expect(await access.countDocuments({ _id: noonSession as never })).toBe(1);

      // 17:30: the morning session ended at 17:00, the noon one runs to 20:00; every link has expired.
      h.clock.set(new Date('2026-03-10T17:30:00Z'));
      const before = await access.countDocuments({});
      const res = await fetch(`${h.base}/test/scheduler/run`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jobs: ['housekeeping'] }),
      });
      const ran = ((await res.json()) as { ran: Array<{ job: string; processed: number; failed: number }> }).ran[0];
      expect(ran).toMatchObject({ job: 'housekeeping', failed: 0 });
      expect(ran?.processed).toBeGreaterThanOrEqual(before - 1);
      expect((await access.find({}).toArray()).map((d) => String(d._id))).toEqual([noonSession]);
      expect((await fetch(`${h.base}/reports/api/report`, { headers: { cookie: noon } })).status).toBe(200);
      expect((await fetch(`${h.base}/reports/api/report`, { headers: { cookie: morning } })).status).toBe(401);
    } finally {
      await conn.close();
      h.clock.set(SEEDED_NOW);
    }
  });
});
