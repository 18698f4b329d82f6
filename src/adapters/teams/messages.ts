import { type Activity, TurnContext } from 'botbuilder';
import { parseAway, setAway } from '../../app/availability';
import { setTicketClient } from '../../app/client-record';
import { helpFor } from '../../app/help';
import { parseLinkCommand, runLinkCommand } from '../../app/link-command';
import { getTicket, listMyTickets } from '../../app/queries';
import { parseReleaseCommand, releaseLines, runReleaseCommand } from '../../app/release-command';
import { addMessage } from '../../app/ticket-actions';
import { historyText, ticketHistory } from '../../app/ticket-history';
import type { App } from '../../bootstrap';
import { Action } from '../../cards/actions';
import { helpCard, ticketListCard } from '../../cards/teams';
import { releasesCard } from '../../cards/teams/releases-card';
import type { Evidence } from '../../domain/ticket/ticket';
import { claimRequest } from '../busy';
import { parseTicketAction, runTicketAction } from './card-actions';
import { clientRecordCardFor } from './client-record';
import { describeError } from './errors';
import { answerQuestion } from './guided';
import { actorOf } from './identity';
import { chatIntakeCard, emptyIntakeCard, raiseReply, submitIntake } from './intake';
import { articleCardFor, isKnowledgeVerb, knowledgeAnswer } from './knowledge';
import { parseScope, queueCardFor, searchCardFor } from './queue';
import { ticketCardForActor } from './render';
import { replyPreviewFor } from './replies';
import { answerReportCommand } from './report-link';
import { actionKey, cardActivity, isObject, opKey, plainText } from './turn';

// Messages: raise in plain words, commands, the requester loop, and Action.Submit fallbacks.

/** Sends an activity to a person in their personal chat with the bot (created when there is none yet). */
export type SendPersonal = (userId: string, activity: Partial<Activity>) => Promise<void>;

/** A personal chat with the bot: the only place look-ups, ticket cards and links are answered. */
export function isPersonal(a: Pick<Activity, 'conversation'>): boolean {
  return a.conversation?.conversationType === 'personal';
}

/**
 * An answer for the asker only: in a personal chat, here; in a channel or group chat, in the asker's personal chat,
 * and the channel is told only where to look (never the answer: internal notes, client records).
 */
async function answerPrivately(
  app: App,
  ctx: TurnContext,
  sendPersonal: SendPersonal,
  activity: Partial<Activity>,
): Promise<void> {
  if (isPersonal(ctx.activity)) {
    await ctx.sendActivity(activity);
    return;
  }
  const actor = actorOf(app, ctx.activity.from, ctx.activity.channelId);
  const reached = await sendPersonal(actor.userId, activity).then(
    () => true,
    (err: Error) => {
      app.log.info({ err: err.message, userId: actor.userId }, 'Teams: could not answer in the personal chat');
      return false;
    },
  );
  await ctx.sendActivity({
    type: 'message',
    textFormat: 'plain',
    text: reached
      ? 'I have answered you in our personal chat, so nothing internal is posted here.'
      : 'I answer that only in a personal chat, so nothing internal is posted here: open a chat with Helpline and ask me there.',
  });
}

/** A message activity, handled once per activity id (Teams redelivers on timeouts). */
export async function handleMessage(app: App, ctx: TurnContext, sendPersonal: SendPersonal): Promise<void> {
  const a = ctx.activity;
  // The intake form's submit is claimed by its raise (the raise's key is this activity's, or the form's), which
  // also records its reply as told: a claim of the activity too would add two writes and decide nothing more.
  const raises = isObject(a.value) && a.value.verb === Action.SubmitForm;
  const key = a.id && !raises ? `teams:message:${a.id}` : null;
  let claimed = false;
  try {
    if (key) {
      if (!(await claimRequest(app, key))) return; // redelivered: handled already, or still elsewhere (503)
      claimed = true;
    }
    if (isObject(a.value)) await handleSubmit(app, ctx, a.value, sendPersonal);
    else await handleText(app, ctx, sendPersonal);
    if (key) await app.operations.complete(key, { ok: true });
  } catch (err) {
    if (key && claimed) await app.operations.abandon(key).catch(() => undefined);
    const d = describeError(err, app.log, { activityId: a.id, type: 'message' });
    await ctx.sendActivity({ type: 'message', text: d.message, textFormat: 'plain' });
  }
}

/**
 * The app was installed in someone's personal chat: welcome them with their help (the commands of their role,
 * support hours, contact details). Once per activity id (Teams redelivers on timeouts); nowhere but personal chat.
 */
export async function welcome(app: App, ctx: TurnContext): Promise<void> {
  const a = ctx.activity;
  if (!isPersonal(a)) return;
  const key = a.id ? `teams:welcome:${a.id}` : null;
  if (key && !(await claimRequest(app, key))) return;
  try {
    const actor = actorOf(app, a.from, a.channelId);
    await ctx.sendActivity(cardActivity(helpCard(helpFor(app, actor), 'Welcome to Helpline')));
    if (key) await app.operations.complete(key, { ok: true });
  } catch (err) {
    if (key) await app.operations.abandon(key).catch(() => undefined);
    describeError(err, app.log, { activityId: a.id, type: 'installationUpdate' });
  }
}

