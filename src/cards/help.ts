/**
 * Help, once for both platforms: the commands a person may use for their role (one list, each command with its
 * Slack and Teams words), support hours and the contact details. Slack and Teams render this view model.
 */
import type { ContactPolicy } from '../config/policy.schema';

/** What a person may do, decided by the app from the policy (never from the client). */
export interface HelpAudience {
  /** A member of a support team, or a manager. */
  agent: boolean;
  /** A named escalation contact: marks others away. */
  manager: boolean;
  /** May open the SLA and satisfaction reports (managers and Administrative Staff). */
  reports: boolean;
}

export type HelpRole = 'requester' | 'agent' | 'manager';

/** Who a command is for. */
type CommandFor = 'everyone' | 'agents' | 'managers' | 'reports';

export interface HelpCommand {
  id: string;
  for: CommandFor;
  /** The words in Slack (`/ticket …` where the slash command has it, else what to DM), or null when Slack has none. */
  slack: string | null;
  /** The words in a Teams chat (and the playground), or null when Teams has none. */
  teams: string | null;
  /** What it does; `requester` when a requester gets less of it. */
  what: string;
  requester?: string;
  /** Said after `what` in Slack only (where the command works). */
  slackNote?: string;
}

/** Every command of the chat adapters (src/adapters/slack/commands.ts, messages.ts; src/adapters/teams/messages.ts). */
export const HELP_COMMANDS: readonly HelpCommand[] = [
  { id: 'new', for: 'everyone', slack: '/ticket new', teams: 'new', what: 'an empty ticket form' },
  {
    id: 'words',
    for: 'everyone',
    slack: '/ticket <what is wrong, in your words>',
    teams: null,
    what: 'like a DM: I prepare a ticket from it',
  },
  { id: 'mine', for: 'everyone', slack: '/ticket mine', teams: 'mine', what: 'your open tickets' },
  {
    id: 'status',
    for: 'everyone',
    slack: '/ticket status SR-123',
    teams: 'status SR-123',
    what: 'where a ticket stands',
  },
  {
    id: 'history',
    for: 'everyone',
    slack: '/ticket history SR-123 [page]',
    teams: 'history SR-123 [page]',
    what: 'the ticket’s audit trail',
  },
  {
    id: 'add',
    for: 'everyone',
    slack: 'SR-123 <more detail>',
    teams: 'SR-123: <more detail>',
    what: 'add information to your ticket',
    slackNote: 'DM me, or reply in the ticket’s thread',
  },
  {
    id: 'search',
    for: 'everyone',
    slack: '/ticket search <words> [client:NAME] [requester:NAME] [status:NAME] [open] [since:7d] [page 2]',
    teams: 'search <words> [client:NAME] [requester:NAME] [status:NAME] [open] [since:7d] [page 2]',
    what: 'find tickets',
    requester: 'find your tickets',
  },
  {
    id: 'queue',
    for: 'agents',
    slack: '/ticket queue [mine|team|unassigned]',
    teams: 'queue [mine|team|unassigned]',
    what: 'the agents’ queue, breached first',
  },
  {
    id: 'link',
    for: 'agents',
    slack: '/ticket link SR-7 part of SR-2, /ticket link SR-7 to SR-2, /ticket unlink SR-7',
    teams: 'link SR-7 part of SR-2, link SR-7 to SR-2, unlink SR-7',
    what: 'make a ticket part of an incident, or related to another; unlink it',
  },
  {
    id: 'releases',
    for: 'agents',
    slack: '/ticket releases, /ticket release next qa|ready|released <release notes>|slip',
    teams: 'releases, release next qa|ready|released <release notes>|slip',
    what: 'the coming releases with their tickets; move a whole release (Development and managers)',
  },
  {
    id: 'client',
    for: 'agents',
    slack: 'client SR-123',
    teams: 'client SR-123',
    what: 'the ticket’s client record',
    slackNote: 'DM me',
  },
  {
    id: 'set-client',
    for: 'agents',
    slack: 'client SR-123 NAME',
    teams: 'client SR-123 NAME',
    what: 'set or correct the ticket’s client',
    slackNote: 'DM me',
  },
  {
    id: 'away',
    for: 'agents',
    slack: '/ticket away until 2026-03-10, /ticket back',
    teams: 'away until 2026-03-10, back',
    what: 'away from new assignments, and back',
  },
  {
    id: 'away-someone',
    for: 'managers',
    slack: '/ticket away NAME until 2026-03-10, /ticket away NAME off',
    teams: 'away NAME until 2026-03-10, away NAME off',
    what: 'mark someone else away, and back',
  },
  {
    id: 'report',
    for: 'reports',
    slack: '/ticket report',
    teams: 'report',
    what: 'your personal link to the SLA and satisfaction reports',
  },
  { id: 'help', for: 'everyone', slack: '/ticket help', teams: 'help', what: 'this message' },
];

const ALLOWED: Record<CommandFor, (a: HelpAudience) => boolean> = {
  everyone: () => true,
  agents: (a) => a.agent,
  managers: (a) => a.manager,
  reports: (a) => a.reports,
};

export function helpRole(a: HelpAudience): HelpRole {
  return a.manager ? 'manager' : a.agent ? 'agent' : 'requester';
}

/** The commands this person may use on a platform, in the list's order, with the words and what each does. */
export function commandsFor(
  audience: HelpAudience,
  platform: 'slack' | 'teams',
): Array<{ id: string; words: string; what: string }> {
  return HELP_COMMANDS.filter((c) => ALLOWED[c.for](audience) && c[platform] !== null).map((c) => ({
    id: c.id,
    words: c[platform] as string,
    what: `${!audience.agent && c.requester ? c.requester : c.what}${platform === 'slack' && c.slackNote ? ` (${c.slackNote})` : ''}`,
  }));
}

export type ContactKind = 'phone' | 'email' | 'portal';

/** The contact details that are set, as label and value: Phone "0330 088 0802 (Option 1)", Email, Support Portal. */
export function contactLines(contact: ContactPolicy): Array<{ kind: ContactKind; label: string; value: string }> {
  const out: Array<{ kind: ContactKind; label: string; value: string }> = [];
  if (contact.phone)
    out.push({
      kind: 'phone',
      label: 'Phone',
      value: `${contact.phone}${contact.phoneOption ? ` (${contact.phoneOption})` : ''}`,
    });
  if (contact.email) out.push({ kind: 'email', label: 'Email', value: contact.email });
  if (contact.portalUrl) out.push({ kind: 'portal', label: 'Support Portal', value: contact.portalUrl });
  return out;
}

/** Everything help shows one person. */
export interface HelpView {
  audience: HelpAudience;
  /** "Support hours: 08:45–17:15, Monday to Friday (UK time) — open now until 17:15". */
  hours: string;
  contact: ContactPolicy;
}

export const HELP_INTRO = 'Tell me what is wrong in your own words and I will prepare a ticket for you to check.';

export const ROLE_WORDS: Record<HelpRole, string> = {
  requester: 'What you can ask',
  agent: 'What you can ask, as a support agent',
  manager: 'What you can ask, as a manager',
};
