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

export type Headers = Record<string, string | undefined>;

/** The status and headers of an error the SDK threw (its ApiException carries `code`, `body` and `headers`). */
export function statusOf(err: unknown): { status: number | null; headers: Headers } {
  const e = err as { code?: unknown; headers?: Headers } | null;
  return { status: typeof e?.code === 'number' ? e.code : null, headers: e?.headers ?? {} };
}

/** A HubSpot rate-limit policy in the support team's words. */
export function limitWords(policy: string): string {
  return policy === 'DAILY' ? 'daily limit' : policy === 'SECONDLY' ? 'search, per second' : 'per 10 seconds';
}

/** A 429 body's policyName, where the error carries the body as HubSpot sent it (the SDK's model drops it). */
export function policyNameOf(err: unknown): string | undefined {
  const body = (err as { body?: unknown } | null)?.body;
  const policy = body && typeof body === 'object' ? (body as { policyName?: unknown }).policyName : undefined;
  return typeof policy === 'string' ? policy : undefined;
}
