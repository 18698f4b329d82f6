import {
  answerGuided,
  answersOf,
  declineArticle,
  descriptionOf,
  holdForArticle,
  isRaiseAnyway,
  knownClient,
  pendingQuestion,
  QUESTION_TEXT,
  raiseFieldsOf,
  startGuided,
} from '../../app/guided-intake';
import { incidentForRequest } from '../../app/incident-suggestion';
import { articleFor, articleSolved, articleView } from '../../app/knowledge';
import { type RaiseTicketResult, raiseTicket } from '../../app/raise-ticket';
import {
  articleDeclined,
  articleMessage,
  articleSolvedMessage,
  type IntakePrefill,
  understoodMessage,
  userText,
} from '../../cards/slack';
import type { Actor, Evidence } from '../../domain/ticket/ticket';
import { confirmRaise, raiseTeller } from './confirm';
import type { SlackContext } from './context';
import { BadPayloadError } from './errors';
import { actorOf } from './identity';
import { prefillFrom, raiseReply, understand } from './intake';
import { draftKey } from './state';

/** A message to post: text, and blocks when there are buttons. */
export type Said = { text: string; blocks?: unknown[] };

/**
 * Guided intake in Slack (see `app/guided-intake.ts`): plain words from a DM, an @mention or `/ticket <words>` start a
 * draft and its first question, asked in the request's thread; the person's reply in that thread answers it ("skip",
 * "raise it anyway"), until nothing is missing and "Raise ticket" / "Open form" remain. A message outside the thread
 * is a new request, so a question never swallows one. The draft (`slack:<user>:<thread ts>`) lives in MongoDB.
 */
