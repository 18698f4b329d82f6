import mongoose from 'mongoose';
import { loadPolicy } from '../../../src/config/policy';
import { FakeSlackApi } from '../../fakes/slack-api';
import { botAddedToTeam, TEAM_ID } from '../../fixtures/teams/activities';
import { MANAGERS_CHANNEL, people, startTeamsKit, type TeamsKit } from '../../fixtures/teams/kit';
import { startTestHelpline, type TestHelpline } from '../../helpers/harness';
import { seedReportData } from './dataset';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Runs the digest at `iso` on the movable clock through the test route (which then drains the outbox). */
async function runDigest(h: TestHelpline, iso: string) {
  h.clock.set(new Date(iso));
  const res = await fetch(`${h.base}/test/scheduler/run`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jobs: ['daily-digest'] }),
  });
  const body = (await res.json()) as { ran: Array<{ job: string; processed: number; failed: number }> };
  expect(body.ran[0]).toMatchObject({ job: 'daily-digest', failed: 0 });
  return body.ran[0]!;
}

describe('the first digest of a week carries the weekly summary with a chart image (Slack)', () => {
  let h: TestHelpline;
  let slack: FakeSlackApi;
  let conn: mongoose.Connection;

  beforeAll(async () => {
    slack = await new FakeSlackApi().start();
    h = await startTestHelpline({
      prefix: 'weekly',
      policy: loadPolicy(),
      env: { SLACK_BOT_TOKEN: 'xoxb-weekly', SLACK_SIGNING_SECRET: 'weekly-secret', SLACK_API_URL: slack.url },
    });
    conn = await mongoose.createConnection(`${process.env.MONGODB_URI}${h.dbName}`).asPromise();
    await seedReportData(h);
    await h.notifier.drain();
    slack.reset();
  });
  afterAll(async () => {
    await conn?.close();
    await h?.stop();
    await slack?.stop();
  });

  it("Monday: the digest is posted and the weekly chart uploaded to the managers channel in files.uploadV2's three steps", async () => {
    // Monday 16 March 2026, 08:45 London (GMT): the first digest of the week.
    expect((await runDigest(h, '2026-03-16T08:45:00Z')).processed).toBe(2);

    const posted = slack.callsTo('chat.postMessage').map((c) => c.body);
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ channel: 'C0MANAGERS' });
    expect(String(posted[0]?.text)).toContain('Daily support digest, Mon 16 Mar 2026');

    // 1. files.getUploadURLExternal, 2. the bytes to the upload URL, 3. files.completeUploadExternal.
    expect(slack.calls.map((c) => c.method).filter((m) => m.startsWith('files.') || m === 'upload')).toEqual([
      'files.getUploadURLExternal',
      'upload',
      'files.completeUploadExternal',
    ]);
    expect(slack.callsTo('files.getUploadURLExternal')[0]?.token).toBe('xoxb-weekly');
    expect(slack.uploads).toHaveLength(1);
    const upload = slack.uploads[0]!;
    expect(upload.filename).toBe('weekly-summary-digest-weekly-2026-03-16.png'); // the outbox key in its name
    expect(upload.bytes?.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(upload.bytes?.length).toBe(upload.length);
    expect(upload.length).toBeGreaterThan(2_000);
    expect(upload.length).toBeLessThan(200_000);
    expect(upload.channel).toBe('C0MANAGERS');
    expect(upload.title).toBe('Tickets raised and resolved, last 8 weeks');
    // The seeded week (Mon 9 Mar): T3, T4 and T5 raised; T3 resolved in 40 minutes, 10 to respond.
    expect(upload.initialComment).toContain('Weekly summary, week of Mon 9 Mar 2026');
    expect(upload.initialComment).toContain(
      'Raised: 3. Resolved: 1 (resolution target met 1, breached 0; average 40 business minutes). First response met 1, breached 0; average 10 business minutes.',
    );
    expect(upload.initialComment).toContain('CSAT: 1 response, average 1 of 5.');
  });

  it('the outbox keeps the figures (a few numbers a week), not the picture: eight weeks, the seeded two last', async () => {
    const item = await conn.collection('outbox').findOne({ _id: 'digest.weekly:2026-03-16' as never });
    expect(item).toMatchObject({ type: 'digest.weekly', status: 'delivered' });
    const weeks = (item?.chart as { weeks: unknown[] } | undefined)?.weeks ?? [];
    expect(weeks).toHaveLength(8);
    expect(weeks[0]).toEqual({ label: '19 Jan', raised: 0, met: 0, breached: 0 });
    // Week of 2 Mar: T1 and T2 raised and resolved within the 50 business hours; week of 9 Mar: 3 raised, T3 resolved.
    expect(weeks.slice(-2)).toEqual([
      { label: '2 Mar', raised: 2, met: 2, breached: 0 },
      { label: '9 Mar', raised: 3, met: 1, breached: 0 },
    ]);
    expect(JSON.stringify(item).length).toBeLessThan(3_000);
  });

  it('Tuesday: the daily digest only, no image', async () => {
    slack.reset();
    expect((await runDigest(h, '2026-03-17T08:45:00Z')).processed).toBe(1);
    expect(slack.callsTo('chat.postMessage').map((c) => String(c.body.text))).toEqual([
      expect.stringContaining('Daily support digest, Tue 17 Mar 2026'),
    ]);
    expect(slack.calls.filter((c) => c.method.startsWith('files.') || c.method === 'upload')).toEqual([]);
    expect(slack.uploads).toEqual([]);
  });

  it('a retry after the chart was shared but the answer lost finds it by name and does not share it again', async () => {
    slack.reset();
    slack.failNext(1, { status: 500, afterEffect: true, method: 'files.completeUploadExternal' });
    await runDigest(h, '2026-03-23T08:45:00Z'); // attempt 1: shared, but the bot saw a 500
    h.clock.advanceMinutes(10); // past the retry's backoff
    await h.notifier.drain(); // attempt 2
    expect(slack.callsTo('files.completeUploadExternal')).toHaveLength(1);
    expect(slack.callsTo('conversations.history').map((c) => c.body.channel)).toContain('C0MANAGERS');
    const item = await conn.collection('outbox').findOne({ _id: 'digest.weekly:2026-03-23' as never });
    expect(item).toMatchObject({ status: 'delivered', attempts: 2 });
  });
});

