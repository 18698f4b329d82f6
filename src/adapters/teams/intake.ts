import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { knownClient, QUESTION_TEXT, questionsFor } from '../../app/guided-intake';
import { incidentForRequest } from '../../app/incident-suggestion';
import { evidenceFrom, type RaiseTeller, type RaiseTicketResult, raiseTicket } from '../../app/raise-ticket';
import type { App } from '../../bootstrap';
import { choicesFromPolicy, type IntakePrefill, intakeFormCard, type Json } from '../../cards/teams';
import type { Severity } from '../../config/policy.schema';
import { clientNamed } from '../../domain/routing/missing-information';
import type { Actor, Evidence } from '../../domain/ticket/ticket';
import { BadActionError } from './errors';

/**
 * Free text to a pre-filled form: the triage suggestion in the requester's words, the client it names, and (guided
 * intake) the first question to ask when something the handbook asks for is missing.
 */
export function prefillFrom(
  app: Pick<App, 'triage'>,
  text: string,
  sourceLink?: string | null,
  /** The client the directory already knows (app/guided-intake `knownClient`): pre-filled, not asked. */
  known?: string,
): IntakePrefill | { notSupported: string } {
  const s = app.triage.suggest(text);
  if (s.notSupported?.route === 'declined') return { notSupported: s.notSupported.reply };
  const first = questionsFor(s, text, known)[0];
  const client = known ?? clientNamed(text);
  return {
    ...(first ? { question: { id: first, text: QUESTION_TEXT[first], asked: first } } : {}),
    ...(client ? { client } : {}),
    title: s.summary,
    description: text,
    severity: s.severity.value,
    severityReason: s.severity.reason,
    categoryId: s.category?.id ?? null,
    ...(s.category ? { teamName: s.category.teamName } : {}),
    missing: s.missing,
    ...(s.notSupported ? { note: s.notSupported.reply } : {}),
    sourceLink: sourceLink ?? null,
  };
}

export interface IntakeCardOptions {
  sourceLink?: string | null;
  files?: Evidence[];
  /** The client the directory already knows (app/guided-intake `knownClient`): pre-filled, not asked. */
  known?: string;
  /** An open incident this request looks like part of: "Add me to SR-n". */
  incident?: string;
  /** After "No, raise a ticket" on a knowledge answer: the article the raise notes, and the answer card's id. */
  declined?: { article: { id: string; title: string }; formId: string };
}

export function intakeCard(
  app: Pick<App, 'policy' | 'triage'>,
  text: string,
  mode: 'chat' | 'dialog',
  opts: IntakeCardOptions = {},
): Json | { notSupported: string } {
  const { sourceLink, files = [], known, incident, declined } = opts;
  const p = prefillFrom(app, text, sourceLink, known);
  if ('notSupported' in p) return p;
  if (incident) p.incident = incident;
  // Files attached to the message are kept as evidence: their links go into the form's evidence field.
  const attached = files.map((f) => f.value).join('\n');
  const evidence = [p.evidence, attached].filter(Boolean).join('\n');
  return intakeFormCard(
    {
      ...p,
      ...(evidence ? { evidence } : {}),
      formId: declined?.formId ?? randomUUID(),
      ...(declined ? { article: declined.article } : {}),
    },
    choicesFromPolicy(app.policy),
    mode,
  );
}

/**
 * The intake card for a requester's words in chat: the client the directory knows pre-filled, and an open incident
 * the request looks like part of offered ("Add me to SR-n").
 */
export async function chatIntakeCard(
  app: App,
  text: string,
  actor: Actor,
  opts: Pick<IntakeCardOptions, 'files' | 'declined'> = {},
): Promise<Json | { notSupported: string }> {
  const s = app.triage.suggest(text);
  const incident = await incidentForRequest(app, {
    title: s.summary,
    description: text,
    categoryId: s.category?.id ?? null,
  });
  const known = await knownClient(app, text, actor);
  return intakeCard(app, text, 'chat', {
    ...opts,
    ...(known ? { known } : {}),
    ...(incident ? { incident: incident.number } : {}),
  });
}

