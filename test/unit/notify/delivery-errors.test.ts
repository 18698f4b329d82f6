import { webApi } from '@slack/bolt';
import { toDeliveryError as slackError } from '../../../src/adapters/slack/delivery';
import { toDeliveryError as teamsError } from '../../../src/adapters/teams/delivery';
import { durationMs } from '../../../src/config/policy.schema';
import { backoffMs } from '../../../src/notify/notifier';
import { parseOutboxCommand } from '../../../src/notify/outbox-command';

const platform = (error: string) => ({ code: webApi.ErrorCode.PlatformError, data: { ok: false, error } });
const http = (statusCode: number) => ({ code: webApi.ErrorCode.HTTPError, statusCode });
const verdict = (e: { opts: { permanent?: boolean; reason?: string; retryAfterMs?: number } }) => [
  e.opts.permanent ? 'dead' : 'retry',
  e.opts.reason,
];

describe('which failures are dead and which wait for the platform', () => {
  it('Slack: the channel, the person or the payload is dead; Slack in trouble or a rejected token is retried', () => {
    for (const code of ['channel_not_found', 'not_in_channel', 'account_inactive', 'user_not_found', 'is_archived'])
      expect(verdict(slackError(platform(code)))).toEqual(['dead', code]);
    for (const code of ['invalid_blocks', 'msg_too_long', 'some_new_refusal'])
      expect(verdict(slackError(platform(code)))).toEqual(['dead', code]);
    for (const code of [
      'invalid_auth',
      'token_revoked',
      'not_authed',
      'token_expired',
      'internal_error',
      'fatal_error',
    ])
      expect(verdict(slackError(platform(code)))).toEqual(['retry', code]);
    expect(verdict(slackError(http(500)))).toEqual(['retry', 'http_500']);
    expect(verdict(slackError(http(503)))).toEqual(['retry', 'http_503']);
    expect(verdict(slackError(http(401)))).toEqual(['retry', 'http_401']);
    expect(verdict(slackError(http(400)))).toEqual(['dead', 'http_400']);
    expect(verdict(slackError({ code: webApi.ErrorCode.RequestError, message: 'ECONNRESET' }))).toEqual([
      'retry',
      webApi.ErrorCode.RequestError,
    ]);
    expect(slackError({ code: webApi.ErrorCode.RateLimitedError, retryAfter: 30 }).opts).toMatchObject({
      retryAfterMs: 30_000,
    });
  });

  it('Teams: 403, 404 and 400 are dead; 429 (with Retry-After), 5xx, 401 and no answer are retried', () => {
    expect(verdict(teamsError({ statusCode: 403 }))).toEqual(['dead', 'http_403']);
    expect(verdict(teamsError({ statusCode: 404 }))).toEqual(['dead', 'http_404']);
    expect(verdict(teamsError({ statusCode: 400 }))).toEqual(['dead', 'http_400']);
    expect(verdict(teamsError({ statusCode: 502 }))).toEqual(['retry', 'http_502']);
    expect(verdict(teamsError({ statusCode: 401 }))).toEqual(['retry', 'http_401']);
    expect(verdict(teamsError({ message: 'socket hang up' }))).toEqual(['retry', 'no_response']);
    const throttled = teamsError({ response: { status: 429, headers: { 'retry-after': '7' } } });
    expect(throttled.opts).toMatchObject({ retryAfterMs: 7000 });
    expect(throttled.opts.permanent).toBeUndefined();
  });

  it('the back-off doubles from retryFirst and stops at retryMax, however long the outage', () => {
    const policy = { retryFirst: durationMs('2s'), retryMax: durationMs('5m') };
    expect([1, 2, 3, 8, 9, 10_000].map((n) => backoffMs(n, policy))).toEqual([
      2000, 4000, 8000, 256_000, 300_000, 300_000,
    ]);
    expect(durationMs('50ms')).toBe(50);
  });

  it('the outbox command line', () => {
    expect(parseOutboxCommand(['retry-dead', '--platform', 'slack', '--reason', 'channel_not_found'])).toEqual({
      command: 'retry-dead',
      filter: { platform: 'slack', reason: 'channel_not_found' },
    });
    expect(parseOutboxCommand(['list-dead'])).toEqual({ command: 'list-dead', filter: {}, limit: 50 });
    expect(() => parseOutboxCommand(['retry-dead', '--platform', 'irc'])).toThrow(/--platform must be one of/);
    expect(() => parseOutboxCommand(['purge'])).toThrow(/unknown command/);
  });
});