export function guidedIntake(ctx: SlackContext) {
  const { app } = ctx;

  /** The understood message for a draft, with its pending question (or the final buttons). */
  function message(data: Record<string, string>, draftId: string): Said {
    const u = understand(app, descriptionOf(data));
    const pending = pendingQuestion(data);
    const a = answersOf(data);
    if ('notSupported' in u) return { text: userText(u.notSupported, 3000) };
    return understoodMessage(
      { ...u, given: { client: a.client, businessImpact: a.businessImpact } },
      draftId,
      pending ? QUESTION_TEXT[pending] : undefined,
      data.incident,
    );
  }

  /** New plain words: save the draft, then answer with what was understood and the first question. */
  async function start(
    user: string,
    text: string,
    where: { channel: string; threadTs?: string | undefined; draftId: string },
    reply: (m: Said) => Promise<unknown>,
    files: Evidence[] = [],
  ): Promise<void> {
    const u = understand(app, text);
    if ('notSupported' in u) {
      await reply({ text: userText(u.notSupported, 3000) });
      return;
    }
    // The client the directory knows from the text or the requester is not asked for.
    const known = await knownClient(app, text, await actorOf(app, user, { client: ctx.client }));
    const suggestion = app.triage.suggest(text);
    const data = { ...startGuided(suggestion, text, known), channel: where.channel };
    // An open incident this looks like part of: offered once nothing is left to ask ("add me to it?").
    const incident = await incidentForRequest(app, {
      title: suggestion.summary,
      description: text,
      categoryId: suggestion.category?.id ?? null,
    });
    if (incident) Object.assign(data, { incident: incident.number });
    if (where.threadTs) Object.assign(data, { threadTs: where.threadTs });
    if (files.length) Object.assign(data, { files: JSON.stringify(files) });
    // A knowledge article that answers it comes first; its questions wait ("held") until "No, raise a ticket".
    const article = articleFor(app, text);
    if (article) holdForArticle(data, article.id);
    const now = app.clock.now();
    await ctx.state.drafts.save({ userKey: draftKey(user, where.draftId), platform: 'slack', data, updatedAt: now });
    await reply(article ? articleMessage(article, where.draftId) : message(data, where.draftId));
  }

  /**
   * "Yes, that solved it" on the article: one deflection per draft (a retry or a second click counts nothing more);
   * the message keeps the article, with "Raise a ticket anyway".
   */
  async function articleSolvedFor(user: string, draftId: string): Promise<Said> {
    const draft = await ctx.state.drafts.get(draftKey(user, draftId));
    if (!draft?.data.article) throw new BadPayloadError('That request is no longer available: please write it again.');
    const r = await articleSolved(app, {
      key: `slack:deflect:${user}:${draftId}`,
      article: draft.data.article,
      who: { platform: 'slack', userId: user },
    });
    return articleSolvedMessage(r.article, draftId);
  }

  /**
   * "No, raise a ticket": the draft goes on as it would have (its questions, "Raise ticket"), and its raise notes the
   * article. Answered in place of the article's message; a retry renders the same.
   */
  async function articleDeclinedFor(user: string, draftId: string): Promise<Said> {
    const draft = await ctx.state.drafts.get(draftKey(user, draftId));
    if (!draft?.data.text) throw new BadPayloadError('That request is no longer available: please write it again.');
    const data = declineArticle(draft.data);
    if (data !== draft.data) await ctx.state.drafts.save({ ...draft, data, updatedAt: app.clock.now() });
    const article = articleView(app, data.declined);
    const intake = message(data, draftId);
    return article ? articleDeclined(article, intake) : intake;
  }

  /**
   * A reply in the thread of a draft whose question is pending: the answer (or "skip" / "raise it anyway").
   * False when the thread has no draft waiting for an answer.
   */
  async function answer(
    user: string,
    threadTs: string,
    text: string,
    actor: Actor,
    reply: (m: Said) => Promise<unknown>,
    files: Evidence[] = [],
  ): Promise<boolean> {
    const draft = await ctx.state.drafts.get(draftKey(user, threadTs));
    if (!draft?.data.text || !pendingQuestion(draft.data)) return false;
    const asked = draft.data.text;
    const withFiles = files.length
      ? { ...draft.data, files: JSON.stringify([...filesIn(draft.data), ...files]) }
      : draft.data;
    if (isRaiseAnyway(text)) {
      if (files.length) await ctx.state.drafts.save({ ...draft, data: withFiles, updatedAt: app.clock.now() });
      const raised = await raiseDraft(user, threadTs, actor);
      // Raised (now, or before this retry): its confirmation once; anything else is said as it is.
      if (raised.r?.told) {
        // posted with the raise
      } else if (raised.r?.ticket && raised.channel)
        await confirmRaise(ctx, raised.opKey, { channel: raised.channel, threadTs: raised.threadTs }, raised.reply);
      else if (!raised.r?.duplicate) await reply({ text: userText(raised.reply, 3000) });
      return true;
    }
    const data = answerGuided(app.triage.suggest(asked), withFiles, text);
    await ctx.state.drafts.save({ ...draft, data, updatedAt: app.clock.now() });
    await reply(message(data, threadTs));
    return true;
  }

  /**
   * Raise a draft with its answers (one draft, one ticket: the draft id is the operation key). With `confirmIn`
   * (where the Raise button was, when the draft does not say) the confirmation is posted under the raise's claim
   * and recorded with it (`r.told`); the thread is linked to the ticket before it is posted.
   */
  async function raiseDraft(
    user: string,
    draftId: string,
    actor: Actor,
    opts: { join?: boolean; confirmIn?: string | undefined } = {},
  ): Promise<{ r: RaiseTicketResult | null; reply: string; opKey: string; channel?: string; threadTs?: string }> {
    const opKey = `slack:raise:${user}:${draftId}`;
    const draft = await ctx.state.drafts.get(draftKey(user, draftId));
    if (!draft?.data.text)
      return { r: null, opKey, reply: 'That request is no longer available: please write it again.' };
    const fields = raiseFieldsOf(draft.data);
    const evidence = [...(fields.evidence ?? []), ...filesIn(draft.data)];
    const { channel, threadTs } = draft.data;
    const link = (number: string) =>
      channel && threadTs ? ctx.state.linkThread(channel, threadTs, number, app.clock.now()) : Promise.resolve();
    const to = channel ?? opts.confirmIn;
    const r = await raiseTicket(app, {
      requester: actor,
      ...fields,
      ...(evidence.length ? { evidence } : {}),
      ...(opts.join && draft.data.incident ? { joinIncident: draft.data.incident } : {}),
      ...(draft.data.declined ? { knowledgeArticle: draft.data.declined } : {}),
      opKey,
      ...(to ? { tell: raiseTeller(ctx, { channel: to, threadTs }, (t) => link(t.number)) } : {}),
    });
    // Also on a retry of a raise done before: the process that did it may have died before these (both idempotent).
    // Told: the thread was linked before the confirmation was posted.
    if (r.ticket) {
      app.kick();
      if (!r.told) await link(r.ticket.number);
    }
    // Raised: no more questions in this thread. A thread linked to the ticket needs no write: a reply there goes to
    // the ticket and never to the draft's question (messages.ts reads the link first).
    if (pendingQuestion(draft.data) && !(channel && threadTs)) {
      const data = { ...draft.data };
      delete data.pending;
      await ctx.state.drafts.save({ ...draft, data, updatedAt: app.clock.now() });
    }
    return { r, opKey, reply: raiseReply(r), ...(channel ? { channel } : {}), ...(threadTs ? { threadTs } : {}) };
  }

  /** The form pre-filled from a draft: the triage suggestion plus the answers given so far. */
  async function prefill(user: string, draftId: string): Promise<IntakePrefill | null> {
    const draft = await ctx.state.drafts.get(draftKey(user, draftId));
    if (!draft?.data.text) return null;
    const a = answersOf(draft.data);
    const p = prefillFrom(app, descriptionOf(draft.data));
    return {
      ...p,
      ...(a.businessImpact ? { businessImpact: a.businessImpact } : {}),
      ...(a.client ? { client: a.client } : {}),
      ...(a.evidence ? { links: [p.links, a.evidence].filter(Boolean).join('\n') } : {}),
    };
  }

  return { start, answer, raiseDraft, prefill, articleSolvedFor, articleDeclinedFor };
}

export type GuidedIntake = ReturnType<typeof guidedIntake>;

/** Files attached while the request was written (kept in the draft as links, never downloaded). */
function filesIn(data: Record<string, string>): Evidence[] {
  try {
    const parsed: unknown = JSON.parse(data.files ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed
      .filter((f): f is Evidence => !!f && typeof f.value === 'string' && /^https:\/\//.test(f.value))
      .map((f) => ({ kind: 'file' as const, value: f.value, ...(typeof f.name === 'string' ? { name: f.name } : {}) }))
      .slice(0, 20);
  } catch {
    return [];
  }
}
