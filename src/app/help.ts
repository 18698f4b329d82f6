import type { HelpAudience, HelpView } from '../cards/help';
import { supportHoursLine } from '../domain/sla/support-hours';
import type { Actor } from '../domain/ticket/ticket';
import type { AppDeps } from './context';
import { mayReadReports } from './reports/access';

/** What this person may ask for: from their roles in the policy (team membership, escalation contact), never a payload. */
export function helpAudience(deps: Pick<AppDeps, 'directory'>, who: Pick<Actor, 'platform' | 'userId'>): HelpAudience {
  return {
    agent: deps.directory.isAgent(who),
    manager: deps.directory.rolesOf(who).includes('manager'),
    reports: mayReadReports(deps, who),
  };
}

/**
 * Help for one person: the commands of their role, the support hours with whether support is open now (by the
 * injected clock), and the policy's contact details. Slack (DM, `/ticket help`, App Home) and Teams render it.
 */
export function helpFor(
  deps: Pick<AppDeps, 'directory' | 'calendar' | 'clock' | 'policy'>,
  who: Pick<Actor, 'platform' | 'userId'>,
): HelpView {
  return {
    audience: helpAudience(deps, who),
    hours: supportHoursLine(deps.calendar, deps.clock.now()),
    contact: deps.policy.contact,
  };
}
