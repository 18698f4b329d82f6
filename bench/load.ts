/** HTTP posting with keep-alive, Slack request signing, closed-loop workers and latency percentiles. */
import { createHmac } from 'node:crypto';
import http from 'node:http';

export const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

export interface Reply {
  status: number;
  body: string;
  ms: number;
}

export function post(url: string, headers: Record<string, string>, body: string): Promise<Reply> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Headers of a request signed as Slack signs it: HMAC-SHA256 of `v0:<timestamp>:<raw body>`. */
export function slackHeaders(secret: string, body: string, contentType: string): Record<string, string> {
  const ts = String(Math.floor(Date.now() / 1000));
  const sig = createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex');
  return {
    'content-type': contentType,
    'x-slack-request-timestamp': ts,
    'x-slack-signature': `v0=${sig}`,
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
  };
}

export interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function percentiles(samples: number[]): Percentiles {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
  const r = (x: number) => Math.round(x * 10) / 10;
  return { n: s.length, p50: r(at(50)), p95: r(at(95)), p99: r(at(99)), max: r(s[s.length - 1] ?? Number.NaN) };
}

export interface LoadResult {
  concurrency: number;
  seconds: number;
  /** Units of work completed (a raised ticket, or its bare equivalent). */
  done: number;
  perSecond: number;
  errors: number;
  firstError?: string;
  /** Latency of every HTTP request (the ack), ms. */
  ack: Percentiles;
  /** Latency of every completed unit, from its first request to its end (a raise: until the confirmation), ms. */
  unit: Percentiles;
}

/**
 * `concurrency` workers each run `unit` back to back until `seconds` have passed (after `warmup` units per worker
 * that are not counted). `unit` records each HTTP request's latency with `ack(ms)`; each unit's own is timed too.
 */
export async function closedLoop(
  concurrency: number,
  seconds: number,
  warmup: number,
  unit: (worker: number, ack: (ms: number) => void) => Promise<void>,
): Promise<LoadResult> {
  const noop = () => undefined;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      for (let i = 0; i < warmup; i++) await unit(w, noop).catch(noop);
    }),
  );
  const acks: number[] = [];
  const units: number[] = [];
  let done = 0;
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      while (performance.now() < deadline) {
        const began = performance.now();
        try {
          await unit(w, (ms) => acks.push(ms));
          units.push(performance.now() - began);
          done++;
        } catch (err) {
          errors++;
          firstError ??= (err as Error).message;
          if (errors > 50 + done) return; // broken: stop early rather than spin
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return {
    concurrency,
    seconds: Math.round(elapsed * 10) / 10,
    done,
    perSecond: Math.round((done / elapsed) * 10) / 10,
    errors,
    ...(firstError ? { firstError } : {}),
    ack: percentiles(acks),
    unit: percentiles(units),
  };
}
