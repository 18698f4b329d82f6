import { z } from 'zod';

/**
 * The policy's service levels: durations, support calendars (the policy's own and named ones a client or a tier
 * may have), SLA targets and tiers, and the check that the tiers and calendars the clients name exist.
 */

const DURATION = /^(\d+)(m|h|d)$/;
/** "30m", "50h", "7d" → minutes. */
export function durationMinutes(text: string): number {
  const m = DURATION.exec(text);
  if (!m) throw new RangeError(`expected a duration like "30m", got "${text}"`);
  const n = Number(m[1]);
  return m[2] === 'm' ? n : m[2] === 'h' ? n * 60 : n * 1440;
}
export const duration = z
  .string({ error: 'expected a duration like "30m"' })
  .regex(DURATION, { error: 'expected a duration like "30m", "50h" or "7d"' })
  .transform(durationMinutes);

const hhmmRange = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00)$/, {
    error: 'expected opening hours like "08:45-17:15" (or "00:00-24:00" for the whole day)',
  })
  .refine((s) => {
    const [a, b] = s.split('-') as [string, string];
    return b > a;
  }, 'closing time must be after opening time');

export const isoDate = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, {
  error: 'expected a local date like "2026-12-25"',
});

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'expected an IANA time zone like "Europe/London"');

export const calendarSchema = z.strictObject({
  timeZone,
  hours: z.strictObject({
    mon: hhmmRange.optional(),
    tue: hhmmRange.optional(),
    wed: hhmmRange.optional(),
    thu: hhmmRange.optional(),
    fri: hhmmRange.optional(),
    sat: hhmmRange.optional(),
    sun: hhmmRange.optional(),
  }),
  holidays: z.array(isoDate).default([]),
});

/** A named support calendar a client (or a tier) may have instead of the policy's `calendar`. */
export const namedCalendarSchema = calendarSchema.extend({ name: z.string().min(1) });

export const positiveDuration = duration.refine((m) => m > 0, { error: 'a target must be at least one minute' });

/** A pair of targets, each optional: what is missing comes from the next rule out. */
export const targets = z.strictObject({
  response: positiveDuration.optional(),
  resolution: positiveDuration.optional(),
});

/** An SLA tier: a name and, per severity, targets that replace the policy's for clients on this tier. */
export const tierSchema = z.strictObject({
  name: z.string().min(1),
  /** The support calendar of the tier's clients (a key of `calendars`), unless a client names its own. */
  calendar: z.string().min(1).optional(),
  /** `severities: { 1: { response: 15m, resolution: 4h } }`; a severity or target left out keeps the policy's. */
  severities: z
    .strictObject({ 1: targets.optional(), 2: targets.optional(), 3: targets.optional(), 4: targets.optional() })
    .default({}),
});

/**
 * Tier and calendar names the policy does not define: a tier's calendar, and each YAML client's tier and calendar
 * (matched by id or name, case-insensitively, as the clocks match them).
 */
export function serviceNameIssues(
  p: {
    tiers: Record<string, { name: string; calendar?: string | undefined }>;
    calendars: Record<string, { name: string }>;
    clients: { directory: Record<string, { supportTier?: string | undefined; calendar?: string | undefined }> };
  },
  prefix: string[] = ['clients'],
): Array<{ path: (string | number)[]; message: string }> {
  const known = (items: Record<string, { name: string }>, name: string) =>
    Object.entries(items).some(([id, x]) => [id, x.name].some((n) => n.toLowerCase() === name.trim().toLowerCase()));
  const list = (items: Record<string, unknown>) => Object.keys(items).join(', ') || 'none defined';
  const out: Array<{ path: (string | number)[]; message: string }> = [];
  for (const [id, t] of Object.entries(p.tiers))
    if (t.calendar && !known(p.calendars, t.calendar))
      out.push({
        path: ['tiers', id, 'calendar'],
        message: `unknown calendar "${t.calendar}" (calendars: ${list(p.calendars)})`,
      });
  for (const [id, c] of Object.entries(p.clients.directory)) {
    if (c.supportTier && !known(p.tiers, c.supportTier))
      out.push({
        path: [...prefix, 'directory', id, 'supportTier'],
        message: `unknown tier "${c.supportTier}" (tiers: ${list(p.tiers)})`,
      });
    if (c.calendar && !known(p.calendars, c.calendar))
      out.push({
        path: [...prefix, 'directory', id, 'calendar'],
        message: `unknown calendar "${c.calendar}" (calendars: ${list(p.calendars)})`,
      });
  }
  return out;
}
