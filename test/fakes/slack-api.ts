/**
 * A local stand-in for Slack's Web API (SLACK_API_URL), following Slack's method reference
 * (https://docs.slack.dev/reference/methods/<method>: arguments, `{ ok, error }` answers, HTTP 429 with Retry-After
 * seconds) for the methods Helpline calls; the scopes each needs are checked against the manifest by
 * test/unit/manifests/slack-manifest.test.ts, from the reference vendored in manifests/schemas/slack/.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Web API call the bot made: the method, its parsed body (JSON-valued fields such as `blocks` and `view` parsed) and the token. */
export interface SlackCall {
  method: string;
  body: Record<string, unknown>;
  token: string | null;
  at: number;
  /** What the fake answered (e.g. the `ts` of a posted message). */
  response?: Record<string, unknown>;
  /** When the answer was written back to the caller (after any delay). */
  answeredAt?: number;
}

export interface SlackDelay {
  ms: number;
  method?: string;
  channel?: string;
  /** Only a call whose body this accepts (e.g. the reply in one thread), so a notice sent meanwhile is not the one delayed. */
  match?: (body: Record<string, unknown>) => boolean;
}

export interface SlackFailure {
  status: number;
  /** The call takes effect (a message is posted) but its answer is lost: what a crash after posting looks like. */
  afterEffect?: boolean;
  retryAfter?: number;
  /** A Slack platform error (`{ ok: false, error }`) instead of an HTTP status. */
  error?: string;
  /** Only calls to this method fail (default: any). */
  method?: string;
  /** Only calls for this channel fail (default: any). */
  channel?: string;
}

const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata', 'files']);

/** A file uploaded through files.uploadV2's three steps, as the fake saw them. */
export interface SlackUpload {
  fileId: string;
  /** From files.getUploadURLExternal. */
  filename: string;
  length: number;
  /** The bytes POSTed to the upload URL (null until then). */
  bytes: Buffer | null;
  /** From files.completeUploadExternal (null until then). */
  channel: string | null;
  initialComment: string | null;
  title: string | null;
}

/** The file part of a multipart/form-data body (the WebClient posts the bytes as a form field). */
function multipartFile(raw: Buffer, contentType: string): Buffer {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) return raw;
  const mark = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const start = raw.indexOf(mark);
  const headersEnd = raw.indexOf('\r\n\r\n', start);
  const end = raw.indexOf(Buffer.concat([Buffer.from('\r\n'), mark]), headersEnd);
  return start < 0 || headersEnd < 0 || end < 0 ? raw : raw.subarray(headersEnd + 4, end);
}

export const BOT_USER_ID = 'U0HELPLINE';
export const BOT_ID = 'B0HELPLINE';
export const TEAM_ID = 'T0HELPLINE';

/**
 * A local stand-in for the Slack Web API (`SLACK_API_URL`): answers the methods Helpline uses,
 * records every call, and can be told to fail the next N calls (429 with Retry-After, 5xx, or a
 * platform error such as channel_not_found).
 */
