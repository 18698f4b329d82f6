import { randomBytes } from 'node:crypto';
import type { Notice } from '../../../src/domain/ticket/notice';
import { connectStore, type Store } from '../../../src/store/connection';
import { OUTBOX_QUEUE_COLLECTION } from '../../../src/store/outbox.model';
import { createOutboxStore, ensureOutboxIndexes } from '../../../src/store/outbox.repository';
import { openServer, supportedServers, type TestServer } from '../../helpers/servers';
import { minutesAfter, T0 } from './fixtures';

const silent = { info() {}, warn() {}, error() {} };

const notice = (key: string): Notice => ({
  key,
  type: 'requester.update',
  ticket: null,
  audience: { kind: 'channel', channel: 'triage' },
  text: `notice ${key}`,
});

describe.each(supportedServers())('the outbox and its queue on %s', (kind) => {
  let server: TestServer;
  let store: Store;
  const outbox = () => createOutboxStore(store.connection);
  const queued = async () =>
    (await store.connection.collection(OUTBOX_QUEUE_COLLECTION).find({}).toArray()).map((d) => String(d._id)).sort();

  beforeAll(async () => {
    server = await openServer(kind);
    store = await connectStore(`${server.uri}helpline_outbox_${randomBytes(4).toString('hex')}`, { log: silent });
    await ensureOutboxIndexes(store.connection);
  });
  afterAll(async () => {
    await store.connection.dropDatabase();
    await store.close();
    await server.stop();
  });
  beforeEach(async () => {
    await store.models.Outbox.deleteMany({});
    await store.models.OutboxQueue.deleteMany({});
  });

  it('queues only what is still to deliver, oldest first, and empties as items are delivered or dead', async () => {
    const box = outbox();
    expect(await box.enqueue([notice('b')], minutesAfter(T0, 1))).toBe(1);
    expect(await box.enqueue([notice('a'), notice('c')], T0)).toBe(2);
    expect(await queued()).toEqual(['a', 'b', 'c']);
    expect(await box.countPending()).toBe(3);

    const now = minutesAfter(T0, 5);
    const first = await box.claim(now, 'w', 60_000);
    expect(first?.key).toBe('a'); // created first in time, though enqueued second
    await box.delivered('a', 'w', now);
    const second = await box.claim(now, 'w', 60_000);
    await box.dead(second?.key ?? '', 'w', 'channel_not_found', now);
    expect(second?.key).toBe('c');
    expect(await queued()).toEqual(['b']);
    expect(await box.countPending()).toBe(1);
    expect(await box.countDead()).toBe(1);
  });

  it('counts what was new when some notices were there already', async () => {
    const box = outbox();
    await box.enqueue([notice('x')], T0);
    expect(await box.enqueue([notice('x'), notice('y'), notice('z')], T0)).toBe(2);
    expect(await box.enqueue([notice('x')], T0)).toBe(0);
  });

  it('a notice produced again after delivery is stored once and not delivered again', async () => {
    const box = outbox();
    await box.enqueue([notice('once')], T0);
    const claimed = await box.claim(T0, 'w', 60_000);
    await box.delivered(claimed?.key ?? '', 'w', T0);
    expect(await box.enqueue([notice('once')], minutesAfter(T0, 10))).toBe(0);
    expect(await queued()).toEqual(['once']); // the queue entry came back with the notice...
    expect(await box.claim(minutesAfter(T0, 11), 'w', 60_000)).toBeNull(); // ...and is dropped, not delivered
    expect(await queued()).toEqual([]);
    const stored = await store.models.Outbox.find({}).lean();
    expect(stored.map((d) => [d._id, d.status, d.attempts])).toEqual([['once', 'delivered', 1]]);
  });

  it('a retry waits in the queue until its time; a late mark by a worker that lost its lease changes nothing', async () => {
    const box = outbox();
    await box.enqueue([notice('r')], T0);
    await box.claim(T0, 'w1', 60_000);
    await box.retry('r', 'w1', minutesAfter(T0, 30), '429');
    expect(await box.claim(minutesAfter(T0, 29), 'w2', 60_000)).toBeNull();
    expect(await box.claim(minutesAfter(T0, 30), 'w2', 60_000)).toMatchObject({ key: 'r', attempts: 2 });
    await box.delivered('r', 'w1', minutesAfter(T0, 31)); // w1 no longer owns it
    expect(await queued()).toEqual(['r']);
    await box.delivered('r', 'w2', minutesAfter(T0, 31));
    expect(await queued()).toEqual([]);
  });

  it('an item never overtakes an older one waiting in its lane; a deferral is not an attempt; a pause is released', async () => {
    const box = outbox();
    await box.enqueue([notice('older')], T0);
    await box.enqueue([notice('newer')], minutesAfter(T0, 1));
    const older = await box.claim(minutesAfter(T0, 2), 'w', 60_000);
    expect(await box.laneAhead(older as never, 'slack:C1')).toBeNull();
    await box.retry('older', 'w', minutesAfter(T0, 30), '500', 'slack'); // Slack paused
    const newer = await box.claim(minutesAfter(T0, 2), 'w', 60_000);
    expect(newer?.key).toBe('newer');
    expect(await box.laneAhead(newer as never, 'slack:C2')).toBeNull(); // another target: free to go
    expect(await box.laneAhead(newer as never, 'slack:C1')).toEqual(minutesAfter(T0, 30)); // same target: behind
    await box.defer('newer', 'w', minutesAfter(T0, 30), 'slack');
    expect(await box.claim(minutesAfter(T0, 3), 'w', 60_000)).toBeNull();
    // Slack answers again: both are due at once, and the newer one's deferral did not count as an attempt.
    expect(await box.releasePaused('slack', minutesAfter(T0, 4))).toBe(2);
    const due = [await box.claim(minutesAfter(T0, 4), 'w', 60_000), await box.claim(minutesAfter(T0, 4), 'w', 60_000)];
    expect(due.map((d) => [d?.key, d?.attempts]).sort()).toEqual([
      ['newer', 1],
      ['older', 2],
    ]);
    await box.delivered('older', 'w', minutesAfter(T0, 4));
    expect(await box.laneAhead(newer as never, 'slack:C1')).toBeNull();
  });

  it('a lane waits behind its head in one step, and its next item is due the moment the head is delivered', async () => {
    const box = outbox();
    await box.enqueue([notice('a')], T0);
    await box.enqueue([notice('b')], minutesAfter(T0, 1));
    await box.enqueue([notice('c')], minutesAfter(T0, 2));
    const now = minutesAfter(T0, 3);
    const a = await box.claim(now, 'w1', 60_000); // in flight on w1
    expect(await box.laneAhead(a as never, 'slack:C1')).toBeNull();
    const b = await box.claim(now, 'w2', 60_000);
    const c = await box.claim(now, 'w2', 60_000);
    expect(await box.laneAhead(c as never, 'slack:C1')).not.toBeNull();
    await box.defer('c', 'w2', new Date(now.getTime() + 100));
    expect(await box.laneAhead(b as never, 'slack:C1')).not.toBeNull();
    const recheck = new Date(now.getTime() + 600);
    await box.deferBehind(b as never, 'w2', recheck, 'slack:C1');
    // c, behind b, waits as long without being claimed again; a (in flight) keeps its lease.
    expect(await box.claim(new Date(now.getTime() + 300), 'w2', 60_000)).toBeNull();
    await box.delivered('a', 'w1', new Date(now.getTime() + 200));
    // b is the lane's head now and due at once; c still waits for its turn.
    const next = await box.claim(new Date(now.getTime() + 200), 'w2', 60_000);
    expect(next).toMatchObject({ key: 'b', attempts: 1 });
    expect(await box.claim(new Date(now.getTime() + 200), 'w2', 60_000)).toBeNull();
    await box.dead('b', 'w2', 'refused', new Date(now.getTime() + 250));
    expect(await box.claim(new Date(now.getTime() + 250), 'w2', 60_000)).toMatchObject({ key: 'c' });
  });

  it('a dead item keeps its reason and platform, and retry-dead queues the matching ones again', async () => {
    const box = outbox();
    await box.enqueue([notice('gone'), notice('blocked'), notice('lost')], T0);
    await box.claim(T0, 'w', 60_000);
    await box.claim(T0, 'w', 60_000);
    await box.claim(T0, 'w', 60_000);
    await box.dead('gone', 'w', 'Slack: channel_not_found', T0, { reason: 'channel_not_found', platform: 'slack' });
    await box.dead('blocked', 'w', 'Teams connector: 403', T0, { reason: 'http_403', platform: 'teams' });
    await box.dead('lost', 'w', 'no such channel', T0, { reason: 'no_such_channel', platform: null });
    expect(await box.health()).toMatchObject({ pending: 0, dead: 3, deadByPlatform: { slack: 1, teams: 1, none: 1 } });
    expect((await box.listDead({ reason: 'http_403' })).map((d) => [d.key, d.platform, d.error])).toEqual([
      ['blocked', 'teams', 'Teams connector: 403'],
    ]);
    expect(await box.retryDead({ platform: 'slack' }, minutesAfter(T0, 5))).toBe(1);
    expect(await queued()).toEqual(['gone']);
    expect(await box.claim(minutesAfter(T0, 5), 'w', 60_000)).toMatchObject({ key: 'gone', attempts: 1 });
    expect(await box.countDead()).toBe(2);
  });

  it('start-up queues an undelivered item that has no queue entry (written before the queue, or cut short)', async () => {
    await store.models.Outbox.collection.insertOne({
      _id: 'orphan',
      ...notice('orphan'),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: T0,
      owner: null,
      createdAt: T0,
      deliveredAt: null,
      lastError: null,
    } as never);
    expect(await outbox().claim(T0, 'w', 60_000)).toBeNull();
    await ensureOutboxIndexes(store.connection);
    expect(await outbox().claim(T0, 'w', 60_000)).toMatchObject({ key: 'orphan' });
  });
});
