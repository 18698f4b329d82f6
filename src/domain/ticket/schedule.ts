import type { Policy } from '../../config/policy.schema';
import { type ClockContext, formatBusinessInstant, formatMinutes, type SlaClock } from '../sla/sla-clock';
import { clocksForSeverity, targetsFor } from '../sla/targets';
import { nextDevTargetAt, sweepDevTargets } from './development-targets';
import type { Notice } from './notice';
import { parentOf, SYSTEM_ACTOR, type Ticket, type TicketEvent } from './ticket';

type LadderPolicy = Pick<Policy, 'escalation' | 'severities' | 'priorities' | 'sla'>;

/**
 * The highest ladder level a breach of this ticket may reach: the severity's `ladderUpTo`, raised to
 * the priority's when that is higher; the top of the ladder when neither says.
 */
export function ladderCeiling(t: Pick<Ticket, 'severity' | 'priority'>, policy: LadderPolicy): number {
  const top = policy.escalation.ladder.length - 1;
  const bySeverity = policy.severities[t.severity]?.ladderUpTo ?? top;
  const byPriority = policy.priorities[t.priority]?.ladderUpTo ?? 0;
  return Math.min(top, Math.max(bySeverity, byPriority));
}

/**
 * Whether the breach that started the ladder still stands: its clock is still counting and still breached (a first
 * response, a resolution or a pause ends or holds it; a retarget to a target not yet reached undoes it). No ladder
 * step, and no "nobody has acted" line, for a clock that has ended or is paused.
 */
function breachStands(t: Ticket): boolean {
  const c = t.sla[t.alerting.clock ?? 'resolution'];
  return c.state === 'running' && c.breached;
}

/**
 * The ladder climbs only while: a breach started it and still stands, nobody acknowledged it, it is
 * below the ceiling for the ticket's severity and priority, and the ticket is not waiting for the
 * customer (when the policy says so).
 */
export function ladderActive(t: Ticket, policy: LadderPolicy): boolean {
  return (
    !parentOf(t) &&
    !!t.alerting.breachedAt &&
    !t.alerting.acknowledgedAt &&
    t.alerting.notifiedLevel < ladderCeiling(t, policy) &&
    t.status !== 'closed' &&
    breachStands(t) &&
    !(t.status === 'waiting_for_customer' && policy.sla.ladderPausedBy.includes('waiting_for_customer'))
  );
}

function clockNext(c: SlaClock): Date | null {
  if (c.state !== 'running') return null;
  if (!c.warned) return c.warnAt;
  if (!c.breached) return c.dueAt;
  return null;
}

/**
 * The next instant the SLA sweep has something to do for this ticket (a warning, a breach or a
 * ladder step), or null. Stored on the ticket so a sweep is one indexed range query.
 */
export function nextCheckAt(t: Ticket, policy: LadderPolicy, _ctx?: ClockContext): Date | null {
  // A child of an incident never pages: the incident carries the clocks, alerts and ladder.
  if (t.status === 'closed' || parentOf(t)) return null;
  const candidates = [clockNext(t.sla.response), clockNext(t.sla.resolution)];
  if (ladderActive(t, policy)) candidates.push(t.alerting.nextStepAt);
  candidates.push(nextDevTargetAt(t));
  const times = candidates.filter((d): d is Date => d instanceof Date).map((d) => d.getTime());
  return times.length ? new Date(Math.min(...times)) : null;
}

export interface SweepResult {
  ticket: Ticket;
  notices: Notice[];
  events: TicketEvent[];
}

const CLOCK_LABEL = { response: 'first response', resolution: 'resolution' } as const;

