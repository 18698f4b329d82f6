import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import type restify from 'restify';
import type { App } from '../../bootstrap';
import { playgroundOn } from '../../config/env';
import type { PlatformDelivery } from '../../notify/delivery';
import { JSON_BODY } from '../../web/body';
import { requestId, requestLog } from '../../web/server';
import { answering } from '../busy';
import { HelplineTeamsBot } from './bot';
import { conversationModelOf, MongoConversationStore } from './conversation-store';
import { TeamsDelivery } from './delivery';

/**
 * The response as the adapter writes it: its status turned into 503 when the request met work in progress elsewhere,
 * and no error text of its own (CloudAdapter answers a refused token or a failure with the error's message).
 */
function guarded(res: restify.Response, busy: () => boolean, requestId: string): restify.Response {
  let code = 200;
  return new Proxy(res, {
    get(target, prop, receiver) {
      if (prop === 'status')
        return (c: number) => {
          code = busy() && c < 300 ? 503 : c;
          return target.status(code);
        };
      if (prop === 'send')
        return (body?: unknown) => {
          if (typeof body !== 'string' || (code !== 401 && code < 500)) return target.send(body);
          return target.send({ error: code === 401 ? 'unauthorized' : 'internal error', requestId });
        };
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export interface TeamsAdapter {
  delivery: PlatformDelivery;
  stop(): Promise<void>;
}

/**
 * Mount the Bot Framework CloudAdapter on /api/messages. With MicrosoftAppId set, every request's token is
 * verified. Without it authentication is off (as the Bot Framework Emulator and the playground expect), so
 * Teams is mounted then only in playground mode (`playgroundOn`: never in production, never by default
 * with Slack credentials); otherwise it is not mounted at all.
 */
export async function mountTeams(
  server: restify.Server,
  app: App,
  opts: { connectorTimeoutMs?: number } = {},
): Promise<TeamsAdapter | null> {
  const { env, log } = app;
  if (!env.MicrosoftAppId && !playgroundOn(env)) {
    log.info('Teams is off: no MicrosoftAppId (unauthenticated /api/messages only in playground mode)');
    return null;
  }
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: env.MicrosoftAppId ?? '',
    MicrosoftAppPassword: env.MicrosoftAppPassword ?? '',
    MicrosoftAppType: env.MicrosoftAppType,
    MicrosoftAppTenantId: env.MicrosoftAppTenantId ?? '',
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (ctx: TurnContext, err: Error) => {
    log.error(
      { err: err.stack ?? err.message, activityType: ctx.activity.type, name: ctx.activity.name },
      'Teams turn failed',
    );
    if (ctx.activity.type === 'message') {
      await ctx
        .sendActivity({
          type: 'message',
          text: 'Sorry, something went wrong on our side. Please try again.',
          textFormat: 'plain',
        })
        .catch(() => undefined);
    }
  };
  const conversations = new MongoConversationStore(() => conversationModelOf(app));
  const delivery = new TeamsDelivery(adapter, env.MicrosoftAppId ?? '', conversations, app, opts.connectorTimeoutMs);
  const bot = new HelplineTeamsBot(app, conversations, (userId, activity) => delivery.sendPersonal(userId, activity));

  // The body is read (JSON, capped) before this runs: src/web/body.ts.
  server.post({ path: '/api/messages', readBody: JSON_BODY }, async (req: restify.Request, res: restify.Response) => {
    try {
      // A request that met its own work still in progress elsewhere is answered 503 (adapters/busy.ts).
      const { state, done } = answering((now) =>
        adapter.process(
          req,
          guarded(res, () => now.busy, requestId(req)),
          (ctx) => bot.run(ctx),
        ),
      );
      await done;
      if (state.busy) log.info({ activityId: (req.body as { id?: string })?.id }, 'Teams: in progress elsewhere; 503');
    } catch (err) {
      requestLog(req, log).error({ err: (err as Error).message }, 'Teams request failed');
      if (!res.headersSent) res.send(500);
    }
  });
  log.info({ auth: env.MicrosoftAppId ? 'on' : 'off (no MicrosoftAppId)' }, 'Teams mounted on /api/messages');

  return {
    delivery,
    stop: async () => undefined,
  };
}
