import { isIP } from 'node:net';

/** The most addresses remembered at once; past it the least recently seen is forgotten (its bucket starts full again). */
export const MAX_TRACKED_ADDRESSES = 10_000;

/**
 * A token bucket per client address, in this process's memory: `perMinute` requests at once, refilled at
 * `perMinute` a minute. It guards the routes anyone can call before authentication; the per-person limits
 * (app/rate-limit.ts) are the ones that hold across replicas. `perMinute` 0 turns it off.
 */
export class AddressBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number,
    private readonly maxAddresses = MAX_TRACKED_ADDRESSES,
  ) {}

  /** Take one request for `address`: 0 when allowed, else the whole seconds until the next one is. */
  take(address: string): number {
    if (this.perMinute <= 0) return 0;
    const at = this.now();
    const perMs = this.perMinute / 60_000;
    const key = addressKey(address);
    const held = this.buckets.get(key);
    const tokens = held ? Math.min(this.perMinute, held.tokens + Math.max(0, at - held.at) * perMs) : this.perMinute;
    if (held)
      this.buckets.delete(key); // re-inserted below: the map's order is least recently seen first
    else if (this.buckets.size >= this.maxAddresses) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at });
      return Math.max(1, Math.ceil((1 - tokens) / perMs / 1000));
    }
    this.buckets.set(key, { tokens: tokens - 1, at });
    return 0;
  }

  get size(): number {
    return this.buckets.size;
  }
}

/** IPv4 as is (also when IPv4-mapped); IPv6 by its /64, which one client usually holds whole. */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (isIP(address) !== 6) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** Whether `address` is this host (127.0.0.0/8, ::1, or IPv4-mapped loopback). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/i.test(address);
}
