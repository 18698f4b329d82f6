/**
 * HELPLINE_TEST_CLOCK across replicas: the movable clock's offset kept in the database (`settings`, one document),
 * so a clock moved through one replica moves for all of them. Each replica reads it at start-up, every
 * half second, and before a scheduler run asked for through the test routes. Never used in production.
 */
import type { Connection } from 'mongoose';
import type { MovableClock } from '../clock';

const CLOCK_ID = 'test-clock';
const REFRESH_MS = 500;

interface SettingDoc {
  _id: string;
  offsetMs: number;
}

export interface SharedClock {
  /** Reads the shared offset into the local clock (a missing document is offset 0). */
  load(): Promise<void>;
  /** Writes the local clock's offset for every replica. */
  save(): Promise<void>;
  stop(): void;
}

export function shareClock(clock: MovableClock, connection: Connection, onError: (err: Error) => void): SharedClock {
  const settings = connection.collection<SettingDoc>('settings');
  const load = async (): Promise<void> => {
    // by _id: one document, the _id index
    const doc = await settings.findOne({ _id: CLOCK_ID });
    clock.setOffset(doc?.offsetMs ?? 0);
  };
  const timer = setInterval(() => {
    load().catch(onError);
  }, REFRESH_MS);
  timer.unref();
  return {
    load,
    save: async () => {
      await settings.updateOne({ _id: CLOCK_ID }, { $set: { offsetMs: clock.offset } }, { upsert: true });
    },
    stop: () => clearInterval(timer),
  };
}
