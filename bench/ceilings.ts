/**
 * The ceilings a Helpline raise is measured against (issue 29), run by bot.ts as modes of their own. Each does the
 * round trips of a raise as the load generator sees them (bench/units.ts), on the same frameworks, mounts and fakes:
 *
 * - `bare-slack` / `bare-teams`: the framework alone, no work. The person's message is answered with a raise
 *   button whose value carries what the click needs (the message's thread and words); the click is answered
 *   with a confirmation `SR-n` (a number counted in memory).
 * - `minimal-slack` / `minimal-teams`: the same, plus exactly a raise's essential writes on the same local database
 *   (BENCH_MINIMAL_URI): a counter `$inc` (the ticket number), one ~4 KB ticket insert (its unique raise key is
 *   what makes a redelivery harmless) and one outbox insert (the notice to send), answered only after they are saved.
 */
import { randomUUID } from 'node:crypto';
import { type BlockAction, App as BoltApp, type ButtonAction, HTTPReceiver, LogLevel } from '@slack/bolt';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import { type Db, MongoClient } from 'mongodb';
import restify from 'restify';
import { Action } from '../src/cards/actions';
import { BOT_ID, BOT_USER_ID } from './fakes';

export type CeilingMode = 'bare-slack' | 'bare-teams' | 'minimal-slack' | 'minimal-teams';
export const isCeiling = (mode: string | undefined): mode is CeilingMode =>
  ['bare-slack', 'bare-teams', 'minimal-slack', 'minimal-teams'].includes(mode ?? '');

interface Raise {
  raiseKey: string;
  requester: { platform: 'slack' | 'teams'; userId: string };
  title: string;
  description: string;
}
/** Records a raise and answers its ticket number. */
type Raiser = (r: Raise) => Promise<string>;

function bareRaiser(): Raiser {
  let n = 0;
  return async () => `SR-${++n}`;
}

/**
 * The essential writes of a raise, on the driver (pool as the app's store: 20): the number, the ticket, its notice.
 * The ticket's `rest` stands for what else a ticket holds (SLA clocks, history, evidence): about 4 KB in all.
 */
async function minimalRaiser(uri: string): Promise<{ raise: Raiser; close: () => Promise<void> }> {
  const client = await MongoClient.connect(uri, { maxPoolSize: 20 });
  const db: Db = client.db();
  const counters = db.collection<{ _id: string; seq: number }>('counters');
  const tickets = db.collection('tickets');
  const outbox = db.collection('outbox');
  await tickets.createIndex({ raiseKey: 1 }, { unique: true });
  await tickets.createIndex({ number: 1 }, { unique: true });
  const rest = 'x'.repeat(3600);
  const raise: Raiser = async (r) => {
    const counter = await counters.findOneAndUpdate(
      { _id: 'ticket' },
      { $inc: { seq: 1 } },
      { upsert: true, returnDocument: 'after' },
    );
    const number = `SR-${counter?.seq}`;
    const now = new Date();
    const ticket = { _id: randomUUID(), number, ...r, severity: 3, status: 'new', createdAt: now, version: 0, rest };
    try {
      await tickets.insertOne(ticket as never);
    } catch (err) {
      // A redelivery: raised already (the raise key is unique); its number is the one to confirm.
      if ((err as { code?: number }).code !== 11000) throw err;
      const first = await tickets.findOne({ raiseKey: r.raiseKey }, { projection: { number: 1 } });
      return String(first?.number);
    }
    await outbox.insertOne({
      _id: randomUUID(),
      ticket: ticket._id,
      kind: 'raised',
      state: 'pending',
      at: now,
    } as never);
    return number;
  };
  return { raise, close: () => client.close() };
}

const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

/**
 * A Bolt App on Helpline's receiver, mounted the same way on restify. Bare: Bolt's default answer (the ack before
 * the listener's work). Minimal: as Helpline, the answer after the listener (processBeforeResponse), so the
 * click's ack waits for the saved writes.
 */
