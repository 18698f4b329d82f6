/**
 * Raw ticket documents for the sweep benchmark, shaped exactly as the store writes them: tickets built with the
 * domain's `raise()` and turned into documents with the store's mapper, then given the benchmark's nextCheckAt.
 */
import type { Policy } from '../src/config/policy.schema';
import { createBusinessCalendar } from '../src/domain/sla/business-calendar';
import { raise } from '../src/domain/ticket/operations';
import type { Ticket } from '../src/domain/ticket/ticket';
import { derivedFields, type TicketDoc, ticketToDoc } from '../src/store/ticket.mapper';

/** The sweep's "now": a Thursday in business hours (Europe/London). */
export const SWEEP_NOW = new Date('2020-01-09T12:00:00Z');
/** Raised on the Monday before: the due tickets' clocks are breached by SWEEP_NOW. */
const RAISED_AT = new Date('2020-01-06T09:30:00Z');
/** Not-due tickets: checked only in the far future. */
const FAR_FUTURE = new Date('2099-01-05T10:00:00Z');

/** Sequence numbers of the due tickets are at the top of this range (never collides with bot-raised tickets). */
export const SEQ_BASE = 50_000_000;

const SEVERITIES = [1, 2, 3, 4] as const;

export interface TicketFactory {
  /** Documents for tickets `SEQ_BASE + from` … `SEQ_BASE + to - 1`, not due. */
  notDue(from: number, to: number): TicketDoc[];
  /** `count` due tickets (fresh copies each call: same ids, same content). */
  due(count: number): TicketDoc[];
}

export function ticketFactory(policy: Policy): TicketFactory {
  const calendar = createBusinessCalendar(policy.calendar);
  const clocks = { calendar, warnAt: policy.sla.warnAt };
  const actor = {
    platform: 'slack' as const,
    userId: 'U0BENCHREQ',
    name: 'Bench Requester',
    role: 'requester' as const,
    roles: ['requester' as const],
  };
  const teams = Object.keys(policy.teams) as Array<keyof Policy['teams']>;
  const build = (seq: number): Ticket =>
    raise(
      {
        seq,
        title: `Invoices cannot be exported to PDF (bench ${seq})`,
        description:
          'Since this morning the export button on the invoices page spins and nothing is downloaded. ' +
          'Error: "export failed (code 500)". Steps: open Invoices, pick any invoice, click Export PDF.',
        requester: { platform: actor.platform, userId: `U0BENCH${seq % 5000}`, name: actor.name },
        client: 'Acme Ltd',
        businessImpact: 'Month-end invoicing is delayed for one team',
        severity: SEVERITIES[seq % 4],
        team: teams[seq % teams.length],
      },
      { policy, clocks, now: RAISED_AT, actor },
    ).ticket;

  // One template per severity; per-ticket fields are patched in (raise() for each of 300k tickets is the slow part).
  const templates = SEVERITIES.map((s) => ticketToDoc({ ...build(s), version: 1 }));
  const docFor = (seq: number, nextCheckAt: Date): TicketDoc => {
    const t = templates[seq % 4] as TicketDoc;
    const number = `SR-${seq}`;
    return {
      ...structuredClone(t),
      _id: number,
      seq,
      title: `Invoices cannot be exported to PDF (bench ${seq})`,
      requester: { platform: 'slack', userId: `U0BENCH${seq % 5000}`, name: actor.name },
      team: teams[seq % teams.length] ?? t.team,
      nextCheckAt,
      ...derivedFields({ status: t.status, nextCheckAt, sla: t.sla }),
    };
  };

  return {
    notDue(from, to) {
      const out: TicketDoc[] = [];
      for (let i = from; i < to; i++) out.push(docFor(SEQ_BASE + i, FAR_FUTURE));
      return out;
    },
    due(count) {
      const out: TicketDoc[] = [];
      for (let i = 0; i < count; i++) {
        const seq = SEQ_BASE + 9_000_000 + i;
        // A real raise, so the clocks and nextCheckAt are the domain's own (due: the warning is in the past).
        const doc = ticketToDoc({ ...build(seq), version: 1 });
        if (!doc.nextCheckAt || doc.nextCheckAt > SWEEP_NOW) throw new Error(`bench ticket ${seq} is not due`);
        out.push(doc);
      }
      return out;
    },
  };
}
