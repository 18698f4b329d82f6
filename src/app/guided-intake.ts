/**
 * Guided intake: before offering "Raise ticket", ask one short question at a time for what the handbook's best
 * practice needs and the request lacks (business impact, which client, evidence, steps), skippable ("skip") or cut
 * short ("raise it anyway"); the answers pre-fill the ticket. The state is a draft's flat `data` (it survives a
 * restart and any replica can continue it); this file is platform-neutral, each adapter asks in its own words.
 */
import { clientNamed } from '../domain/routing/missing-information';
import type { TriageSuggestion } from '../domain/routing/triage';
import type { Directory } from '../domain/ticket/roles';
import type { Actor } from '../domain/ticket/ticket';
import { type ClientDeps, recogniseClient } from './client-context';
import type { RaiseTicketInput } from './raise-ticket';
import { evidenceFrom } from './raise-ticket';

export type IntakeQuestion = 'businessImpact' | 'client' | 'evidence' | 'steps';

/** The questions, short, in the order they are asked. */
export const QUESTION_TEXT: Record<IntakeQuestion, string> = {
  businessImpact: 'What is the business impact: who is affected, and what can they not do?',
  client: 'Which client or company is this for?',
  evidence: 'Do you have the error message, a screenshot or a link to it?',
  steps: 'What are the steps to make it happen (what you clicked, in order)?',
};

/** Said under each question. */
export const QUESTION_HINT = 'Reply here, or say "skip" to skip this question, or "raise it anyway" to raise it now.';

/** The draft's data keys (flat strings: drafts store `Record<string, string>`, no '.' in keys). */
const ANSWER = (q: IntakeQuestion) => `answer_${q}`;
const PENDING = 'pending';
const SKIPPED = 'skipped';

const SKIP = /^\s*(?:skip|skip it|pass|no|none|n\/a|dunno|don't know|do not know|not sure|no idea)\s*[.!]*\s*$/i;
const RAISE_ANYWAY =
  /^\s*(?:raise(?: it)?(?: anyway| now)?|just raise it|raise the ticket|submit(?: it)?(?: anyway)?|go ahead|that'?s all)\s*[.!]*\s*$/i;

/** "raise it anyway", "just raise it", "submit": stop asking and raise. */
export function isRaiseAnyway(text: string): boolean {
  return RAISE_ANYWAY.test(text);
}

/**
 * The client the directory already knows for a request, before anyone is asked: named in the text ("Northwind's
 * import") or known from the requester (the people mapping, their email domain). Undefined when it is not known,
 * or the directory cannot answer (then the question is asked as usual).
 */
export async function knownClient(
  deps: ClientDeps & { directory: Pick<Directory, 'isAgent'> },
  text: string,
  requester: Actor,
): Promise<string | undefined> {
  const r = await recogniseClient(deps, { text, requester, trusted: deps.directory.isAgent(requester) });
  return r.clientId ? r.client : undefined;
}

/**
 * What to ask, in order: what triage says is missing, except steps and evidence for a request that reports no
 * fault (a how-to question, a change request, a Not Supported item) and the client when the text names one or
 * the directory already knows it (`known`, from {@link knownClient}).
 */
export function questionsFor(s: TriageSuggestion, text: string, known?: string): IntakeQuestion[] {
  const fault = !s.notSupported && (s.requestType === 'troubleshooting' || s.requestType === 'resolving_issue');
  return s.missing.filter((m) => {
    if (m === 'client') return !known && !clientNamed(text);
    if (m === 'steps' || m === 'evidence') return fault;
    return true;
  });
}

/** A new guided draft for `text`: its first question pending (or none); `known` is the client already identified. */
export function startGuided(s: TriageSuggestion, text: string, known?: string): Record<string, string> {
  // Up to Slack's own message cap, more than a ticket holds: the raise clips it and tells the person.
  const data: Record<string, string> = { text: text.slice(0, 40_000) };
  const client = known ?? clientNamed(text);
  if (client) data[ANSWER('client')] = client;
  const first = questionsFor(s, text, known)[0];
  if (first) data[PENDING] = first;
  return data;
}

/** The question the draft waits for, if any. */
export function pendingQuestion(data: Record<string, string>): IntakeQuestion | null {
  const p = data[PENDING];
  return p && p in QUESTION_TEXT ? (p as IntakeQuestion) : null;
}

/** Record `reply` to the pending question (or skip it) and move to the next one not yet answered or skipped. */
export function answerGuided(s: TriageSuggestion, data: Record<string, string>, reply: string): Record<string, string> {
  const pending = pendingQuestion(data);
  const next: Record<string, string> = { ...data };
  delete next[PENDING];
  if (pending) {
    if (SKIP.test(reply)) next[SKIPPED] = [next[SKIPPED], pending].filter(Boolean).join(',');
    else next[ANSWER(pending)] = reply.trim().slice(0, 2000);
  }
  const done = new Set((next[SKIPPED] ?? '').split(',').filter(Boolean));
  const following = questionsFor(s, next.text ?? '').find((q) => !done.has(q) && !next[ANSWER(q)]);
  if (following) next[PENDING] = following;
  return next;
}

/** The answers so far, by question. */
export function answersOf(data: Record<string, string>): Partial<Record<IntakeQuestion, string>> {
  const out: Partial<Record<IntakeQuestion, string>> = {};
  for (const q of Object.keys(QUESTION_TEXT) as IntakeQuestion[]) {
    const a = data[ANSWER(q)];
    if (a) out[q] = a;
  }
  return out;
}

/** The description with the steps given in answer appended. */
export function descriptionOf(data: Record<string, string>): string {
  const text = data.text ?? '';
  const steps = answersOf(data).steps;
  return steps ? `${text}\n\nSteps: ${steps}` : text;
}

/** What the answers add to a raise: business impact, client, evidence (links and error lines, or the answer as said). */
export function raiseFieldsOf(
  data: Record<string, string>,
): Pick<RaiseTicketInput, 'text' | 'businessImpact' | 'client' | 'evidence'> {
  const a = answersOf(data);
  const text = descriptionOf(data);
  const given = a.evidence ? evidenceFrom(a.evidence) : [];
  const evidence = [
    ...evidenceFrom(text),
    ...(a.evidence ? (given.length ? given : [{ kind: 'error' as const, value: a.evidence.slice(0, 500) }]) : []),
  ];
  return {
    text,
    ...(a.businessImpact ? { businessImpact: a.businessImpact } : {}),
    ...(a.client ? { client: a.client } : {}),
    ...(evidence.length ? { evidence } : {}),
  };
}

/**
 * A knowledge article answers the request first: the draft keeps which (`article`) and its pending question waits
 * (`held`) until the requester says the article did not solve it.
 */
export function holdForArticle(data: Record<string, string>, article: string): void {
  data.article = article;
  if (data[PENDING]) {
    data.held = data[PENDING];
    delete data[PENDING];
  }
}

/**
 * "No, raise a ticket": the intake goes on where it would have been (the held question pending again) and the raise
 * will note the article (`declined`). The same data when it was declined before (a retry changes nothing).
 */
export function declineArticle(data: Record<string, string>): Record<string, string> {
  if (!data.article || data.declined) return data;
  const next: Record<string, string> = { ...data, declined: data.article };
  if (next.held) {
    next[PENDING] = next.held;
    delete next.held;
  }
  return next;
}
