import type { RequestType, Severity, TeamId } from '../config/policy.schema';
import { crashPoint } from '../crash-switch';
import { ConflictError } from '../domain/errors';
import type { TriageSuggestion } from '../domain/routing/triage';
import { formatBusinessInstant } from '../domain/sla/sla-clock';
import { serviceCalendar } from '../domain/sla/targets';
import { LIMITS, raise } from '../domain/ticket/operations';
import { severityWithHint } from '../domain/ticket/requester-severity';
import { type Actor, type Evidence, parentOf, type Ticket } from '../domain/ticket/ticket';
import { type ClientDeps, clientChoice, recogniseClient } from './client-context';
import { type AppDeps, type HeldClaim, loadTicket, once, opContext } from './context';
import { incidentForRequest } from './incident-suggestion';
import { offeredArticle } from './knowledge';
import { recordPart } from './ticket-links';

export interface RaiseTicketInput {
  requester: Actor;
  /** An agent raising it on the requester's behalf (from their message): recorded as who raised it. */
  raisedBy?: Actor;
  /** Free text, when raised in plain words: triage fills what is not given. */
  text?: string;
  title?: string;
  description?: string;
  /** The client as typed (free text): matched against the client directory. */
  client?: string;
  /** A client picked from the directory in the form. */
  clientId?: string;
  businessImpact?: string;
  severity?: Severity;
  /** The requester's "How bad is it?" from the form: a hint for Level 1, never the severity on its own. */
  requesterSeverity?: Severity;
  categoryId?: string | null;
  team?: TeamId;
  requestType?: RequestType;
  evidence?: Evidence[];
  sourceLink?: string | null;
  /** The knowledge article the requester was answered with first and said did not solve it (an id of the policy). */
  knowledgeArticle?: string;
  /** The platform's event / activity / submission id: the same key never raises twice. */
  opKey?: string;
  /**
   * "Add me to SR-n": the incident guided intake offered (a claim: joined only when it is still the open incident
   * this request looks like part of; otherwise the request is raised on its own).
   */
  joinIncident?: string;
  /**
   * Where the requester is told the outcome (with `opKey`): the reply is posted under the raise's own claim and
   * recorded with it as told, in the write that records the raise done, so a retry finds it told and posts nothing.
   * Without it the adapter tells them itself (`tellOnce`).
   */
  tell?: RaiseTeller;
}

/** Posts a raise's reply (about `ticket`) under its key (`<opKey>:told`); `postedBefore` looks for a post of that key. */
export interface RaiseTeller {
  post(key: string, text: string, ticket: Ticket): Promise<void>;
  postedBefore(key: string): Promise<boolean>;
}

/** `told`: the requester was told the reply through `input.tell` (now, or by the call that raised it). */
export type RaiseTicketResult =
  | {
      kind: 'raised';
      ticket: Ticket;
      duplicate: boolean;
      confirmation: string;
      suggestion: TriageSuggestion;
      told?: boolean;
    }
  | {
      kind: 'not_supported';
      reply: string;
      suggestion: TriageSuggestion;
      ticket: Ticket | null;
      duplicate: boolean;
      told?: boolean;
    };

const URL = /https?:\/\/[^\s<>|]+/g;

/** Links and error lines in the text become evidence. */
export function evidenceFrom(text: string): Evidence[] {
  const links = [...new Set(text.match(URL) ?? [])].map((value): Evidence => ({ kind: 'link', value }));
  const errors = text
    .split('\n')
    .filter((l) => /\b(error|exception|failed)\b.{3,}/i.test(l))
    .slice(0, 5)
    .map((l): Evidence => ({ kind: 'error', value: l.trim().slice(0, 500) }));
  return [...links, ...errors].slice(0, 20);
}

/**
 * Raise a ticket from chat or a form. A request on the not-supported list is answered with the
 * policy's text instead; chargeable work still becomes a ticket in Quote Required.
 */
