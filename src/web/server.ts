import { randomUUID } from 'node:crypto';
import restify from 'restify';
import type { Logger } from '../logger';

export interface HealthReport {
  ok: boolean;
  [key: string]: unknown;
}

/** The largest request body any route reads (Slack's route checks the same figure); a larger one is answered 413. */
export const MAX_BODY_BYTES = 1_000_000;

type RequestWithLog = restify.Request & { helplineLog?: Logger };

/** The request's logger (with its request id), or `fallback`. */
export function requestLog(req: restify.Request, fallback: Logger): Logger {
  return (req as RequestWithLog).helplineLog ?? fallback;
}

export interface ServerOptions {
  log: Logger;
  /** /healthz: the process, its database and its outbox. */
  health: () => Promise<HealthReport>;
  /** /readyz: whether a load balancer should send this replica traffic (database reachable, not draining). */
  ready: () => Promise<HealthReport>;
}

/**
 * The one restify server every endpoint mounts on: Slack at /slack/events, Teams at /api/messages,
 * the playground at /, health at /healthz and /readyz. Each request gets an id that its log lines carry.
 */
export function createServer({ log, health, ready }: ServerOptions): restify.Server {
  const server = restify.createServer({ name: 'helpline', handleUncaughtExceptions: false });
  server.pre((req, res, next) => {
    const id = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) || randomUUID();
    res.setHeader('x-request-id', id);
    (req as RequestWithLog).helplineLog = log.child({ reqId: id });
    return next();
  });
  server.on('after', (req: restify.Request, res: restify.Response, route: unknown, err?: Error) => {
    const l = requestLog(req, log);
    const line = {
      method: req.method,
      url: req.url,
      status: res.statusCode,
      ms: Date.now() - (req.time?.() ?? Date.now()),
    };
    if (err || res.statusCode >= 500) l.error({ ...line, err }, 'request failed');
    else if (req.url !== '/healthz' && req.url !== '/readyz') l.debug(line, 'request');
    void route;
  });
  server.on('restifyError', (req: restify.Request, _res: restify.Response, err: Error, cb: () => void) => {
    requestLog(req, log).warn({ err: err.message, url: req.url }, 'request error');
    return cb();
  });

  for (const [path, check] of [
    ['/healthz', health],
    ['/readyz', ready],
  ] as const) {
    server.get(path, async (_req: restify.Request, res: restify.Response) => {
      const report = await check().catch((err: Error) => ({ ok: false, error: err.message }));
      res.json(report.ok ? 200 : 503, report);
    });
  }
  return server;
}

/** Listen and resolve with the bound port. */
export function listen(server: restify.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.removeListener('error', reject);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}

/** Stop accepting, let in-flight requests finish (up to `graceMs`). */
export function closeServer(server: restify.Server, graceMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.server.closeAllConnections?.();
      resolve();
    }, graceMs);
    timer.unref();
    server.server.closeIdleConnections?.();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
