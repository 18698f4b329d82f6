import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { ConfigError, envSchema, parseEnv } from '../../../src/config/env';

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
    });
    expect(env).toMatchObject({
      PORT: 8080,
      MONGODB_URI: 'mongodb+srv://user:pw@cluster.example.net/helpline',
      LOG_LEVEL: 'debug',
      NODE_ENV: 'production',
      MicrosoftAppType: 'SingleTenant',
      HELPLINE_TEST_CLOCK: false,
      SCHEDULER_ENABLED: false,
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
    ['HELPLINE_TEST_CLOCK=yes', { HELPLINE_TEST_CLOCK: 'yes' }, 'HELPLINE_TEST_CLOCK', 'expected 1 or 0'],
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