describe('the weekly chart in Teams is an inline image attachment on the message', () => {
  let kit: TeamsKit;
  beforeAll(async () => {
    kit = await startTeamsKit({ now: new Date('2026-03-20T10:00:00Z') });
    kit.connector.setTeamChannels(TEAM_ID, [{ id: MANAGERS_CHANNEL, name: 'support-managers' }]);
    expect((await kit.send(botAddedToTeam(kit.connector.url, people.lee))).status).toBe(200);
  });
  afterAll(async () => {
    await kit?.stop();
  });

  const toManagers = () => kit.connector.delivered().filter((c) => c.conversationId === MANAGERS_CHANNEL);
  const images = () =>
    toManagers().flatMap((c) =>
      ((c.body.attachments as Array<{ contentType?: string; contentUrl?: string; name?: string }>) ?? []).filter(
        (a) => a.contentType === 'image/png',
      ),
    );

  it('Monday: the weekly summary card carries the PNG as a data URI', async () => {
    kit.connector.reset();
    expect((await runDigest(kit.helpline, '2026-03-23T08:45:00Z')).processed).toBe(2);
    expect(toManagers()).toHaveLength(2);
    const [image] = images();
    expect(images()).toHaveLength(1);
    expect(image?.name).toBe('weekly-summary.png');
    const prefix = 'data:image/png;base64,';
    expect(image?.contentUrl?.startsWith(prefix)).toBe(true);
    const png = Buffer.from(image?.contentUrl?.slice(prefix.length) ?? '', 'base64');
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    // Inside a Teams message's ~80 KB with the card beside it.
    expect(image?.contentUrl?.length).toBeLessThan(60_000);
    expect(JSON.stringify(kit.connector.cards())).toContain('Weekly summary, week of Mon 16 Mar 2026');
    kit.assertRecordedCardsValid();
  });

  it('Tuesday: no image', async () => {
    kit.connector.reset();
    expect((await runDigest(kit.helpline, '2026-03-24T08:45:00Z')).processed).toBe(1);
    expect(toManagers()).toHaveLength(1);
    expect(images()).toEqual([]);
  });
});
