import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import restify from 'restify';
import type { Logger } from '../logger';
import { AddressBuckets, isLoopback } from './address-limit';
import { closeUnread, readBody } from './body';

export interface HealthReport {
  ok: boolean;
  [key: string]: unknown;
}

export { MAX_BODY_BYTES } from './body';

type RequestWithLog = restify.Request & { helplineLog?: Logger; helplineId?: string };

/** The request's logger (with its request id), or `fallback`. */
export function requestLog(req: restify.Request, fallback: Logger): Logger {
  return (req as RequestWithLog).helplineLog ?? fallback;
}

/** The request's id, as its log lines and the `x-request-id` header carry it. */
export function requestId(req: restify.Request): string {
  return (req as RequestWithLog).helplineId ?? '';
}

export interface ServerOptions {
  log: Logger;
  /** /healthz: the process, its database and its outbox. */
  health: () => Promise<HealthReport>;
  /** /readyz: whether a load balancer should send this replica traffic (database reachable, not draining). */
  ready: () => Promise<HealthReport>;
  /** Requests a minute per address: the platform webhooks, and every other route (0: off). */
  limits?: { perMinute: number; webhooksPerMinute: number };
  /** Milliseconds for the rate limits' buckets (the app's clock, so a test can hold it still). */
  now?: () => number;
  /** Opens /readyz?detail to callers other than loopback (`Authorization: Bearer <token>`). */
  healthDetailToken?: string;
}

/** The routes Slack and the Bot Framework call: a generous limit of their own. */
const WEBHOOKS = new Set(['/slack/events', '/api/messages']);
/** Probes: never limited (a load balancer's probes must not share a budget with what it forwards), and cheap. */
const PROBES = new Set(['/healthz', '/readyz']);

/** Answer with our own text and the request id; what the client still sends is never read (body.ts). */
function refuse(req: restify.Request, res: restify.Response, status: number, error: string, headers = {}): void {
  closeUnread(req, res);
  res.json(status, { error, requestId: requestId(req) }, headers);
}

/**
 * The one restify server every endpoint mounts on: Slack at /slack/events, Teams at /api/messages,
 * the playground at /, health at /healthz and /readyz. Each request gets an id that its log lines carry.
 * Before any route runs: a per-address rate limit, then the body as the route's `readBody` allows
 * (src/web/body.ts). A failing route answers a generic 500 with the request id; the detail is logged.
 */
export function createServer(opts: ServerOptions): restify.Server {
  const { log } = opts;
  const server = restify.createServer({ name: 'helpline', handleUncaughtExceptions: false });
  const now = opts.now ?? Date.now;
  const limits = opts.limits ?? { perMinute: 0, webhooksPerMinute: 0 };
  const buckets = {
    webhooks: new AddressBuckets(limits.webhooksPerMinute, now),
    other: new AddressBuckets(limits.perMinute, now),
  };
  server.pre((req, res, next) => {
    const id = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) || randomUUID();
    res.setHeader('x-request-id', id);
    (req as RequestWithLog).helplineId = id;
    (req as RequestWithLog).helplineLog = log.child({ reqId: id });
    const path = req.getPath();
    if (PROBES.has(path)) return next();
    const wait = (WEBHOOKS.has(path) ? buckets.webhooks : buckets.other).take(req.socket.remoteAddress ?? '');
    if (wait === 0) return next();
    requestLog(req, log).warn({ path, address: req.socket.remoteAddress }, 'too many requests from one address');
    refuse(req, res, 429, 'too many requests: try again later', { 'retry-after': String(wait) });
    return next(false);
  });
  // After routing, so the route's own `readBody` decides; unknown routes never get here (their 404 reads no body).
  server.use((req, res, next) => {
    const spec = (req as { route?: { spec?: restify.RouteOptions } }).route?.spec?.readBody;
    readBody(req, spec, (refusal) => {
      if (!refusal) return next();
      requestLog(req, log).info({ status: refusal.status, url: req.url }, 'request body refused');
      refuse(req, res, refusal.status, refusal.error);
      return next(false);
    });
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
    else if (!PROBES.has(req.getPath())) l.debug(line, 'request');
    void route;
  });
  // Errors restify would answer: its own (404, 405: their text names only the request) keep their answer; any
  // other becomes a generic 500 with the request id, and the detail (a path, a driver's text) goes to the log only.
  server.on('restifyError', (req: restify.Request, res: restify.Response, err: Error, cb: () => void) => {
    if (isRoutingError(err)) {
      requestLog(req, log).warn({ err: err.message, url: req.url }, 'request error');
      closeUnread(req, res);
      return cb();
    }
    requestLog(req, log).error({ err: err?.stack ?? String(err), url: req.url }, 'route failed');
    if (!res.headersSent) refuse(req, res, 500, 'internal error');
    return cb();
  });

  const health = latest(opts.health);
  const ready = latest(opts.ready);
  const outcome = (check: () => Promise<HealthReport>) =>
    check().catch((err: Error): HealthReport => {
      log.warn({ err: err.message }, 'health check failed');
      return { ok: false, error: 'the check failed (see the log)' };
    });
  server.get('/healthz', async (_req: restify.Request, res: restify.Response) => {
    const { ok } = await outcome(health);
    res.json(ok ? 200 : 503, { ok });
  });
  server.get('/readyz', async (req: restify.Request, res: restify.Response) => {
    const wantsDetail = new URL(req.url ?? '/', 'http://x').searchParams.has('detail');
    if (!wantsDetail || !mayReadDetail(req, opts.healthDetailToken)) {
      const { ok } = await outcome(ready);
      res.json(ok ? 200 : 503, { ok });
      return;
    }
    const [h, r] = await Promise.all([outcome(health), outcome(ready)]);
    res.json(r.ok ? 200 : 503, { ...h, ...r, ok: r.ok, healthy: h.ok });
  });
  return server;
}

/** restify's own 4xx (restify-errors: a numeric statusCode and a body with a code), e.g. 404 and 405. */
function isRoutingError(err: unknown): boolean {
  const e = err as { statusCode?: unknown; body?: { code?: unknown } } | null;
  return typeof e?.statusCode === 'number' && e.statusCode < 500 && typeof e.body?.code === 'string';
}

/** One check in flight at a time: callers arriving meanwhile share its answer, so a flood of probes is one ping. */
function latest(check: () => Promise<HealthReport>): () => Promise<HealthReport> {
  let running: Promise<HealthReport> | undefined;
  return () => {
    running ??= check().finally(() => {
      running = undefined;
    });
    return running;
  };
}

/**
 * /readyz?detail is for this host (a request from loopback that no proxy forwarded: a proxy on the same host makes
 * every client look local) or for a caller with HEALTH_DETAIL_TOKEN as its bearer token.
 */
function mayReadDetail(req: restify.Request, token: string | undefined): boolean {
  const forwarded = ['forwarded', 'x-forwarded-for', 'x-real-ip'].some((h) => req.headers[h] !== undefined);
  if (!forwarded && isLoopback(req.socket.remoteAddress)) return true;
  const given = /^Bearer (.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1]?.trim();
  if (!token || !given) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
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
