import { z } from 'zod';
import { parseAway, setAway } from '../../app/availability';
import { setTicketClient } from '../../app/client-record';
import { helpFor } from '../../app/help';
import { parseLinkCommand, runLinkCommand } from '../../app/link-command';
import { getTicket, listMyTickets } from '../../app/queries';
import { parseReleaseCommand, runReleaseCommand } from '../../app/release-command';
import { addMessage } from '../../app/ticket-actions';
import { historyText, ticketHistory } from '../../app/ticket-history';
import { escapeMrkdwn, helpText, ticketList } from '../../cards/slack';
import { type Evidence, isOpen, sameActor } from '../../domain/ticket/ticket';
import { claimRequest } from '../busy';
import { clientRecordReply } from './client-record';
import { type SlackContext, tell } from './context';
import { describeSlackError } from './errors';
import { guidedIntake } from './guided';
import { actorOf } from './identity';
import { cardOf, lineOf, viewOf } from './render';
import { searchReply } from './search';

const messageEvent = z.object({
  type: z.enum(['message', 'app_mention']),
  subtype: z.string().optional(),
  channel: z.string().min(1).max(40),
  channel_type: z.string().optional(),
  user: z.string().max(40).optional(),
  bot_id: z.string().optional(),
  text: z.string().max(40_000).optional(),
  ts: z.string().max(40),
  thread_ts: z.string().max(40).optional(),
  client_msg_id: z.string().max(100).optional(),
  /** Files shared with the message (subtype file_share): only their ids are trusted, files.info gives the permalink. */
  files: z
    .array(z.object({ id: z.string().regex(/^F[A-Z0-9]{2,30}$/) }).passthrough())
    .max(20)
    .optional(),
});
type MessageEvent = z.output<typeof messageEvent>;

/** Subtypes that are people writing; every other subtype (joins, topics, bot messages…) is not for us. */
const HUMAN_SUBTYPES = new Set(['file_share', 'thread_broadcast']);

/** The key that makes a message (or its retries, or the same message seen as app_mention and message) act once. */
function messageKey(e: MessageEvent, eventId: string | undefined): string {
  if (e.client_msg_id) return `slack:msg:${e.client_msg_id}`;
  return eventId ? `slack:event:${eventId}` : `slack:msg:${e.channel}:${e.ts}`;
}

/** A leading ticket number in a DM ("SR-12 the export still fails") addresses that ticket. */
const LEADING_TICKET = /^\s*(SR-[1-9]\d{0,9})\b[\s:,.-]*/i;

/**
 * Messages (DMs, thread replies in channels) and @mentions. The rule for "add to a ticket":
 *  1. a reply in a thread Helpline linked to a ticket (the thread it was raised in), written by that
 *     ticket's requester while it is open, is added to the ticket;
 *  2. a DM that starts with a ticket number the author raised (`SR-12 …`) is added to that ticket;
 *     otherwise, while exactly one of the author's tickets waits for their answer (Waiting for
 *     Customer), their next DM is that answer;
 *  3. a DM reply in the thread where the guided intake asked its question is the answer;
 *  4. anything else in a DM, or an @mention, is a new request in plain words; other channel chatter is ignored.
 */
