import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import {
  ConfigError,
  envSchema,
  PRODUCTION_KEYS,
  parseEnv,
  playgroundOn,
  startupWarnings,
} from '../../../src/config/env';

const ENV_EXAMPLE = path.resolve(__dirname, '..', '..', '..', '.env.example');

/** The error parseEnv throws for `env`; fails the test when it does not throw. */
function configError(env: Record<string, string>): ConfigError {
  try {
    parseEnv(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`parseEnv accepted ${JSON.stringify(env)}`);
}

/** The part of the one-line message about `key` ("KEY: what is wrong and how to fix it"). */
function problemWith(message: string, key: string): string {
  const part = message
    .replace(/^Invalid configuration: /, '')
    .split(/; (?=[A-Za-z_][A-Za-z0-9_]*: )/)
    .find((p) => p.startsWith(`${key}: `));
  if (!part) throw new Error(`no problem reported for ${key} in: ${message}`);
  return part;
}

describe('parseEnv', () => {
  it('gives the documented defaults for an empty environment', () => {
    expect(parseEnv({})).toEqual({
      PORT: 3978,
      HOST: '0.0.0.0',
      DATA_DIR: '.data',
      LOG_LEVEL: 'info',
      NODE_ENV: 'development',
      SLACK_API_URL: 'https://slack.com/api/',
      MicrosoftAppType: 'MultiTenant',
      HELPLINE_TEST_CLOCK: false,
      SCHEDULER_ENABLED: true,
      HUBSPOT_API_URL: 'https://api.hubapi.com',
      RATE_LIMIT_PER_MINUTE: 300,
      RATE_LIMIT_WEBHOOKS_PER_MINUTE: 3000,
    });
  });

  it('leaves the optional settings unset when they are empty or blank', () => {
    const env = parseEnv({ MONGODB_URI: '', POLICY_FILE: '  ', SLACK_BOT_TOKEN: '', MicrosoftAppId: '' });
    expect(env.MONGODB_URI).toBeUndefined();
    expect(env.POLICY_FILE).toBeUndefined();
    expect(env.SLACK_BOT_TOKEN).toBeUndefined();
    expect(env.MicrosoftAppId).toBeUndefined();
  });

  it('accepts a complete, valid configuration', () => {
    const env = parseEnv({
      PORT: '8080',
      MONGODB_URI: 'mongodb+srv://user:pw@cluster.example.net/helpline',
      LOG_LEVEL: 'debug',
      NODE_ENV: 'production',
      SLACK_BOT_TOKEN: 'xoxb-123',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_APP_TOKEN: 'xapp-1-abc',
      MicrosoftAppId: '00000000-0000-0000-0000-000000000000',
      MicrosoftAppPassword: 'pw',
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: 'tenant',
      HELPLINE_TEST_CLOCK: '0',
      SCHEDULER_ENABLED: 'false',
      PUBLIC_URL: 'https://helpline.example.com',
      REPORTS_SECRET: 'a-production-secret-of-32-characters-or-more',
      ALLOWED_TEAMS_TENANTS: ' tenant-a, tenant-b ,',
      ALLOWED_SLACK_TEAMS: 'T0ACME,E0GRID',
    });
    expect(env).toMatchObject({
      PORT: 8080,
      MONGODB_URI: 'mongodb+srv://user:pw@cluster.example.net/helpline',
      LOG_LEVEL: 'debug',
      NODE_ENV: 'production',
      MicrosoftAppType: 'SingleTenant',
      HELPLINE_TEST_CLOCK: false,
      SCHEDULER_ENABLED: false,
      ALLOWED_TEAMS_TENANTS: ['tenant-a', 'tenant-b'],
      ALLOWED_SLACK_TEAMS: ['T0ACME', 'E0GRID'],
    });
  });

  it('accepts Socket Mode (bot token and app token) without a signing secret', () => {
    expect(parseEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).SLACK_APP_TOKEN).toBe('xapp-1');
  });

  it('accepts a MicrosoftAppId without a password for a user-assigned managed identity', () => {
    expect(parseEnv({ MicrosoftAppId: 'id', MicrosoftAppType: 'UserAssignedMSI' }).MicrosoftAppType).toBe(
      'UserAssignedMSI',
    );
  });

  it('accepts HELPLINE_TEST_CLOCK=1 outside production', () => {
    expect(parseEnv({ HELPLINE_TEST_CLOCK: '1', NODE_ENV: 'test' }).HELPLINE_TEST_CLOCK).toBe(true);
    expect(parseEnv({ HELPLINE_TEST_CLOCK: 'true' }).HELPLINE_TEST_CLOCK).toBe(true);
  });

  it('adds the trailing slash to SLACK_API_URL and keeps one that is there', () => {
    expect(parseEnv({ SLACK_API_URL: 'http://127.0.0.1:4010/api' }).SLACK_API_URL).toBe('http://127.0.0.1:4010/api/');
    expect(parseEnv({ SLACK_API_URL: 'http://127.0.0.1:4010/api/' }).SLACK_API_URL).toBe('http://127.0.0.1:4010/api/');
  });

  it('drops the trailing slash of HUBSPOT_API_URL (the SDK adds the paths)', () => {
    expect(parseEnv({ HUBSPOT_API_URL: 'http://127.0.0.1:4011/' }).HUBSPOT_API_URL).toBe('http://127.0.0.1:4011');
  });

  // [case, environment, variable the message must name, text that says how to fix it]
  const BAD: Array<[string, Record<string, string>, string, string]> = [
    ['PORT=abc', { PORT: 'abc' }, 'PORT', 'expected a port number like 3978'],
    ['CLIENT_DIRECTORY=hubspot without a token', { CLIENT_DIRECTORY: 'hubspot' }, 'HUBSPOT_TOKEN', 'Private Apps'],
    ['CLIENT_DIRECTORY=crm', { CLIENT_DIRECTORY: 'crm' }, 'CLIENT_DIRECTORY', 'expected yaml or hubspot'],
    ['HUBSPOT_API_URL=not a url', { HUBSPOT_API_URL: 'not a url' }, 'HUBSPOT_API_URL', 'https://api.hubapi.com'],
    ['PORT=70000', { PORT: '70000' }, 'PORT', 'expected a port between 0 and 65535'],
    ['PORT=80.5', { PORT: '80.5' }, 'PORT', 'whole port number'],
    [
      'MONGODB_URI=http://x',
      { MONGODB_URI: 'http://x' },
      'MONGODB_URI',
      'expected a connection string starting with mongodb:// or mongodb+srv://',
    ],
    [
      'LOG_LEVEL=loud',
      { LOG_LEVEL: 'loud' },
      'LOG_LEVEL',
      'expected one of fatal, error, warn, info, debug, trace, silent',
    ],
    ['SLACK_BOT_TOKEN=abc', { SLACK_BOT_TOKEN: 'abc', SLACK_SIGNING_SECRET: 's' }, 'SLACK_BOT_TOKEN', 'xoxb-'],
    ['SLACK_APP_TOKEN=abc', { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'abc' }, 'SLACK_APP_TOKEN', 'xapp-'],
    ['SLACK_API_URL=not a url', { SLACK_API_URL: 'not a url' }, 'SLACK_API_URL', 'like https://slack.com/api/'],
    [
      'MicrosoftAppType=Other',
      { MicrosoftAppType: 'Other' },
      'MicrosoftAppType',
      'expected MultiTenant, SingleTenant or UserAssignedMSI',
    ],
    [
      'SLACK_BOT_TOKEN without SLACK_SIGNING_SECRET',
      { SLACK_BOT_TOKEN: 'xoxb-1' },
      'SLACK_SIGNING_SECRET',
      'required with SLACK_BOT_TOKEN (Slack app → Basic Information → Signing Secret)',
    ],
    [
      'SLACK_SIGNING_SECRET without SLACK_BOT_TOKEN',
      { SLACK_SIGNING_SECRET: 'secret' },
      'SLACK_BOT_TOKEN',
      'required when Slack is configured (Slack app → OAuth & Permissions → Bot User OAuth Token)',
    ],
    [
      'MicrosoftAppId without MicrosoftAppPassword',
      { MicrosoftAppId: 'app-id' },
      'MicrosoftAppPassword',
      'required with MicrosoftAppId (Azure Bot → Configuration → Manage password)',
    ],
    [
      'SingleTenant without MicrosoftAppTenantId',
      { MicrosoftAppId: 'app-id', MicrosoftAppPassword: 'pw', MicrosoftAppType: 'SingleTenant' },
      'MicrosoftAppTenantId',
      'required when MicrosoftAppType is SingleTenant',
    ],
    [
      'HELPLINE_TEST_CLOCK=1 with NODE_ENV=production',
      { HELPLINE_TEST_CLOCK: '1', NODE_ENV: 'production' },
      'HELPLINE_TEST_CLOCK',
      'refused when NODE_ENV=production; unset it',
    ],
    [
      'HELPLINE_CRASH_AT with NODE_ENV=production',
      { HELPLINE_CRASH_AT: 'raise:claimed', NODE_ENV: 'production' },
      'HELPLINE_CRASH_AT',
      'refused when NODE_ENV=production; unset it',
    ],
    [
      'HELPLINE_CRASH_AT=somewhere',
      { HELPLINE_CRASH_AT: 'somewhere' },
      'HELPLINE_CRASH_AT',
      'expected one of raise:claimed',
    ],
    ['HELPLINE_TEST_CLOCK=yes', { HELPLINE_TEST_CLOCK: 'yes' }, 'HELPLINE_TEST_CLOCK', 'expected 1 or 0'],
    ['HELPLINE_PLAYGROUND=yes', { HELPLINE_PLAYGROUND: 'yes' }, 'HELPLINE_PLAYGROUND', 'expected 1 or 0'],
    [
      'ALLOWED_SLACK_TEAMS with spaces inside an id',
      { ALLOWED_SLACK_TEAMS: 'T0ACME,T0 OTHER' },
      'ALLOWED_SLACK_TEAMS',
      'separated by commas',
    ],
    ['SCHEDULER_ENABLED=maybe', { SCHEDULER_ENABLED: 'maybe' }, 'SCHEDULER_ENABLED', 'expected 1 or 0'],
    ['PUBLIC_URL=helpline.example.com', { PUBLIC_URL: 'helpline.example.com' }, 'PUBLIC_URL', 'http(s) URL'],
    ['RATE_LIMIT_PER_MINUTE=lots', { RATE_LIMIT_PER_MINUTE: 'lots' }, 'RATE_LIMIT_PER_MINUTE', '0 turns the limit off'],
    [
      'RATE_LIMIT_WEBHOOKS_PER_MINUTE=-5',
      { RATE_LIMIT_WEBHOOKS_PER_MINUTE: '-5' },
      'RATE_LIMIT_WEBHOOKS_PER_MINUTE',
      '0 (off)',
    ],
    ['HEALTH_DETAIL_TOKEN=short', { HEALTH_DETAIL_TOKEN: 'short' }, 'HEALTH_DETAIL_TOKEN', 'at least 16 characters'],
  ];

  it.each(BAD)('rejects %s with a one-line message naming the variable and the fix', (_case, env, key, fix) => {
    const { message } = configError(env);
    expect(message.startsWith('Invalid configuration: ')).toBe(true);
    expect(message).not.toMatch(/[\r\n]/);
    expect(problemWith(message, key)).toContain(fix);
  });

  it('reads the rate limits (empty: the default; 0: off) and the health detail token', () => {
    expect(parseEnv({})).toMatchObject({ RATE_LIMIT_PER_MINUTE: 300, RATE_LIMIT_WEBHOOKS_PER_MINUTE: 3000 });
    expect(parseEnv({ RATE_LIMIT_PER_MINUTE: '', RATE_LIMIT_WEBHOOKS_PER_MINUTE: '0' })).toMatchObject({
      RATE_LIMIT_PER_MINUTE: 300,
      RATE_LIMIT_WEBHOOKS_PER_MINUTE: 0,
    });
    expect(parseEnv({ HEALTH_DETAIL_TOKEN: ' 0123456789abcdef ' }).HEALTH_DETAIL_TOKEN).toBe('0123456789abcdef');
  });

  it('reports every bad variable at once, still on one line', () => {
    const { message } = configError({ PORT: 'abc', LOG_LEVEL: 'loud', MONGODB_URI: 'http://x' });
    expect(message).not.toMatch(/[\r\n]/);
    for (const key of ['PORT', 'LOG_LEVEL', 'MONGODB_URI']) expect(() => problemWith(message, key)).not.toThrow();
  });

  it('never echoes a secret value back in the message', () => {
    const { message } = configError({ SLACK_BOT_TOKEN: 'not-a-token-s3cr3t', SLACK_SIGNING_SECRET: 'x' });
    expect(message).not.toContain('s3cr3t');
  });
});

