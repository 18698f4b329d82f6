/** Store rules shared by the MongoDB repositories and the in-memory fake (no database imports here). */

/**
 * An OperationLog claim not renewed for this long is taken to be abandoned (its process died). The process
 * holding a claim renews it every CLAIM_RENEW_MS while the work runs, so slow work is never taken over, and a
 * dead replica's claim is free well before Slack's second retry (one minute after the first).
 */
export const STALE_CLAIM_MS = 45_000;
export const CLAIM_RENEW_MS = 5_000;
/**
 * A process holding claims writes its heartbeat (process_heartbeats) this often; a claim whose holder has shown no
 * sign of life (heartbeat or claim) for HEARTBEAT_STALE_MS is taken over at once by the next try of its request.
 * Claims recorded without an owner (an older version) keep the STALE_CLAIM_MS rule.
 */
export const HEARTBEAT_MS = 1_000;
export const HEARTBEAT_STALE_MS = 5_000;
/** A claim is renewed for at most this long: work that never completes must not hold its key forever. */
export const MAX_CLAIM_RENEW_MS = 10 * 60_000;