export function messageListeners(ctx: SlackContext) {
  const { app } = ctx;
  const guided = guidedIntake(ctx);

  async function handle(raw: unknown, eventId: string | undefined, retryNum: number | undefined): Promise<void> {
    const parsed = messageEvent.safeParse(raw);
    if (!parsed.success) {
      app.log.debug({ eventId }, 'Slack: message event of an unexpected shape ignored');
      return;
    }
    const e = parsed.data;
    if (e.subtype === 'message_changed' || e.subtype === 'message_deleted') {
      // Edits and deletions do not change a ticket: what was sent is on the record.
      app.log.debug({ subtype: e.subtype, channel: e.channel }, 'Slack: edit/delete ignored on purpose');
      return;
    }
    if (e.subtype && !HUMAN_SUBTYPES.has(e.subtype)) return;
    if (e.bot_id || !e.user || e.user === ctx.botUserId) return; // no loops: ours and other bots'
    const mention = `<@${ctx.botUserId}>`;
    const isIm = e.channel_type === 'im' || (e.channel_type === undefined && e.channel.startsWith('D'));
    const inThread = !!e.thread_ts && e.thread_ts !== e.ts;
    if (e.type === 'message' && !isIm) {
      if ((e.text ?? '').includes(mention)) return; // app_mention answers it
      if (!inThread) return; // channel chatter is not ours
    }
    const key = messageKey(e, eventId);
    const threadTs = e.thread_ts ?? e.ts;
    let claimed = false;
    try {
      claimed = await claimRequest(app, key);
      if (!claimed) {
        app.log.debug({ key, retryNum }, 'Slack: message already handled');
        return;
      }
      const text = (e.text ?? '').split(mention).join(' ').trim();
      const linked = inThread ? await addToLinkedThread(e, text, key) : 'none';
      let handled = linked === 'added';
      // A channel thread where the guided intake asked (after an @mention): a reply there answers it, until the
      // thread is a ticket's (a raised draft keeps its question: the link is what ends it).
      if (linked === 'none' && inThread && !isIm && e.type === 'message' && e.user && e.thread_ts && text) {
        const actor = await actorOf(app, e.user, { client: ctx.client });
        handled = await guided.answer(e.user, e.thread_ts, text, actor, (m) =>
          ctx.client.chat.postMessage({ channel: e.channel, thread_ts: e.thread_ts, ...m } as never),
        );
      }
      if (!handled && (isIm || e.type === 'app_mention')) await direct(e, text, key, threadTs, isIm);
      await app.operations.complete(key, { ok: true });
    } catch (err) {
      if (claimed) await app.operations.abandon(key).catch(() => undefined);
      const msg = describeSlackError(err, app.log, { key, channel: e.channel });
      await ctx.client.chat
        .postMessage({ channel: e.channel, thread_ts: threadTs, text: escapeMrkdwn(msg) })
        .catch(() => tell(ctx, { user: e.user ?? '' }, msg));
    }
  }

  /**
   * Files attached to the message, as evidence: their permalinks from files.info (the bot never downloads
   * them). A file Slack will not describe is skipped, the message still counts.
   */
  async function filesOf(e: MessageEvent): Promise<Evidence[]> {
    const out: Evidence[] = [];
    for (const f of e.files ?? []) {
      try {
        const r = await ctx.client.files.info({ file: f.id });
        const link = r.file?.permalink;
        if (typeof link === 'string' && /^https:\/\//.test(link))
          out.push({ kind: 'file', value: link.slice(0, 1000), name: String(r.file?.name ?? f.id).slice(0, 200) });
      } catch (err) {
        app.log.warn({ file: f.id, err: (err as Error).message }, 'Slack: files.info failed; file not kept');
      }
    }
    return out;
  }

  /** Rule 1: a reply by the requester in a ticket's thread ('added'); 'linked': the thread is a ticket's, not added. */
  async function addToLinkedThread(e: MessageEvent, text: string, key: string): Promise<'added' | 'linked' | 'none'> {
    const number = e.thread_ts ? await ctx.state.ticketOfThread(e.channel, e.thread_ts) : null;
    if (!number) return 'none';
    if (!text && !e.files?.length) return 'linked';
    const ticket = await app.tickets.get(number);
    if (!ticket || !isOpen(ticket) || !sameActor(ticket.requester, { platform: 'slack', userId: e.user ?? '' }))
      return 'linked';
    const actor = await actorOf(app, e.user ?? '', { client: ctx.client });
    const r = await addMessage(app, { number, actor, opKey: `${key}:add` }, text, await filesOf(e));
    if (!r.duplicate) app.kick();
    await ctx.client.chat.postMessage({
      channel: e.channel,
      thread_ts: e.thread_ts,
      text: `Added to ${number}. ${escapeMrkdwn(app.policy.statuses[r.ticket.status]?.name ?? '')}`.trim(),
    });
    return 'added';
  }

  async function direct(e: MessageEvent, text: string, key: string, threadTs: string, isIm: boolean): Promise<void> {
    const reply = (message: { text: string; blocks?: unknown[] }) =>
      ctx.client.chat.postMessage({ channel: e.channel, thread_ts: threadTs, ...message } as never);
    const user = e.user ?? '';
    // Look-ups answer the asker only: in a channel, an ephemeral message nobody else sees (internal notes, records).
    const privately = (message: { text: string; blocks?: unknown[] }) =>
      isIm
        ? reply(message)
        : ctx.client.chat.postEphemeral({ channel: e.channel, user, thread_ts: threadTs, ...message } as never);
    const command = text.toLowerCase().replace(/[.!?]+$/, '');
    const help = () => ({ text: helpText(helpFor(app, { platform: 'slack', userId: user })) });
    if ((!text && !e.files?.length) || command === 'help' || command === '?') {
      await reply(help());
      return;
    }
    const actor = await actorOf(app, user, { client: ctx.client });
    if (command === 'mine' || command === 'my tickets') {
      const tickets = await listMyTickets(app, actor, { lookup: true });
      const blocks = ticketList(
        tickets.map((t) => lineOf(app, t)),
        'You have no open tickets.',
        40,
      );
      await privately({ text: 'Your open tickets', blocks });
      return;
    }
    const search = /^search(?:\s+([\s\S]*))?$/i.exec(text);
    if (search) {
      await privately(await searchReply(app, actor, search[1] ?? ''));
      return;
    }
    const history = /^history\s+(sr-\d+)(?:\s+(\d{1,4}))?$/i.exec(text);
    if (history?.[1]) {
      const h = await ticketHistory(app, history[1].toUpperCase(), actor, Number(history[2] ?? 1));
      await privately({ text: historyText(h, 'history', escapeMrkdwn) });
      return;
    }
    if (parseAway(text)) {
      await privately({ text: escapeMrkdwn(await setAway(app, actor, text)) });
      return;
    }
    // `releases`, `release next qa|ready|released <notes>|slip`: the same parser as Teams'.
    const release = parseReleaseCommand(text);
    if (release) {
      const said = await runReleaseCommand(app, actor, release);
      app.kick();
      await privately({ text: escapeMrkdwn(said) });
      return;
    }
    // `link SR-1 to SR-2`, `SR-1 part of SR-2`, `unlink SR-1`; in a ticket's DM thread the ticket may go unsaid.
    const context = e.thread_ts ? await ctx.state.ticketOfThread(e.channel, e.thread_ts) : null;
    const link = parseLinkCommand(text, context);
    if (link) {
      const r = await runLinkCommand(app, actor, link, `${key}:link`);
      if (!r.duplicate) app.kick();
      await privately({ text: escapeMrkdwn(r.text) });
      return;
    }
    const status = /^status\s+(sr-\d+)$/i.exec(text);
    if (status?.[1]) {
      const { ticket, view } = await getTicket(app, status[1].toUpperCase(), actor, { lookup: true });
      await privately(cardOf(app, await viewOf(app, ticket), 'view', { viewer: view }));
      return;
    }
    const client = /^client\s+(sr-\d+)$/i.exec(text);
    if (client?.[1]) {
      await privately(await clientRecordReply(app, client[1].toUpperCase(), actor));
      return;
    }
    // `client SR-12 ACME`: an agent sets or corrects the client; the clocks take its tier and calendar.
    const setClient = /^client\s+(sr-\d+)\s+(\S.{0,199})$/i.exec(text);
    if (setClient?.[1] && setClient[2]) {
      const number = setClient[1].toUpperCase();
      const r = await setTicketClient(app, { number, actor, client: setClient[2], opKey: `${key}:client` });
      if (!r.duplicate) app.kick();
      await privately(await clientRecordReply(app, number, actor));
      return;
    }
    const leading = isIm ? LEADING_TICKET.exec(text) : null;
    if (leading?.[1]) {
      const number = leading[1].toUpperCase();
      const ticket = await app.tickets.get(number);
      if (ticket && isOpen(ticket) && sameActor(ticket.requester, actor)) {
        const rest = text.slice(leading[0].length).trim() || text;
        const r = await addMessage(app, { number, actor, opKey: `${key}:add` }, rest, await filesOf(e));
        if (!r.duplicate) app.kick();
        await reply({ text: `Added to ${number}.` });
        return;
      }
    }
    // Rule 3: a reply in the thread where the guided intake asked its question (until the thread is a ticket's).
    const answerText = text || (e.files?.length ? '(file attached)' : '');
    if (
      isIm &&
      e.thread_ts &&
      !context &&
      (await guided.answer(user, e.thread_ts, answerText, actor, reply, await filesOf(e)))
    )
      return;
    // Rule 2b: a ticket waiting for this person's answer takes their next DM.
    if (isIm) {
      const waiting = (await listMyTickets(app, actor)).filter((t) => t.status === 'waiting_for_customer');
      const only = waiting.length === 1 ? waiting[0] : undefined;
      if (only) {
        const r = await addMessage(app, { number: only.number, actor, opKey: `${key}:add` }, text, await filesOf(e));
        if (!r.duplicate) app.kick();
        await reply({
          text: `Added to ${only.number}, which was waiting for your answer. To raise something new, use \`/ticket new\`.`,
        });
        return;
      }
    }
    if (!text) {
      await reply(help()); // a file alone, with no ticket waiting for it
      return;
    }
    // Persist the draft first, then answer: "Raise ticket" / "Open form" find it by the message ts.
    await guided.start(user, text, { channel: e.channel, threadTs, draftId: e.ts }, reply, await filesOf(e));
  }

  return { handle };
}
