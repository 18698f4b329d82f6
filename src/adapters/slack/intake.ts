import { evidenceFrom, type RaiseTicketResult, raiseTicket } from '../../app/raise-ticket';
import type { App } from '../../bootstrap';
import { Action } from '../../cards/actions';
import { INTAKE_BLOCKS, type IntakePrefill, type Understood } from '../../cards/slack';
import type { Severity } from '../../config/policy.schema';
import type { Actor, Evidence } from '../../domain/ticket/ticket';
import { BadPayloadError } from './errors';
import { stateValue, type ViewSubmissionBody } from './payloads';

/** Free text → what the bot understood, or the policy's reply for a declined (not supported) request. */
export function understand(app: Pick<App, 'triage' | 'policy'>, text: string): Understood | { notSupported: string } {
  const s = app.triage.suggest(text);
  if (s.notSupported?.route === 'declined') return { notSupported: s.notSupported.reply };
  const sev = app.policy.severities[s.severity.value];
  return {
    summary: s.summary,
    category: s.category ? { name: s.category.name, teamName: s.category.teamName, reason: s.category.reason } : null,
    severity: { value: s.severity.value, name: sev.name, reason: s.severity.reason },
    missing: s.missing,
    ...(s.notSupported ? { note: s.notSupported.reply } : {}),
  };
}

/** The form pre-filled from free text (the same suggestion). */
export function prefillFrom(app: Pick<App, 'triage'>, text: string): IntakePrefill {
  const s = app.triage.suggest(text);
  const links = evidenceFrom(text)
    .filter((e) => e.kind === 'link')
    .map((e) => e.value)
    .join('\n');
  return {
    title: s.summary === '(no description)' ? '' : s.summary,
    description: text,
    severity: s.severity.value,
    categoryId: s.category?.id ?? null,
    ...(links ? { links } : {}),
  };
}

export const EMPTY_PREFILL: IntakePrefill = { title: '', description: '', severity: 3, categoryId: null };

/** The intake modal's values, checked at the edge. */
export function intakeFromView(app: Pick<App, 'policy'>, body: ViewSubmissionBody) {
  const title = stateValue(body, INTAKE_BLOCKS.title);
  if (!title) throw new BadPayloadError('A ticket needs a summary.');
  const severity = stateValue(body, INTAKE_BLOCKS.severity);
  if (severity !== undefined && !['1', '2', '3', '4'].includes(severity))
    throw new BadPayloadError('Severity must be 1, 2, 3 or 4.');
  const howBad = stateValue(body, INTAKE_BLOCKS.howBad);
  if (howBad !== undefined && !['1', '2', '3', '4'].includes(howBad))
    throw new BadPayloadError('"How bad is it?" must be one of its choices.');
  const category = stateValue(body, INTAKE_BLOCKS.category);
  if (category && category !== 'none' && !Object.hasOwn(app.policy.coverage.categories, category))
    throw new BadPayloadError(`Unknown category "${category.slice(0, 40)}".`);
  return {
    title: title.slice(0, 200),
    description: stateValue(body, INTAKE_BLOCKS.description) ?? '',
    businessImpact: stateValue(body, INTAKE_BLOCKS.impact),
    client: stateValue(body, INTAKE_BLOCKS.client),
    clientId: stateValue(body, INTAKE_BLOCKS.clientPick, Action.PickClient),
    severity: severity ? (Number(severity) as Severity) : undefined,
    ...(howBad ? { requesterSeverity: Number(howBad) as Severity } : {}),
    categoryId: category && category !== 'none' ? category : undefined,
    links: stateValue(body, INTAKE_BLOCKS.links),
  };
}

/** Raise from the form as the requester (the view id is the operation key: one view, one ticket). */
export async function raiseFromForm(
  app: App,
  requester: Actor,
  f: ReturnType<typeof intakeFromView>,
  opts: { opKey: string; sourceLink: string | null; raisedBy?: Actor; knowledgeArticle?: string },
): Promise<RaiseTicketResult> {
  let evidence: Evidence[] = evidenceFrom(f.description);
  if (f.links) {
    const given = evidenceFrom(f.links);
    evidence = [
      ...evidence,
      ...(given.length > 0 ? given : [{ kind: 'error' as const, value: f.links.slice(0, 500) }]),
    ];
  }
  return raiseTicket(app, {
    requester,
    title: f.title,
    description: f.description || f.title,
    ...(f.severity ? { severity: f.severity } : {}),
    ...(f.requesterSeverity ? { requesterSeverity: f.requesterSeverity } : {}),
    ...(f.categoryId ? { categoryId: f.categoryId } : {}),
    ...(f.client ? { client: f.client } : {}),
    ...(f.clientId ? { clientId: f.clientId } : {}),
    ...(f.businessImpact ? { businessImpact: f.businessImpact } : {}),
    evidence,
    sourceLink: opts.sourceLink,
    opKey: opts.opKey,
    ...(opts.raisedBy ? { raisedBy: opts.raisedBy } : {}),
    ...(opts.knowledgeArticle ? { knowledgeArticle: opts.knowledgeArticle } : {}),
  });
}

/** What the requester is told after raising. */
export function raiseReply(r: RaiseTicketResult): string {
  return r.kind === 'raised' ? r.confirmation : r.reply;
}