async function handleText(app: App, ctx: TurnContext, sendPersonal: SendPersonal): Promise<void> {
  const privately = (activity: Partial<Activity>) => answerPrivately(app, ctx, sendPersonal, activity);
  const a = ctx.activity;
  const text = plainText(TurnContext.removeRecipientMention(a) ?? a.text ?? '');
  const actor = actorOf(app, a.from, a.channelId);
  const command = text.toLowerCase().replace(/[.!?]+$/, '');
  if ((!text && filesOf(a).length === 0) || command === 'help' || command === '?') {
    await ctx.sendActivity(cardActivity(helpCard(helpFor(app, actor))));
    return;
  }
  if (command === 'new' || command === 'new ticket' || command === 'raise') {
    await ctx.sendActivity(cardActivity(emptyIntakeCard(app, 'chat')));
    return;
  }
  if (command === 'mine' || command === 'my tickets') {
    const tickets = await listMyTickets(app, actor, { lookup: true });
    const lines = tickets.map((t) => ({
      number: t.number,
      title: t.title,
      severity: t.severity,
      priority: t.priority,
      status: app.policy.statuses[t.status]?.name ?? t.status,
    }));
    await privately(cardActivity(ticketListCard('Your open tickets', lines, 'You have no open tickets.')));
    return;
  }
  const queue = /^queue(?:\s+(all|mine|team|unassigned))?$/.exec(command);
  if (queue) {
    const card = await queueCardFor(app, actor, parseScope(queue[1] ?? 'all') ?? 'all');
    await privately(cardActivity(card));
    return;
  }
  const search = /^search(?:\s+([\s\S]*))?$/i.exec(text);
  if (search) {
    await privately(cardActivity(await searchCardFor(app, actor, search[1] ?? '')));
    return;
  }
  if (parseAway(text)) {
    await privately({ type: 'message', text: await setAway(app, actor, text), textFormat: 'plain' });
    return;
  }
  if (command === 'report' || command === 'reports') {
    await answerReportCommand(app, ctx, actor, sendPersonal);
    return;
  }
  const history = /^history\s+(sr-\d+)(?:\s+(\d{1,4}))?$/i.exec(text);
  if (history?.[1]) {
    const h = await ticketHistory(app, history[1].toUpperCase(), actor, Number(history[2] ?? 1));
    await privately({ type: 'message', text: historyText(h, 'history'), textFormat: 'plain' });
    return;
  }
  // `releases`, `release next qa|ready|released <notes>|slip`: the same parser as Slack's.
  const release = parseReleaseCommand(text);
  if (release?.kind === 'list') {
    await privately(cardActivity(releasesCard(await releaseLines(app, actor))));
    return;
  }
  if (release) {
    const said = await runReleaseCommand(app, actor, release);
    app.kick();
    await privately({ type: 'message', text: said, textFormat: 'plain' });
    return;
  }
  // `link SR-1 to SR-2`, `SR-1 part of SR-2`, `unlink SR-1`: the same parser as Slack's.
  const link = parseLinkCommand(text);
  if (link) {
    const r = await runLinkCommand(app, actor, link, opKey(ctx, 'link'));
    if (!r.duplicate) app.kick();
    await privately({ type: 'message', text: r.text, textFormat: 'plain' });
    return;
  }
  const status = /^status\s+(sr-\d+)$/i.exec(text);
  if (status?.[1]) {
    const { ticket } = await getTicket(app, status[1].toUpperCase(), actor, { lookup: true });
    await privately(cardActivity(await ticketCardForActor(app, ticket, 'view', actor)));
    return;
  }
  const client = /^client\s+(sr-\d+)$/i.exec(text);
  if (client?.[1]) {
    await privately(cardActivity(await clientRecordCardFor(app, client[1].toUpperCase(), actor)));
    return;
  }
  // `client SR-12 ACME`: an agent sets or corrects the client; the clocks take its tier and calendar.
  const setClient = /^client\s+(sr-\d+)\s+(\S.{0,199})$/i.exec(text);
  if (setClient?.[1] && setClient[2]) {
    const number = setClient[1].toUpperCase();
    const r = await setTicketClient(app, { number, actor, client: setClient[2], opKey: opKey(ctx, 'client') });
    if (!r.duplicate) app.kick();
    await privately(cardActivity(await clientRecordCardFor(app, number, actor)));
    return;
  }
  if (await addToTicket(app, ctx, text)) return;
  if (!text) {
    await ctx.sendActivity(cardActivity(helpCard(helpFor(app, actor)))); // a file alone, with no ticket waiting for it
    return;
  }
  // The client the directory knows is pre-filled, not asked; an open incident it looks like part of is offered.
  const card = await chatIntakeCard(app, text, actor, { files: filesOf(a) });
  if ('notSupported' in card) {
    await ctx.sendActivity({ type: 'message', text: card.notSupported as string, textFormat: 'plain' });
    return;
  }
  // A knowledge article that answers it comes first ("Did this solve it?"); "No, raise a ticket" brings this card.
  await ctx.sendActivity(cardActivity(articleCardFor(app, text, filesOf(a)) ?? card));
}

