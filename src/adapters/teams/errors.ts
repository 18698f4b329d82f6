import { randomUUID } from 'node:crypto';
import type { AdaptiveCardInvokeResponse } from 'botbuilder';
import { asDomainError, type DomainError, ErrorCode } from '../../domain/errors';
import type { Logger } from '../../logger';
import { markBusy } from '../busy';

/** A card submission that does not have the shape we sent (tampered, stale or from another app). */
export class BadActionError extends Error {
  override name = 'BadActionError';
}

export function invokeError(statusCode: number, code: string, message: string): AdaptiveCardInvokeResponse {
  return { statusCode, type: 'application/vnd.microsoft.error', value: { code, message } as never };
}

export function invokeMessage(message: string): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: message as never };
}

/** What the person who acted is told, for any error: known errors in their words, unknown ones with a correlation id. */
export function describeError(
  err: unknown,
  log: Logger,
  what: Record<string, unknown>,
): { status: number; code: string; message: string; known: DomainError | null } {
  if (err instanceof BadActionError) return { status: 400, code: 'BadRequest', message: err.message, known: null };
  const e = asDomainError(err);
  switch (e.code) {
    case ErrorCode.NotFound:
    case ErrorCode.Invalid:
      return { status: 400, code: 'BadRequest', message: e.message, known: e };
    case ErrorCode.Forbidden:
      return { status: 403, code: 'Forbidden', message: e.message, known: e };
    case ErrorCode.DuplicateOperation:
      markBusy(); // not done yet: Teams is answered 503 (see adapters/busy.ts)
      return { status: 200, code: e.code, message: e.message, known: e };
    case ErrorCode.TransitionNotAllowed:
    case ErrorCode.Closed:
    case ErrorCode.Conflict:
    case ErrorCode.StoreUnavailable:
    case ErrorCode.RateLimited:
      return { status: 200, code: e.code, message: e.message, known: e };
    default: {
      const id = randomUUID().slice(0, 8);
      log.error(
        { ...what, correlationId: id, err: (e.cause as Error | undefined)?.stack ?? e.message },
        'Teams action failed',
      );
      return {
        status: 500,
        code: 'InternalError',
        message: `Something went wrong on our side (reference ${id}). Please try again.`,
        known: null,
      };
    }
  }
}

/**
 * The one error handler for `adaptiveCard/action`: tampered data → 400, not allowed → 403, a rule of
 * the ticket's lifecycle → a message shown to the person, unknown → 500 with a correlation id.
 */
export function invokeResponseForError(
  err: unknown,
  log: Logger,
  what: Record<string, unknown>,
): AdaptiveCardInvokeResponse {
  const d = describeError(err, log, what);
  if (d.status === 200) return invokeMessage(d.message);
  return invokeError(d.status, d.code, d.message);
}
