import { backfillClients } from '../app/client-backfill';
import { customerTestFollowUp } from '../app/customer-test-jobs';
import { periodDigest } from '../app/reports/digest';
import * as jobs from '../app/scheduled-jobs';
import { reloadTriageModel, retrainTriage } from '../app/triage-learning';
import type { App } from '../bootstrap';
import type { OutboxStore } from '../notify/outbox';
import { type JobDefinition, openingCrons } from './registry';

/** Every scheduled job of Helpline, by name. */
export function helplineJobs(app: App, outbox: OutboxStore, afterRun: () => Promise<unknown>): JobDefinition[] {
  const deps = { ...app, outbox };
  const then = (f: (d: typeof deps) => Promise<jobs.JobReport>) => async () => {
    const r = await f(deps);
    await afterRun();
    return r;
  };
  const digest = openingCrons(app.policy.calendar).map((schedule, i) => ({
    name: i === 0 ? 'daily-digest' : `daily-digest-${i + 1}`,
    schedule,
    run: then(periodDigest),
    onDemand: false,
  }));
  return [
    { name: 'sla-sweep', schedule: '* * * * *', run: then(jobs.sweepSla), onDemand: true },
    { name: 'auto-close', schedule: '*/5 * * * *', run: then(jobs.autoClose), onDemand: true },
    { name: 'waiting-reminder', schedule: '*/15 * * * *', run: then(jobs.waitingReminders), onDemand: true },
    { name: 'customer-test', schedule: '*/15 * * * *', run: then(customerTestFollowUp), onDemand: true },
    { name: 'csat-prompt', schedule: '*/5 * * * *', run: then(jobs.csatPrompts), onDemand: true },
    { name: 'client-backfill', schedule: '*/10 * * * *', run: then(backfillClients), onDemand: true },
    // Every minute in every replica: notices saved with a ticket whose process died before moving them to the outbox.
    { name: 'parked-recovery', schedule: '* * * * *', run: then(recoverParked), onDemand: true },
    { name: 'housekeeping', schedule: '17 3 * * *', run: then(jobs.housekeeping), onDemand: true },
    // The desk's learned triage model: retrained nightly (a replica that finds a version under an hour old skips);
    // every replica reloads the active version every 10 minutes (one small read) and after its own retrain.
    { name: 'triage-retrain', schedule: '41 2 * * *', run: () => retrainTriage(deps), onDemand: false },
    { name: 'triage-model-reload', schedule: '*/10 * * * *', run: () => reloadTriageModel(deps), onDemand: false },
    ...digest,
  ];
}

const RECOVERY_BATCH = 200;
const RECOVERY_ROUNDS = 10;

/**
 * Moves what a crash left parked on tickets (their events and notices, written in the same update as the ticket) to
 * ticket_events and the outbox: one read of the `hasPending` index when nothing is parked, which is almost always;
 * the move is idempotent by the items' keys, so every replica may run it at the same instant.
 */
export async function recoverParked(deps: Pick<App, 'tickets'>): Promise<jobs.JobReport> {
  let processed = 0;
  for (let round = 0; round < RECOVERY_ROUNDS; round++) {
    const flushed = await deps.tickets.flushPending(RECOVERY_BATCH);
    processed += flushed;
    if (flushed < RECOVERY_BATCH) break;
  }
  return { job: 'parked-recovery', processed, skipped: 0, failed: 0 };
}