async function slackCeiling(raise: Raiser, ackAfterWork: boolean): Promise<restify.Server> {
  const receiver = new HTTPReceiver({
    signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
    endpoints: '/slack/events',
    processBeforeResponse: ackAfterWork,
    logger: silent,
  });
  const bolt = new BoltApp({
    token: process.env.SLACK_BOT_TOKEN,
    botId: BOT_ID,
    botUserId: BOT_USER_ID,
    receiver,
    logger: silent,
    convoStore: false,
    clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
  });
  bolt.message(async ({ message, client }) => {
    if (message.subtype !== undefined || message.channel_type !== 'im') return;
    const value = JSON.stringify({ thread: message.ts, text: message.text ?? '' }).slice(0, 2000);
    await client.chat.postMessage({
      channel: message.channel,
      thread_ts: message.ts,
      text: 'Here is what I understood.',
      blocks: [
        { type: 'section', block_id: 'understood', text: { type: 'plain_text', text: 'Here is what I understood.' } },
        {
          type: 'actions',
          block_id: 'intake',
          elements: [
            {
              type: 'button',
              action_id: Action.RaiseNow,
              text: { type: 'plain_text', text: 'Raise ticket' },
              style: 'primary',
              value,
            },
          ],
        },
      ],
    });
  });
  bolt.action<BlockAction<ButtonAction>>(Action.RaiseNow, async ({ ack, body, action, client }) => {
    if (!ackAfterWork) await ack();
    const { thread, text } = JSON.parse(action.value ?? '{}') as { thread: string; text: string };
    const number = await raise({
      raiseKey: `slack:raise:${body.user.id}:${thread}`,
      requester: { platform: 'slack', userId: body.user.id },
      title: text.slice(0, 80),
      description: text,
    });
    if (ackAfterWork) await ack();
    await client.chat.postMessage({
      channel: body.channel?.id ?? body.container.channel_id,
      thread_ts: thread,
      text: `Raised ${number}.`,
    });
  });
  const server = restify.createServer({ name: 'ceiling-slack' });
  server.post('/slack/events', (req: restify.Request, res: restify.Response, next: restify.Next) => {
    res.once('finish', () => next());
    receiver.requestListener(req, res);
  });
  return server;
}

/** An intake card as small as it can be: the words as inputs, and a Raise ticket Universal Action (and fallback). */
function intakeCard(text: string) {
  const data = { form: randomUUID() };
  return {
    type: 'AdaptiveCard',
    version: '1.5',
    body: [
      { type: 'Input.Text', id: 'title', label: 'Title', value: text.slice(0, 80) },
      { type: 'Input.Text', id: 'description', label: 'Description', value: text, isMultiline: true },
    ],
    actions: [
      {
        type: 'Action.Execute',
        title: 'Raise ticket',
        verb: Action.SubmitForm,
        data,
        fallback: { type: 'Action.Submit', title: 'Raise ticket', data: { ...data, verb: Action.SubmitForm } },
      },
    ],
  };
}

/**
 * A CloudAdapter bot on /api/messages (auth off), as Helpline's on restify: a personal message is answered with
 * the intake card, the card's submit with the confirmation; both in the turn (the HTTP answer comes after it).
 */
async function teamsCeiling(raise: Raiser): Promise<restify.Server> {
  const adapter = new CloudAdapter(
    new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: '', MicrosoftAppPassword: '' }),
  );
  const turn = async (ctx: TurnContext) => {
    const a = ctx.activity;
    if (a.type !== 'message') return;
    const value = a.value as { verb?: string; form?: string; title?: string; description?: string } | undefined;
    if (value?.verb !== Action.SubmitForm) {
      const card = intakeCard(a.text ?? '');
      await ctx.sendActivity({
        attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
      });
      return;
    }
    const number = await raise({
      raiseKey: `teams:form:${a.from.id}:${value.form}`,
      requester: { platform: 'teams', userId: a.from.id },
      title: value.title ?? '',
      description: value.description ?? '',
    });
    await ctx.sendActivity({ type: 'message', textFormat: 'plain', text: `Raised ${number}.` });
  };
  const server = restify.createServer({ name: 'ceiling-teams' });
  server.post('/api/messages', restify.plugins.bodyParser({ maxBodySize: 1_000_000 }), async (req, res) => {
    await adapter.process(req, res, turn);
  });
  return server;
}

export async function startCeiling(mode: CeilingMode): Promise<{ port: number; stop: () => Promise<void> }> {
  const minimal = mode.startsWith('minimal') ? await minimalRaiser(process.env.BENCH_MINIMAL_URI ?? '') : null;
  const raise = minimal?.raise ?? bareRaiser();
  const server = mode.endsWith('slack') ? await slackCeiling(raise, !!minimal) : await teamsCeiling(raise);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    stop: async () => {
      server.close();
      await minimal?.close();
    },
  };
}
