import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import type restify from 'restify';
import { z } from 'zod';
import type { App } from '../../bootstrap';
import { playgroundOn } from '../../config/env';
import type { Platform } from '../../config/policy.schema';
import type { PlatformDelivery } from '../../notify/delivery';
import { projectRoot } from '../../store/local-mongo';
import { JSON_BODY } from '../../web/body';
import { CONNECTOR_PATH, mountConnector, requestJson } from './connector';
import { ConversationLog } from './conversations';
import { ADAPTIVE_CARD, BOT, PlaygroundDelivery } from './delivery';
import { type PlaygroundDirectory, type PlaygroundPerson, type PlaygroundView, playgroundDirectory } from './directory';

export interface PlaygroundAdapter {
  delivery: PlatformDelivery;
  stop(): Promise<void>;
}

/** The Bot Framework channel id of activities the page sends. */
export const PLAYGROUND_CHANNEL_ID = 'playground';
export { CONNECTOR_PATH };

/**
 * On only when the configuration says so (src/config/env.ts `playgroundOn`: HELPLINE_PLAYGROUND=1, or no
 * credentials at all), never in production, and never with Bot Framework authentication on: the page posts
 * unauthenticated activities to /api/messages.
 */
export function playgroundEnabled(env: App['env']): boolean {
  return playgroundOn(env) && !env.MicrosoftAppId;
}

