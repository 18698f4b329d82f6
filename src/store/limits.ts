/** Store rules shared by the MongoDB repositories and the in-memory fake (no database imports here). */

/** An OperationLog claim still 'pending' this long after it was made is taken to be abandoned. */
export const STALE_CLAIM_MS = 2 * 60_000;