export function emptyIntakeCard(app: Pick<App, 'policy'>, mode: 'chat' | 'dialog'): Json {
  return intakeFormCard(
    { title: '', description: '', severity: 3, categoryId: null, missing: [], formId: randomUUID() },
    choicesFromPolicy(app.policy),
    mode,
  );
}

const optionalText = (max: number) =>
  z
    .string()
    .max(max, { error: `at most ${max} characters` })
    .optional();

/** The intake form's inputs, as Teams sends them back (all strings); anything else is refused. */
const intakeSchema = z.object({
  title: z.string().trim().min(1, { error: 'is required' }).max(200, { error: 'at most 200 characters' }),
  // Longer than a ticket holds is raised clipped, with a note to the person (raiseTicket), not refused.
  description: optionalText(100_000),
  severity: z.enum(['1', '2', '3', '4']).optional(),
  // "How bad is it?": an unset choice set comes back empty or absent.
  requesterSeverity: z.enum(['', '1', '2', '3', '4']).optional(),
  category: optionalText(100),
  client: optionalText(2000),
  clientId: optionalText(40),
  businessImpact: optionalText(2000),
  evidence: optionalText(2000),
  sourceLink: optionalText(1000),
  form: optionalText(100),
  /** The incident the card offered ("Add me to SR-n", with `join`): a claim, checked by raiseTicket. */
  incident: z
    .string()
    .regex(/^SR-[1-9]\d{0,9}$/)
    .optional(),
  join: z.literal('1').optional(),
  /** The knowledge article answered first that did not solve it (an id of the policy; anything else notes nothing). */
  article: optionalText(100),
});

/** Submit the intake form (chat card, fallback submit or message-extension dialog) as the requester. */
export async function submitIntake(
  app: App,
  requester: Actor,
  data: unknown,
  opKey: string,
  raisedBy?: Actor,
  tell?: RaiseTeller,
): Promise<RaiseTicketResult> {
  const r = intakeSchema.safeParse(data ?? {});
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new BadActionError(
      `Invalid form: ${issue ? `${issue.path.join('.') || 'form'} ${issue.message}` : 'bad shape'}`,
    );
  }
  const f = r.data;
  // A form rendering submitted twice (double click, or Execute then its Submit fallback) raises once.
  const key = f.form ? `teams:form:${requester.userId}:${f.form}` : opKey;
  const description = f.description?.trim() ?? '';
  let evidence: Evidence[] = evidenceFrom(description);
  if (f.evidence?.trim()) {
    const given = evidenceFrom(f.evidence);
    evidence = [...evidence, ...(given.length > 0 ? given : [{ kind: 'error' as const, value: f.evidence.trim() }])];
  }
  const result = await raiseTicket(app, {
    requester,
    title: f.title,
    description: description || f.title,
    ...(f.severity ? { severity: Number(f.severity) as Severity } : {}),
    ...(f.requesterSeverity ? { requesterSeverity: Number(f.requesterSeverity) as Severity } : {}),
    ...(f.category && f.category !== 'none' ? { categoryId: f.category } : {}),
    ...(f.client?.trim() ? { client: f.client.trim() } : {}),
    ...(f.clientId?.trim() && f.clientId !== 'none' ? { clientId: f.clientId.trim() } : {}),
    ...(f.businessImpact?.trim() ? { businessImpact: f.businessImpact.trim() } : {}),
    evidence,
    sourceLink: f.sourceLink ?? null,
    ...(f.article ? { knowledgeArticle: f.article } : {}),
    opKey: key,
    ...(raisedBy ? { raisedBy } : {}),
    ...(f.join && f.incident ? { joinIncident: f.incident } : {}),
    ...(tell ? { tell } : {}),
  });
  if (!result.duplicate && result.ticket) app.kick();
  return result;
}

/** What the requester is told after submitting. */
export function raiseReply(r: RaiseTicketResult): string {
  return r.kind === 'raised' ? r.confirmation : r.reply;
}
