import { randomBytes } from 'node:crypto';
import { ConflictError } from '../../../src/domain/errors';
import { connectStore, type Store } from '../../../src/store/connection';
import { createRepositories, type Repositories } from '../../../src/store/index';
import { collectionOf } from '../../../src/store/models';
import { AUDIT_SETTLE_MS, SKIPPED_REASONS } from '../../../src/store/ticket-numbers';
import { openServer, supportedServers, type TestServer } from '../../helpers/servers';
import { makeTicket, T0 } from './fixtures';

const silent = { info() {}, warn() {}, error() {} };
const later = (ms: number) => new Date(T0.getTime() + ms);

describe.each(supportedServers())('skipped ticket numbers are put on record, on %s', (kind) => {
  let server: TestServer;
  let store: Store;
  let repos: Repositories;
  const records = async () =>
    (await collectionOf(store.models.SkippedNumber).find({}).sort({ _id: 1 }).toArray()).map((d) => ({
      number: d.number,
      reason: d.reason,
    }));

  beforeAll(async () => {
    server = await openServer(kind);
    store = await connectStore(`${server.uri}helpline_numbers_${randomBytes(4).toString('hex')}`, { log: silent });
    repos = createRepositories(store);
    for (const m of Object.values(store.models)) await m.init();
  }, 60_000);

  afterAll(async () => {
    await store?.connection.dropDatabase();
    await store?.close();
    await server?.stop();
  });

  it('a number taken by an existing ticket is recorded at once; one whose ticket was never saved, by the audit', async () => {
    // SR-1 saved; SR-2 taken by a raise that died before saving; SR-3 saved.
    for (const seq of [1, 2, 3]) {
      expect(await repos.tickets.nextSeq()).toBe(seq);
      if (seq !== 2) await repos.tickets.create({ ticket: makeTicket(seq), events: [], notices: [] });
    }
    // SR-3 again (a counter restored from a backup): refused, and that number is on record as taken.
    await expect(repos.tickets.create({ ticket: makeTicket(3), events: [], notices: [] })).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(await records()).toEqual([{ number: 'SR-3', reason: SKIPPED_REASONS.taken }]);

    // The first audit only notes how far the counter went; a raise may still be saving its ticket.
    expect(await repos.tickets.auditNumbers(T0)).toBe(0);
    expect(await repos.tickets.nextSeq()).toBe(4); // in flight at the next audit: not judged yet
    expect(await repos.tickets.auditNumbers(later(AUDIT_SETTLE_MS / 2))).toBe(0);
    expect(await repos.tickets.auditNumbers(later(AUDIT_SETTLE_MS))).toBe(1);
    expect(await records()).toEqual([
      { number: 'SR-2', reason: SKIPPED_REASONS.unsaved },
      { number: 'SR-3', reason: SKIPPED_REASONS.taken },
    ]);
    // SR-4's ticket is saved late, within the settling time: never recorded; the audits after find nothing new.
    await repos.tickets.create({ ticket: makeTicket(4), events: [], notices: [] });
    expect(await repos.tickets.auditNumbers(later(2 * AUDIT_SETTLE_MS))).toBe(0);
    expect(await repos.tickets.auditNumbers(later(3 * AUDIT_SETTLE_MS))).toBe(0);
    expect((await records()).map((r) => r.number)).toEqual(['SR-2', 'SR-3']);
  });
});
