import { DateTime } from 'luxon';
import { ConflictError } from '../domain/errors';
import { formatMinutes } from '../domain/sla/sla-clock';
import { readClocks } from '../domain/ticket/clocks';
import { rolesFor } from '../domain/ticket/lifecycle';
import type { Notice } from '../domain/ticket/notice';
import * as op from '../domain/ticket/operations';
import { sweepTicket } from '../domain/ticket/schedule';
import { SYSTEM_ACTOR, type Ticket } from '../domain/ticket/ticket';
import type { OutboxStore } from '../notify/outbox';
import { type AppDeps, clockContext, opContext } from './context';
import type { DraftRepository, RateCounter, TicketChange } from './ports';
import type { ReportAccessStore } from './reports/ports';
import { followIncident } from './ticket-links';

export interface JobReport {
  job: string;
  processed: number;
  skipped: number;
  failed: number;
}

const BATCH = 500;
/** At most this many pages (of BATCH) per run of a paging job. */
const MAX_PAGES = 40;
export const systemActor = { ...SYSTEM_ACTOR, platform: 'slack' as const, roles: ['system' as const] };

/** How many tickets a job works on at the same time (each is a few single-document round trips). */
const TICKETS_AT_ONCE = 8;

/** Run `work` for each ticket; one failing ticket never stops the rest, a lost race is skipped. */
export async function eachTicket(
  deps: AppDeps & { log: { warn(o: object, m: string): void } },
  job: string,
  tickets: Ticket[],
  work: (t: Ticket) => Promise<boolean>,
): Promise<JobReport> {
  const report: JobReport = { job, processed: 0, skipped: 0, failed: 0 };
  const one = async (t: Ticket): Promise<void> => {
    try {
      if (await work(t)) report.processed++;
      else report.skipped++;
    } catch (err) {
      if (err instanceof ConflictError) report.skipped++;
      else {
        report.failed++;
        deps.log.warn({ job, ticket: t.number, err: (err as Error).message }, 'scheduled job failed for one ticket');
      }
    }
  };
  // Tickets are independent: a few at a time, so one ticket's round trips overlap another's.
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let t = tickets[next++]; t !== undefined; t = tickets[next++]) await one(t);
  };
  await Promise.all(Array.from({ length: Math.min(TICKETS_AT_ONCE, tickets.length) }, worker));
  return report;
}

export type JobDeps = AppDeps & { log: { warn(o: object, m: string): void }; outbox: OutboxStore };

/**
 * The SLA sweep: one indexed query for tickets whose next check is due; each gets its warnings,
 * breach alerts and ladder steps, saved with the ticket atomically (notice keys are deterministic,
 * so a sweep that runs twice or on several replicas creates each notice once).
 */
export async function sweepSla(deps: JobDeps): Promise<JobReport> {
  const now = deps.clock.now();
  const due = await deps.tickets.findDue(now, BATCH);
  const report: JobReport = { job: 'sla-sweep', processed: 0, skipped: 0, failed: 0 };
  const changes: Array<{ change: TicketChange; expectedVersion: number }> = [];
  for (const t of due) {
    try {
      const r = sweepTicket(t, now, deps.policy, clockContext(deps));
      if (r.notices.length === 0 && r.events.length === 0 && +(r.ticket.nextCheckAt ?? 0) === +(t.nextCheckAt ?? 0))
        report.skipped++;
      else changes.push({ change: { ...r, notices: withCardRefresh(t, r.notices) }, expectedVersion: t.version });
    } catch (err) {
      report.failed++;
      deps.log.warn({ job: report.job, ticket: t.number, err: (err as Error).message }, 'sweeping one ticket failed');
    }
  }
  // All saved at once: a sweep of a hundred tickets costs a few round trips, not a few hundred.
  const saved = await deps.tickets.saveMany(changes);
  for (const [i, result] of saved.entries()) {
    if (result === 'saved' && (changes[i]?.change.notices.length ?? 0) > 0) report.processed++;
    else report.skipped++; // nothing to tell, or a lost race: the replica that won sends the alerts
  }
  return report;
}

/** An alert changes how the ticket reads (at risk, breached): its cards and App Homes follow, as after any change. */
function withCardRefresh(t: Ticket, notices: Notice[]): Notice[] {
  if (notices.length === 0) return notices;
  return [
    ...notices,
    {
      key: `${t.number}:ticket.cards_changed:v${t.version + 1}`,
      type: 'ticket.cards_changed',
      ticket: t.number,
      audience: { kind: 'posts' },
      text: '',
    },
  ];
}

