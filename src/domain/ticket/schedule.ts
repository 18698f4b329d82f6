import type { Policy } from '../../config/policy.schema';
import { type ClockContext, formatBusinessInstant, formatMinutes, type SlaClock } from '../sla/sla-clock';
import type { Notice } from './notice';
import { SYSTEM_ACTOR, type Ticket, type TicketEvent } from './ticket';

type ClockCtx = ClockContext;

function ladderActive(t: Ticket, policy: Pick<Policy, 'escalation'>): boolean {
  const top = policy.escalation.ladder.length - 1;
  return (
    !!t.alerting.breachedAt &&
    !t.alerting.acknowledgedAt &&
    t.alerting.notifiedLevel < top &&
    t.status !== 'closed' &&
    t.sla.resolution.state !== 'stopped'
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
export function nextCheckAt(t: Ticket, policy: Pick<Policy, 'escalation'>, _ctx?: ClockCtx): Date | null {
  if (t.status === 'closed') return null;
  const candidates = [clockNext(t.sla.response), clockNext(t.sla.resolution)];
  if (ladderActive(t, policy)) candidates.push(t.alerting.nextStepAt);
  const times = candidates.filter((d): d is Date => d instanceof Date).map((d) => d.getTime());
  return times.length ? new Date(Math.min(...times)) : null;
}

export interface SweepResult {
  ticket: Ticket;
  notices: Notice[];
  events: TicketEvent[];
}

const CLOCK_LABEL = { response: 'first response', resolution: 'resolution' } as const;

/**
 * Everything due for one ticket at `now`: at-risk warnings, breach alerts and ladder steps. After
 * downtime, a warning whose breach is also past is skipped and ladder steps that fell due are
 * folded into one notice for the level reached, with the real times in the text.
 */
export function sweepTicket(t: Ticket, now: Date, policy: Policy, ctx: ClockCtx): SweepResult {
  const notices: Notice[] = [];
  const events: TicketEvent[] = [];
  const tz = policy.calendar.timeZone;
  const ladder = policy.escalation.ladder;
  const sev = policy.severities[t.severity];
  let ticket: Ticket = { ...t, sla: { ...t.sla }, alerting: { ...t.alerting } };
  const event = (type: string, note: string) =>
    events.push({ ticket: t.number, at: now, actor: SYSTEM_ACTOR, type, note });

  for (const kind of ['response', 'resolution'] as const) {
    const c = { ...ticket.sla[kind] };
    if (c.state !== 'running') continue;
    const label = CLOCK_LABEL[kind];
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
          text: `${t.number} (Severity ${t.severity}) is at risk: its ${label} target is due ${formatBusinessInstant(
            c.dueAt ?? now,
            tz,
            now,
          )} (about ${left} left at ${Math.round(ctx.warnAt * 100)} %). ${t.title}`,
        });
        event('sla.warning', `${label} at risk`);
      }
    }
    if (breachDue && c.dueAt) {
      c.warned = true;
      c.breached = true;
      c.breachedAt = c.dueAt;
      const level = Math.max(1, Math.min(ticket.escalationLevel, ladder.length - 1));
      const contact = ladder[level]?.contact;
      const late = now.getTime() - c.dueAt.getTime() > 5 * 60_000;
      notices.push({
        key: `${t.number}:sla.breach:${kind}:t${c.targetMinutes}:${c.dueAt.toISOString()}`,
        type: 'sla.breach',
        ticket: t.number,
        audience: { kind: 'channel', channel: 'managers' },
        ...(contact ? { mention: contact } : {}),
        clock: kind,
        level,
        at: c.dueAt,
        text: `SLA BREACH: ${t.number} (Severity ${t.severity}, ${sev.name}) missed its ${label} target of ${formatMinutes(
          c.targetMinutes,
        )} at ${formatBusinessInstant(c.dueAt, tz)}${late ? ` (reported late, at ${formatBusinessInstant(now, tz)})` : ''}. ${
          ladder[level]?.name ?? ''
        } please acknowledge. ${t.title}`,
      });
      event('sla.breach', `${label} breached at ${formatBusinessInstant(c.dueAt, tz)}`);
      // A new ladder starts unless one is still climbing (acknowledged or finished ladders do not hide a new breach).
      if (!ladderActive(ticket, policy)) {
        ticket.alerting = {
          breachedAt: c.dueAt,
          notifiedLevel: level,
          nextStepAt: ctx.calendar.addBusinessMinutes(c.dueAt, policy.sla.ladderStepAfter),
          acknowledgedBy: null,
          acknowledgedAt: null,
        };
      }
    }
    ticket.sla[kind] = c;
  }

  if (ladderActive(ticket, policy) && ticket.alerting.nextStepAt && ticket.alerting.nextStepAt <= now) {
    const top = ladder.length - 1;
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
    const text = `ESCALATION: ${t.number} (Severity ${t.severity}) breached its SLA at ${formatBusinessInstant(
      ticket.alerting.breachedAt!,
      tz,
    )} and nobody has acknowledged it; now escalated to ${ladder[level]?.name}${skipped}. ${t.title}`;
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

  if (notices.length) ticket = { ...ticket, updatedAt: now };
  ticket.nextCheckAt = nextCheckAt(ticket, policy);
  return { ticket, notices, events };
}