const STATIC_FILES: Record<string, string> = {
  'app.js': 'application/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

const sendBody = z.strictObject({
  as: z.string().min(1).max(200),
  conversationId: z.string().min(1).max(300),
  text: z.string().trim().min(1).max(20_000),
});
const actionBody = z.strictObject({
  as: z.string().min(1).max(200),
  conversationId: z.string().min(1).max(300),
  /** The activity whose card holds the button. */
  replyToId: z.string().min(1).max(300),
  action: z.strictObject({
    type: z.enum(['Action.Execute', 'Action.Submit']),
    verb: z.string().max(200).optional(),
    data: z.unknown().optional(),
  }),
});

type InvokeAnswer = { statusCode?: number; type?: string; value?: unknown };

/**
 * The local playground at `/`: a Bot Framework channel of its own, like the Bot Framework Emulator.
 * The page's people send activities through this server to the bot's `/api/messages`, with this
 * server's connector routes as `serviceUrl`; what the bot sends back (replies, updates, proactive
 * posts) is recorded in memory and pushed to the page with server-sent events. Notices for channels
 * and people whose platform is not configured come here through PlaygroundDelivery.
 */
export async function mountPlayground(server: restify.Server, app: App): Promise<PlaygroundAdapter | null> {
  const { env, log } = app;
  if (!playgroundEnabled(env)) return null;

  const configured = (platform: Platform) => platform === 'slack' && !!env.SLACK_BOT_TOKEN;
  const dir = playgroundDirectory(app, configured);
  const conversations = new ConversationLog();
  const delivery = new PlaygroundDelivery(app, dir, conversations);
  const webRoot = path.join(projectRoot(), 'src', 'web', 'playground');
  const cardsScript = require.resolve('adaptivecards/dist/adaptivecards.min.js');

  /** This server as the bot reaches it (loopback when listening on every interface). */
  const selfBase = (): string => {
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : env.PORT;
    const host = ['0.0.0.0', '::', '', 'localhost'].includes(env.HOST) ? '127.0.0.1' : env.HOST;
    return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  };
  const serviceUrl = () => `${env.PUBLIC_URL ?? selfBase()}${CONNECTOR_PATH}`;
  const now = () => app.clock.now().toISOString();

  // ---------------------------------------------------------------------------------------------
  // The page sends activities to the bot, as a Bot Framework channel does.

  const conversationOf = (view: PlaygroundView) => ({
    id: view.conversationId,
    name: view.name,
    isGroup: view.kind === 'channel',
    conversationType: view.kind === 'channel' ? 'channel' : 'personal',
  });
  /** The sender, by playground id: the bot maps channelId 'playground' to the policy's playground accounts. */
  const fromOf = (p: PlaygroundPerson) => ({ id: p.accountId, name: p.name, role: 'user' });
  const envelope = (p: PlaygroundPerson, view: PlaygroundView) => ({
    id: `pg-${randomUUID()}`,
    channelId: PLAYGROUND_CHANNEL_ID,
    serviceUrl: serviceUrl(),
    timestamp: new Date().toISOString(),
    localTimestamp: now(),
    from: fromOf(p),
    recipient: { id: BOT.id, name: BOT.name, role: 'bot' },
    conversation: conversationOf(view),
    locale: 'en-GB',
  });

  async function toBot(activity: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${selfBase()}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = text;
    }
    return { status: res.status, body };
  }

  /**
   * Like the Emulator opening a conversation: a conversationUpdate with the bot added to every channel
   * and personal chat, so the bot stores their conversation references and can post there proactively
   * (the Teams delivery reaches channels only through those references). Once per process, on first
   * use of the playground (never at start-up: a process nobody plays with stores nothing); retried on
   * the next call if it failed.
   */
  let installed: Promise<void> | undefined;
  const install = (): Promise<void> => {
    installed ??= (async () => {
      const someone = dir.people[0];
      if (!someone) return;
      for (const view of dir.views) {
        const p = view.kind === 'personal' ? (dir.person(view.key) ?? someone) : someone;
        const r = await toBot({
          ...envelope(p, view),
          type: 'conversationUpdate',
          membersAdded: [
            { id: BOT.id, name: BOT.name },
            { id: p.accountId, name: p.name },
          ],
        });
        if (r.status >= 300) throw new Error(`conversationUpdate for ${view.name} answered ${r.status}`);
      }
      log.info({ conversations: dir.views.length }, 'playground: bot added to its channels and chats');
    })().catch((err: Error) => {
      installed = undefined;
      log.warn({ err: err.message }, 'playground: could not introduce the bot to its conversations');
    });
    return installed;
  };

  const parseOr400 = <T>(schema: z.ZodType<T>, req: restify.Request, res: restify.Response): T | null => {
    const r = schema.safeParse(requestJson(req));
    if (!r.success) {
      res.json(400, { error: r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') });
      return null;
    }
    return r.data;
  };
  const who = (as: string, res: restify.Response): PlaygroundPerson | null => {
    const p = dir.person(as);
    if (!p) res.json(400, { error: `no person "${as}" in the policy` });
    return p ?? null;
  };
  const where = (conversationId: string, res: restify.Response): PlaygroundView | null => {
    const v = dir.view(conversationId);
    if (!v) res.json(404, { error: `no playground conversation "${conversationId}"` });
    return v ?? null;
  };

  // ---------------------------------------------------------------------------------------------
  // The page and its assets.

  const sendFile = async (res: restify.Response, file: string, type: string, cache: string) => {
    let data: Buffer;
    try {
      data = await fs.promises.readFile(file);
    } catch {
      res.json(404, { error: 'not found' });
      return;
    }
    res.writeHead(200, { 'content-type': type, 'cache-control': cache, 'content-length': data.length });
    res.end(data);
  };
  server.get('/', async (_req: restify.Request, res: restify.Response) => {
    await sendFile(res, path.join(webRoot, 'index.html'), 'text/html; charset=utf-8', 'no-cache');
  });
  server.get('/playground/static/:file', async (req: restify.Request, res: restify.Response) => {
    const file = String(req.params.file ?? '');
    const type = Object.hasOwn(STATIC_FILES, file) ? STATIC_FILES[file] : undefined;
    if (!type) res.json(404, { error: 'not found' });
    else await sendFile(res, path.join(webRoot, file), type, 'no-cache');
  });
  server.get('/playground/vendor/adaptivecards.min.js', async (_req: restify.Request, res: restify.Response) => {
    await sendFile(res, cardsScript, 'application/javascript; charset=utf-8', 'public, max-age=3600');
  });

  server.get('/playground/api/state', async (_req: restify.Request, res: restify.Response) => {
    await install();
    res.json(200, {
      organisation: app.policy.organisation,
      bot: BOT,
      people: dir.people.map(({ id, name, accountId, role, roles, accounts }) => ({
        id,
        name,
        accountId,
        role,
        roles,
        accounts,
      })),
      views: dir.views,
      clock: {
        movable: env.HELPLINE_TEST_CLOCK,
        now: now(),
        timeZone: app.policy.calendar.timeZone,
      },
      conversations: conversations.snapshot(),
    });
  });
  server.get('/playground/api/clock', (_req: restify.Request, res: restify.Response, next: restify.Next) => {
    res.json(200, { movable: env.HELPLINE_TEST_CLOCK, now: now(), timeZone: app.policy.calendar.timeZone });
    next();
  });
  // Server-sent events: the request stays open; restify's chain ends when the page goes away.
  server.get('/playground/events', (_req: restify.Request, res: restify.Response, next: restify.Next) => {
    if (!conversations.attach(res as unknown as ServerResponse)) {
      res.json(503, { error: 'too many open playground pages' });
      next();
      return;
    }
    res.once('close', () => next());
  });

  // A person says something in a conversation.
  server.post(
    { path: '/playground/api/messages', readBody: JSON_BODY },
    async (req: restify.Request, res: restify.Response) => {
      const body = parseOr400(sendBody, req, res);
      if (!body) return;
      const p = who(body.as, res);
      const view = p && where(body.conversationId, res);
      if (!p || !view) return;
      await install();
      const activity = { ...envelope(p, view), type: 'message', text: body.text, textFormat: 'plain' };
      conversations.upsert({
        id: activity.id,
        type: 'message',
        conversationId: view.conversationId,
        from: { id: p.accountId, name: p.name, role: 'user' },
        text: body.text,
        timestamp: now(),
      });
      const r = await toBot(activity).catch((err: Error) => ({ status: 502, body: { error: err.message } }));
      res.json(r.status < 300 ? 200 : 502, { id: activity.id, status: r.status });
    },
  );

  // A person clicks a card button: Action.Execute → invoke, Action.Submit → message with value.
  server.post(
    { path: '/playground/api/actions', readBody: JSON_BODY },
    async (req: restify.Request, res: restify.Response) => {
      const body = parseOr400(actionBody, req, res);
      if (!body) return;
      const p = who(body.as, res);
      const view = p && where(body.conversationId, res);
      if (!p || !view) return;
      await install();
      const data = body.action.data ?? {};
      if (body.action.type === 'Action.Submit') {
        const activity = { ...envelope(p, view), type: 'message', replyToId: body.replyToId, value: data };
        const r = await toBot(activity).catch((err: Error) => ({ status: 502, body: { error: err.message } }));
        res.json(200, { kind: r.status < 300 ? 'sent' : 'error', status: r.status });
        return;
      }
      const activity = {
        ...envelope(p, view),
        type: 'invoke',
        name: 'adaptiveCard/action',
        replyToId: body.replyToId,
        value: {
          action: { type: 'Action.Execute', verb: body.action.verb ?? '', data },
          trigger: 'manual',
        },
      };
      const r = await toBot(activity).catch((err: Error) => ({ status: 502, body: { error: err.message } }));
      const answer = (r.body ?? {}) as InvokeAnswer;
      if (answer.type === ADAPTIVE_CARD && answer.value && (answer.statusCode ?? r.status) < 300) {
        // The invoke response replaces the card in place, as Teams does for the person who clicked.
        conversations.update(
          view.conversationId,
          body.replyToId,
          { attachments: [{ contentType: ADAPTIVE_CARD, content: answer.value }] },
          app.clock.now(),
        );
        res.json(200, { kind: 'card', status: answer.statusCode ?? r.status });
        return;
      }
      if (answer.type === 'application/vnd.microsoft.activity.message') {
        res.json(200, { kind: 'message', status: answer.statusCode ?? r.status, message: String(answer.value ?? '') });
        return;
      }
      const err = answer.value as { message?: string } | undefined;
      res.json(200, {
        kind: 'error',
        status: answer.statusCode ?? r.status,
        message: err?.message ?? `The bot answered ${answer.statusCode ?? r.status}`,
      });
    },
  );

  mountConnector(server, { app, dir, conversations, delivery });

  // The server is closing: end the event streams so it does not wait for open pages.
  const close = server.close.bind(server);
  server.close = ((...args: Parameters<typeof server.close>) => {
    conversations.close();
    return close(...args);
  }) as typeof server.close;

  log.info({ url: '/', serviceUrl: CONNECTOR_PATH }, 'playground mounted on /');
  return {
    delivery,
    stop: async () => conversations.close(),
  };
}

export type { PlaygroundDirectory };
