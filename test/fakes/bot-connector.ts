import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the bot made to the Bot Connector. */
export interface ConnectorCall {
  method: string;
  path: string;
  /** The conversation id of /v3/conversations/{id}/..., decoded. */
  conversationId: string | null;
  /** The reply-to id (POST .../activities/{id}) or the updated activity id (PUT .../activities/{id}). */
  activityId: string | null;
  kind: 'send' | 'reply' | 'update' | 'createConversation' | 'other';
  body: Record<string, unknown>;
  /** The id this fake answered with (sends, replies, creates). */
  answeredId: string | null;
  status: number;
}

export interface FakeBotConnector {
  /** Base URL to use as the activities' serviceUrl (ends with /). */
  url: string;
  calls: ConnectorCall[];
  /** Calls that delivered something (no 429s), in order. */
  delivered(): ConnectorCall[];
  /** Adaptive Card contents of every delivered send, reply and update. */
  cards(): Array<Record<string, unknown>>;
  /** Answer the next `n` calls with 429 and `Retry-After: retryAfterSeconds`. */
  throttleNext(n: number, retryAfterSeconds?: number): void;
  /** Answer the next `n` calls with this status (e.g. 500, 403). */
  failNext(n: number, status: number): void;
  /** Hold the next `n` calls for `ms` before doing them (a connector that times out, then posts all the same). */
  stallNext(n: number, ms: number): void;
  /** Channels GET /v3/teams/{id}/conversations lists for a team (besides the General channel = team id). */
  setTeamChannels(teamId: string, channels: Array<{ id: string; name: string }>): void;
  reset(): void;
  close(): Promise<void>;
}

/**
 * A local stand-in for the Bot Connector service: records what the bot sends to
 * /v3/conversations/{id}/activities[/{replyToId}], PUT updates and POST /v3/conversations.
 */
export async function startFakeBotConnector(): Promise<FakeBotConnector> {
  const calls: ConnectorCall[] = [];
  const failures: Array<{ status: number; retryAfter?: number }> = [];
  const stalls: number[] = [];
  const teamChannels = new Map<string, Array<{ id: string; name: string }>>();
  let seq = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const stall = stalls.shift();
      if (stall !== undefined) setTimeout(answer, stall);
      else answer();
    });
    function answer() {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> = {};
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        body = { raw };
      }
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const method = req.method ?? 'GET';
      const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
      const conversationId = m?.[1] ? decodeURIComponent(m[1]) : null;
      const activityId = m?.[2] ? decodeURIComponent(m[2]) : null;
      let kind: ConnectorCall['kind'] = 'other';
      if (m && method === 'POST') kind = activityId ? 'reply' : 'send';
      else if (m && method === 'PUT') kind = 'update';
      else if (path === '/v3/conversations' && method === 'POST') kind = 'createConversation';
      const call: ConnectorCall = {
        method,
        path,
        conversationId,
        activityId,
        kind,
        body,
        answeredId: null,
        status: 200,
      };
      calls.push(call);

      const json = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        call.status = status;
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(payload));
      };
      const failure = failures.shift();
      if (failure) {
        const headers: Record<string, string> =
          failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {};
        return json(
          failure.status,
          { error: { code: failure.status === 429 ? 'Throttled' : 'Failed', message: 'fake failure' } },
          headers,
        );
      }
      const teams = /^\/v3\/teams\/([^/]+)\/conversations$/.exec(path);
      if (teams?.[1] && method === 'GET') {
        const teamId = decodeURIComponent(teams[1]);
        return json(200, { conversations: [{ id: teamId, name: null }, ...(teamChannels.get(teamId) ?? [])] });
      }
      switch (kind) {
        case 'send':
        case 'reply':
          call.answeredId = `act-${++seq}`;
          return json(200, { id: call.answeredId });
        case 'update':
          call.answeredId = activityId;
          return json(200, { id: activityId });
        case 'createConversation':
          call.answeredId = `a:conv-${++seq}`;
          return json(201, { id: call.answeredId, activityId: `act-${++seq}` });
        default:
          return json(404, { error: { code: 'NotFound', message: `fake connector: no route for ${method} ${path}` } });
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeBotConnector = {
    url: `http://127.0.0.1:${port}/`,
    calls,
    delivered: () => calls.filter((c) => c.status < 300 && c.kind !== 'other'),
    cards() {
      return fake
        .delivered()
        .flatMap((c) => (c.body.attachments as Array<{ contentType?: string; content?: unknown }> | undefined) ?? [])
        .filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')
        .map((a) => a.content as Record<string, unknown>);
    },
    throttleNext(n, retryAfterSeconds = 1) {
      for (let i = 0; i < n; i++) failures.push({ status: 429, retryAfter: retryAfterSeconds });
    },
    failNext(n, status) {
      for (let i = 0; i < n; i++) failures.push({ status });
    },
    stallNext(n, ms) {
      for (let i = 0; i < n; i++) stalls.push(ms);
    },
    setTeamChannels(teamId, channels) {
      teamChannels.set(teamId, channels);
    },
    reset() {
      calls.length = 0;
      failures.length = 0;
      stalls.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
  return fake;
}
