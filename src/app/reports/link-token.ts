import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Platform } from '../../config/policy.schema';

/** How long a report link works: 15 minutes, once. */
export const LINK_TTL_MS = 15 * 60_000;

export interface LinkClaims {
  /** The policy's person id the link is bound to, and the account that asked. */
  personId: string;
  platform: Platform;
  userId: string;
  /** Expiry, ms since the epoch. */
  exp: number;
  /** A random id: the single-use record's key. */
  jti: string;
}

export type TokenProblem = 'malformed' | 'tampered' | 'expired';

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');
const mac = (secret: string, data: string) => createHmac('sha256', secret).update(data).digest();

/** `<payload>.<HMAC-SHA256 of payload>`, both base64url. */
export function signLinkToken(secret: string, claims: Omit<LinkClaims, 'jti' | 'exp'>, now: Date): string {
  const full: LinkClaims = { ...claims, exp: now.getTime() + LINK_TTL_MS, jti: randomBytes(16).toString('hex') };
  const payload = b64(JSON.stringify(full));
  return `${payload}.${b64(mac(secret, payload))}`;
}

/** The claims of a well-signed, unexpired token; otherwise what is wrong with it. */
export function verifyLinkToken(
  secret: string,
  token: string,
  now: Date,
): { ok: true; claims: LinkClaims } | { ok: false; problem: TokenProblem } {
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1] || token.length > 2000) return { ok: false, problem: 'malformed' };
  const [payload, signature] = parts as [string, string];
  const given = Buffer.from(signature, 'base64url');
  const wanted = mac(secret, payload);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return { ok: false, problem: 'tampered' };
  let claims: LinkClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as LinkClaims;
  } catch {
    return { ok: false, problem: 'malformed' };
  }
  if (typeof claims.exp !== 'number' || typeof claims.jti !== 'string' || typeof claims.personId !== 'string')
    return { ok: false, problem: 'malformed' };
  if (now.getTime() >= claims.exp) return { ok: false, problem: 'expired' };
  return { ok: true, claims };
}

/** A session cookie value: `<id>.<HMAC of id>`, so an id that was never issued is refused before any look-up. */
export function signSessionId(secret: string, id: string): string {
  return `${id}.${b64(mac(secret, `session:${id}`))}`;
}

export function sessionIdOf(secret: string, cookie: string): string | null {
  const [id, signature, extra] = cookie.split('.');
  if (!id || !signature || extra !== undefined || !/^[a-f0-9]{32}$/.test(id)) return null;
  const given = Buffer.from(signature, 'base64url');
  const wanted = mac(secret, `session:${id}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted) ? id : null;
}

export function newSessionId(): string {
  return randomBytes(16).toString('hex');
}