const SLACK = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret' };
const TEAMS = { MicrosoftAppId: 'app-id', MicrosoftAppPassword: 'pw' };
/** What production requires, so a case adds only what it is about. */
const PRODUCTION = {
  NODE_ENV: 'production',
  MONGODB_URI: 'mongodb://db.internal:27017/helpline',
  PUBLIC_URL: 'https://helpline.example.com',
  REPORTS_SECRET: 'a-production-secret-of-32-characters-or-more',
};

describe('playground mode (the playground at / and unauthenticated /api/messages)', () => {
  // [case, environment, on?]
  const MATRIX: Array<[string, Record<string, string>, boolean]> = [
    ['no credentials (npm start on a fresh clone)', {}, true],
    ['no credentials, NODE_ENV=test', { NODE_ENV: 'test' }, true],
    ['Slack credentials', SLACK, false],
    ['Teams credentials', TEAMS, false],
    ['Slack credentials, HELPLINE_PLAYGROUND=1', { ...SLACK, HELPLINE_PLAYGROUND: '1' }, true],
    ['Teams credentials, HELPLINE_PLAYGROUND=1', { ...TEAMS, HELPLINE_PLAYGROUND: '1' }, true],
    ['no credentials, HELPLINE_PLAYGROUND=0', { HELPLINE_PLAYGROUND: '0' }, false],
    ['no credentials, HELPLINE_PLAYGROUND empty', { HELPLINE_PLAYGROUND: '' }, true],
    ['production', { ...PRODUCTION, ...SLACK }, false],
    ['production, HELPLINE_PLAYGROUND=0', { ...PRODUCTION, HELPLINE_PLAYGROUND: '0' }, false],
  ];
  it.each(MATRIX)('%s: on = %s', (_case, env, on) => {
    expect(playgroundOn(parseEnv(env))).toBe(on);
  });

  it('says so loudly, in one line naming why, when it is on; nothing when it is off', () => {
    const auto = startupWarnings(parseEnv({}));
    expect(auto).toHaveLength(1);
    expect(auto[0]).toMatch(/^PLAYGROUND IS ON \(no Slack or Teams credentials\): anyone .* can act as anyone/);
    expect(startupWarnings(parseEnv({ ...SLACK, HELPLINE_PLAYGROUND: '1' }))[0]).toMatch(
      /^PLAYGROUND IS ON \(HELPLINE_PLAYGROUND=1\)/,
    );
    expect(startupWarnings(parseEnv(SLACK))).toEqual([]);
    for (const line of auto) expect(line).not.toMatch(/[\r\n]/);
  });

  it('warns about the test clock in one line when it is on', () => {
    expect(startupWarnings(parseEnv({ ...SLACK, HELPLINE_TEST_CLOCK: '1' }))).toEqual([
      expect.stringMatching(/^HELPLINE_TEST_CLOCK is on: .*POST \/test\/clock/),
    ]);
  });
});

