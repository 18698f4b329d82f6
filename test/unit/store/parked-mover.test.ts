import type { ParkedCollections } from '../../../src/store/parked-items';
import { MOVER_BOUND, ParkedMover } from '../../../src/store/parked-mover';

/** The driver's collections as the mover uses them, recording each command (a stand-in for the database only). */
function recordingCollections(opts: { failInserts?: boolean } = {}) {
  const commands: string[] = [];
  const inserted: Record<string, string[]> = { events: [], outbox: [], outboxQueue: [] };
  const coll = (name: string) => ({
    insertMany: async (docs: Array<{ _id: string }>) => {
      commands.push(`insert ${name}`);
      if (opts.failInserts) throw new Error('database down');
      inserted[name]?.push(...docs.map((d) => d._id));
      return { insertedCount: docs.length };
    },
    bulkWrite: async (ops: unknown[]) => {
      commands.push(`bulk ${name} ${ops.length}`);
      return { matchedCount: ops.length };
    },
  });
  const collections = {
    tickets: coll('tickets'),
    events: coll('events'),
    outbox: coll('outbox'),
    outboxQueue: coll('outboxQueue'),
  } as unknown as ParkedCollections;
  return { collections, commands, inserted };
}

const parked = (id: string, version: number, events: string[], notices: string[] = []) => ({
  _id: id,
  version,
  pendingEvents: events.map((e) => ({ _id: e })) as never[],
  pendingNotices: notices.map((n) => ({ _id: n, nextAttemptAt: new Date(0) })) as never[],
});

describe('ParkedMover: what saves parked, moved after they answer', () => {
  it('moves the saves of one turn in one batch: three inserts and one bulk update whatever their number', async () => {
    const { collections, commands, inserted } = recordingCollections();
    const mover = new ParkedMover(collections);
    mover.add(parked('SR-1', 1, ['SR-1:v1:0'], ['SR-1:triage']));
    mover.add(parked('SR-2', 1, ['SR-2:v1:0'], ['SR-2:triage']));
    expect(commands).toEqual([]); // nothing before the save's caller has its answer
    await mover.settle();
    expect(commands).toEqual(['insert events', 'insert outbox', 'insert outboxQueue', 'bulk tickets 2']);
    expect(inserted.outbox).toEqual(['SR-1:triage', 'SR-2:triage']);
  });

  it("two saves of one ticket before a move: each item of both moved once (a sweep's save hands its own only)", async () => {
    const { collections, inserted } = recordingCollections();
    const mover = new ParkedMover(collections);
    mover.add(parked('SR-1', 1, ['SR-1:v1:0'], ['SR-1:triage']));
    mover.add(parked('SR-1', 2, ['SR-1:v2:0'], ['SR-1:breach']));
    await mover.settle();
    expect(inserted.events).toEqual(['SR-1:v1:0', 'SR-1:v2:0']);
    expect(inserted.outbox).toEqual(['SR-1:triage', 'SR-1:breach']);
  });

  it("keeps a ticket's latest version: its document holds everything the earlier save parked", async () => {
    const { collections, inserted } = recordingCollections();
    const mover = new ParkedMover(collections);
    mover.add(parked('SR-1', 2, ['SR-1:v1:0', 'SR-1:v2:0']));
    mover.add(parked('SR-1', 1, ['SR-1:v1:0'])); // answered late: older than what is held
    await mover.settle();
    expect(inserted.events).toEqual(['SR-1:v1:0', 'SR-1:v2:0']);
  });

  it('moves on its own on the next turn, and a save with nothing parked costs nothing', async () => {
    const { collections, commands } = recordingCollections();
    const mover = new ParkedMover(collections);
    mover.add(parked('SR-3', 1, []));
    mover.add(parked('SR-1', 1, ['SR-1:v1:0']));
    await new Promise((r) => setImmediate(r));
    await mover.settle();
    expect(commands).toEqual(['insert events', 'bulk tickets 1']);
  });

  it('a failed move is logged and left to recovery (the items stay parked on the ticket), never thrown', async () => {
    const { collections } = recordingCollections({ failInserts: true });
    const warned: string[] = [];
    const mover = new ParkedMover(collections, { warn: (_o: object, msg: string) => warned.push(msg) } as never);
    mover.add(parked('SR-1', 1, ['SR-1:v1:0']));
    await expect(mover.settle()).resolves.toBeUndefined();
    expect(warned).toEqual([expect.stringContaining('flushPending will move them')]);
  });

  it(`holds at most ${MOVER_BOUND} tickets: beyond that they wait for recovery`, async () => {
    const { collections, inserted } = recordingCollections();
    const mover = new ParkedMover(collections);
    for (let i = 0; i <= MOVER_BOUND; i++) mover.add(parked(`SR-${i}`, 1, [`SR-${i}:v1:0`]));
    await mover.settle();
    expect(inserted.events).toHaveLength(MOVER_BOUND);
  });
});
