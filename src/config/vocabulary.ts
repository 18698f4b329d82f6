/** The words the policy and the domain share: platforms, roles, statuses, teams, routes, severities. */

export const PLATFORMS = ['slack', 'teams', 'playground'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const ROLES = ['requester', 'level1', 'level2', 'admin', 'development', 'manager', 'system'] as const;
export type Role = (typeof ROLES)[number];

export const SUPPORT_STATUSES = [
  'new',
  'triage',
  'under_review',
  'customer_responded',
  'waiting_for_customer',
  'work_in_progress',
  'quote_required',
  'escalated_to_dev',
  'on_customer_test',
  'pending_closure',
  'closed',
] as const;
export const DEVELOPMENT_STATUSES = [
  'planned',
  'dev_in_progress',
  'dev_done_waiting_review',
  'dev_done_waiting_qa',
  'qa_in_progress',
  'ready_for_release',
  'released',
] as const;
export const STATUSES = [...SUPPORT_STATUSES, ...DEVELOPMENT_STATUSES] as const;
export type SupportStatus = (typeof SUPPORT_STATUSES)[number];
export type DevelopmentStatus = (typeof DEVELOPMENT_STATUSES)[number];
export type Status = (typeof STATUSES)[number];

export const TEAM_IDS = ['admin', 'level1', 'level2', 'development'] as const;
export type TeamId = (typeof TEAM_IDS)[number];

export const DEVELOPMENT_ROUTES = [
  'change_request',
  'performance_infrastructure',
  'data_correction',
  'code_change',
] as const;
export type DevelopmentRoute = (typeof DEVELOPMENT_ROUTES)[number];

export const REQUEST_TYPES = ['troubleshooting', 'resolving_issue', 'guidance', 'feedback', 'change_request'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

export const SEVERITIES = [1, 2, 3, 4] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Priority: the impact on the customer (seed 000), beside Severity. 1 is the highest. */
export const PRIORITIES = [1, 2, 3, 4] as const;
export type Priority = (typeof PRIORITIES)[number];

/** What an agent may do that holds the escalation ladder (it climbs only while nobody acts). */
export const LADDER_PAUSES = ['agent_reply', 'assignment', 'waiting_for_customer'] as const;
export type LadderPause = (typeof LADDER_PAUSES)[number];

/**
 * Support's actions a requester sees, each of which can end the first-response clock (`sla.firstResponseEndedBy`):
 * a reply, a request for information, an assignment, an escalation (Team Ticketing or Development), a resolution,
 * a support or development status change. By whatever path (card, select, verb, chat command) it was taken.
 */
export const FIRST_RESPONSE_ACTIONS = [
  'agent_reply',
  'request_info',
  'assignment',
  'escalation',
  'resolution',
  'status_change',
] as const;
export type FirstResponseAction = (typeof FIRST_RESPONSE_ACTIONS)[number];
