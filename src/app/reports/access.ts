import type { Role } from '../../config/policy.schema';
import type { Actor } from '../../domain/ticket/ticket';
import type { AppDeps } from '../context';
import { type LinkClaims, newSessionId, signLinkToken, type TokenProblem, verifyLinkToken } from './link-token';
import type { ReportAccessStore, ReportSession } from './ports';

/** Who may read the reports: managers (the ladder's contacts) and Administrative Staff, by the policy. */
export const REPORT_ROLES: readonly Role[] = ['manager', 'admin'];

/** A report session lasts a working day; a new link starts a new one. */
export const SESSION_TTL_MS = 8 * 3_600_000;

export type AccessDeps = Pick<AppDeps, 'clock' | 'directory'> & { reportAccess: ReportAccessStore };

export function mayReadReports(deps: Pick<AppDeps, 'directory'>, who: Pick<Actor, 'platform' | 'userId'>): boolean {
  return deps.directory.rolesOf(who).some((r) => REPORT_ROLES.includes(r));
}

/**
 * The answer to "report" in chat: a manager or admin gets a personal link (signed, bound to them, 15 minutes,
 * single use); anyone else a polite refusal.
 */
export function reportLinkFor(
  deps: Pick<AppDeps, 'clock' | 'directory'>,
  who: Actor,
  opts: { secret: string; baseUrl: string },
): { allowed: true; url: string; text: string } | { allowed: false; text: string } {
  const person = deps.directory.personOf(who);
  if (!person || !mayReadReports(deps, who))
    return {
      allowed: false,
      text: 'Sorry, the SLA and satisfaction reports are for support managers and Administrative Staff. Your team lead can share the figures with you.',
    };
  const token = signLinkToken(
    opts.secret,
    { personId: person.id, platform: who.platform, userId: who.userId },
    deps.clock.now(),
  );
  const url = `${opts.baseUrl.replace(/\/$/, '')}/reports/open?token=${encodeURIComponent(token)}`;
  return {
    allowed: true,
    url,
    text: `Your reports link (personal, works once, for 15 minutes): ${url}`,
  };
}

export type OpenProblem = TokenProblem | 'used' | 'not_allowed';

type LinkCheck = { ok: true; claims: LinkClaims; name: string } | { ok: false; problem: OpenProblem };

/** A well-signed, unexpired token made for a person who may still read the reports (no database). */
function checkLink(deps: Pick<AppDeps, 'directory'>, secret: string, token: string, now: Date): LinkCheck {
  const v = verifyLinkToken(secret, token, now);
  if (!v.ok) return v;
  const { claims } = v;
  const who = { platform: claims.platform, userId: claims.userId };
  if (deps.directory.personOf(who)?.id !== claims.personId || !mayReadReports(deps, who))
    return { ok: false, problem: 'not_allowed' };
  return { ok: true, claims, name: deps.directory.person(claims.personId)?.name ?? claims.personId };
}

/**
 * What opening this link would do, without spending it: the link page (a GET, which link scanners and previews
 * also make) shows a button when this is ok, and the button's POST calls openReportSession.
 */
export async function peekReportLink(
  deps: AccessDeps,
  secret: string,
  token: string,
): Promise<{ ok: true; name: string } | { ok: false; problem: OpenProblem }> {
  const c = checkLink(deps, secret, token, deps.clock.now());
  if (!c.ok) return c;
  if (await deps.reportAccess.tokenUsed(c.claims.jti)) return { ok: false, problem: 'used' };
  return { ok: true, name: c.name };
}

/** Exchanges a link token for a new session: once per token, by the person it was made for, while still allowed. */
export async function openReportSession(
  deps: AccessDeps,
  secret: string,
  token: string,
): Promise<{ ok: true; session: ReportSession } | { ok: false; problem: OpenProblem }> {
  const now = deps.clock.now();
  const c = checkLink(deps, secret, token, now);
  if (!c.ok) return c;
  const { claims } = c;
  if (!(await deps.reportAccess.consumeToken(claims.jti, claims.personId, now, new Date(claims.exp))))
    return { ok: false, problem: 'used' };
  const session: ReportSession = {
    id: newSessionId(),
    personId: claims.personId,
    who: { platform: claims.platform, userId: claims.userId, name: c.name },
    createdAt: now,
    expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
  };
  await deps.reportAccess.createSession(session);
  return { ok: true, session };
}

/** The live session with this id whose person may still read the reports, or null. */
export async function liveSession(deps: AccessDeps, id: string | null): Promise<ReportSession | null> {
  if (!id) return null;
  const s = await deps.reportAccess.getSession(id);
  if (!s || s.expiresAt.getTime() <= deps.clock.now().getTime()) return null;
  return mayReadReports(deps, s.who) ? s : null;
}
