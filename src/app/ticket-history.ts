import { describeEvent } from '../cards/ticket-view';
import { formatBusinessInstant } from '../domain/sla/sla-clock';
import type { Actor } from '../domain/ticket/ticket';
import { type AppDeps, loadFor } from './context';

/** Lines of the audit trail per page of `history SR-n`. */
export const HISTORY_PAGE = 15;

/** Events a requester never sees in their ticket's history. */
const AGENTS_ONLY = new Set(['internal_note']);

export interface HistoryPage {
  number: string;
  title: string;
  /** 1-based; clamped to the pages there are. */
  page: number;
  pages: number;
  total: number;
  lines: string[];
}

/**
 * The whole audit trail of a ticket, oldest first, one page at a time: agents see everything, the
 * requester their own ticket's trail without internal notes, anyone else nothing (as if it did not exist).
 */
export async function ticketHistory(deps: AppDeps, number: unknown, who: Actor, page = 1): Promise<HistoryPage> {
  await deps.limiter?.check('lookup', who);
  const { ticket, view } = await loadFor(deps, number, who, 'history');
  const agent = view === 'agent';
  const events = (await deps.events.listFor(ticket.number)).filter((e) => agent || !AGENTS_ONLY.has(e.type));
  const pages = Math.max(1, Math.ceil(events.length / HISTORY_PAGE));
  const p = Math.min(Math.max(1, Math.trunc(page) || 1), pages);
  const now = deps.clock.now();
  const tz = deps.policy.calendar.timeZone;
  const lines = events
    .slice((p - 1) * HISTORY_PAGE, p * HISTORY_PAGE)
    .map((e) => `${formatBusinessInstant(e.at, tz, now)} ${describeEvent(e, deps.policy)}`);
  return { number: ticket.number, title: ticket.title, page: p, pages, total: events.length, lines };
}

/** The page as text (each line escaped for the platform by `escapeText`, clipped), with how to read the next one. */
export function historyText(h: HistoryPage, command: string, escapeText: (s: string) => string = (s) => s): string {
  const clip = (s: string) => (s.length > 300 ? `${s.slice(0, 299)}…` : s);
  const head = escapeText(
    `History of ${h.number} (${clip(h.title)}): page ${h.page} of ${h.pages}, ${h.total} entries`,
  );
  const body = h.lines.map((l) => escapeText(clip(l))).join('\n') || 'Nothing recorded yet.';
  const more = h.page < h.pages ? `\nMore: ${command} ${h.number} ${h.page + 1}` : '';
  return `${head}\n${body}${more}`;
}