export class FakeSlackApi {
  readonly calls: SlackCall[] = [];
  /** Files uploaded with files.uploadV2, by file id, in order. */
  readonly uploads: SlackUpload[] = [];
  private server: http.Server | null = null;
  private failures: SlackFailure[] = [];
  /** Failures that last until cleared (an outage, a revoked token, a deleted channel). */
  private standing: SlackFailure[] = [];
  private delays: SlackDelay[] = [];
  /** Messages posted, per channel (for conversations.history), with their metadata. */
  private readonly history = new Map<string, Array<Record<string, unknown>>>();
  private seq = 0;
  url = '';
  /** What `apps.connections.open` answers: a Socket Mode URL (see FakeSlackSocket), or null for an app without Socket Mode. */
  socketUrl: () => string | null = () => null;

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        if ((req.url ?? '').startsWith('/upload/')) this.receiveUpload(req, res, raw);
        else this.answer(req, res, raw.toString('utf8'));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/api/`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  reset(): void {
    this.calls.length = 0;
    this.uploads.length = 0;
    this.history.clear();
    this.failures = [];
    this.standing = [];
    this.delays = [];
  }

  /** The next matching call is answered only after `ms` (a slow Slack). */
  delayNext(d: SlackDelay): void {
    this.delays.push(d);
  }

  /** The next `n` matching calls fail this way. */
  failNext(n: number, f: SlackFailure): void {
    for (let i = 0; i < n; i++) this.failures.push(f);
  }

  /**
   * Every matching call fails this way until `stop` is called: an outage (500), a throttle (429), a token revoked
   * (`error: 'invalid_auth'`) or a channel gone (`error: 'channel_not_found', channel`). One-off failures (failNext)
   * come first; the first matching standing failure wins.
   */
  failUntilStopped(f: SlackFailure): { stop(): void } {
    this.standing.push(f);
    return {
      stop: () => {
        this.standing = this.standing.filter((x) => x !== f);
      },
    };
  }

  /** Calls to `method` that Slack answered `ok: true`. */
  succeeded(method: string): SlackCall[] {
    return this.callsTo(method).filter((c) => c.response?.ok === true);
  }

  callsTo(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Every message and view text the bot sent, as one string per call (for "never shows X" checks). */
  sentText(): string[] {
    return this.calls.map((c) => JSON.stringify(c.body));
  }

  private parse(req: http.IncomingMessage, raw: string): Record<string, unknown> {
    const type = String(req.headers['content-type'] ?? '');
    let body: Record<string, unknown> = {};
    if (type.includes('application/json')) body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    else body = Object.fromEntries(new URLSearchParams(raw));
    for (const k of Object.keys(body)) {
      const v = body[k];
      if (JSON_FIELDS.has(k) && typeof v === 'string') {
        try {
          body[k] = JSON.parse(v) as unknown;
        } catch {
          // keep the raw string: the limits check reports it
        }
      }
    }
    return body;
  }

  /** A posted message kept in its channel's history. Posting to a user id lands in the app's DM with them. */
  /** files.completeUploadExternal's effect: the files shared in the channel, a message in its history. */
  private completeUpload(body: Record<string, unknown>): Array<SlackUpload | undefined> | null {
    const files = (Array.isArray(body.files) ? body.files : []) as Array<{ id?: string; title?: string }>;
    const done = files.map((f) => this.uploads.find((u) => u.fileId === f.id));
    if (done.some((u) => !u?.bytes)) return null;
    for (const [i, u] of done.entries()) {
      if (!u) continue;
      u.channel = typeof body.channel_id === 'string' ? body.channel_id : null;
      u.initialComment = typeof body.initial_comment === 'string' ? body.initial_comment : null;
      u.title = files[i]?.title ?? null;
    }
    const channel = String(body.channel_id ?? '');
    const list = this.history.get(channel) ?? [];
    list.push({
      type: 'message',
      text: body.initial_comment ?? '',
      user: BOT_USER_ID,
      bot_id: BOT_ID,
      ts: `${Math.floor(Date.now() / 1000)}.${String(++this.seq).padStart(6, '0')}`,
      files: done.map((u) => ({ id: u?.fileId, name: u?.filename, title: u?.title })),
    });
    this.history.set(channel, list);
    return done;
  }

  private record(_method: string, body: Record<string, unknown>) {
    const channel = String(body.channel ?? '');
    const ch = /^[UW]/.test(channel) ? `D${channel.slice(1)}` : channel;
    const t = `${Math.floor(Date.now() / 1000)}.${String(++this.seq).padStart(6, '0')}`;
    const message: Record<string, unknown> = {
      type: 'message',
      text: body.text,
      user: BOT_USER_ID,
      bot_id: BOT_ID,
      ts: t,
      ...(body.thread_ts ? { thread_ts: String(body.thread_ts) } : {}),
    };
    const list = this.history.get(ch) ?? [];
    list.push(body.metadata ? { ...message, metadata: body.metadata } : message);
    this.history.set(ch, list);
    return { ch, message };
  }

  /** Step 2 of files.uploadV2: the bytes POSTed to the upload URL files.getUploadURLExternal gave. */
  private receiveUpload(req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer) {
    const fileId = (req.url ?? '').slice('/upload/'.length);
    const upload = this.uploads.find((u) => u.fileId === fileId);
    this.calls.push({ method: 'upload', body: { fileId, bytes: raw.length }, token: null, at: Date.now() });
    if (!upload) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('no such upload');
      return;
    }
    upload.bytes = multipartFile(raw, String(req.headers['content-type'] ?? ''));
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`OK - ${upload.bytes.length}`);
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse, raw: string) {
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
    const body = this.parse(req, raw);
    const auth = String(req.headers.authorization ?? '');
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : typeof body.token === 'string' ? body.token : null;
    const call: SlackCall = { method, body, token, at: Date.now() };
    this.calls.push(call);
    const d = this.delays.findIndex(
      (x) =>
        (!x.method || x.method === method) &&
        (!x.channel || x.channel === String(body.channel ?? '')) &&
        (!x.match || x.match(body)),
    );
    const delayMs = d >= 0 ? (this.delays.splice(d, 1)[0]?.ms ?? 0) : 0;
    const send = (status: number, json: Record<string, unknown>, headers: Record<string, string> = {}) => {
      call.response = json;
      const write = () => {
        call.answeredAt = Date.now();
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(JSON.stringify(json));
      };
      if (delayMs > 0) setTimeout(write, delayMs);
      else write();
    };
    const i = this.failures.findIndex(
      (f) => (!f.method || f.method === method) && (!f.channel || f.channel === String(body.channel ?? '')),
    );
    if (i >= 0 && this.failures[i]?.afterEffect) {
      const [f] = this.failures.splice(i, 1);
      if (method === 'files.completeUploadExternal') this.completeUpload(body);
      else this.record(method, body);
      return send(f?.status ?? 500, { ok: false, error: 'fake_failure_after_effect' });
    }
    const standing = this.standing.find(
      (f) => (!f.method || f.method === method) && (!f.channel || f.channel === String(body.channel ?? '')),
    );
    if (i < 0 && standing) {
      if (standing.error) return send(200, { ok: false, error: standing.error });
      if (standing.status === 429)
        return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(standing.retryAfter ?? 1) });
      return send(standing.status, { ok: false, error: 'fake_outage' });
    }
    if (i >= 0) {
      const [f] = this.failures.splice(i, 1);
      if (f?.error) return send(200, { ok: false, error: f.error });
      if (f?.status === 429)
        return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(f.retryAfter ?? 1) });
      return send(f?.status ?? 500, { ok: false, error: 'fake_failure' });
    }
    const ts = () => `${Math.floor(Date.now() / 1000)}.${String(++this.seq).padStart(6, '0')}`;
    const channel = String(body.channel ?? '');
    switch (method) {
      case 'auth.test':
        return send(200, {
          ok: true,
          url: 'https://helpline-test.slack.com/',
          team: 'Helpline',
          user: 'helpline',
          team_id: TEAM_ID,
          user_id: BOT_USER_ID,
          bot_id: BOT_ID,
        });
      case 'apps.connections.open': {
        const url = this.socketUrl();
        return send(200, url ? { ok: true, url } : { ok: false, error: 'socket_mode_not_enabled' });
      }
      case 'chat.postMessage': {
        const { ch, message } = this.record(method, body);
        return send(200, { ok: true, channel: ch, ts: message.ts, message });
      }
      case 'conversations.open':
        return send(200, { ok: true, channel: { id: `D${String(body.users ?? '').slice(1)}` } });
      case 'conversations.history': {
        const oldest = Number(body.oldest ?? 0);
        const withMetadata = String(body.include_all_metadata) === 'true';
        const messages = (this.history.get(channel) ?? [])
          .filter((m) => Number(m.ts) > oldest)
          .map(({ metadata, ...m }) => (withMetadata && metadata ? { ...m, metadata } : m))
          .reverse();
        return send(200, { ok: true, messages, has_more: false });
      }
      case 'conversations.replies': {
        // The thread's parent and its replies, oldest first (as Slack answers).
        const parent = String(body.ts ?? '');
        const withMetadata = String(body.include_all_metadata) === 'true';
        const messages = (this.history.get(channel) ?? [])
          .filter((m) => m.ts === parent || m.thread_ts === parent)
          .map(({ metadata, ...m }) => (withMetadata && metadata ? { ...m, metadata } : m));
        return send(200, { ok: true, messages, has_more: false });
      }
      case 'chat.update':
        return send(200, { ok: true, channel, ts: body.ts, text: body.text });
      case 'chat.postEphemeral':
        return send(200, { ok: true, message_ts: ts() });
      case 'chat.getPermalink':
        return send(200, {
          ok: true,
          channel,
          permalink: `https://helpline-test.slack.com/archives/${channel}/p${String(body.message_ts ?? '').replace('.', '')}`,
        });
      case 'views.open':
      case 'views.update':
      case 'views.publish': {
        const view = (typeof body.view === 'object' && body.view) || {};
        return send(200, { ok: true, view: { id: `V${++this.seq}`, hash: `h${this.seq}`, ...view } });
      }
      case 'users.info': {
        const id = String(body.user ?? '');
        return send(200, {
          ok: true,
          user: {
            id,
            name: id.toLowerCase(),
            real_name: `Person ${id}`,
            profile: { real_name: `Person ${id}`, display_name: id.toLowerCase() },
          },
        });
      }
      case 'files.info': {
        const id = String(body.file ?? '');
        return send(200, {
          ok: true,
          file: {
            id,
            name: `${id.toLowerCase()}.png`,
            permalink: `https://helpline-test.slack.com/files/${BOT_USER_ID}/${id}/${id.toLowerCase()}.png`,
          },
        });
      }
      case 'files.getUploadURLExternal': {
        const fileId = `F${String(++this.seq).padStart(8, '0')}`;
        this.uploads.push({
          fileId,
          filename: String(body.filename ?? ''),
          length: Number(body.length ?? 0),
          bytes: null,
          channel: null,
          initialComment: null,
          title: null,
        });
        return send(200, { ok: true, file_id: fileId, upload_url: this.url.replace(/\/api\/$/, `/upload/${fileId}`) });
      }
      case 'files.completeUploadExternal': {
        const done = this.completeUpload(body);
        if (!done) return send(200, { ok: false, error: 'file_upload_not_complete' });
        return send(200, { ok: true, files: done.map((u) => ({ id: u?.fileId, title: u?.title, name: u?.filename })) });
      }
      case 'conversations.info':
        return send(200, {
          ok: true,
          channel: {
            id: channel,
            name: 'general',
            is_channel: channel.startsWith('C'),
            is_im: channel.startsWith('D'),
          },
        });
      default:
        return send(200, { ok: false, error: 'unknown_method' });
    }
  }
}
