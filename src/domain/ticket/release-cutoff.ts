import { DateTime } from 'luxon';
import type { Policy } from '../../config/policy.schema';
import { TransitionNotAllowedError } from '../errors';
import type { BusinessCalendar } from '../sla/business-calendar';
import { upcomingReleaseDays } from './release-wait';

type CutoffPolicy = Pick<Policy, 'releases' | 'calendar'>;

/** Whether the local day has any business hours. */
function isBusinessDay(calendar: BusinessCalendar, day: DateTime): boolean {
  const opens = calendar.nextOpening(day.toJSDate());
  return !!opens && opens < day.plus({ days: 1 }).toJSDate();
}

/**
 * The QA cutoff (`releases.qaCutoff`, business days before the release day): a release still takes new tickets
 * while at least that many business days, today included, remain before its day.
 */
export function beforeCutoff(policy: CutoffPolicy, calendar: BusinessCalendar, now: Date, day: string): boolean {
  const zone = policy.calendar.timeZone;
  const release = DateTime.fromISO(day, { zone }).startOf('day');
  let d = DateTime.fromJSDate(now, { zone }).startOf('day');
  let left = 0;
  for (; d < release && left < policy.releases.qaCutoff; d = d.plus({ days: 1 }))
    if (isBusinessDay(calendar, d)) left++;
  return left >= policy.releases.qaCutoff;
}

/** The first coming release day still before its QA cutoff (null without a release calendar). */
export function nextPlannableDay(policy: CutoffPolicy, calendar: BusinessCalendar, now: Date): string | null {
  return (
    upcomingReleaseDays(policy, now, 4)
      .map((d) => d.toISODate()!)
      .find((d) => beforeCutoff(policy, calendar, now, d)) ?? null
  );
}

/** Planning into a release past its QA cutoff is refused, naming the next release that can still take it. */
export function assertBeforeCutoff(policy: CutoffPolicy, calendar: BusinessCalendar, now: Date, day: string): void {
  if (beforeCutoff(policy, calendar, now, day)) return;
  const next = nextPlannableDay(policy, calendar, now);
  const words = (d: string) => DateTime.fromISO(d, { zone: policy.calendar.timeZone }).toFormat('ccc d LLL');
  throw new TransitionNotAllowedError(
    `The release of ${words(day)} is past its QA cutoff (${policy.releases.qaCutoff} business days before it)${next ? `: the next release that can take it is ${words(next)}` : ''}.`,
  );
}
