import { randomUUID } from 'node:crypto';
import { asDomainError, ErrorCode } from '../../domain/errors';
import type { Logger } from '../../logger';
import { markBusy } from '../busy';

/** A Slack payload that does not have the shape we sent (tampered, stale or from another app). */
export class BadPayloadError extends Error {
  override name = 'BadPayloadError';
}

export const NOT_SAVED =
  'Your request was not saved: Helpline cannot reach its database right now. Please try again in a minute.';

/**
 * The one error handler of the Slack adapter: what the person who acted is told. Known errors in
 * their words; the database being down as "not saved, try again"; anything else with a correlation
 * id that is logged with the stack.
 */
export function describeSlackError(err: unknown, log: Logger, what: Record<string, unknown>): string {
  if (err instanceof BadPayloadError) {
    log.info({ ...what, err: err.message }, 'Slack: refused a payload');
    return err.message;
  }
  const e = asDomainError(err);
  switch (e.code) {
    case ErrorCode.StoreUnavailable:
      log.warn({ ...what }, 'Slack: database unavailable, request not saved');
      return NOT_SAVED;
    case ErrorCode.DuplicateOperation:
      markBusy(); // not done yet: Slack is answered 503 (see adapters/busy.ts)
      return 'That is already being handled.';
    case ErrorCode.Unknown: {
      const id = randomUUID().slice(0, 8);
      log.error(
        { ...what, correlationId: id, err: (e.cause as Error | undefined)?.stack ?? e.message },
        'Slack: request failed',
      );
      return `Something went wrong on our side (reference ${id}). Please try again.`;
    }
    default:
      return e.message;
  }
}
