/**
 * The desk's learned triage model, kept fresh: a scheduled job retrains it from the tickets the desk corrected or
 * resolved and stores it as a new version (the gate's verdict decides whether it becomes the active one); each
 * replica loads the newest active version at start and on its reload job (one small read: the active version's
 * number; the model itself only when it changed). Nothing here runs on the raise path: a suggestion reads the model
 * already in memory.
 */
import type { DeskTicket } from '../domain/routing/desk-examples';
import { exampleFromTicket } from '../domain/routing/desk-examples';
import { MIN_EXAMPLES, trainWithGate } from '../domain/routing/learned-gate';
import { isUsable, type LearnedTriageModel, type LearningTriage, parseLearned } from '../domain/routing/learned-triage';
import type { TriageSuggestion } from '../domain/routing/triage';
import type { AppDeps } from './context';
import type { JobReport } from './scheduled-jobs';

/** One stored version's header. */
export interface TriageModelVersion {
  version: number;
  trainedAt: Date;
  active: boolean;
  usable: boolean;
}

/** The versions of the learned triage model (collection `triage_models`, one document per version). */
export interface TriageModelStore {
  /** The newest version stored, active or not. */
  newest(): Promise<TriageModelVersion | null>;
  /** The number of the active version (the newest one marked active), or null when the rules run alone. */
  activeVersion(): Promise<number | null>;
  /** A version's model as stored (JSON), or null when it is gone. */
  read(version: number): Promise<unknown | null>;
  /**
   * Store a new version (the next number; safe when replicas store at once) and, when `usable`, mark it the active
   * one; an unusable newest version leaves the rules alone (no version active). Returns its number.
   */
  add(model: LearnedTriageModel, trainedAt: Date, usable: boolean): Promise<number>;
  /** The tickets that teach: corrected by an agent or resolved, newest first, at most `limit`. */
  deskTickets(limit: number): Promise<DeskTicket[]>;
}

export type LearningDeps = Pick<AppDeps, 'clock' | 'policy'> & {
  triage: LearningTriage;
  triageModels: TriageModelStore;
  log: { info(o: object, m: string): void; warn(o: object, m: string): void };
};

/**
 * At most this many tickets (the newest) train a model. The rules' readings are taken in slices; the training and the
 * gate that follow hold the event loop for about half a second at this size (2-core machine).
 */
export const TRAINING_TICKETS = 2000;
/** Examples the rules read between two turns of the event loop. */
const SLICE = 50;
/** A retrain this soon after the newest stored version is skipped (another replica has just trained). */
export const RETRAIN_GAP_MS = 60 * 60_000;

/** Load the newest active version into this replica's triage when it is not the one in use. */
export async function reloadTriageModel(deps: LearningDeps): Promise<JobReport> {
  const report: JobReport = { job: 'triage-model-reload', processed: 0, skipped: 0, failed: 0 };
  const active = await deps.triageModels.activeVersion();
  if (active === deps.triage.version()) {
    report.skipped++;
    return report;
  }
  if (active === null) {
    deps.triage.load(null);
    report.processed++;
    return report;
  }
  const stored = await deps.triageModels.read(active);
  try {
    deps.triage.load(parseLearned(stored), active);
    report.processed++;
    deps.log.info({ version: active }, 'learned triage model loaded');
  } catch (err) {
    report.failed++;
    deps.log.warn({ version: active, err: (err as Error).message }, 'learned triage model not loaded');
  }
  return report;
}

/** Retrain from the desk, store the new version (active only when it beats the rules), then reload. */
export async function retrainTriage(deps: LearningDeps): Promise<JobReport> {
  const report: JobReport = { job: 'triage-retrain', processed: 0, skipped: 0, failed: 0 };
  const now = deps.clock.now();
  const newest = await deps.triageModels.newest();
  if (newest && now.getTime() - newest.trainedAt.getTime() < RETRAIN_GAP_MS) {
    report.skipped++;
    return report;
  }
  const examples = (await deps.triageModels.deskTickets(TRAINING_TICKETS))
    .map(exampleFromTicket)
    .filter((e) => e !== null);
  if (examples.length < MIN_EXAMPLES) {
    report.skipped++;
    return report;
  }
  // The rules' reading of each example, a slice at a time: the replica keeps answering Slack and Teams meanwhile.
  const plain: TriageSuggestion[] = [];
  for (let i = 0; i < examples.length; i += SLICE) {
    for (const e of examples.slice(i, i + SLICE)) plain.push(deps.triage.rules.suggest(e.text));
    await new Promise((done) => setImmediate(done));
  }
  const trained = trainWithGate(examples, deps.triage.rules, deps.policy, { trainedAt: now }, plain);
  const version = await deps.triageModels.add(trained, now, isUsable(trained));
  deps.log.info(
    { version, examples: examples.length, used: isUsable(trained), gate: trained.gate.heads },
    'learned triage model trained',
  );
  report.processed++;
  await reloadTriageModel(deps);
  return report;
}