/** What stops the ladder, in words, from the policy. */
function whatStopsIt(t: Ticket, policy: LadderPolicy): string {
  const holds = policy.sla.ladderPausedBy.map(
    (p) =>
      ({
        agent_reply: 'a reply to the requester',
        assignment: 'assigning it',
        waiting_for_customer: 'asking the customer',
      })[p],
  );
  const ceiling = policy.escalation.ladder[ladderCeiling(t, policy)]?.name;
  return `Acknowledge to stop the escalation${holds.length ? `; ${holds.join(', ')} holds it for ${formatMinutes(policy.sla.ladderStepAfter)}` : ''}. For Severity ${t.severity} / Priority ${t.priority} it goes no higher than ${ceiling}.`;
}

/**
 * Everything due for one ticket at `now`: at-risk warnings, breach alerts and ladder steps. After
 * downtime, a warning whose breach is also past is skipped and ladder steps that fell due are
 * folded into one notice for the level reached, with the real times in the text. `business` is the
 * business-hours context; a severity on 24x7 counts round the clock.
 */
export function sweepTicket(t: Ticket, now: Date, policy: Policy, business: ClockContext): SweepResult {
  // Part of an incident (a stale check time from before it was linked): nothing to warn, breach or climb.
  if (parentOf(t)) return { ticket: { ...t, nextCheckAt: null }, notices: [], events: [] };
  const ctx = clocksForSeverity(business, policy, t.severity, t.service);
  const notices: Notice[] = [];
  const events: TicketEvent[] = [];
  const tz = policy.calendar.timeZone;
  const ladder = policy.escalation.ladder;
  const sev = policy.severities[t.severity];
  const targets = targetsFor(policy, t.severity, t.priority, t.service);
  let ticket: Ticket = { ...t, sla: { ...t.sla }, alerting: { ...t.alerting } };
  const event = (type: string, note: string) =>
    events.push({ ticket: t.number, at: now, actor: SYSTEM_ACTOR, type, note });

  for (const kind of ['response', 'resolution'] as const) {
    const c = { ...ticket.sla[kind] };
    if (c.state !== 'running') continue;
    const label = CLOCK_LABEL[kind];
    const why = `the ${formatMinutes(c.targetMinutes)} target for ${targets.why[kind]}`;
    const breachDue = !c.breached && c.dueAt && c.dueAt.getTime() <= now.getTime();
    if (!c.warned && c.warnAt && c.warnAt.getTime() <= now.getTime()) {
      c.warned = true;
      if (!breachDue) {
        const left = formatMinutes(c.targetMinutes * (1 - ctx.warnAt));
        notices.push({
          key: `${t.number}:sla.warning:${kind}:t${c.targetMinutes}:${c.dueAt?.toISOString()}`,
          type: 'sla.warning',
          ticket: t.number,
          audience: t.assignee ? { kind: 'user', actor: t.assignee } : { kind: 'channel', channel: 'triage' },
          clock: kind,
          at: c.warnAt,
          text: `${t.number} (Severity ${t.severity}, Priority ${t.priority}) is at risk: its ${label} is due ${formatBusinessInstant(
            c.dueAt ?? now,
            tz,
            now,
          )} (about ${left} left at ${Math.round(ctx.warnAt * 100)} % of ${why}). ${
            kind === 'response' ? 'Reply to the requester or assign it' : 'Resolve it or ask the customer'
          } to stop the clock. ${t.title}`,
        });
        event('sla.warning', `${label} at risk`);
      }
    }
    if (breachDue && c.dueAt) {
      c.warned = true;
      c.breached = true;
      c.breachedAt = c.dueAt;
      c.firstBreachedAt = c.firstBreachedAt ?? c.dueAt;
      const level = Math.max(1, Math.min(ticket.escalationLevel, ladder.length - 1));
      const contact = ladder[level]?.contact;
      const late = now.getTime() - c.dueAt.getTime() > 5 * 60_000;
      ticket.sla[kind] = c;
      // A new ladder starts unless one is still climbing (acknowledged or finished ladders do not hide a new breach).
      const startsLadder = !ladderActive(ticket, policy);
      const next: Ticket = startsLadder
        ? {
            ...ticket,
            alerting: {
              breachedAt: c.dueAt,
              clock: kind,
              notifiedLevel: level,
              nextStepAt: ctx.calendar.addBusinessMinutes(c.dueAt, policy.sla.ladderStepAfter),
              acknowledgedBy: null,
              acknowledgedAt: null,
            },
          }
        : ticket;
      notices.push({
        key: `${t.number}:sla.breach:${kind}:t${c.targetMinutes}:${c.dueAt.toISOString()}`,
        type: 'sla.breach',
        ticket: t.number,
        audience: { kind: 'channel', channel: 'managers' },
        ...(contact ? { mention: contact } : {}),
        clock: kind,
        level,
        at: c.dueAt,
        text: `SLA BREACH: ${t.number} (Severity ${t.severity}, ${sev.name}; Priority ${t.priority}) missed ${why} for its ${label} at ${formatBusinessInstant(
          c.dueAt,
          tz,
        )}${late ? ` (reported late, at ${formatBusinessInstant(now, tz)})` : ''}. ${ladder[level]?.name ?? ''} please acknowledge. ${
          ladderActive(next, policy) ? whatStopsIt(next, policy) : 'No further escalation for this ticket.'
        } ${t.title}`,
      });
      event('sla.breach', `${label} breached at ${formatBusinessInstant(c.dueAt, tz)}`);
      ticket = next;
    }
    ticket.sla[kind] = c;
  }

  if (ladderActive(ticket, policy) && ticket.alerting.nextStepAt && ticket.alerting.nextStepAt <= now) {
    const top = ladderCeiling(ticket, policy);
    let level = ticket.alerting.notifiedLevel;
    let stepAt: Date | null = ticket.alerting.nextStepAt;
    const reachedAt: Date[] = [];
    while (stepAt && stepAt.getTime() <= now.getTime() && level < top) {
      level += 1;
      reachedAt.push(stepAt);
      stepAt = level < top ? ctx.calendar.addBusinessMinutes(stepAt, policy.sla.ladderStepAfter) : null;
    }
    const at = reachedAt.at(-1)!;
    const contact = ladder[level]?.contact;
    const skipped = reachedAt.length > 1 ? ` (steps due since ${formatBusinessInstant(reachedAt[0]!, tz)})` : '';
    const clock = CLOCK_LABEL[ticket.alerting.clock ?? 'resolution'];
    const stops =
      level < top ? whatStopsIt(ticket, policy) : `${ladder[level]?.name} is the last step for this ticket.`;
    const text = `ESCALATION: ${t.number} (Severity ${t.severity}, Priority ${t.priority}) breached its ${clock} SLA at ${formatBusinessInstant(
      ticket.alerting.breachedAt!,
      tz,
    )}, the breach still stands and nobody has acted on it or acknowledged it; now escalated to ${ladder[level]?.name}${skipped}. ${stops} ${t.title}`;
    const base = `${t.number}:sla.ladder:${level}:${ticket.alerting.breachedAt!.toISOString()}`;
    notices.push({
      key: base,
      type: 'sla.ladder',
      ticket: t.number,
      audience: { kind: 'channel', channel: 'managers' },
      ...(contact ? { mention: contact } : {}),
      level,
      at,
      text,
    });
    if (contact) {
      notices.push({
        key: `${base}:dm`,
        type: 'sla.ladder',
        ticket: t.number,
        audience: { kind: 'person', personId: contact },
        level,
        at,
        text,
      });
    }
    event('sla.ladder', `escalated to ${ladder[level]?.name}`);
    ticket.alerting = { ...ticket.alerting, notifiedLevel: level, nextStepAt: stepAt };
  }

  // Development's own targets alert the Dev Lead, not the support ladder.
  const dev = sweepDevTargets(ticket, now, policy);
  ticket = dev.ticket;
  notices.push(...dev.notices);
  events.push(...dev.events);

  if (notices.length) ticket = { ...ticket, updatedAt: now };
  ticket.nextCheckAt = nextCheckAt(ticket, policy);
  return { ticket, notices, events };
}
