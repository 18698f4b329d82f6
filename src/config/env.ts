import { z } from 'zod';
import { CRASH_STEPS } from '../crash-switch';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const flag = z
  .enum(['0', '1', 'true', 'false', ''], { error: 'expected 1 or 0' })
  .optional()
  .transform((v) => v === '1' || v === 'true');

/** 1 / 0, or unset (undefined): the default is decided from the rest of the environment. */
const optionalFlag = z
  .enum(['0', '1', 'true', 'false', ''], { error: 'expected 1 or 0' })
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : v === '1' || v === 'true'));

/** A comma-separated list of ids; unset or empty: undefined (no list). */
const idList = z
  .string()
  .optional()
  .transform((v) => {
    const ids = (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return ids.length ? ids : undefined;
  })
  .refine((ids) => ids === undefined || ids.every((id) => /^[A-Za-z0-9._:-]+$/.test(id)), {
    error: 'expected ids separated by commas, like T0123ABCD,T0456EFGH',
  });

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v.trim() : undefined));

type ProductionKey = { need: 'required'; fix: string } | { need: 'passed' };

/**
 * What a production deployment sets. `required`: start-up with NODE_ENV=production refuses without it (one line
 * with `fix`). deploy/compose.yaml passes every key listed here to its replicas (test/unit/deploy.test.ts checks).
 */
export const PRODUCTION_KEYS: Readonly<Record<string, ProductionKey>> = {
  NODE_ENV: { need: 'passed' },
  PORT: { need: 'passed' },
  LOG_LEVEL: { need: 'passed' },
  SCHEDULER_ENABLED: { need: 'passed' },
  MONGODB_URI: {
    need: 'required',
    fix: 'the connection string of your MongoDB 6+ replica set (the local database is for development)',
  },
  PUBLIC_URL: {
    need: 'required',
    fix: 'the https address people and platforms reach this bot at, like https://helpline.example.com (it goes into links in chat)',
  },
  REPORTS_SECRET: {
    need: 'required',
    fix: 'the same 32+ character secret on every replica, e.g. the output of: openssl rand -hex 32',
  },
  SLACK_BOT_TOKEN: { need: 'passed' },
  SLACK_SIGNING_SECRET: { need: 'passed' },
  SLACK_APP_TOKEN: { need: 'passed' },
  ALLOWED_SLACK_TEAMS: { need: 'passed' },
  MicrosoftAppId: { need: 'passed' },
  MicrosoftAppPassword: { need: 'passed' },
  MicrosoftAppType: { need: 'passed' },
  MicrosoftAppTenantId: { need: 'passed' },
  ALLOWED_TEAMS_TENANTS: { need: 'passed' },
  CLIENT_DIRECTORY: { need: 'passed' },
  HUBSPOT_TOKEN: { need: 'passed' },
};

/** Requests a minute; empty means the default (0 is an explicit "off"). */
const perMinute = (fallback: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && !v.trim() ? undefined : v),
    z.coerce
      .number({ error: 'expected a number of requests a minute, like 300 (0 turns the limit off)' })
      .int({ error: 'expected a whole number of requests a minute' })
      .min(0, { error: 'expected 0 (off) or more requests a minute' })
      .default(fallback),
  );

/**
 * Every environment variable Helpline reads, parsed once at start-up. Each key says how to fix it
 * in its error; `.env.example` documents the same keys.
 */