export async function raiseTicket(
  deps: AppDeps & { triage: { suggest(text: string): TriageSuggestion }; clients?: ClientDeps['clients'] },
  input: RaiseTicketInput,
): Promise<RaiseTicketResult> {
  const text = [input.title, input.text, input.description].filter(Boolean).join('\n');
  const suggestion = deps.triage.suggest(text);
  // The form sends the category triage filled in: the not-supported route stands unless someone picked another one.
  const picked = input.categoryId && input.categoryId !== (suggestion.category?.id ?? null);
  const ns = picked ? undefined : suggestion.notSupported;
  if (ns?.route === 'declined')
    return { kind: 'not_supported', reply: ns.reply, suggestion, ticket: null, duplicate: false };
  /** What the requester is told: where a not-supported request went, or the confirmation. */
  const replyFor = (t: Ticket) => {
    if (ns) return routedReply(deps, ns.reply, t);
    const parent = parentOf(t);
    return parent
      ? `${t.number} raised and added to incident ${parent}, which we are working on now: you will get its updates here, and its fix reaches you with everyone else's.${clippedNote(input)}`
      : `${confirmation(deps, t)}${clippedNote(input)}`;
  };
  const tell = input.tell;

  const partOf = input.joinIncident
    ? await incidentForRequest(deps, {
        title: input.title ?? suggestion.summary,
        description: input.description ?? input.text ?? '',
        categoryId: input.categoryId ?? suggestion.category?.id ?? null,
      })
    : null;
  const joined = partOf && partOf.number === input.joinIncident ? partOf : null;
  const r = await once(
    deps,
    input.opKey,
    async (held) => {
      // Inside the claim: a redelivery of the same raise is answered without counting again; a refused raise frees
      // its key, so the same draft or form can be raised once the window has passed.
      await deps.limiter?.check('raise', input.raisedBy ?? input.requester);
      // Before the number is taken: the directory may be slow (HubSpot), and it never fails the raise.
      const client = await recogniseClient(deps, {
        clientId: input.clientId,
        client: input.client,
        text,
        requester: input.requester,
        // A requester's client is a claim; an agent raising for someone, or an agent's own ticket, sets it.
        trusted: deps.directory.isAgent(input.raisedBy ?? input.requester),
      });
      // A requester's own severity on the form is their claim too: a 1 that triage does not read is a hint for
      // Level 1, like "How bad is it?", and pages nobody. An agent raising (for someone, or their own) sets it.
      const requesterSays =
        input.requesterSeverity ??
        (input.severity === 1 && !deps.directory.isAgent(input.raisedBy ?? input.requester) ? 1 : undefined);
      const offered = offeredArticle(deps.policy, input.knowledgeArticle);
      return createWithFreeNumber(deps, held, (seq) => {
        const ctx = opContext(deps, input.raisedBy ?? input.requester);
        const description = input.description ?? input.text ?? '';
        const result = raise(
          {
            seq,
            title: input.title ?? suggestion.summary,
            description,
            requester: input.requester,
            ...(client.client !== undefined ? { client: client.client } : {}),
            clientId: client.clientId,
            ...(client.claimed ? { clientClaim: client.claimed } : {}),
            service: clientChoice(deps.policy, client, '').service,
            ...(input.businessImpact !== undefined ? { businessImpact: input.businessImpact } : {}),
            requestType:
              input.requestType ?? (ns?.route === 'change_request' ? 'change_request' : suggestion.requestType),
            categoryId: input.categoryId ?? suggestion.category?.id ?? null,
            team:
              input.team ?? (ns?.route === 'change_request' ? 'development' : (suggestion.category?.team ?? 'level1')),
            // Unsure between 1 and 3 (outage words, nobody said to be affected): raised at 2 so Development triage is
            // not paged until Level 1 sets Severity 1 on the card (which pages as any change to 1 does), unless the
            // requester says 1 too. A requester's 1 that triage does not read never pages (severityWithHint).
            severity: severityWithHint({
              triage: suggestion.severity.value,
              decided:
                input.severity ??
                (suggestion.confidence.between?.[0] === 1 && suggestion.severity.value === 1
                  ? 2
                  : suggestion.severity.value),
              requester: requesterSays ?? null,
            }),
            ...(requesterSays ? { requesterSeverity: requesterSays } : {}),
            ...(offered ? { offeredArticle: offered } : {}),
            evidence: input.evidence ?? evidenceFrom(description),
            sourceLink: input.sourceLink ?? null,
            ...(ns?.route === 'quote_required' ? { quoteRequired: ns.name } : {}),
            ...(ns?.route === 'change_request' ? { changeRequest: ns.name } : {}),
            triage: {
              severity: suggestion.severity.value,
              severityReason: suggestion.severity.reason,
              categoryId: suggestion.category?.id ?? null,
              team: suggestion.category?.team ?? 'level1',
              categoryReason: suggestion.category?.reason ?? 'no category matched',
              ...(suggestion.confidence.unsure ? { unsure: suggestion.confidence.unsure } : {}),
            },
            ...(joined ? { partOf: joined } : {}),
          },
          ctx,
        );
        return deps.tickets.create(result, input.opKey);
      });
    },
    async () => {
      const found = input.opKey ? await deps.tickets.findByRaiseKey(input.opKey) : null;
      // Its process died after saving it: what it parked on the ticket is moved now, not at the next recovery pass.
      if (found) await deps.tickets.flushPending(10).catch(() => 0);
      return found?.number ?? null;
    },
    'raise',
    tell && input.opKey ? tellUnderClaim(input.opKey, tell, (n) => loadTicket(deps, n), replyFor) : undefined,
  );
  const ticket = r.duplicate ? await loadTicket(deps, r.number) : r.value;
  // The incident records its new part (on a redelivery too: the first try may have died before this).
  if (parentOf(ticket)) await recordPart(deps, ticket);
  const told = r.extra.told === true ? { told: true } : {};
  if (ns)
    return { kind: 'not_supported', reply: replyFor(ticket), suggestion, ticket, duplicate: r.duplicate, ...told };
  return { kind: 'raised', ticket, duplicate: r.duplicate, confirmation: replyFor(ticket), suggestion, ...told };
}

