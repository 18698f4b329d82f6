import {
  App as BoltApp,
  type Logger as BoltLogger,
  HTTPReceiver,
  HTTPModuleFunctions as httpFunc,
  LogLevel,
  SocketModeReceiver,
  webApi,
} from '@slack/bolt';
import type restify from 'restify';
import type { App } from '../../bootstrap';
import { Action, Command } from '../../cards/actions';
import type { Logger } from '../../logger';
import type { PlatformDelivery } from '../../notify/delivery';
import { SLACK_BODY } from '../../web/body';
import { slackAllowList } from '../allow-list';
import { answering, BusyError, isBusyError } from '../busy';
import { actionListeners } from './actions';
import { clientListeners } from './client-actions';
import { commandListeners } from './commands';
import type { SlackContext } from './context';
import { SlackDelivery } from './delivery';
import { messageListeners } from './messages';
import { connectInBackground, type SocketState } from './socket';
import { slackState } from './state';
import { viewListeners } from './views';

export interface SlackAdapter {
  delivery: PlatformDelivery;
  /** Socket Mode only: the connection's state, for /readyz. */
  socketState?: () => SocketState;
  /** Socket Mode only: close the socket so no new work arrives (the first step of a shutdown). */
  stopReceiving?: () => Promise<void>;
  stop(): Promise<void>;
}

/** Bolt's logger, writing to ours (Bolt's info is our debug: it is chatty). */
function boltLogger(log: Logger): BoltLogger {
  const text = (msg: unknown[]) => msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    debug: (...m: unknown[]) => log.debug({ bolt: true }, text(m)),
    info: (...m: unknown[]) => log.debug({ bolt: true }, text(m)),
    warn: (...m: unknown[]) => log.warn({ bolt: true }, text(m)),
    error: (...m: unknown[]) => log.error({ bolt: true }, text(m)),
    setLevel: () => undefined,
    getLevel: () => LogLevel.DEBUG,
    setName: () => undefined,
  };
}

/**
 * Slack is answered when a listener's work is done (so a 200 means the ticket or action is saved: a replica
 * killed mid-way leaves the request unanswered, and Slack sends it again), or after this long when the work is
 * slower, since Slack wants its answer within 3 s; the work then finishes after the answer.
 */
const ANSWER_WITHIN_MS = 2_500;

/**
 * Mount Bolt on POST /slack/events of the shared server (events, interactivity, commands and
 * shortcuts on one path), or connect with Socket Mode when SLACK_APP_TOKEN is set. Returns null
 * when SLACK_BOT_TOKEN is unset.
 */
