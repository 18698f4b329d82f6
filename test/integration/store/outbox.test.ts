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