describe('production start-up', () => {
  it('starts with what it requires', () => {
    expect(parseEnv({ ...PRODUCTION, ...SLACK })).toMatchObject({ NODE_ENV: 'production' });
  });

  // [case, environment, variable the one line names, what it says]
  const REFUSED: Array<[string, Record<string, string>, string, string]> = [
    [
      'REPORTS_SECRET unset',
      { ...PRODUCTION, REPORTS_SECRET: '' },
      'REPORTS_SECRET',
      'required when NODE_ENV=production: the same 32+ character secret on every replica',
    ],
    [
      'PUBLIC_URL unset',
      { ...PRODUCTION, PUBLIC_URL: '' },
      'PUBLIC_URL',
      'required when NODE_ENV=production: the https address',
    ],
    [
      'MONGODB_URI unset',
      { ...PRODUCTION, MONGODB_URI: '' },
      'MONGODB_URI',
      'required when NODE_ENV=production: the connection string',
    ],
    [
      'HELPLINE_PLAYGROUND=1',
      { ...PRODUCTION, HELPLINE_PLAYGROUND: '1' },
      'HELPLINE_PLAYGROUND',
      'refused when NODE_ENV=production; unset it',
    ],
    [
      'HELPLINE_TEST_CLOCK=1',
      { ...PRODUCTION, HELPLINE_TEST_CLOCK: '1' },
      'HELPLINE_TEST_CLOCK',
      'refused when NODE_ENV=production; unset it',
    ],
    [
      'Teams configured without MicrosoftAppId (Bot Framework authentication off)',
      { ...PRODUCTION, MicrosoftAppPassword: 'pw', ALLOWED_TEAMS_TENANTS: 'tenant-a' },
      'MicrosoftAppId',
      'Bot Framework authentication is off',
    ],
  ];
  it.each(REFUSED)('refuses %s with exactly one line naming it', (_case, env, key, text) => {
    const { message } = configError(env);
    expect(message).toBe(`Invalid configuration: ${problemWith(message, key)}`);
    expect(message).not.toMatch(/[\r\n]/);
    expect(problemWith(message, key)).toContain(text);
  });

  it('warns (does not refuse) a MultiTenant Teams bot with no ALLOWED_TEAMS_TENANTS', () => {
    const multi = parseEnv({ ...PRODUCTION, ...TEAMS });
    expect(startupWarnings(multi)).toEqual([expect.stringMatching(/^ALLOWED_TEAMS_TENANTS is unset: .*every tenant/)]);
    expect(startupWarnings(parseEnv({ ...PRODUCTION, ...TEAMS, ALLOWED_TEAMS_TENANTS: 'tenant-a' }))).toEqual([]);
    const single = { ...PRODUCTION, ...TEAMS, MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: 'tenant-a' };
    expect(startupWarnings(parseEnv(single))).toEqual([]);
  });

  it('lists only configuration keys as production keys, the required ones among them', () => {
    const keys = Object.keys(envSchema.shape);
    expect(Object.keys(PRODUCTION_KEYS).filter((k) => !keys.includes(k))).toEqual([]);
    const required = Object.entries(PRODUCTION_KEYS).filter(([, v]) => v.need === 'required');
    expect(required.map(([k]) => k).sort()).toEqual(['MONGODB_URI', 'PUBLIC_URL', 'REPORTS_SECRET']);
  });
});

describe('.env.example', () => {
  // envSchema is z.object(...).superRefine(...): in zod 4 a refinement keeps the ZodObject, so `.shape` is its keys.
  const schemaKeys = Object.keys(envSchema.shape).sort();

  function exampleText(): string {
    if (!fs.existsSync(ENV_EXAMPLE)) throw new Error(`.env.example is missing at the repository root (${ENV_EXAMPLE})`);
    return fs.readFileSync(ENV_EXAMPLE, 'utf8');
  }

  it('lists every variable of envSchema, and nothing else', () => {
    const keys = [...exampleText().matchAll(/^\s*(?:#\s*)?([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((m) => m[1] as string);
    expect(schemaKeys.length).toBeGreaterThan(0);
    expect([...new Set(keys)].sort()).toEqual(schemaKeys);
  });

  it('is itself a valid configuration when copied to .env as-is', () => {
    const values = dotenv.parse(exampleText());
    expect(() => parseEnv(values)).not.toThrow();
    expect(parseEnv(values)).toMatchObject({ PORT: 3978, SLACK_API_URL: 'https://slack.com/api/' });
  });
});
