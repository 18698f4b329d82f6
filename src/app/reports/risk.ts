import type { BusinessCalendar } from '../../domain/sla/business-calendar';
import { type ClockContext, clockCondition } from '../../domain/sla/sla-clock';
import type { AtRiskLine } from './figures';
import type { TicketLine } from './ports';

/**
 * The candidates (open tickets past a warning instant, or flagged breached) whose running or paused clock is at
 * risk or breached at `now`, each by its worst clock; breached first. A stopped clock is history, not a risk.
 */
export function atRiskOf(
  candidates: TicketLine[],
  now: Date,
  calendar: BusinessCalendar,
  ctx: ClockContext,
): AtRiskLine[] {
  const out: AtRiskLine[] = [];
  for (const t of candidates) {
    const worst = (['response', 'resolution'] as const)
      .map((k) => {
        const c = t.sla[k];
        const state = c.state as 'running' | 'paused' | 'stopped';
        const clock = {
          ...c,
          state,
          kind: k,
          pausedBy: null,
          warnAt: null,
          dueAt: null,
          warned: false,
          breachedAt: null,
          runs: [], // only the used minutes matter for the condition, not the history
        };
        const used =
          state === 'running' ? c.usedMinutes + calendar.businessMinutesBetween(c.since, now) : c.usedMinutes;
        return { clock: k, condition: clockCondition(clock, now, ctx), used, target: c.targetMinutes, state };
      })
      .filter((x) => x.state !== 'stopped' && x.condition !== 'on_track')
      .sort((a, b) => (a.condition === 'breached' ? 0 : 1) - (b.condition === 'breached' ? 0 : 1))[0];
    if (worst && worst.condition !== 'on_track')
      out.push({
        ticket: t,
        condition: worst.condition,
        clock: worst.clock,
        usedMinutes: Math.floor(worst.used),
        targetMinutes: worst.target,
      });
  }
  return out.sort((a, b) => (a.condition === b.condition ? 0 : a.condition === 'breached' ? -1 : 1));
}
