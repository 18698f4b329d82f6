/** The client section's wording, shared by Block Kit and Adaptive Cards (plain text: each platform escapes it). */
import type { ClientContext } from '../app/client-context';
import { CLIENT_GAP_WORDS, type ClientContact } from '../app/clients';

/** "Dana Whitfield (Finance systems admin) · dana@acme.example · +1 312 555 0142" */
export function contactLine(c: ClientContact): string {
  return [c.role ? `${c.name} (${c.role})` : c.name, c.email, c.phone].filter(Boolean).join(' · ');
}

/** "Gold support · America/Chicago" or '' */
export function tierLine(ctx: Extract<ClientContext, { state: 'found' }>): string {
  const r = ctx.record;
  return [r.supportTier ? `${r.supportTier} support` : null, r.timeZone].filter(Boolean).join(' · ');
}

/** What the triage card says when the record lacks facts Level 1 should keep (seed 004 §5.9), or null. */
export function gapsLine(ctx: ClientContext): string | null {
  if (ctx.state !== 'found' || ctx.gaps.length === 0) return null;
  const missing = ctx.gaps.map((g) => CLIENT_GAP_WORDS[g]).join(', ');
  const how = ctx.writable
    ? 'Level 1: please complete the record.'
    : "Level 1: please complete it in the policy's clients: section (the YAML directory is read-only from chat).";
  return `Client record incomplete: no ${missing}. ${how}`;
}

/** "client record unavailable (HubSpot rate limit)" */
export function unavailableLine(ctx: Extract<ClientContext, { state: 'unavailable' }>): string {
  return `client record unavailable (${ctx.reason}); the ticket is unaffected`;
}