export const envSchema = z
  .object({
    /** HTTP port of the restify server (Slack, Teams, playground, health). */
    PORT: z.coerce
      .number({ error: 'expected a port number like 3978' })
      .int({ error: 'expected a whole port number like 3978' })
      .min(0, { error: 'expected a port between 0 and 65535' })
      .max(65535, { error: 'expected a port between 0 and 65535' })
      .default(3978),
    /** Interface to listen on. */
    HOST: z.string().min(1).default('0.0.0.0'),
    /** MongoDB connection string; unset starts the local database (a mongod on the PATH, else mongo-java-server on Java 17+). */
    MONGODB_URI: optionalText.refine((v) => v === undefined || /^mongodb(\+srv)?:\/\//.test(v), {
      error: 'expected a connection string starting with mongodb:// or mongodb+srv://',
    }),
    /** Folder for the local database's data when MONGODB_URI is unset. */
    DATA_DIR: z.string().min(1).default('.data'),
    /** Path of the YAML policy; default: the seeds' policy shipped in policy/default.yaml. */
    POLICY_FILE: optionalText,
    LOG_LEVEL: z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` }).default('info'),
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    /**
     * Public base URL of this bot, for links in chat (reports) and the playground's serviceUrl; required in
     * production, else default http://localhost:PORT.
     */
    PUBLIC_URL: optionalText.refine((v) => v === undefined || /^https?:\/\//.test(v), {
      error: 'expected an http(s) URL like https://helpline.example.com',
    }),
    SLACK_BOT_TOKEN: optionalText.refine((v) => v === undefined || v.startsWith('xoxb-'), {
      error: 'expected a bot token starting with xoxb- (Slack app → OAuth & Permissions)',
    }),
    SLACK_SIGNING_SECRET: optionalText,
    SLACK_APP_TOKEN: optionalText.refine((v) => v === undefined || v.startsWith('xapp-'), {
      error: 'expected an app-level token starting with xapp- (Slack app → Basic Information → App-Level Tokens)',
    }),
    SLACK_API_URL: z
      .url({ error: 'expected the Slack Web API base URL, like https://slack.com/api/' })
      .default('https://slack.com/api/')
      .transform((u) => (u.endsWith('/') ? u : `${u}/`)),
    MicrosoftAppId: optionalText,
    MicrosoftAppPassword: optionalText,
    MicrosoftAppType: z
      .enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'], {
        error: 'expected MultiTenant, SingleTenant or UserAssignedMSI',
      })
      .default('MultiTenant'),
    MicrosoftAppTenantId: optionalText,
    /** 1 enables POST /test/clock and /test/scheduler/run; refused in production. */
    HELPLINE_TEST_CLOCK: flag,
    /** A named step (src/crash-switch.ts) at which the process kills itself: the crash tests; refused in production. */
    HELPLINE_CRASH_AT: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
      z.enum(CRASH_STEPS, { error: `expected one of ${CRASH_STEPS.join(', ')}` }).optional(),
    ),
    /**
     * 1: the playground at / (act as anyone) and unauthenticated /api/messages (Bot Framework Emulator); 0: off.
     * Unset: on only with no Slack and no Teams credentials, outside production (see {@link playgroundOn}).
     * Refused in production.
     */
    HELPLINE_PLAYGROUND: optionalFlag,
    /** Teams tenant ids served (comma-separated); unset: any tenant that installs a MultiTenant bot. */
    ALLOWED_TEAMS_TENANTS: idList,
    /** Slack team (workspace) or Enterprise Grid ids served (comma-separated); unset: any. */
    ALLOWED_SLACK_TEAMS: idList,
    /**
     * Signs the /reports links and session cookies (HMAC-SHA256); the same value on every replica. Required in
     * production; unset elsewhere, each process makes a random one at start (a link then works only there).
     */
    REPORTS_SECRET: optionalText.refine((v) => v === undefined || v.length >= 32, {
      error: 'expected at least 32 characters, e.g. the output of: openssl rand -hex 32',
    }),
    /** A YAML file with a `clients:` section (the client directory); replaces the policy's `clients:`. */
    CLIENTS_FILE: optionalText,
    /** Where client records come from: yaml (the policy or CLIENTS_FILE) or hubspot; default hubspot when HUBSPOT_TOKEN is set. */
    CLIENT_DIRECTORY: z
      .enum(['yaml', 'hubspot', ''], { error: 'expected yaml or hubspot' })
      .optional()
      .transform((v) => (v ? v : undefined)),
    /** HubSpot private app access token (Settings → Integrations → Private Apps); turns on the HubSpot client directory. */
    HUBSPOT_TOKEN: optionalText,
    /** HubSpot API base URL; tests point it at a local fake. */
    HUBSPOT_API_URL: z
      .url({ error: 'expected the HubSpot API base URL, like https://api.hubapi.com' })
      .default('https://api.hubapi.com')
      .transform((u) => u.replace(/\/+$/, '')),
    /**
     * Requests a minute per client address on the public routes other than the platform webhooks (playground,
     * test routes, reports, unknown paths): a token bucket of this many, refilled over a minute; 0 turns it off.
     */
    RATE_LIMIT_PER_MINUTE: perMinute(300),
    /** The same for the platform webhooks, /slack/events and /api/messages (generous: Slack and Teams send in bursts). */
    RATE_LIMIT_WEBHOOKS_PER_MINUTE: perMinute(3000),
    /** Bearer token that opens GET /readyz?detail to callers other than this host (loopback always may); unset: loopback only. */
    HEALTH_DETAIL_TOKEN: optionalText.refine((v) => v === undefined || v.length >= 16, {
      error: 'expected at least 16 characters, e.g. the output of: openssl rand -hex 16',
    }),
    /** 0 turns the cron jobs off in this process (e.g. a web-only replica). */
    SCHEDULER_ENABLED: z
      .enum(['0', '1', 'true', 'false'], { error: 'expected 1 or 0' })
      .default('1')
      .transform((v) => v === '1' || v === 'true'),
  })
  .superRefine((e, ctx) => {
    const need = (key: keyof typeof e, message: string) => ctx.addIssue({ code: 'custom', path: [key], message });
    if (e.SLACK_BOT_TOKEN && !e.SLACK_SIGNING_SECRET && !e.SLACK_APP_TOKEN)
      need('SLACK_SIGNING_SECRET', 'required with SLACK_BOT_TOKEN (Slack app → Basic Information → Signing Secret)');
    if ((e.SLACK_SIGNING_SECRET || e.SLACK_APP_TOKEN) && !e.SLACK_BOT_TOKEN)
      need(
        'SLACK_BOT_TOKEN',
        'required when Slack is configured (Slack app → OAuth & Permissions → Bot User OAuth Token)',
      );
    if (e.MicrosoftAppId && !e.MicrosoftAppPassword && e.MicrosoftAppType !== 'UserAssignedMSI')
      need('MicrosoftAppPassword', 'required with MicrosoftAppId (Azure Bot → Configuration → Manage password)');
    if (e.MicrosoftAppType === 'SingleTenant' && e.MicrosoftAppId && !e.MicrosoftAppTenantId)
      need('MicrosoftAppTenantId', 'required when MicrosoftAppType is SingleTenant (your Microsoft Entra tenant id)');
    if (e.CLIENT_DIRECTORY === 'hubspot' && !e.HUBSPOT_TOKEN)
      need(
        'HUBSPOT_TOKEN',
        'required when CLIENT_DIRECTORY is hubspot (HubSpot → Settings → Integrations → Private Apps)',
      );
    if (e.NODE_ENV !== 'production') return;
    for (const [key, spec] of Object.entries(PRODUCTION_KEYS))
      if (spec.need === 'required' && e[key as keyof typeof e] === undefined)
        need(key as keyof typeof e, `required when NODE_ENV=production: ${spec.fix}`);
    if (e.HELPLINE_TEST_CLOCK)
      need('HELPLINE_TEST_CLOCK', 'the movable test clock is refused when NODE_ENV=production; unset it');
    if (e.HELPLINE_CRASH_AT)
      need('HELPLINE_CRASH_AT', 'the crash switch of the crash tests is refused when NODE_ENV=production; unset it');
    if (e.HELPLINE_PLAYGROUND)
      need(
        'HELPLINE_PLAYGROUND',
        'the playground (act as anyone, unauthenticated /api/messages) is refused when NODE_ENV=production; unset it',
      );
    if (!e.MicrosoftAppId && (e.MicrosoftAppPassword || e.MicrosoftAppTenantId || e.ALLOWED_TEAMS_TENANTS))
      need(
        'MicrosoftAppId',
        'required when NODE_ENV=production and Teams is configured: without it Bot Framework authentication is off (Azure Bot → Configuration → Microsoft App ID)',
      );
  });

export type Env = z.output<typeof envSchema>;

/**
 * Whether the playground (and with it unauthenticated /api/messages for the Bot Framework Emulator) is on:
 * never in production; HELPLINE_PLAYGROUND=1 / 0 when set; otherwise only with no Slack and no Teams
 * credentials, so `npm start` on a fresh clone shows it and a server with real credentials does not.
 */
export function playgroundOn(
  env: Pick<Env, 'NODE_ENV' | 'HELPLINE_PLAYGROUND' | 'SLACK_BOT_TOKEN' | 'MicrosoftAppId'>,
): boolean {
  if (env.NODE_ENV === 'production') return false;
  if (env.HELPLINE_PLAYGROUND !== undefined) return env.HELPLINE_PLAYGROUND;
  return !env.SLACK_BOT_TOKEN && !env.MicrosoftAppId;
}

/** The lines start-up logs at warn level: what is open that a real deployment must not leave open. */
export function startupWarnings(env: Env): string[] {
  const lines: string[] = [];
  if (playgroundOn(env))
    lines.push(
      `PLAYGROUND IS ON (${env.HELPLINE_PLAYGROUND ? 'HELPLINE_PLAYGROUND=1' : 'no Slack or Teams credentials'}): anyone who reaches this server can act as anyone, managers included, at / and post unauthenticated to /api/messages; keep it off any network you do not trust`,
    );
  if (env.HELPLINE_TEST_CLOCK)
    lines.push(
      'HELPLINE_TEST_CLOCK is on: anyone who reaches this server can move its clock (POST /test/clock) and run its jobs (POST /test/scheduler/run)',
    );
  if (
    env.NODE_ENV === 'production' &&
    env.MicrosoftAppId &&
    env.MicrosoftAppType === 'MultiTenant' &&
    !env.ALLOWED_TEAMS_TENANTS
  )
    lines.push(
      'ALLOWED_TEAMS_TENANTS is unset: this MultiTenant Teams bot serves every tenant that installs it; list your tenant ids',
    );
  return lines;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parse the environment once; throws ConfigError with one line per bad variable and how to fix it. */
export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `${String(i.path[0] ?? 'environment')}: ${i.message}`);
  throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
}
