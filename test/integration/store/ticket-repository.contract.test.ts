/**
 * One contract for the store ports, run against the MongoDB repositories (on the local test server) and
 * against the in-memory fake used by unit tests, so the fake cannot drift from the real thing.
 */

import { randomBytes } from 'node:crypto';
import type {
  DraftRepository,
  OperationLog,
  QueueQuery,
  TicketChange,
  TicketEventRepository,
  TicketRepository,
} from '../../../src/app/ports';
import { MovableClock } from '../../../src/clock';
import { loadPolicy } from '../../../src/config/policy';
import { ConflictError, NotFoundError } from '../../../src/domain/errors';
import { createBusinessCalendar } from '../../../src/domain/sla/business-calendar';
import type { Notice } from '../../../src/domain/ticket/notice';
import { raise } from '../../../src/domain/ticket/operations';
import type { Ticket, TicketEvent } from '../../../src/domain/ticket/ticket';
import { connectStore, type Store } from '../../../src/store/connection';
import { createRepositories } from '../../../src/store/index';
import { collectionOf } from '../../../src/store/models';
import type { OutboxDoc } from '../../../src/store/outbox.model';
import { eventToDoc, noticeToOutboxDoc, type TicketDoc, ticketToDoc } from '../../../src/store/ticket.mapper';
import { MemoryStore } from '../../fakes/memory-store';
import { openServer, supportedServers } from '../../helpers/servers';
import {
  event,
  fullTicket,
  makeTicket,
  minutesAfter,
  notice,
  rita,
  runningClock,
  sam,
  systemEvent,
  T0,
} from './fixtures';

interface Harness {
  /** The repositories' own clock (operation-log claims, completion times). */
  storeClock: MovableClock;
  tickets: TicketRepository;
  events: TicketEventRepository;
  operations: OperationLog;
  drafts: DraftRepository;
  /** Everything in the outbox, by key. */
  outbox(): Promise<OutboxDoc[]>;
  /** The stored ticket document with its pending arrays. */
  rawTicket(number: string): Promise<TicketDoc | null>;
  /** Store a ticket document as it is (a crashed save). */
  insertRawTicket(doc: TicketDoc): Promise<void>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

const silent = { info() {}, warn() {}, error() {} };

/** The MongoDB repositories on a server of `kind` (see test/helpers/servers.ts). */
async function mongoHarness(kind: string): Promise<Harness> {
  const server = await openServer(kind);
  const store: Store = await connectStore(`${server.uri}helpline_store_${randomBytes(4).toString('hex')}`, {
    log: silent,
  });
  const storeClock = new MovableClock({ now: () => new Date(0) }); // stands still: claims age only when moved
  // The holder of these claims never beats: a claim's only sign of life is its own, as in the memory store.
  const repos = createRepositories(store, { clock: storeClock, heartbeatMs: 3_600_000 });
  const { models } = store;
  return {
    ...repos,
    storeClock,
    // A save answers before what it parked is moved (store/parked-mover.ts): read once that move is done.
    outbox: async () => {
      await repos.tickets.moveSaved();
      return collectionOf(models.Outbox).find({}).sort({ _id: 1 }).toArray();
    },
    rawTicket: async (number) => {
      await repos.tickets.moveSaved();
      return collectionOf(models.Ticket).findOne({ _id: number });
    },
    insertRawTicket: async (doc) => {
      await collectionOf(models.Ticket).insertOne(doc);
    },
    reset: async () => {
      for (const m of Object.values(models)) await m.collection.deleteMany({});
    },
    close: async () => {
      await store.connection.dropDatabase();
      await store.close();
      await server.stop();
    },
  };
}

async function memoryHarness(): Promise<Harness> {
  const storeClock = new MovableClock({ now: () => new Date(0) }); // stands still: claims age only when moved
  const mem = new MemoryStore({ clock: storeClock });
  return {
    storeClock,
    tickets: mem.tickets,
    events: mem.events,
    operations: mem.operations,
    drafts: mem.drafts,
    outbox: async () => mem.outboxItems().sort((a, b) => (a._id < b._id ? -1 : 1)),
    rawTicket: async (number) => mem.ticketDoc(number),
    insertRawTicket: async (doc) => mem.insertTicketDoc(doc),
    reset: async () => mem.reset(),
    close: async () => {},
  };
}

const change = (ticket: Ticket, events: TicketEvent[] = [], notices: Notice[] = []): TicketChange => ({
  ticket,
  events,
  notices,
});
const numbers = (ts: Ticket[]) => ts.map((t) => t.number);

function storeContract(name: string, open: () => Promise<Harness>) {
  describe(name, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await open();
    });
    afterAll(async () => {
      await h?.close();
    });
    beforeEach(async () => {
      await h.reset();
    });

