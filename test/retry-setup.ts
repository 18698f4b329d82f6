/**
 * A failed test runs once more, its first failure printed in the log. Integration tests drive real servers, a real
 * database and asynchronous notifiers; in clean CI runs on a loaded machine a few have waited for "a message matching
 * X" and found an earlier or a notifier's one instead (each found and fixed as it showed: see the README's Testing
 * section). A timing flake shows in the log without failing the run; a real failure fails twice.
 */
jest.retryTimes(1, { logErrorsBeforeRetry: true });
