import { DomainError, StoreUnavailableError } from '../domain/errors';

/**
 * Driver and mongoose errors that mean "the database cannot be reached right now" (as opposed to "the
 * database refused this operation"). Checked by name so that errors from a second copy of the driver
 * (or mongoose's wrappers) are recognised too.
 */
const UNAVAILABLE_ERROR_NAMES = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'PoolClearedError',
  'PoolClearedOnNetworkError',
  'MongoServerClosedError',
  'MongoClientClosedError',
  'MongoOperationTimeoutError',
]);

/**
 * Server error codes of the same kind: the server is shutting down, stepped down, or cannot reach a peer.
 * 6 HostUnreachable, 7 HostNotFound, 89 NetworkTimeout, 91 ShutdownInProgress, 189 PrimarySteppedDown,
 * 9001 SocketException, 10107 NotWritablePrimary, 11600 InterruptedAtShutdown,
 * 11602 InterruptedDueToReplStateChange, 13435 NotPrimaryNoSecondaryOk, 13436 NotPrimaryOrSecondary.
 */
const UNAVAILABLE_SERVER_CODES = new Set([6, 7, 89, 91, 189, 9001, 10107, 11600, 11602, 13435, 13436]);

/** Mongoose's own messages for "not connected" (buffering, or bufferCommands: false before connecting). */
const UNAVAILABLE_MESSAGES = [
  /buffering timed out/i,
  /before initial connection is complete/i,
  /connection was force closed/i,
  /client must be connected/i,
  /topology is closed/i,
];

function field(err: unknown, name: string): unknown {
  return typeof err === 'object' && err !== null ? (err as Record<string, unknown>)[name] : undefined;
}

/** True when `err` means the database is unreachable (searched through `cause` too). */
export function isUnavailableError(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 5) return false;
  if (err instanceof StoreUnavailableError) return true;
  const name = field(err, 'name');
  if (typeof name === 'string' && UNAVAILABLE_ERROR_NAMES.has(name)) return true;
  const code = field(err, 'code');
  if (typeof code === 'number' && UNAVAILABLE_SERVER_CODES.has(code)) return true;
  const labels = field(err, 'errorLabelSet');
  if (labels instanceof Set && (labels.has('ResetPool') || labels.has('PoolRequestedRetry'))) return true;
  const message = field(err, 'message');
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((re) => re.test(message))) return true;
  return isUnavailableError(field(err, 'cause'), depth + 1);
}

/** E11000: an insert or upsert hit a unique index (here: a document with that `_id` is already there). */
export function isDuplicateKeyError(err: unknown): boolean {
  return field(err, 'code') === 11000;
}

/**
 * True when every write error of an unordered bulk insert is a duplicate key (the documents that were
 * already there); false when anything else went wrong.
 */
export function onlyDuplicateKeys(err: unknown): boolean {
  if (isDuplicateKeyError(err) && field(err, 'writeErrors') === undefined) return true;
  const writeErrors = field(err, 'writeErrors');
  const list = Array.isArray(writeErrors) ? writeErrors : writeErrors === undefined ? [] : [writeErrors];
  return list.length > 0 && list.every((e) => field(e, 'code') === 11000);
}

/**
 * The one place driver errors become domain errors: "database unreachable" becomes StoreUnavailableError
 * (the original kept as `cause` for the log); domain errors and anything else pass through unchanged.
 */
export function translateError(err: unknown): unknown {
  if (err instanceof DomainError) return err;
  if (isUnavailableError(err)) {
    const wrapped = new StoreUnavailableError();
    (wrapped as Error & { cause?: unknown }).cause = err;
    return wrapped;
  }
  return err;
}

/** Runs a store operation, translating what it throws. */
export async function guard<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw translateError(err);
  }
}
