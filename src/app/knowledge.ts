/**
 * Knowledge answers (policy `knowledge:`): before a raise, the bot answers a request that matches an article well
 * with the article and "Did this solve it?". Yes is a deflection (stored once per request, per article); "No, raise a
 * ticket" goes on with the raise, which notes the article on the ticket (`knowledge_not_solved`). Agents send an
 * article to a ticket's requester from its card (`knowledge_sent`). Platform-neutral: each adapter renders the view.
 */
import type { ArticleView } from '../cards/article';
import { contactLines } from '../cards/help';
import type { Policy } from '../config/policy.schema';
import { InvalidInputError } from '../domain/errors';
import type { Knowledge } from '../domain/knowledge/match';
import { supportHoursLine } from '../domain/sla/support-hours';
import * as op from '../domain/ticket/operations';
import type { Actor } from '../domain/ticket/ticket';
import { type AppDeps, changeTicket, type UseCaseResult } from './context';
import type { DeflectionStore } from './ports';
import type { TicketCommand } from './ticket-actions';

/** What the knowledge flow needs beside the use cases' deps. */
export interface KnowledgeDeps extends Pick<AppDeps, 'policy' | 'clock' | 'calendar' | 'limiter'> {
  knowledge: Knowledge;
  deflections: DeflectionStore;
}

export type { ArticleView };

/** The article `id` as shown now (its placeholders filled: support hours by the clock, contact details), or null when the policy has no such article. */
export function articleView(
  deps: Pick<KnowledgeDeps, 'policy' | 'clock' | 'calendar'>,
  id: unknown,
): ArticleView | null {
  const articles = deps.policy.knowledge.articles;
  if (typeof id !== 'string' || !Object.hasOwn(articles, id)) return null;
  const a = articles[id];
  if (!a) return null;
  const fill = (text: string) =>
    text.replace(/\{(supportHours|contact)\}/g, (_m, name: string) =>
      name === 'supportHours'
        ? supportHoursLine(deps.calendar, deps.clock.now()).replace(/\.$/, '')
        : contactOf(deps.policy),
    );
  return {
    id,
    title: a.title,
    answer: fill(a.answer),
    steps: a.steps.map(fill),
    ...(a.link ? { link: a.link } : {}),
  };
}

function contactOf(policy: Pick<Policy, 'contact'>): string {
  const lines = contactLines(policy.contact).map((l) => `${l.label} ${l.value}`);
  return lines.length ? lines.join('; ') : 'here in chat';
}

/** The article to answer `text` with before raising it, or null (no article scores enough, or it reports a fault). */
export function articleFor(deps: Pick<KnowledgeDeps, 'policy' | 'clock' | 'calendar' | 'knowledge'>, text: string) {
  const s = deps.knowledge.suggest(text);
  return s.offer && s.best ? articleView(deps, s.best.id) : null;
}

/** The article as one plain-text message (to a requester on a ticket). */
export function articleText(v: ArticleView): string {
  const steps = v.steps.map((s, i) => `${i + 1}. ${s}`);
  return [`${v.title}`, v.answer, ...steps, ...(v.link ? [`More: ${v.link}`] : [])].join('\n');
}

/**
 * "Yes, that solved it": one deflection for this request (`key`: the draft or card and the person). True when
 * counted now, false when it was counted before (a double click, a retry). An unknown article is refused.
 */
export async function articleSolved(
  deps: KnowledgeDeps,
  input: { key: string; article: unknown; who: Pick<Actor, 'platform' | 'userId'> },
): Promise<{ article: ArticleView; counted: boolean }> {
  const article = articleView(deps, input.article);
  if (!article) throw new InvalidInputError('That article is no longer available.');
  // A card's id is the client's claim: a click counts against the person's card actions, so ids made up in bulk cannot
  // flood the report.
  await deps.limiter?.check('action', input.who);
  const counted = await deps.deflections.record({
    key: input.key,
    article: article.id,
    at: deps.clock.now(),
    who: { platform: input.who.platform, userId: input.who.userId },
  });
  return { article, counted };
}

/** The article a raise notes as answered first and not solving it (an unknown id notes nothing). */
export function offeredArticle(
  policy: Pick<Policy, 'knowledge'>,
  id: unknown,
): { id: string; title: string } | undefined {
  if (typeof id !== 'string' || !Object.hasOwn(policy.knowledge.articles, id)) return undefined;
  const a = policy.knowledge.articles[id];
  return a ? { id, title: a.title } : undefined;
}

/** An agent sends an article to the ticket's requester: a message on the ticket, recorded in its history. */
export async function sendArticle(deps: AppDeps, cmd: TicketCommand, id: unknown): Promise<UseCaseResult> {
  const v = articleView(deps, id);
  if (!v) throw new InvalidInputError('Choose an article from the list.');
  return changeTicket(deps, { ...cmd, action: 'message', counted: 'message' }, (t, c) =>
    op.sendArticle(t, { id: v.id, title: v.title, text: articleText(v) }, c),
  );
}