/**
 * The requester loop: "SR-12: more detail" adds to that ticket; plain words while one of the
 * requester's tickets waits for their answer are that answer (Waiting for Customer → Customer Responded).
 */
async function addToTicket(app: App, ctx: TurnContext, text: string): Promise<boolean> {
  const actor = actorOf(app, ctx.activity.from, ctx.activity.channelId);
  const explicit = /^(sr-\d+)\s*[:\-–]\s*([\s\S]+)$/i.exec(text);
  let number: string | undefined;
  let body = text;
  if (explicit?.[1] && explicit[2]) {
    number = (await getTicket(app, explicit[1].toUpperCase(), actor)).ticket.number; // visibility check
    body = explicit[2];
  } else {
    const waiting = (await listMyTickets(app, actor)).find((t) => t.status === 'waiting_for_customer');
    number = waiting?.number;
  }
  if (!number) return false;
  const r = await addMessage(app, { number, actor, opKey: opKey(ctx, 'message') }, body, filesOf(ctx.activity));
  if (!r.duplicate) app.kick();
  const status = app.policy.statuses[r.ticket.status]?.name ?? r.ticket.status;
  await ctx.sendActivity({
    type: 'message',
    text: `Added to ${r.ticket.number} (${r.ticket.title}). Status: ${status}.`,
    textFormat: 'plain',
  });
  return true;
}

/**
 * Files and images attached to a message, as evidence: their content URLs (links only: the bot never
 * downloads them). Cards and other attachments are not evidence.
 */
export function filesOf(a: Pick<TurnContext['activity'], 'attachments'>): Evidence[] {
  const out: Evidence[] = [];
  for (const att of a.attachments ?? []) {
    const type = String(att.contentType ?? '');
    const isFile = type === 'application/vnd.microsoft.teams.file.download.info' || type.startsWith('image/');
    const url = typeof att.contentUrl === 'string' ? att.contentUrl : '';
    if (!isFile || !/^https:\/\//.test(url)) continue;
    out.push({ kind: 'file', value: url.slice(0, 1000), name: String(att.name ?? 'attachment').slice(0, 200) });
  }
  return out.slice(0, 20);
}

/**
 * An `Action.Submit` (the fallback of our Universal Actions, or a form in an older client). The message it came
 * from (`replyToId`, the client's claim) is updated in place only in the person's own chat or by an agent, and only
 * with the view this person may have; a requester's answer in a channel goes to their personal chat instead.
 */
async function handleSubmit(
  app: App,
  ctx: TurnContext,
  value: Record<string, unknown>,
  sendPersonal: SendPersonal,
): Promise<void> {
  const a = ctx.activity;
  const actor = actorOf(app, a.from, a.channelId);
  const verb = value.verb;
  const inPlace = !!a.replyToId && (isPersonal(a) || app.directory.isAgent(actor));
  const answer = async (activity: Partial<Activity>) => {
    if (inPlace) await ctx.updateActivity({ ...activity, id: a.replyToId });
    else await answerPrivately(app, ctx, sendPersonal, activity);
  };
  if (verb === Action.AnswerQuestion) {
    // Guided intake (Action.Submit fallback): the same card with the answer in place and the next question.
    await answer(cardActivity(answerQuestion(app, value)));
    return;
  }
  if (verb === Action.QueueFilter) {
    await answer(cardActivity(await queueCardFor(app, actor, parseScope(value.scope) ?? 'all')));
    return;
  }
  if (isKnowledgeVerb(verb)) {
    await answer(cardActivity(await knowledgeAnswer(app, actor, String(verb), value)));
    return;
  }
  if (verb === Action.SubmitForm) {
    const say = async (text: string) => {
      await ctx.sendActivity({ type: 'message', text, textFormat: 'plain' });
    };
    // Told under the raise's claim; a redelivery of a raise told before says nothing (as its activity's claim did).
    // Teams cannot be asked whether a reply was posted: after a crash mid-way it may be posted again.
    const teller = { post: (_key: string, text: string) => say(text), postedBefore: async () => false };
    const r = await submitIntake(app, actor, value, opKey(ctx, verb), undefined, teller);
    if (!r.told) await say(raiseReply(r));
    return;
  }
  const action = parseTicketAction(verb, value);
  if (action.verb === Action.PreviewReply) {
    await answer(cardActivity(await replyPreviewFor(app, action, actor)));
    return;
  }
  const result = await runTicketAction(app, action, actor, actionKey(ctx, action));
  if (result && !result.duplicate) app.kick();
  const ticket = result?.ticket ?? (await getTicket(app, action.ticket, actor)).ticket;
  await answer(cardActivity(await ticketCardForActor(app, ticket, action.card, actor)));
}
