import type { SocketModeReceiver } from '@slack/bolt';
import type { Logger } from '../../logger';

/** What /readyz says about Slack in Socket Mode. */
export type SocketState = 'connecting' | 'connected' | 'disconnected';

export interface SocketConnection {
  state(): SocketState;
  /** Close the socket and stop reconnecting; resolves within `graceMs` whatever Slack does. */
  stop(graceMs?: number): Promise<void>;
}

type SocketModeClient = SocketModeReceiver['client'];

/** Wait before the n-th reconnection in a row: at once after a clean drop, then 1 s, 2 s, 4 s … up to 30 s. */
export function reconnectDelayMs(failures: number): number {
  return failures <= 0 ? 0 : Math.min(30_000, 1000 * 2 ** (failures - 1));
}

/** Errors that no retry fixes without a new token: said once, loudly, with what to do. */
const TOKEN_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'not_allowed_token_type',
  'account_inactive',
  'token_revoked',
]);

function reason(err: unknown): { err: string; code?: string } {
  const e = err as { message?: string; code?: string; data?: { error?: string } } | undefined;
  return { err: e?.data?.error ?? e?.message ?? 'the socket closed', ...(e?.code ? { code: e.code } : {}) };
}

/**
 * Connect Socket Mode in the background and keep it connected: the caller never waits for Slack.
 * The client is built with its own reconnection off (its retries end in unhandled rejections when
 * `apps.connections.open` fails), so every (re)connection goes through here, with a capped back-off.
 */
export function connectInBackground(client: SocketModeClient, log: Logger): SocketConnection {
  let state: SocketState = 'connecting';
  let stopped = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;

  const schedule = () => {
    if (stopped || timer) return;
    state = 'disconnected';
    const ms = reconnectDelayMs(failures++);
    timer = setTimeout(() => {
      timer = undefined;
      void attempt();
    }, ms);
  };
  const attempt = async () => {
    if (stopped) return;
    state = 'connecting';
    try {
      await client.start();
      if (stopped) await client.disconnect(); // connected while shutting down: close it again
    } catch (err) {
      if (stopped) return;
      const why = reason(err);
      if (TOKEN_ERRORS.has(why.err))
        log.error(
          why,
          'Slack: Socket Mode refused SLACK_APP_TOKEN: use an app-level token (xapp-…) with the connections:write scope',
        );
      else
        log.warn({ ...why, retryInMs: reconnectDelayMs(failures) }, 'Slack: Socket Mode could not connect; retrying');
      schedule();
    }
  };

  client.on('connected', () => {
    failures = 0;
    state = 'connected';
    log.info('Slack: Socket Mode connected');
  });
  client.on('disconnected', () => {
    if (stopped) return;
    if (state === 'connected') log.warn('Slack: Socket Mode disconnected; reconnecting');
    schedule();
  });
  void attempt();

  return {
    state: () => state,
    async stop(graceMs = 5000) {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      let wait: NodeJS.Timeout | undefined;
      await Promise.race([
        client.disconnect(),
        new Promise<void>((r) => {
          wait = setTimeout(r, graceMs);
        }),
      ]);
      clearTimeout(wait);
      state = 'disconnected';
      log.info('Slack: Socket Mode closed');
    },
  };
}