/** Pending Closure for the policy's days becomes Closed; the requester is told. */
export async function autoClose(deps: JobDeps): Promise<JobReport> {
  const now = deps.clock.now();
  const before = new Date(now.getTime() - deps.policy.sla.autoCloseAfter * 60_000);
  const due = await deps.tickets.findInStatusSince('pending_closure', before, BATCH);
  return eachTicket(deps, 'auto-close', due, async (t) => {
    const r = op.close(t, `No reply for ${Math.round(deps.policy.sla.autoCloseAfter / 1440)} days in Pending Closure`, {
      ...opContext(deps, systemActor),
    });
    const closed = await deps.tickets.save(r, t.version);
    // An incident closed: a child not resolved with it leaves it and its own clocks count again.
    await followIncident(deps, { ticket: closed }, systemActor);
    return true;
  });
}

/** Reminders change no ticket: the outbox key (one per wait / resolution) makes repeats no-ops. */
export async function remind(deps: JobDeps, notices: Notice[]): Promise<boolean> {
  return (await deps.outbox.enqueue(notices, deps.clock.now())) > 0;
}

/** Tickets in `status` since before `before`, page after page (at most MAX_PAGES of BATCH). */
async function inStatusSince(deps: JobDeps, status: Ticket['status'], before: Date): Promise<Ticket[]> {
  const found: Ticket[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const batch = await deps.tickets.findInStatusSince(status, before, BATCH, found.at(-1));
    found.push(...batch);
    if (batch.length < BATCH) break;
  }
  return found;
}

/**
 * Tickets left in Waiting for Customer: the requester is reminded once per wait after the policy's business time,
 * and a ticket still unanswered after `waitingCloseAfter` (business time) is closed as Pending Closure is, with the
 * same domain close (the requester told why, asked to rate once). The close is a version-checked save: of several
 * replicas running this at the same instant one closes it, the others lose the race and skip it.
 */
export async function waitingReminders(deps: JobDeps): Promise<JobReport> {
  const now = deps.clock.now();
  const { waitingReminderAfter, waitingCloseAfter } = deps.policy.sla;
  // Business minutes never exceed calendar minutes, so this bound only drops tickets not yet due.
  const before = new Date(now.getTime() - Math.min(waitingReminderAfter, waitingCloseAfter) * 60_000);
  // Tickets already reminded stay in Waiting for Customer: page past them, so newer ones are reached too.
  const waiting = await inStatusSince(deps, 'waiting_for_customer', before);
  // A policy whose transitions do not let the scheduler close Waiting for Customer only gets the reminders.
  const mayClose = rolesFor(deps.policy, 'waiting_for_customer', 'closed').includes('system');
  return eachTicket(deps, 'waiting-reminder', waiting, async (t) => {
    if (mayClose && op.waitingCloseDue(t, now, deps.policy, deps.calendar)) {
      await deps.tickets.save(op.closeUnanswered(t, opContext(deps, systemActor)), t.version);
      return true;
    }
    const waited = deps.calendar.businessMinutesBetween(t.statusChangedAt, now);
    if (waited < waitingReminderAfter) return false;
    return remind(deps, [
      {
        key: `${t.number}:requester.reminder:${t.statusChangedAt.toISOString()}`,
        type: 'requester.reminder',
        ticket: t.number,
        audience: { kind: 'user', actor: t.requester },
        text: `Reminder: we are waiting for your answer on ${t.number} (${t.title}) for ${formatMinutes(waited)}: ${
          t.pendingQuestion ?? 'please reply in this conversation'
        }`,
      },
    ]);
  });
}

/**
 * Ask for CSAT after resolution when the requester was neither asked nor has rated (an agent moved the ticket to
 * Pending Closure). The prompt is recorded on the ticket in a version-checked save, so it is sent once, whichever
 * replica runs the job; "Yes, fixed" and the close ask too, and never a second time.
 */
export async function csatPrompts(deps: JobDeps): Promise<JobReport> {
  const now = deps.clock.now();
  const before = new Date(now.getTime() - deps.policy.sla.csatPromptAfter * 60_000);
  // Tickets already asked stay in Pending Closure: page past them, so newer ones are reached too.
  const resolved = await inStatusSince(deps, 'pending_closure', before);
  return eachTicket(deps, 'csat-prompt', resolved, async (t) => {
    if (t.csat || t.csatAskedAt || !t.resolvedAt) return false;
    if (deps.calendar.businessMinutesBetween(t.resolvedAt, now) < deps.policy.sla.csatPromptAfter) return false;
    const r = op.promptForRating(t, opContext(deps, systemActor));
    if (r.notices.length === 0) return false;
    await deps.tickets.save(r, t.version);
    return true;
  });
}