/**
 * The `finish` of a raise's claim: its reply posted (unless a process that died holding the claim posted it
 * already), answered `{ told: true }` to be recorded with the raise.
 */
function tellUnderClaim(
  opKey: string,
  tell: RaiseTeller,
  load: (number: string) => Promise<Ticket>,
  replyFor: (t: Ticket) => string,
) {
  return async (saved: { number: string; value: Ticket | null; takenOver: boolean }) => {
    const key = `${opKey}:told`;
    if (!(saved.takenOver && (await tell.postedBefore(key)))) {
      const ticket = saved.value ?? (await load(saved.number));
      await tell.post(key, replyFor(ticket), ticket);
      crashPoint('raise:posted');
    }
    return { told: true };
  };
}

/**
 * The policy's words for a not-supported request, and where the ticket is: its number, status and team, read from
 * the ticket itself so the requester is told what was done.
 */
function routedReply(deps: Pick<AppDeps, 'policy'>, reply: string, t: Ticket): string {
  const status = deps.policy.statuses[t.status]?.name ?? t.status;
  const team = deps.policy.teams[t.team]?.name ?? t.team;
  return `${reply}\n\n${t.number} was recorded for this request: ${status}, with ${team}.`;
}

/** Told when the description was longer than a ticket holds (the domain clips it to LIMITS.description). */
export function clippedNote(input: Pick<RaiseTicketInput, 'description' | 'text'>): string {
  const description = (input.description ?? input.text ?? '').trim();
  if (description.length <= LIMITS.description) return '';
  const kept = (LIMITS.description - 1).toLocaleString('en-GB');
  return `\n\nYour message was long (${description.length.toLocaleString('en-GB')} characters): I kept the first ${kept} in the ticket. Please add anything important that was cut as a reply, or attach it as a file or link.`;
}

/**
 * Creates the ticket under the next number; a number already taken (a counter restored from a backup, a ticket
 * inserted by hand) is skipped for the next one rather than failing the raise. The number is bound to the raise's
 * claim before the ticket is written: a process that takes the raise over from one that died uses the same number,
 * so of the two inserts only one can land (the repository answers the other with the ticket of the same raise).
 */
async function createWithFreeNumber(
  deps: AppDeps,
  held: HeldClaim,
  create: (seq: number) => Promise<Ticket>,
): Promise<Ticket> {
  const bound = (held.bound as { seq?: unknown } | null)?.seq;
  let seq = typeof bound === 'number' ? bound : null;
  for (let attempt = 1; ; attempt++) {
    if (seq === null) {
      seq = await deps.tickets.nextSeq();
      await held.bind({ seq });
    }
    crashPoint('raise:numbered');
    try {
      return await create(seq);
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= 5) throw err;
      seq = null;
    }
  }
}

/**
 * "SR-12 raised: Severity 2 (Major / High Impact Incident), Priority 2 (High impact), owned by Level 1
 * Support. Expect a first response by Mon 10:15." A Severity 1 raised outside support hours also says
 * plainly when its clock starts and who was paged.
 */
export function confirmation(deps: Pick<AppDeps, 'policy' | 'clock' | 'calendar'>, t: Ticket): string {
  const { policy } = deps;
  // A client with its own calendar reads its times in that calendar's zone.
  const own = t.service?.calendar;
  const tz = own?.spec.timeZone ?? policy.calendar.timeZone;
  const calendar = serviceCalendar(deps.calendar, t.service);
  const now = deps.clock.now();
  const sev = policy.severities[t.severity];
  const team = policy.teams[t.team]?.name ?? t.team;
  const due = t.sla.response.dueAt;
  const hours = sev.calendar === '24x7' ? 'counted 24x7' : own ? `${own.name}, ${tz}` : `support hours, ${tz}`;
  const when = due ? ` Expect a first response by ${formatBusinessInstant(due, tz, now)} (${hours}).` : '';
  const priority = policy.priorities[t.priority]?.name ?? '';
  const tier = t.service?.tier ? ` ${t.service.tier.name} tier.` : '';
  const head = `${t.number} raised: Severity ${t.severity} (${sev.name}), Priority ${t.priority} (${priority}), owned by ${team}.${tier}`;
  if (!sev.immediateEscalation || calendar.isBusinessTime(now)) return `${head}${when}`;
  const lead = policy.escalation.ladder[1];
  const leadName = lead?.contact ? (policy.people[lead.contact]?.name ?? lead.name) : lead?.name;
  const paged = `We have paged ${policy.channels.developmentTriage.name}${leadName ? ` and ${leadName} (${lead?.name})` : ''} now.`;
  const clock =
    sev.calendar === '24x7'
      ? 'Severity 1 is counted round the clock: its SLA clock started now.'
      : // The first business millisecond after now is the next opening.
        `It is outside support hours, so its SLA clock starts when support opens, ${formatBusinessInstant(
          calendar.addBusinessMinutes(now, 1 / 60_000),
          tz,
          now,
        )}.`;
  return `${head} ${paged} ${clock}${when}`;
}
