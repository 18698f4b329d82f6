import { randomUUID } from 'node:crypto';
import type restify from 'restify';
import type { App } from '../../bootstrap';
import { JSON_BODY } from '../../web/body';
import type { ConversationLog, PlaygroundActivity } from './conversations';
import { BOT, type PlaygroundDelivery } from './delivery';
import type { PlaygroundDirectory } from './directory';

/** Where the bot's Bot Connector calls land: the activities' `serviceUrl` is `${base}${CONNECTOR_PATH}`. */
export const CONNECTOR_PATH = '/playground/connector/';

/** A request's JSON body (read by src/web/body.ts; none: {}). */
export function requestJson(req: restify.Request): unknown {
  return (req.body as unknown) ?? {};
}

/**
 * The Bot Connector the bot calls back (the activities' serviceUrl): replies, updates and proactive conversations
 * are recorded in the playground's conversation log, which pushes them to the page.
 */
export function mountConnector(
  server: restify.Server,
  deps: {
    app: App;
    dir: PlaygroundDirectory;
    conversations: ConversationLog;
    delivery: PlaygroundDelivery;
  },
): void {
  const { app, dir, conversations, delivery } = deps;

  const recordFromBot = (conversationId: string, activity: Record<string, unknown>, id: string, replyToId?: string) => {
    const type = typeof activity.type === 'string' ? activity.type : 'message';
    if (type !== 'message') return; // typing indicators and the like: nothing to show
    const record: PlaygroundActivity = {
      id,
      type,
      conversationId,
      from: { ...BOT, role: 'bot' },
      timestamp: app.clock.now().toISOString(),
    };
    if (typeof activity.text === 'string' && activity.text) record.text = activity.text;
    if (Array.isArray(activity.attachments))
      record.attachments = activity.attachments as PlaygroundActivity['attachments'];
    if (replyToId) record.replyToId = replyToId;
    conversations.upsert(record);
  };
  const connector = (suffix: string) => `${CONNECTOR_PATH}v3/${suffix}`;
  const param = (req: restify.Request, name: string) => String((req.params as Record<string, string>)[name] ?? '');

  const postActivity = async (req: restify.Request, res: restify.Response) => {
    const body = requestJson(req) as Record<string, unknown>;
    const conversationId = param(req, 'conversationId');
    const id = `pg-${randomUUID()}`;
    const replyToId = param(req, 'activityId') || undefined;
    recordFromBot(conversationId, body, id, replyToId);
    res.json(200, { id });
  };
  server.post({ path: connector('conversations/:conversationId/activities'), readBody: JSON_BODY }, postActivity);
  server.post(
    { path: connector('conversations/:conversationId/activities/:activityId'), readBody: JSON_BODY },
    postActivity,
  );
  server.put(
    { path: connector('conversations/:conversationId/activities/:activityId'), readBody: JSON_BODY },
    async (req: restify.Request, res: restify.Response) => {
      const body = requestJson(req) as Record<string, unknown>;
      const conversationId = param(req, 'conversationId');
      const id = param(req, 'activityId');
      const patch: Pick<PlaygroundActivity, 'text' | 'attachments'> = {};
      if (Array.isArray(body.attachments)) patch.attachments = body.attachments as PlaygroundActivity['attachments'];
      if (typeof body.text === 'string') patch.text = body.text;
      if (!conversations.update(conversationId, id, patch, app.clock.now())) {
        res.json(404, { error: { code: 'ActivityNotFound', message: `no activity ${id} in ${conversationId}` } });
        return;
      }
      res.json(200, { id });
    },
  );
  server.del(
    connector('conversations/:conversationId/activities/:activityId'),
    (_req: restify.Request, res: restify.Response, next: restify.Next) => {
      res.json(200, {});
      next();
    },
  );
  // A proactive 1:1 chat: the person's personal chat view.
  server.post(
    { path: connector('conversations'), readBody: JSON_BODY },
    async (req: restify.Request, res: restify.Response) => {
      const body = requestJson(req) as { members?: Array<{ id?: string }>; activity?: Record<string, unknown> };
      const member = body.members?.[0]?.id;
      if (!member) {
        res.json(400, { error: { code: 'BadArgument', message: 'members[0].id is required' } });
        return;
      }
      const conversationId = delivery.conversationFor({ kind: 'user', id: member });
      const out: { id: string; activityId?: string } = { id: conversationId };
      if (body.activity) {
        out.activityId = `pg-${randomUUID()}`;
        recordFromBot(conversationId, body.activity, out.activityId);
      }
      res.json(201, out);
    },
  );
  // Members of a conversation (TeamsInfo and friends): the people the playground knows.
  server.get(
    connector('conversations/:conversationId/members'),
    (_req: restify.Request, res: restify.Response, next: restify.Next) => {
      res.json(
        200,
        dir.people.map((p) => ({ id: p.accountId, name: p.name })),
      );
      next();
    },
  );
}
