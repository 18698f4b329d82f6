/** Every error the domain and app layers raise on purpose has a stable code; adapters map codes to messages. */
export const ErrorCode = {
  NotFound: 'TICKET.NOT_FOUND',
  TransitionNotAllowed: 'TICKET.TRANSITION_NOT_ALLOWED',
  Closed: 'TICKET.CLOSED',
  Forbidden: 'TICKET.FORBIDDEN',
  Conflict: 'TICKET.CONFLICT',
  Invalid: 'TICKET.INVALID_INPUT',
  DuplicateOperation: 'TICKET.DUPLICATE_OPERATION',
  StoreUnavailable: 'STORE.UNAVAILABLE',
  RateLimited: 'LIMIT.RATE_LIMITED',
  Unknown: 'UNKNOWN',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** An error whose message is written for the person who acted. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
export class NotFoundError extends DomainError {
  constructor(what: string) {
    super(ErrorCode.NotFound, `${what} does not exist`);
  }
}
export class ClosedError extends DomainError {
  constructor(number: string) {
    super(ErrorCode.Closed, `${number} is Closed and can no longer be updated`);
  }
}
/** A rating given after `csat.rateWithin` of the close: the ticket is Closed, said politely. */
export class RatingClosedError extends DomainError {
  constructor(message: string) {
    super(ErrorCode.Closed, message);
  }
}
export class TransitionNotAllowedError extends DomainError {
  constructor(message: string) {
    super(ErrorCode.TransitionNotAllowed, message);
  }
}
export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super(ErrorCode.Forbidden, message);
  }
}
export class ConflictError extends DomainError {
  constructor(number: string) {
    super(ErrorCode.Conflict, `${number} was changed by someone else at the same moment; please try again`);
  }
}
export class InvalidInputError extends DomainError {
  constructor(message: string) {
    super(ErrorCode.Invalid, message);
  }
}
export class StoreUnavailableError extends DomainError {
  constructor() {
    super(
      ErrorCode.StoreUnavailable,
      'Helpline cannot reach its database right now, so nothing was saved. Please try again in a minute.',
    );
  }
}

/** One person sent more raises or card actions than the policy's limits allow in a window; nothing was changed. */
export class RateLimitedError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(ErrorCode.RateLimited, message);
  }
}

/** Wrap anything thrown into a DomainError (unknown errors keep their cause for the log). */
export function asDomainError(err: unknown): DomainError {
  if (err instanceof DomainError) return err;
  const wrapped = new DomainError(ErrorCode.Unknown, 'Something went wrong on our side');
  (wrapped as Error & { cause?: unknown }).cause = err;
  return wrapped;
}
