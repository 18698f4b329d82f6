import { randomBytes } from 'node:crypto';
import { MovableClock } from '../../../src/clock';
import { ConflictError } from '../../../src/domain/errors';
import type { Ticket } from '../../../src/domain/ticket/ticket';
import { connectStore, type Store } from '../../../src/store/connection';
import { createRepositories, type Repositories } from '../../../src/store/index';
import { HEARTBEAT_STALE_MS, MongoOperationLog, STALE_CLAIM_MS } from '../../../src/store/operation-log.repository';
import { openServer, supportedServers, type TestServer } from '../../helpers/servers';
import { makeTicket } from './fixtures';

// Races between app instances: each instance is its own connectStore (its own connection pool), as separate
// replicas would be. A server that hands out a counter value twice, or lets two version-checked updates of one
// ticket both win, fails here.

const silent = { info() {}, warn() {}, error() {} };
const INSTANCES = 3;

describe.each(supportedServers())(`races between ${INSTANCES} app instances on %s`, (kind) => {
  let server: TestServer;
  let stores: Store[];
  let instances: Repositories[];

  beforeAll(async () => {
    server = await openServer(kind);
    const uri = `${server.uri}helpline_races_${randomBytes(4).toString('hex')}`;
    stores = [];
    for (let i = 0; i < INSTANCES; i++) stores.push(await connectStore(uri, { log: silent, maxPoolSize: 4 }));
    instances = stores.map((s) => createRepositories(s));
  }, 60_000);

  afterAll(async () => {
    await stores[0]?.connection.dropDatabase();
    for (const s of stores ?? []) await s.close();
    await server?.stop();
  });

  it('the ticket counter gives every caller a distinct number, none skipped', async () => {
    const perInstance = 300;
    const got = await Promise.all(
      instances.map(async (repos) => {
        const mine: number[] = [];
        // four calls in flight per instance, so each pool uses several connections
        await Promise.all(
          Array.from({ length: 4 }, async () => {
            for (let i = 0; i < perInstance / 4; i++) mine.push(await repos.tickets.nextSeq());
          }),
        );
        return mine;
      }),
    );
    const all = got.flat().sort((a, b) => a - b);
    expect(all).toHaveLength(INSTANCES * perInstance);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
  }, 60_000);

  it('version-checked saves of one ticket: never two winners of a version, no update lost', async () => {
    const number = 'SR-1';
    await instances[0]?.tickets.create({ ticket: { ...makeTicket(1), title: '0' }, events: [], notices: [] });
    const rounds = 60;
    const wonVersions: number[][] = await Promise.all(
      instances.map(async (repos) => {
        const won: number[] = [];
        for (let i = 0; i < rounds; i++) {
          // read, add one, write back under the version read; a conflict means another instance got there first
          for (;;) {
            const current = (await repos.tickets.get(number)) as Ticket;
            try {
              const saved = await repos.tickets.save(
                { ticket: { ...current, title: String(Number(current.title) + 1) }, events: [], notices: [] },
                current.version,
              );
              won.push(saved.version);
              break;
            } catch (err) {
              if (!(err instanceof ConflictError)) throw err;
            }
          }
        }
        return won;
      }),
    );
    const versions = wonVersions.flat().sort((a, b) => a - b);
    const final = (await instances[1]?.tickets.get(number)) as Ticket;
    expect(versions).toEqual(Array.from({ length: INSTANCES * rounds }, (_, i) => i + 2));
    expect(final.version).toBe(INSTANCES * rounds + 1);
    expect(final.title).toBe(String(INSTANCES * rounds));
  }, 120_000);

  it('saveMany from every instance at once: each ticket saved by exactly one, its alert stored once', async () => {
    const numbers = Array.from({ length: 30 }, (_, i) => `SR-${100 + i}`);
    const first = instances[0] as Repositories;
    for (const [i, n] of numbers.entries())
      await first.tickets.create({ ticket: { ...makeTicket(100 + i), number: n }, events: [], notices: [] });
    const loaded = (await Promise.all(numbers.map((n) => first.tickets.get(n)))) as Ticket[];
    const results = await Promise.all(
      instances.map((repos, who) =>
        repos.tickets.saveMany(
          loaded.map((t) => ({
            change: {
              ticket: { ...t, title: `swept by ${who}` },
              events: [],
              notices: [
                {
                  key: `${t.number}:sla.breach:response`,
                  type: 'sla.breach' as const,
                  ticket: t.number,
                  audience: { kind: 'channel' as const, channel: 'managers' as const },
                  text: `breach seen by ${who}`,
                },
              ],
            },
            expectedVersion: t.version,
          })),
        ),
      ),
    );
    for (const [i, n] of numbers.entries()) {
      const saved = results.map((r) => r[i]).filter((r) => r === 'saved');
      const stored = (await first.tickets.get(n)) as Ticket;
      expect({ n, saved: saved.length, version: stored.version }).toEqual({ n, saved: 1, version: 2 });
      const winner = results.findIndex((r) => r[i] === 'saved');
      expect(stored.title).toBe(`swept by ${winner}`);
    }
    const keys = numbers.map((n) => `${n}:sla.breach:response`);
    const outbox = await stores[0]?.models.Outbox.find({ _id: { $in: keys } }).lean();
    expect(outbox?.length).toBe(numbers.length);
  }, 60_000);
  it('a claim stays with a holder whose heartbeat runs, and is taken over at once when its holder has stopped', async () => {
    const T0 = new Date('2026-03-02T09:00:00Z');
    const clock = new MovableClock({ now: () => T0 }); // the repositories' own time, moved by hand
    const living = new MongoOperationLog(stores[0]!.models, { clock, heartbeatMs: 20 });
    const dead = new MongoOperationLog(stores[1]!.models, { clock, heartbeatMs: 3_600_000 }); // never beats: died
    const other = new MongoOperationLog(stores[2]!.models, { clock });
    const beats = stores[0]!.models.ProcessHeartbeat.collection;
    const beatAt = async (id: string) =>
      ((await beats.findOne({ _id: id as never }))?.beatAt as Date | undefined)?.getTime() ?? 0;
    try {
      expect(await living.begin('claim:live', T0)).toEqual({ state: 'new' });
      expect(await dead.begin('claim:dead', T0)).toEqual({ state: 'new' });
      expect(await dead.bind('claim:dead', { seq: 41 })).toBe(true);
      expect(await other.begin('claim:dead', T0)).toEqual({ state: 'pending' }); // its holder showed life just now
      clock.advanceMinutes((HEARTBEAT_STALE_MS - 1_000) / 60_000);
      const movedTo = clock.now().getTime();
      for (let i = 0; i < 200 && (await beatAt(living.processId)) < movedTo; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(await beatAt(living.processId)).toBe(movedTo); // the living holder's heartbeat ran on
      clock.advanceMinutes(2 / 60); // both claims are 6 s old; the dead holder's last sign too

      expect(await other.begin('claim:live', T0)).toEqual({ state: 'pending' }); // its holder still works on it
      // Taken over once, with what the dead holder bound to it; the dead holder's late writes match nothing.
      expect(await other.begin('claim:dead', T0)).toEqual({ state: 'new', takenOver: true, bound: { seq: 41 } });
      expect(await other.begin('claim:dead', T0)).toEqual({ state: 'pending' });
      expect(await dead.bind('claim:dead', { seq: 42 })).toBe(false);
      await dead.abandon('claim:dead');
      expect(await living.begin('claim:dead', T0)).toEqual({ state: 'pending' }); // still the taker's
      await living.complete('claim:live', { ok: true });
      expect(await other.begin('claim:live', T0)).toEqual({ state: 'done', result: { ok: true } });
      await other.complete('claim:dead', null);

      // A claim written without a holder (an older version) is free 45 s after it was last renewed.
      const raw = stores[0]!.models.ProcessedEvent.collection;
      await raw.insertOne({
        _id: 'claim:old',
        state: 'pending',
        result: null,
        createdAt: T0,
        claimedAt: clock.now(),
      } as never);
      clock.advanceMinutes(10 / 60);
      expect(await other.begin('claim:old', T0)).toEqual({ state: 'pending' });
      clock.advanceMinutes(STALE_CLAIM_MS / 60_000);
      expect(await other.begin('claim:old', T0)).toEqual({ state: 'new', takenOver: true });
      await other.complete('claim:old', null);
    } finally {
      for (const log of [living, dead, other]) log.stop();
    }
  });
});
