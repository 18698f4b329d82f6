import { AsyncLocalStorage } from 'node:async_hooks';
import { type AppDeps, claimOrWait } from '../app/context';

/**
 * A request whose work another process is still doing (its operation key claimed, not done) must not be answered
 * 200: a 200 tells Slack, Teams or a retrying harness that the work is done, and if the other process died the
 * work would be lost. The adapters run each request's handling in `answering`; the code that meets such a claim
 * calls `markBusy`; the adapter then answers 503, so the request is sent again and, once the claim is done or
 * free, gets its real answer.
 */
interface Answering {
  busy: boolean;
}
const current = new AsyncLocalStorage<Answering>();

/** Runs `work` as the handling of one request; `state.busy` says whether it met work in progress elsewhere. */
export function answering<T>(work: (state: Answering) => Promise<T>): { state: Answering; done: Promise<T> } {
  const state: Answering = { busy: false };
  return { state, done: current.run(state, () => work(state)) };
}

export function markBusy(): void {
  const state = current.getStore();
  if (state) state.busy = true;
}

/**
 * Claims a platform request's id in processed_events: false when it was handled already, or is still being handled
 * elsewhere (then the request is answered 503, so it is sent again).
 */
export async function claimRequest(deps: Pick<AppDeps, 'operations' | 'clock'>, key: string): Promise<boolean> {
  const r = await claimOrWait(deps, key);
  if (r.state === 'pending') markBusy();
  return r.state === 'new';
}

/** Thrown (to the platform SDK) when a request must be answered 503. */
export class BusyError extends Error {
  override name = 'BusyError';
  readonly code = 'helpline_busy';
  constructor() {
    super('the same request is still being handled elsewhere: try again later');
  }
}

export function isBusyError(err: unknown): boolean {
  const e = err as { code?: unknown; original?: { code?: unknown } } | null;
  return e?.code === 'helpline_busy' || e?.original?.code === 'helpline_busy';
}