export interface DigestFigures {
  period: { from: Date; to: Date };
  open: Array<{ severity: number; team: string; count: number }>;
  openTotal: number;
  /** Open tickets by priority (impact on the customer), 1 to 4. */
  openByPriority: number[];
  breached: number;
  atRisk: number;
  resolvedCount: number;
  /** Average business minutes, null when nothing was resolved in the period. */
  avgFirstResponse: number | null;
  avgResolution: number | null;
  targets: { response: number; resolution: number };
}

/** The digest's figures for the period [from, to): averages in business minutes, as the seed's SLA are averages. */
export async function digestFigures(deps: JobDeps, from: Date, to: Date): Promise<DigestFigures> {
  const ctx = clockContext(deps);
  const open = await deps.tickets.countOpenBy();
  const queue = await deps.tickets.listQueue({ now: to, limit: 5000 });
  let breached = 0;
  let atRisk = 0;
  const openByPriority = [0, 0, 0, 0];
  for (const t of queue) {
    openByPriority[t.priority - 1] = (openByPriority[t.priority - 1] ?? 0) + 1;
    const { condition } = readClocks(t, to, deps.policy, ctx.calendar);
    if (condition === 'breached') breached++;
    else if (condition === 'at_risk') atRisk++;
  }
  const resolved = await deps.tickets.findResolvedBetween(from, to, 5000);
  const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  const responded = resolved.filter((t) => t.sla.response.state === 'stopped').map((t) => t.sla.response.usedMinutes);
  return {
    period: { from, to },
    open: open.map((o) => ({ severity: o.severity, team: deps.policy.teams[o.team]?.name ?? o.team, count: o.count })),
    openTotal: open.reduce((a, o) => a + o.count, 0),
    openByPriority,
    breached,
    atRisk,
    resolvedCount: resolved.length,
    avgFirstResponse: avg(responded),
    avgResolution: avg(resolved.map((t) => t.sla.resolution.usedMinutes)),
    // The seed's table is in averages: the digest sets the averages against it, not the per-ticket targets.
    targets: { response: deps.policy.sla.targets.response, resolution: deps.policy.sla.targets.resolution },
  };
}

export function digestText(f: DigestFigures, timeZone: string): string {
  const fmt = (m: number | null) => (m === null ? 'n/a' : formatMinutes(m));
  const day = DateTime.fromJSDate(f.period.to, { zone: timeZone }).toFormat('ccc d LLL yyyy');
  const bySev = [1, 2, 3, 4]
    .map((s) => `Sev ${s}: ${f.open.filter((o) => o.severity === s).reduce((a, o) => a + o.count, 0)}`)
    .join(', ');
  const teams = [...new Set(f.open.map((o) => o.team))]
    .map((team) => `${team}: ${f.open.filter((o) => o.team === team).reduce((a, o) => a + o.count, 0)}`)
    .join(', ');
  return [
    `Daily support digest, ${day}`,
    `Open tickets: ${f.openTotal} (${bySev}). By priority: ${f.openByPriority.map((n, i) => `P${i + 1}: ${n}`).join(', ')}. By team: ${teams || 'none'}.`,
    `SLA: ${f.breached} breached, ${f.atRisk} at risk.`,
    `Resolved in the last period: ${f.resolvedCount}. Average first response ${fmt(f.avgFirstResponse)} (target ${fmt(
      f.targets.response,
    )}); average resolution ${fmt(f.avgResolution)} (target ${fmt(f.targets.resolution)}). The targets are the seed's averages; each ticket's own target (by severity and priority) drives its alerts.`,
  ].join('\n');
}

/**
 * Forget processed event ids after 7 days, intake drafts after 30, delivered notifications after 30,
 * rate counters whose window has ended, and expired report sessions and used report links; finish moving
 * any change's events and notices a crash left parked on its ticket; put on record the ticket numbers a
 * failed raise skipped.
 */
export async function housekeeping(
  deps: JobDeps & {
    drafts: DraftRepository;
    rateCounter: RateCounter;
    reportAccess: Pick<ReportAccessStore, 'purgeExpired'>;
  },
): Promise<JobReport> {
  const now = deps.clock.now().getTime();
  const events = await deps.operations.purgeOlderThan(new Date(now - 7 * 86_400_000));
  const drafts = await deps.drafts.purgeOlderThan(new Date(now - 30 * 86_400_000));
  const outbox = await deps.outbox.purgeDelivered(new Date(now - 30 * 86_400_000));
  const counters = await deps.rateCounter.purgeExpired(new Date(now));
  const reportAccess = await deps.reportAccess.purgeExpired(new Date(now));
  const flushed = await deps.tickets.flushPending(BATCH);
  const skippedNumbers = await deps.tickets.auditNumbers(deps.clock.now());
  return {
    job: 'housekeeping',
    processed: events + drafts + outbox + counters + reportAccess + flushed + skippedNumbers,
    skipped: 0,
    failed: 0,
  };
}
