/**
 * How long a HubSpot 429 holds which calls, from what HubSpot documents
 * (https://developers.hubspot.com/docs/api/usage-details#rate-limits): the error body's `policyName`
 * (TEN_SECONDLY_ROLLING for most endpoints, SECONDLY for the CRM search endpoints, DAILY for the account's day)
 * and the X-HubSpot-RateLimit-* headers; a Retry-After, which HubSpot does not document, is honoured when present.
 */
import { DateTime } from 'luxon';

/** Calls that share a limit: the CRM search endpoints have their own per-second limit. */
export type HubspotEndpointGroup = 'search' | 'crm';
export const ALL_GROUPS: readonly HubspotEndpointGroup[] = ['search', 'crm'];

export interface RateLimitHold {
  /** The calls to hold back. */
  groups: HubspotEndpointGroup[];
  /** Until when (ms since the epoch). */
  untilMs: number;
  /** The policy HubSpot named, or what the headers showed. */
  policy: string;
}

const DAY_MS = 86_400_000;
const header = (headers: Record<string, string | undefined>, name: string): string | undefined => {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === want) return v;
  return undefined;
};
const numberOf = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v.trim()) ? Number(v) : null);

/** Retry-After in ms (seconds or an HTTP date), or null. */
function retryAfterMs(raw: string | undefined, now: number): number | null {
  if (raw === undefined) return null;
  const seconds = numberOf(raw);
  if (seconds !== null) return seconds * 1000;
  const at = Date.parse(raw);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

/** The next midnight in the HubSpot account's time zone: when its daily limit resets. */
export function nextDailyReset(now: number, accountTimeZone: string): number {
  const local = DateTime.fromMillis(now, { zone: accountTimeZone });
  const zoned = local.isValid ? local : DateTime.fromMillis(now, { zone: 'UTC' });
  return zoned.plus({ days: 1 }).startOf('day').toMillis();
}

/**
 * What a 429 holds: DAILY (or Daily-Remaining 0) holds every call until midnight in the account's time zone;
 * SECONDLY / TEN_SECONDLY_ROLLING hold only the group of the call that was limited, for the policy's interval
 * (X-HubSpot-RateLimit-Interval-Milliseconds when sent). Retry-After, when sent, is how long.
 */
export function holdFor429(input: {
  group: HubspotEndpointGroup;
  policyName?: string | undefined;
  headers: Record<string, string | undefined>;
  now: number;
  accountTimeZone: string;
}): RateLimitHold {
  const { headers, now } = input;
  const policy = (input.policyName ?? '').toUpperCase();
  const retryAfter = retryAfterMs(header(headers, 'Retry-After'), now);
  const daily =
    policy === 'DAILY' || (policy === '' && numberOf(header(headers, 'X-HubSpot-RateLimit-Daily-Remaining')) === 0);
  if (daily) {
    const until = retryAfter !== null ? now + retryAfter : nextDailyReset(now, input.accountTimeZone);
    return { groups: [...ALL_GROUPS], untilMs: Math.min(until, now + DAY_MS + 3_600_000), policy: 'DAILY' };
  }
  const interval = numberOf(header(headers, 'X-HubSpot-RateLimit-Interval-Milliseconds'));
  const named =
    policy ||
    (numberOf(header(headers, 'X-HubSpot-RateLimit-Secondly-Remaining')) === 0 || interval === 1000
      ? 'SECONDLY'
      : interval !== null
        ? 'TEN_SECONDLY_ROLLING'
        : input.group === 'search'
          ? 'SECONDLY'
          : 'TEN_SECONDLY_ROLLING');
  const wait = retryAfter ?? interval ?? (named === 'SECONDLY' ? 1000 : 10_000);
  return { groups: [input.group], untilMs: now + Math.min(wait, 600_000), policy: named };
}