    describe('TicketRepository', () => {
      it('nextSeq is atomic: 50 parallel calls get 50 distinct consecutive numbers', async () => {
        const seqs = await Promise.all(Array.from({ length: 50 }, () => h.tickets.nextSeq()));
        expect(new Set(seqs).size).toBe(50);
        const sorted = [...seqs].sort((a, b) => a - b);
        expect(sorted).toEqual(Array.from({ length: 50 }, (_, i) => (sorted[0] ?? 0) + i));
        expect(await h.tickets.nextSeq()).toBe((sorted[49] ?? 0) + 1);
      });

      it('create/get round-trips every field: Dates, nested clocks, actors, lists and nulls', async () => {
        for (const t of [fullTicket(7), makeTicket(8)]) {
          const stored = await h.tickets.create(change(t));
          expect(stored).toStrictEqual({ ...t, version: 1 });
          const got = await h.tickets.get(t.number);
          expect(got).toStrictEqual({ ...t, version: 1 });
          expect(got?.sla.resolution.breachedAt === null || got?.sla.resolution.breachedAt instanceof Date).toBe(true);
          expect(got?.createdAt).toBeInstanceOf(Date);
        }
        expect(await h.tickets.get('SR-999')).toBeNull();
      });

      it('round-trips a ticket raised by the domain', async () => {
        const policy = loadPolicy();
        const clocks = { calendar: createBusinessCalendar(policy.calendar), warnAt: policy.sla.warnAt };
        const actor = { ...rita, role: 'requester' as const, roles: ['requester' as const] };
        const seq = await h.tickets.nextSeq();
        const raised = raise(
          { seq, title: 'Cannot log in', description: 'since 9am', requester: rita },
          { policy, clocks, now: T0, actor },
        );
        const stored = await h.tickets.create(raised);
        expect(stored).toStrictEqual({ ...raised.ticket, version: 1 });
        expect(await h.tickets.get(raised.ticket.number)).toStrictEqual(stored);
        expect(await h.events.listFor(raised.ticket.number)).toStrictEqual(raised.events);
        expect((await h.outbox()).map((o) => o._id).sort()).toEqual(raised.notices.map((n) => n.key).sort());
      });

      it('create of an existing number is a ConflictError', async () => {
        await h.tickets.create(change(makeTicket(1)));
        await expect(h.tickets.create(change(makeTicket(1, { title: 'again' })))).rejects.toBeInstanceOf(ConflictError);
        expect((await h.tickets.get('SR-1'))?.title).toBe('Ticket 1');
      });

      it('save bumps the version, and a stale version is a ConflictError that changes nothing', async () => {
        const t = makeTicket(1);
        const v1 = await h.tickets.create(change(t, [event(t, 'raised', T0)], [notice(t, 'SR-1:raised')]));
        const at = minutesAfter(T0, 5);
        const v2 = await h.tickets.save(
          change({ ...v1, title: 'First edit', updatedAt: at }, [event(t, 'edited', at)], [notice(t, 'SR-1:edit-1')]),
          1,
        );
        expect(v2.version).toBe(2);
        expect(v2.title).toBe('First edit');
        const before = {
          ticket: await h.tickets.get('SR-1'),
          events: await h.events.listFor('SR-1'),
          outbox: await h.outbox(),
        };

        const stale = change(
          { ...v1, title: 'Stale edit', updatedAt: at },
          [event(t, 'stale', at)],
          [notice(t, 'SR-1:stale')],
        );
        await expect(h.tickets.save(stale, 1)).rejects.toBeInstanceOf(ConflictError);
        await expect(h.tickets.save(stale, 7)).rejects.toBeInstanceOf(ConflictError);

        expect(await h.tickets.get('SR-1')).toStrictEqual(before.ticket);
        expect(await h.events.listFor('SR-1')).toStrictEqual(before.events);
        expect(await h.outbox()).toStrictEqual(before.outbox);
        const raw = await h.rawTicket('SR-1');
        expect(raw).toMatchObject({ hasPending: false, pendingEvents: [], pendingNotices: [] });
      });

      it('save of an unknown ticket is a NotFoundError', async () => {
        await expect(h.tickets.save(change(makeTicket(404)), 1)).rejects.toBeInstanceOf(NotFoundError);
      });

      it('two parallel saves of the same version: exactly one wins', async () => {
        const t = await h.tickets.create(change(makeTicket(1)));
        const attempts = ['A', 'B'].map((who) =>
          h.tickets.save(change({ ...t, title: who }, [event(t, `edit-${who}`, T0)], [notice(t, `SR-1:${who}`)]), 1),
        );
        const results = await Promise.allSettled(attempts);
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r) => r.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
        const winner = (won[0] as PromiseFulfilledResult<Ticket>).value;
        const stored = await h.tickets.get('SR-1');
        expect(stored).toStrictEqual(winner);
        expect(stored?.version).toBe(2);
        // only the winner's event and notice were stored
        expect((await h.events.listFor('SR-1')).map((e) => e.type)).toEqual([`edit-${winner.title}`]);
        expect((await h.outbox()).map((o) => o._id)).toEqual([`SR-1:${winner.title}`]);
      });

      it('saveMany saves each change under its version, moves what they parked, and reports a stale one', async () => {
        const ts = [];
        for (const n of [1, 2, 3]) ts.push(await h.tickets.create(change(makeTicket(n))));
        const [t1, t2, t3] = ts as [Ticket, Ticket, Ticket];
        await h.tickets.save(change({ ...t2, title: 'moved on' }), 1); // SR-2 is at version 2 now
        const results = await h.tickets.saveMany([
          {
            change: change({ ...t1, title: 'one' }, [event(t1, 'swept', T0)], [notice(t1, 'SR-1:alert')]),
            expectedVersion: 1,
          },
          {
            change: change({ ...t2, title: 'stale' }, [event(t2, 'swept', T0)], [notice(t2, 'SR-2:alert')]),
            expectedVersion: 1,
          },
          { change: change({ ...t3, title: 'three' }, [], [notice(t3, 'SR-3:alert')]), expectedVersion: 1 },
        ]);
        expect(results).toEqual(['saved', 'conflict', 'saved']);
        expect(await h.tickets.get('SR-1')).toMatchObject({ title: 'one', version: 2 });
        expect(await h.tickets.get('SR-2')).toMatchObject({ title: 'moved on', version: 2 });
        expect(await h.tickets.get('SR-3')).toMatchObject({ title: 'three', version: 2 });
        expect((await h.outbox()).map((o) => o._id)).toEqual(['SR-1:alert', 'SR-3:alert']);
        expect((await h.events.listFor('SR-1')).map((e) => e.type)).toEqual(['swept']);
        expect(await h.events.listFor('SR-2')).toEqual([]);
        for (const n of ['SR-1', 'SR-2', 'SR-3'])
          expect(await h.rawTicket(n)).toMatchObject({ hasPending: false, pendingEvents: [], pendingNotices: [] });
        expect(await h.tickets.saveMany([])).toEqual([]);
      });

      it('ten parallel saves of the same version: exactly one wins', async () => {
        const t = await h.tickets.create(change(makeTicket(1)));
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) =>
            h.tickets.save(change({ ...t, title: `T${i}` }, [event(t, `e${i}`, T0)]), 1),
          ),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ConflictError);
        expect(await h.events.listFor('SR-1')).toHaveLength(1);
      });

      it('notices with the same key are stored once in the outbox, first one kept, in the outbox shape', async () => {
        const t = makeTicket(1);
        const breachAt = minutesAfter(T0, 30);
        const first = notice(t, 'SR-1:sla.breach:response', 'first', {
          type: 'sla.breach',
          audience: { kind: 'channel', channel: 'managers' },
          clock: 'response',
          level: 1,
          mention: 'team-lead',
          at: breachAt,
        });
        const v1 = await h.tickets.create(change(t, [], [first]));
        const later = minutesAfter(T0, 40);
        await h.tickets.save(
          change(
            { ...v1, updatedAt: later },
            [],
            [
              { ...first, text: 'second' },
              notice(t, 'SR-1:k2', 'k2 once'),
              notice(t, 'SR-1:k2', 'k2 twice in one change'),
            ],
          ),
          1,
        );
        const outbox = await h.outbox();
        expect(outbox.map((o) => o._id)).toEqual(['SR-1:k2', 'SR-1:sla.breach:response']);
        expect(outbox[1]).toStrictEqual({
          _id: 'SR-1:sla.breach:response',
          type: 'sla.breach',
          ticket: 'SR-1',
          audience: { kind: 'channel', channel: 'managers' },
          text: 'first',
          clock: 'response',
          level: 1,
          mention: 'team-lead',
          at: breachAt,
          status: 'pending',
          attempts: 0,
          nextAttemptAt: T0,
          owner: null,
          createdAt: T0,
          deliveredAt: null,
          lastError: null,
        });
        expect(outbox[0]).toMatchObject({ text: 'k2 once', createdAt: later, nextAttemptAt: later });
        expect(await h.rawTicket('SR-1')).toMatchObject({ hasPending: false, pendingEvents: [], pendingNotices: [] });
      });

      it('events land in ticket_events in order, and nothing stays parked on the ticket', async () => {
        const t = makeTicket(1);
        const e1 = event(t, 'raised', T0, { from: null, to: 'new', note: 'Severity 3' });
        const e2 = event(t, 'sla.first_response', T0);
        await h.tickets.create(change(t, [e1, e2]));
        const at = minutesAfter(T0, 61);
        const e3 = systemEvent(t, 'sla.breach', at);
        const e4 = { ...event(t, 'severity', at, { from: 3, to: 2 }), actor: { ...sam, role: 'level1' as const } };
        await h.tickets.save(change({ ...t, severity: 2, updatedAt: at }, [e3, e4]), 1);
        expect(await h.events.listFor('SR-1')).toStrictEqual([e1, e2, e3, e4]);
        expect(await h.events.listFor('SR-2')).toEqual([]);
        expect(await h.rawTicket('SR-1')).toMatchObject({ hasPending: false, pendingEvents: [], pendingNotices: [] });
      });

      it('addPost adds a card once without a version bump, and a save never drops it', async () => {
        const t = await h.tickets.create(change(makeTicket(1)));
        const post = { kind: 'triage' as const, platform: 'slack' as const, channel: 'C1', messageId: '171.0001' };
        await h.tickets.addPost('SR-1', post);
        await h.tickets.addPost('SR-1', { ...post });
        const withPost = await h.tickets.get('SR-1');
        expect(withPost?.posts).toEqual([post]);
        expect(withPost?.version).toBe(1);
        // a save made from a copy read before the post was added keeps the post
        const saved = await h.tickets.save(change({ ...t, title: 'edited', posts: [] }), 1);
        expect(saved.posts).toEqual([post]);
        expect((await h.tickets.get('SR-1'))?.posts).toEqual([post]);
        await expect(h.tickets.addPost('SR-404', post)).rejects.toBeInstanceOf(NotFoundError);
      });

      it('findDue returns only the due tickets (200 tickets, 5 due), soonest first, up to the limit', async () => {
        const now = minutesAfter(T0, 600);
        const dueOffsets = new Map([
          [17, -50],
          [42, 0],
          [99, -5],
          [150, -300],
          [200, -1],
        ]);
        await Promise.all(
          Array.from({ length: 200 }, (_, i) => {
            const seq = i + 1;
            const offset = dueOffsets.get(seq);
            const nextCheckAt =
              offset !== undefined ? minutesAfter(now, offset) : seq % 3 === 0 ? null : minutesAfter(now, 1 + seq);
            return h.tickets.create(change(makeTicket(seq, { nextCheckAt })));
          }),
        );
        const due = await h.tickets.findDue(now, 100);
        expect(numbers(due)).toEqual(['SR-150', 'SR-17', 'SR-99', 'SR-200', 'SR-42']);
        expect(numbers(await h.tickets.findDue(now, 2))).toEqual(['SR-150', 'SR-17']);
        expect(await h.tickets.findDue(minutesAfter(now, -1000), 10)).toEqual([]);
      });

      it('listIncidentCandidates: open Severity 1-2 or with parts, raised since, not part of one; newest first', async () => {
        const at = (m: number) => minutesAfter(T0, m);
        const link = (kind: 'has_part' | 'part_of', ticket: string) => ({ kind, ticket, at: T0, by: sam });
        const specs: Array<[number, Partial<Ticket>]> = [
          [1, { severity: 1, createdAt: at(10) }], // a candidate
          [2, { severity: 3, createdAt: at(20) }], // Severity 3, no parts
          [3, { severity: 3, createdAt: at(30), links: [link('has_part', 'SR-4')] }], // an incident with parts
          [4, { severity: 2, createdAt: at(40), links: [link('part_of', 'SR-3')] }], // part of SR-3
          [5, { severity: 2, createdAt: at(-10) }], // raised before `since`
          [6, { severity: 2, createdAt: at(50), status: 'closed' }], // closed
          [7, { severity: 2, createdAt: at(60) }], // a candidate, the newest
        ];
        for (const [seq, o] of specs) await h.tickets.create(change(makeTicket(seq, o)));
        const numbers = async (limit: number) =>
          (await h.tickets.listIncidentCandidates(T0, limit)).map((t) => t.number);
        expect(await numbers(10)).toEqual(['SR-7', 'SR-3', 'SR-1']);
        expect(await numbers(2)).toEqual(['SR-7', 'SR-3']);
      });

      it('listQueue: breached first, then at risk, then severity, priority and age; scope filters', async () => {
        const now = minutesAfter(T0, 600);
        /** Both clocks with these instants (minutes from now): running unless told otherwise. */
        const sla = (warn: number, due: number, state: 'running' | 'paused' = 'running') => {
          const c = (kind: 'response' | 'resolution') => ({
            ...runningClock(kind, 30, T0),
            state,
            warnAt: minutesAfter(now, warn),
            dueAt: minutesAfter(now, due),
          });
          return { response: c('response'), resolution: c('resolution') };
        };
        const stoppedResponse = (warn: number, due: number) => {
          const s = sla(warn, due);
          return { ...s, response: { ...s.response, state: 'stopped' as const, warnAt: null, dueAt: null } };
        };
        const acked = {
          ...makeTicket(0).alerting,
          breachedAt: minutesAfter(now, -90),
          clock: 'response' as const,
          acknowledgedBy: sam,
          acknowledgedAt: minutesAfter(now, -80),
        };
        const specs: Array<[number, Partial<Ticket>]> = [
          [1, { severity: 3, priority: 3, sla: sla(20, 30), createdAt: minutesAfter(T0, 590) }], // fresh
          [2, { severity: 1, priority: 1, sla: sla(10, 15), createdAt: minutesAfter(T0, 595) }], // fresh Sev 1
          [3, { severity: 4, priority: 4, sla: sla(-70, -60), createdAt: minutesAfter(T0, 1) }], // breached
          [4, { severity: 2, priority: 2, sla: sla(-5, 10), createdAt: minutesAfter(T0, 2) }], // at risk
          [5, { severity: 2, priority: 2, sla: sla(-100, -90), alerting: acked, createdAt: minutesAfter(T0, 3) }], // breached, acknowledged
          [6, { severity: 3, priority: 1, sla: sla(200, 300), createdAt: minutesAfter(T0, 4) }], // fresh, high impact
          [7, { status: 'closed', severity: 1, sla: sla(-100, -90), createdAt: T0, closedAt: now }],
          [8, { severity: 1, priority: 2, sla: stoppedResponse(100, 200), createdAt: minutesAfter(T0, 5) }], // answered
          [
            9,
            {
              severity: 3,
              priority: 3,
              status: 'waiting_for_customer',
              sla: sla(-50, -40, 'paused'),
              createdAt: minutesAfter(T0, 6),
            },
          ], // breached, paused
          [
            10,
            {
              severity: 3,
              priority: 3,
              team: 'development',
              assignee: sam,
              sla: sla(100, 200),
              createdAt: minutesAfter(T0, 592),
            },
          ],
        ];
        for (const [seq, o] of specs) await h.tickets.create(change(makeTicket(seq, o)));
        const q = (o: Partial<QueueQuery> = {}) => h.tickets.listQueue({ now, limit: 50, ...o }).then(numbers);
        expect(await q()).toEqual(['SR-5', 'SR-9', 'SR-3', 'SR-4', 'SR-2', 'SR-8', 'SR-6', 'SR-1', 'SR-10']);
        expect(await q({ limit: 4 })).toEqual(['SR-5', 'SR-9', 'SR-3', 'SR-4']);
        expect(await q({ limit: 2 })).toEqual(['SR-5', 'SR-9']);
        expect(await q({ teams: ['development'] })).toEqual(['SR-10']);
        expect(await q({ teams: ['development', 'admin'] })).toEqual(['SR-10']);
        expect(await q({ teams: [] })).toEqual([]);
        expect(await q({ assignee: { platform: sam.platform, userId: sam.userId } })).toEqual(['SR-10']);
        expect(await q({ assignee: null })).toEqual(['SR-5', 'SR-9', 'SR-3', 'SR-4', 'SR-2', 'SR-8', 'SR-6', 'SR-1']);
        // Half an hour later SR-2, SR-4 and SR-1 have breached too: within the breached, severity, priority, age.
        expect(await q({ now: minutesAfter(now, 31), limit: 5 })).toEqual(['SR-2', 'SR-4', 'SR-5', 'SR-9', 'SR-1']);
        // A save moves a ticket in the queue.
        const t6 = await h.tickets.get('SR-6');
        if (!t6) throw new Error('SR-6 missing');
        await h.tickets.save(change({ ...t6, sla: sla(-30, -20) }), 1);
        expect(await q({ limit: 1 })).toEqual(['SR-5']);
        expect(await q({ limit: 3 })).toEqual(['SR-5', 'SR-6', 'SR-9']);
        // A ticket stored before the queue fields existed is still listed.
        const { breachAt: _b, riskAt: _r, ...legacy } = ticketToDoc(makeTicket(11, { sla: sla(100, 200) }));
        await h.insertRawTicket(legacy as TicketDoc);
        expect(await q()).toContain('SR-11');
      });

      it('listByRequester: newest first, openOnly, limit, only that requester', async () => {
        const specs: Array<[number, Partial<Ticket>]> = [
          [1, { updatedAt: minutesAfter(T0, 1) }],
          [2, { updatedAt: minutesAfter(T0, 3), status: 'closed', closedAt: minutesAfter(T0, 3) }],
          [3, { updatedAt: minutesAfter(T0, 2) }],
          [4, { updatedAt: minutesAfter(T0, 9), requester: sam }],
          [5, { updatedAt: minutesAfter(T0, 9), requester: { ...rita, platform: 'teams' } }],
        ];
        for (const [seq, o] of specs) await h.tickets.create(change(makeTicket(seq, o)));
        const who = { platform: 'slack' as const, userId: 'U1' };
        expect(numbers(await h.tickets.listByRequester(who, { openOnly: false, limit: 10 }))).toEqual([
          'SR-2',
          'SR-3',
          'SR-1',
        ]);
        expect(numbers(await h.tickets.listByRequester(who, { openOnly: true, limit: 10 }))).toEqual(['SR-3', 'SR-1']);
        expect(numbers(await h.tickets.listByRequester(who, { openOnly: false, limit: 1 }))).toEqual(['SR-2']);
        expect(numbers(await h.tickets.listByRequester(sam, { openOnly: true, limit: 10 }))).toEqual(['SR-4']);
      });

      it('findInStatusSince: that status, changed at or before the cutoff, oldest first', async () => {
        const specs: Array<[number, Partial<Ticket>]> = [
          [1, { status: 'pending_closure', statusChangedAt: minutesAfter(T0, 10) }],
          [2, { status: 'pending_closure', statusChangedAt: minutesAfter(T0, 20) }],
          [3, { status: 'pending_closure', statusChangedAt: minutesAfter(T0, 5) }],
          [4, { status: 'waiting_for_customer', statusChangedAt: minutesAfter(T0, 1) }],
        ];
        for (const [seq, o] of specs) await h.tickets.create(change(makeTicket(seq, o)));
        expect(numbers(await h.tickets.findInStatusSince('pending_closure', minutesAfter(T0, 10), 10))).toEqual([
          'SR-3',
          'SR-1',
        ]);
        expect(numbers(await h.tickets.findInStatusSince('waiting_for_customer', minutesAfter(T0, 10), 10))).toEqual([
          'SR-4',
        ]);
        expect(await h.tickets.findInStatusSince('closed', minutesAfter(T0, 10), 10)).toEqual([]);
      });

      it('findInStatusSince pages with `after`, ties on the instant included, none twice', async () => {
        const same = minutesAfter(T0, 3);
        const specs: Array<[number, Date]> = [
          [1, minutesAfter(T0, 1)],
          [2, same],
          [3, same],
          [4, same],
          [5, minutesAfter(T0, 4)],
        ];
        for (const [seq, at] of specs)
          await h.tickets.create(change(makeTicket(seq, { status: 'waiting_for_customer', statusChangedAt: at })));
        const seen: string[] = [];
        let last: Ticket | undefined;
        for (let page = 0; page < 5; page++) {
          const batch = await h.tickets.findInStatusSince('waiting_for_customer', minutesAfter(T0, 10), 2, last);
          seen.push(...numbers(batch));
          last = batch.at(-1);
          if (batch.length < 2) break;
        }
        expect(seen).toEqual(['SR-1', 'SR-2', 'SR-3', 'SR-4', 'SR-5']);
      });

      it('findResolvedBetween: resolvedAt in [from, to), oldest first', async () => {
        const specs: Array<[number, Date | null]> = [
          [1, minutesAfter(T0, 60)],
          [2, minutesAfter(T0, 120)],
          [3, minutesAfter(T0, 30)],
          [4, null],
          [5, minutesAfter(T0, 29)],
        ];
        for (const [seq, resolvedAt] of specs) await h.tickets.create(change(makeTicket(seq, { resolvedAt })));
        expect(numbers(await h.tickets.findResolvedBetween(minutesAfter(T0, 30), minutesAfter(T0, 120), 10))).toEqual([
          'SR-3',
          'SR-1',
        ]);
        expect(numbers(await h.tickets.findResolvedBetween(T0, minutesAfter(T0, 200), 2))).toEqual(['SR-5', 'SR-3']);
      });

      it('findWithoutClientSince: open tickets raised since, with no client id, oldest first', async () => {
        const specs: Array<[number, Partial<Ticket>]> = [
          [1, { createdAt: minutesAfter(T0, 60), clientId: null }],
          [2, { createdAt: minutesAfter(T0, 30), clientId: 'acme' }],
          [3, { createdAt: minutesAfter(T0, 10), clientId: null }],
          [4, { createdAt: minutesAfter(T0, -10), clientId: null }],
          [5, { createdAt: minutesAfter(T0, 20), clientId: null, status: 'closed' }],
          [6, { createdAt: minutesAfter(T0, 40) }],
        ];
        for (const [seq, o] of specs) {
          const t = makeTicket(seq, o);
          if (!('clientId' in o)) delete t.clientId;
          await h.tickets.create(change(t));
        }
        expect(numbers(await h.tickets.findWithoutClientSince(T0, 10))).toEqual(['SR-3', 'SR-6', 'SR-1']);
        expect(numbers(await h.tickets.findWithoutClientSince(T0, 1))).toEqual(['SR-3']);
      });

      it('countOpenBy: open tickets by severity and team', async () => {
        const specs: Array<[number, Partial<Ticket>]> = [
          [1, { severity: 1, team: 'level1' }],
          [2, { severity: 1, team: 'level1' }],
          [3, { severity: 1, team: 'development' }],
          [4, { severity: 3, team: 'level2' }],
          [5, { severity: 3, team: 'level2', status: 'closed' }],
          [6, { severity: 2, team: 'level2', status: 'pending_closure' }],
        ];
        for (const [seq, o] of specs) await h.tickets.create(change(makeTicket(seq, o)));
        expect(await h.tickets.countOpenBy()).toEqual([
          { severity: 1, team: 'development', count: 1 },
          { severity: 1, team: 'level1', count: 2 },
          { severity: 2, team: 'level2', count: 1 },
          { severity: 3, team: 'level2', count: 1 },
        ]);
      });

      it('flushPending moves what a crashed save left parked, idempotently, and a later save moves it too', async () => {
        // SR-2 was saved normally and its notice is in the outbox already.
        const t2 = makeTicket(2);
        await h.tickets.create(change(t2, [], [notice(t2, 'shared-key', 'already delivered')]));
        await h.tickets.moveSaved();
        // SR-1: the process died after the save parked its items (version 3) and before the flush.
        const t1 = makeTicket(1, { version: 3 });
        const e1 = event(t1, 'status', T0, { from: 'new', to: 'triage' });
        const e2 = systemEvent(t1, 'sla.warning', T0);
        const crashed: TicketDoc = {
          ...ticketToDoc(t1),
          hasPending: true,
          pendingEvents: [eventToDoc(e1, 'SR-1', 3, 0), eventToDoc(e2, 'SR-1', 3, 1)],
          pendingNotices: [
            noticeToOutboxDoc(notice(t1, 'SR-1:n1'), T0),
            noticeToOutboxDoc(notice(t1, 'shared-key', 'from the crash'), T0),
          ],
        };
        await h.insertRawTicket(crashed);
        // SR-3: died between removing the items and clearing the flag.
        await h.insertRawTicket({ ...ticketToDoc(makeTicket(3, { version: 1 })), hasPending: true });

        expect(await h.tickets.flushPending(10)).toBe(2);
        expect(await h.events.listFor('SR-1')).toStrictEqual([e1, e2]);
        const outbox = await h.outbox();
        expect(outbox.map((o) => o._id)).toEqual(['SR-1:n1', 'shared-key']);
        expect(outbox.find((o) => o._id === 'shared-key')?.text).toBe('already delivered');
        for (const n of ['SR-1', 'SR-3']) {
          expect(await h.rawTicket(n)).toMatchObject({ hasPending: false, pendingEvents: [], pendingNotices: [] });
        }
        expect(await h.tickets.flushPending(10)).toBe(0);
        expect(await h.events.listFor('SR-1')).toHaveLength(2);

        // Crash again, then a save on top: the save's flush moves the old and the new items.
        await h.insertRawTicket({
          ...ticketToDoc(makeTicket(4, { version: 2 })),
          hasPending: true,
          pendingEvents: [eventToDoc(event(makeTicket(4), 'old', T0), 'SR-4', 2, 0)],
          pendingNotices: [],
        });
        const t4 = await h.tickets.get('SR-4');
        if (!t4) throw new Error('SR-4 missing');
        const at = minutesAfter(T0, 1);
        await h.tickets.save(change({ ...t4, updatedAt: at }, [event(t4, 'new', at)], [notice(t4, 'SR-4:n')]), 2);
        expect((await h.events.listFor('SR-4')).map((e) => e.type)).toEqual(['old', 'new']);
        expect(await h.rawTicket('SR-4')).toMatchObject({ hasPending: false, pendingEvents: [], pendingNotices: [] });
        expect(await h.tickets.flushPending(10)).toBe(0);
      });

      it('flushPending honours its limit', async () => {
        for (const seq of [1, 2, 3]) {
          const t = makeTicket(seq, { version: 1 });
          await h.insertRawTicket({
            ...ticketToDoc(t),
            hasPending: true,
            pendingEvents: [eventToDoc(event(t, 'x', T0), t.number, 1, 0)],
            pendingNotices: [],
          });
        }
        expect(await h.tickets.flushPending(2)).toBe(2);
        expect(await h.tickets.flushPending(2)).toBe(1);
        expect(await h.tickets.flushPending(2)).toBe(0);
      });
    });

    describe('OperationLog', () => {
      it('begin twice: the second sees pending; complete: done with the result; abandon of done is a no-op', async () => {
        expect(await h.operations.begin('slack:Ev1', T0)).toEqual({ state: 'new' });
        expect(await h.operations.begin('slack:Ev1', T0)).toEqual({ state: 'pending' });
        const result = { number: 'SR-1', at: T0, nested: { list: [1, 'two', null] } };
        await h.operations.complete('slack:Ev1', result);
        expect(await h.operations.begin('slack:Ev1', minutesAfter(T0, 1))).toStrictEqual({ state: 'done', result });
        await h.operations.abandon('slack:Ev1');
        expect(await h.operations.begin('slack:Ev1', minutesAfter(T0, 10))).toStrictEqual({ state: 'done', result });
      });

      it('abandon: the key is new again', async () => {
        expect(await h.operations.begin('op-2', T0)).toEqual({ state: 'new' });
        await h.operations.abandon('op-2');
        expect(await h.operations.begin('op-2', T0)).toEqual({ state: 'new' });
        expect(await h.operations.begin('op-2', T0)).toEqual({ state: 'pending' });
      });

      it('a pending claim whose holder shows no life for 5 s of the store clock is taken over, once', async () => {
        h.storeClock.set(T0);
        expect(await h.operations.begin('op-3', T0)).toEqual({ state: 'new' });
        h.storeClock.set(minutesAfter(T0, 4 / 60));
        expect(await h.operations.begin('op-3', minutesAfter(T0, 4 / 60))).toEqual({ state: 'pending' });
        h.storeClock.set(minutesAfter(T0, 6 / 60));
        expect(await h.operations.begin('op-3', T0)).toEqual({ state: 'new', takenOver: true });
        expect(await h.operations.begin('op-3', T0)).toEqual({ state: 'pending' });
      });

      it('the business time the app passes does not age a claim (a moved test clock, a replica behind)', async () => {
        h.storeClock.set(T0);
        expect(await h.operations.begin('op-4', T0)).toEqual({ state: 'new' });
        // another replica whose movable clock is months ahead still sees the claim as in progress
        expect(await h.operations.begin('op-4', minutesAfter(T0, 60 * 24 * 200))).toEqual({ state: 'pending' });
      });

      it('complete without a result stores null; purgeOlderThan removes old keys', async () => {
        await h.operations.begin('old', T0);
        await h.operations.complete('old', undefined);
        expect(await h.operations.begin('old', T0)).toEqual({ state: 'done', result: null });
        await h.operations.begin('new', minutesAfter(T0, 60));
        expect(await h.operations.purgeOlderThan(minutesAfter(T0, 30))).toBe(1);
        expect(await h.operations.begin('old', minutesAfter(T0, 61))).toEqual({ state: 'new' });
        expect(await h.operations.begin('new', minutesAfter(T0, 61))).toEqual({ state: 'pending' });
      });
    });

    describe('DraftRepository', () => {
      it('saves, replaces, reads and deletes a draft', async () => {
        expect(await h.drafts.get('slack:U1')).toBeNull();
        const draft = { userKey: 'slack:U1', platform: 'slack' as const, data: { title: 'Login' }, updatedAt: T0 };
        await h.drafts.save(draft);
        expect(await h.drafts.get('slack:U1')).toStrictEqual(draft);
        const next = { ...draft, data: { title: 'Login', impact: 'everyone' }, updatedAt: minutesAfter(T0, 1) };
        await h.drafts.save(next);
        expect(await h.drafts.get('slack:U1')).toStrictEqual(next);
        await h.drafts.save({ ...next, userKey: 'teams:29:x', platform: 'teams', data: {} });
        expect((await h.drafts.get('teams:29:x'))?.data).toEqual({});
        await h.drafts.delete('slack:U1');
        expect(await h.drafts.get('slack:U1')).toBeNull();
        await h.drafts.delete('slack:U1');
      });
    });
  });
}

for (const kind of supportedServers()) storeContract(`MongoDB store on ${kind}`, () => mongoHarness(kind));
storeContract('in-memory store (test/fakes/memory-store.ts)', memoryHarness);
