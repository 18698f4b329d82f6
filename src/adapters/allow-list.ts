import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { type Activity, ActivityTypes, type TurnContext } from 'botbuilder';
import { type Env, playgroundOn } from '../config/env';
import type { Logger } from '../logger';

/** What a person from an organisation this Helpline does not serve is told, where the platform lets us answer. */
export const ANOTHER_ORGANISATION = 'This Helpline serves another organisation.';

/** The Teams tenants served: ALLOWED_TEAMS_TENANTS, plus a SingleTenant bot's own tenant; undefined: any. */
export function allowedTeamsTenants(env: Env): ReadonlySet<string> | undefined {
  if (!env.ALLOWED_TEAMS_TENANTS) return undefined;
  const own = env.MicrosoftAppType === 'SingleTenant' && env.MicrosoftAppTenantId ? [env.MicrosoftAppTenantId] : [];
  return new Set([...env.ALLOWED_TEAMS_TENANTS, ...own].map((t) => t.toLowerCase()));
}

/** The tenant an activity comes from (Teams puts it in channelData; the conversation carries it too). */
export function tenantOf(activity: Partial<Activity>): string | undefined {
  const data = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const id = data?.tenant?.id ?? activity.conversation?.tenantId;
  return typeof id === 'string' && id ? id : undefined;
}

/** Channels with no tenant at all, served only in playground mode (authentication off, never in production). */
const LOCAL_CHANNELS = new Set(['playground', 'emulator']);

/**
 * Whether this Teams activity may be served: yes with no allow-list; else only from a listed tenant (the
 * playground and the Emulator, which have no tenant, only in playground mode).
 */
export function teamsActivityAllowed(env: Env, activity: Partial<Activity>): boolean {
  const allowed = allowedTeamsTenants(env);
  if (!allowed) return true;
  const tenant = tenantOf(activity);
  if (tenant) return allowed.has(tenant.toLowerCase());
  return playgroundOn(env) && LOCAL_CHANNELS.has(activity.channelId ?? '');
}

/**
 * Refuse a turn from a tenant not served, before anything is stored: a message is told so, an invoke gets a 403
 * with the same words, anything else (installs, conversation updates) is dropped. Returns false when refused.
 */
export async function admitTeamsTurn(env: Env, log: Logger, ctx: TurnContext): Promise<boolean> {
  const a = ctx.activity;
  if (teamsActivityAllowed(env, a)) return true;
  log.warn(
    { tenant: tenantOf(a) ?? null, channelId: a.channelId, type: a.type, activityId: a.id },
    'Teams: activity from a tenant not in ALLOWED_TEAMS_TENANTS refused',
  );
  if (a.type === ActivityTypes.Message)
    await ctx.sendActivity({ type: 'message', text: ANOTHER_ORGANISATION, textFormat: 'plain' }).catch(() => undefined);
  else if (a.type === ActivityTypes.Invoke)
    await ctx.sendActivity({
      type: ActivityTypes.InvokeResponse,
      value: {
        status: 403,
        body: {
          statusCode: 403,
          type: 'application/vnd.microsoft.error',
          value: { code: 'Forbidden', message: ANOTHER_ORGANISATION },
        },
      },
    });
  return false;
}

/** Whether a Slack request from this team / Enterprise Grid org may be served (ALLOWED_SLACK_TEAMS; unset: any). */
export function slackTeamAllowed(env: Env, ids: { teamId?: string; enterpriseId?: string }): boolean {
  const allowed = env.ALLOWED_SLACK_TEAMS;
  if (!allowed) return true;
  return [ids.teamId, ids.enterpriseId].some((id) => id !== undefined && allowed.includes(id));
}

/** The parts of Bolt's arguments the refusal uses (present or not depending on the kind of request). */
interface RefusalArgs {
  ack?: (response?: unknown) => Promise<void>;
  respond?: (message: { text: string; response_type: 'ephemeral'; replace_original: false }) => Promise<unknown>;
  command?: unknown;
}

/**
 * Bolt global middleware: a request whose workspace (Bolt's context.teamId: the installation's team, or the
 * body's team_id for an org-wide Enterprise Grid install) or Enterprise Grid org is not in ALLOWED_SLACK_TEAMS
 * reaches no listener. A slash command is answered with the refusal, an interaction through its response_url;
 * an event only logged (answering would post into a workspace we do not serve).
 */
export function slackAllowList(env: Env, log: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const { context, next } = args;
    const ids = {
      ...(context.teamId ? { teamId: context.teamId } : {}),
      ...(context.enterpriseId ? { enterpriseId: context.enterpriseId } : {}),
    };
    if (slackTeamAllowed(env, ids)) return next();
    const { ack, respond, command } = args as unknown as RefusalArgs;
    log.warn(
      { teamId: ids.teamId ?? null, enterpriseId: ids.enterpriseId ?? null },
      'Slack: request from a workspace not in ALLOWED_SLACK_TEAMS refused',
    );
    if (!ack) return; // an event: Bolt acknowledges it, nothing runs
    if (command) return ack({ response_type: 'ephemeral', text: ANOTHER_ORGANISATION });
    await ack();
    await respond?.({ text: ANOTHER_ORGANISATION, response_type: 'ephemeral', replace_original: false }).catch(
      (err: Error) => log.warn({ err: err.message }, 'Slack: could not send the refusal'),
    );
  };
}