export async function mountSlack(server: restify.Server, app: App): Promise<SlackAdapter | null> {
  const { env, log } = app;
  const token = env.SLACK_BOT_TOKEN;
  if (!token) return null;
  const logger = boltLogger(log);

  // One auth.test at mount: Bolt then knows its own ids (to ignore its own messages) without asking per event.
  // A wrong token stops start-up with a clear message; Slack being unreachable only degrades (Bolt asks again later).
  const probe = new webApi.WebClient(token, { slackApiUrl: env.SLACK_API_URL, logger, retryConfig: { retries: 2 } });
  let botUserId = '';
  let botId = '';
  try {
    const auth = await probe.auth.test();
    botUserId = String(auth.user_id ?? '');
    botId = String(auth.bot_id ?? '');
  } catch (err) {
    const e = err as { code?: string; data?: { error?: string }; message?: string };
    if (e.code === webApi.ErrorCode.PlatformError)
      throw new Error(
        `Slack refused SLACK_BOT_TOKEN (${e.data?.error ?? 'auth.test failed'}): copy the Bot User OAuth Token from the Slack app's OAuth & Permissions page`,
      );
    log.error({ err: e.message }, 'Slack: auth.test failed; starting without the bot ids (Bolt will ask again)');
  }

  const socketMode = !!env.SLACK_APP_TOKEN;
  const receiver = socketMode
    ? new SocketModeReceiver({
        appToken: env.SLACK_APP_TOKEN as string,
        logger,
        // connectInBackground reconnects (the client's own retries can end in an unhandled rejection).
        autoReconnectEnabled: false,
        // apps.connections.open goes to SLACK_API_URL too; one try per attempt, the back-off is ours.
        installerOptions: {
          clientOptions: { slackApiUrl: env.SLACK_API_URL, retryConfig: { retries: 0 }, timeout: 10_000 },
        },
      })
    : new HTTPReceiver({
        signingSecret: env.SLACK_SIGNING_SECRET ?? '',
        endpoints: '/slack/events',
        processBeforeResponse: true, // the answer waits for the listener: see ANSWER_WITHIN_MS
        processEventErrorHandler: async ({ error, response, logger: l, storedResponse }) => {
          if (!isBusyError(error) || response.headersSent)
            return httpFunc.defaultProcessEventErrorHandler({ error, response, logger: l, storedResponse } as never);
          log.info('Slack: the same request is in progress elsewhere; answered 503');
          response.writeHead(503, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ error: error.message }));
          return true;
        },
        logger,
      });
  const bolt = new BoltApp({
    token,
    // The probe checked the token; when Slack was unreachable, Bolt must not re-check at construction
    // (its rejected promise would end the process): it asks again on the first event instead.
    ...(botId && botUserId ? { botId, botUserId } : { tokenVerificationEnabled: false }),
    receiver,
    logger,
    convoStore: false, // state lives in MongoDB, never in process memory
    // Each call ends well within the notifier's 60 s delivery lease (which it renews besides).
    clientOptions: { slackApiUrl: env.SLACK_API_URL, retryConfig: { retries: 2, factor: 1.5 }, timeout: 15_000 },
  });

  bolt.use(slackAllowList(env, log)); // first: a workspace not served reaches no listener

  const ctx: SlackContext = { app, client: bolt.client, botUserId, state: slackState(app) };
  const messages = messageListeners(ctx);
  const actions = actionListeners(ctx);
  const views = viewListeners(ctx);
  const commands = commandListeners(ctx);
  const clients = clientListeners(ctx);

  // Each listener's work is tracked, so shutdown lets it finish, and answered as ANSWER_WITHIN_MS says; work that
  // met the same request still in progress elsewhere is answered 503 (adapters/busy.ts), so Slack sends it again.
  // `retried`: Slack sends the request again when it is not answered 200 (events), or the person clicks again
  // (buttons, shortcuts); a view submission or slash command answers with its own body (a form error, a reply).
  const track = async (work: () => Promise<unknown>, retried = true): Promise<void> => {
    let late: NodeJS.Timeout | undefined;
    const { state, done } = answering(work);
    const settled = app.inflight.track(done).then(
      () => true,
      (err: Error) => {
        log.error({ err: err.message, code: (err as { code?: string }).code }, 'Slack: listener failed');
        return true;
      },
    );
    const finished = await Promise.race([
      settled,
      new Promise<false>((r) => (late = setTimeout(r, ANSWER_WITHIN_MS, false))),
    ]);
    clearTimeout(late);
    // Still running at the deadline while the database is away: it may yet fail, so not a 200 (Slack sends it again;
    // the claim tells the retry whether it was done after all).
    if (retried && ((finished && state.busy) || (!finished && !app.storeUp()))) throw new BusyError();
  };
  // Events are acked by Bolt before these run (the answer itself waits, see above).
  bolt.event('message', async ({ event, body, context }) => {
    await track(() => messages.handle(event, (body as { event_id?: string }).event_id, context.retryNum));
  });
  bolt.event('app_mention', async ({ event, body, context }) => {
    await track(() => messages.handle(event, (body as { event_id?: string }).event_id, context.retryNum));
  });
  bolt.event('app_home_opened', async ({ event }) => {
    await track(() => commands.home(event));
  });
  // Interactivity: ack first (stored until the work is done), then the work (a modal opens within the trigger's 3 s).
  bolt.action(/^(ticket|requester|alert|intake|card|queue|release)\./, async ({ ack, body }) => {
    await ack();
    await track(() => actions.handle(body));
  });
  bolt.view(/^helpline\./, async ({ ack, body }) => {
    await track(() => views.handle(body, (r) => ack(r as never)), false);
  });
  // The client directory: the intake typeahead and "Complete client record" (src/adapters/slack/client-actions.ts).
  bolt.options(Action.PickClient, async ({ ack, body, options }) => {
    const userId = (body as { user?: { id?: unknown } }).user?.id;
    await ack((await clients.options(userId, (options as { value?: unknown }).value)) as never);
  });
  bolt.action(/^client\./, async ({ ack, body }) => {
    await ack();
    await track(() => clients.action(body));
  });
  bolt.view(/^client\./, async ({ ack, body }) => {
    await track(() => clients.view(body, (r) => ack(r as never)), false);
  });
  bolt.command(Command.Slash, async ({ ack, command }) => {
    await track(() => commands.slash(command, (r) => ack(r as never)), false);
  });
  bolt.shortcut(Command.MessageShortcut, async ({ ack, shortcut }) => {
    await ack();
    await track(() => commands.fromMessage(shortcut));
  });
  bolt.shortcut(Command.GlobalShortcut, async ({ ack, shortcut }) => {
    await ack();
    await track(() => commands.globalForm(shortcut));
  });
  bolt.error(async (err) => {
    if (isBusyError(err)) throw err; // answered 503 by the receiver
    log.error({ err: err.message, code: (err as { code?: string }).code }, 'Slack: unhandled listener error');
  });

  if (receiver instanceof HTTPReceiver) {
    // The body is read before this runs (src/web/body.ts: counted on the stream, capped, kept raw): Bolt takes
    // `req.rawBody` as it is and verifies the signature over it.
    server.post(
      { path: '/slack/events', readBody: SLACK_BODY },
      (req: restify.Request, res: restify.Response, next: restify.Next) => {
        res.once('finish', () => next());
        receiver.requestListener(req, res);
      },
    );
  }
  // Socket Mode connects in the background: start-up (health, Teams, the playground) never waits for Slack.
  const socket = receiver instanceof SocketModeReceiver ? connectInBackground(receiver.client, log) : null;
  log.info({ mode: socketMode ? 'socket' : 'http', botUserId }, 'Slack mounted');

  const delivery = new SlackDelivery(app, token);
  if (!socket) return { delivery, stop: async () => undefined };
  return { delivery, socketState: socket.state, stopReceiving: () => socket.stop(), stop: () => socket.stop() };
}
