import type { Policy } from '../../config/policy.schema';
import type { BusinessCalendar } from '../../domain/sla/business-calendar';
import { readClocks } from '../../domain/ticket/clocks';
import type { AtRiskLine } from './figures';
import type { TicketLine } from './ports';

/**
 * The candidates (open tickets past a warning instant, or flagged breached) whose running or paused clock is at
 * risk or breached at `now`, each by its worst clock; breached first. A stopped clock is history, not a risk. Each
 * is read with `readClocks`, on the ticket's own calendar and targets, as its cards read it.
 */
export function atRiskOf(
  candidates: TicketLine[],
  now: Date,
  calendar: BusinessCalendar,
  policy: Pick<Policy, 'severities' | 'calendar' | 'sla'>,
): AtRiskLine[] {
  const out: AtRiskLine[] = [];
  for (const t of candidates) {
    const clocks = readClocks({ ...t, status: t.status as never }, now, policy, calendar);
    const worst = [clocks.response, clocks.resolution]
      .filter((x) => x.state !== 'stopped' && x.condition !== 'on_track')
      .sort((a, b) => (a.condition === 'breached' ? 0 : 1) - (b.condition === 'breached' ? 0 : 1))[0];
    if (worst)
      out.push({
        ticket: t,
        condition: worst.condition as 'at_risk' | 'breached',
        clock: worst.kind,
        usedMinutes: Math.floor(worst.usedMinutes),
        targetMinutes: worst.targetMinutes,
      });
  }
  return out.sort((a, b) => (a.condition === b.condition ? 0 : a.condition === 'breached' ? -1 : 1));
}
