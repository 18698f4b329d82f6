/**
 * Minimal stand-ins for the remote platforms, for load: a Slack Web API and a Bot Connector that answer at once,
 * keep counters rather than every call, and let the load generator wait for a specific call.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Call {
  method: string;
  body: Record<string, unknown>;
  at: number;
}

type Waiter = { match: (c: Call) => boolean; resolve: (c: Call) => void };

class Recorder {
  count = 0;
  lastAt = 0;
  private waiters: Waiter[] = [];
  /** Extra observers (e.g. the triage card collector). */
  readonly observers: Array<(c: Call) => void> = [];

  record(c: Call): void {
    this.count++;
    this.lastAt = c.at;
    for (const o of this.observers) o(c);
    for (let i = 0; i < this.waiters.length; i++) {
      const w = this.waiters[i] as Waiter;
      if (w.match(c)) {
        this.waiters.splice(i, 1);
        w.resolve(c);
        return;
      }
    }
  }

  /** Resolves with the first call (from now on) that matches; rejects after `timeoutMs`. */
  waitFor(match: (c: Call) => boolean, timeoutMs = 30_000): Promise<Call> {
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        match,
        resolve: (c) => {
          clearTimeout(timer);
          resolve(c);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(new Error(`no matching call within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  /** Resolves once no call has arrived for `quietMs` (the bot's backlog is delivered). */
  async idle(quietMs = 1500, maxMs = 120_000): Promise<void> {
    const start = Date.now();
    for (;;) {
      const last = Math.max(this.lastAt, start);
      if (Date.now() - last >= quietMs || Date.now() - start > maxMs) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function send(res: http.ServerResponse, status: number, json: unknown): void {
  const text = JSON.stringify(json);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export const BOT_USER_ID = 'U0HELPLINE';
export const BOT_ID = 'B0HELPLINE';

export class BenchSlackApi extends Recorder {
  url = '';
  private server: http.Server | null = null;
  private seq = 0;

  async start(): Promise<this> {
    this.server = http.createServer(async (req, res) => {
      const raw = await readBody(req);
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
      let body: Record<string, unknown>;
      if (String(req.headers['content-type']).includes('json')) body = raw ? JSON.parse(raw) : {};
      else body = Object.fromEntries(new URLSearchParams(raw));
      for (const k of ['blocks', 'view']) {
        const v = body[k];
        if (typeof v === 'string') body[k] = JSON.parse(v) as unknown;
      }
      const ts = `${Math.floor(Date.now() / 1000)}.${String(++this.seq).padStart(6, '0')}`;
      const channel = String(body.channel ?? '');
      switch (method) {
        case 'auth.test':
          send(res, 200, { ok: true, team_id: 'T0BENCH', user_id: BOT_USER_ID, bot_id: BOT_ID, user: 'helpline' });
          break;
        case 'chat.postMessage': {
          const ch = /^[UW]/.test(channel) ? `D${channel.slice(1)}` : channel;
          body.ts = ts;
          body.channel = ch;
          send(res, 200, { ok: true, channel: ch, ts, message: { type: 'message', ts, text: body.text } });
          break;
        }
        case 'chat.update':
          send(res, 200, { ok: true, channel, ts: body.ts });
          break;
        case 'chat.postEphemeral':
          send(res, 200, { ok: true, message_ts: ts });
          break;
        case 'users.info': {
          const id = String(body.user ?? '');
          send(res, 200, { ok: true, user: { id, name: id.toLowerCase(), profile: { real_name: `Person ${id}` } } });
          break;
        }
        case 'views.open':
        case 'views.update':
        case 'views.publish':
          send(res, 200, { ok: true, view: { id: `V${++this.seq}` } });
          break;
        default:
          send(res, 200, { ok: true });
      }
      this.record({ method, body, at: Date.now() });
    });
    this.url = `http://127.0.0.1:${await listen(this.server)}/api/`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }
}

export class BenchConnector extends Recorder {
  url = '';
  private server: http.Server | null = null;
  private seq = 0;

  async start(): Promise<this> {
    this.server = http.createServer(async (req, res) => {
      const raw = await readBody(req);
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
      let body: Record<string, unknown> = {};
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        // not JSON
      }
      if (m) send(res, 200, { id: m[2] && req.method === 'PUT' ? m[2] : `act-${++this.seq}` });
      else if (path === '/v3/conversations')
        send(res, 201, { id: `a:conv-${++this.seq}`, activityId: `act-${++this.seq}` });
      else send(res, 404, { error: { code: 'NotFound', message: path } });
      this.record({ method: `${req.method} ${path}`, body, at: Date.now() });
    });
    this.url = `http://127.0.0.1:${await listen(this.server)}/`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }
}
