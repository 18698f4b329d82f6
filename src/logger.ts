import pino from 'pino';

export type Logger = pino.Logger;

const CENSOR = '[redacted]';

/** Fields that hold a credential wherever they appear (top level, or one object down). */
const SECRET_KEYS = [
  'authorization',
  'token',
  'botToken',
  'appToken',
  'accessToken',
  'access_token',
  'signingSecret',
  'clientSecret',
  'appPassword',
  'password',
  'secret',
  'MicrosoftAppPassword',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
  'HUBSPOT_TOKEN',
  'REPORTS_SECRET',
];

/** Header paths: a request's, a platform client's error (`err.config.headers`, `err.request.headers`). */
const HEADER_PATHS = ['authorization', 'Authorization', 'cookie', '["x-slack-signature"]'].flatMap((h) => [
  `req.headers.${h}`,
  `headers.${h}`,
  `*.headers.${h}`,
  `err.config.headers.${h}`,
  `err.request.headers.${h}`,
]);

export const REDACT_PATHS = [...SECRET_KEYS.flatMap((k) => [k, `*.${k}`]), ...HEADER_PATHS].map((p) =>
  p.replace(/\.\["/g, '["').replace(/^\*\.\["/, '*["'),
);

/** Secrets in text: link tokens in URLs, bearer tokens, Slack tokens. */
const IN_TEXT: Array<[RegExp, string]> = [
  [/([?&](?:token|access_token|code|signature|sig|secret|password)=)[^&#\s"']+/gi, `$1${CENSOR}`],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${CENSOR}`],
  [/\bxox[abposre]-[A-Za-z0-9-]{6,}/g, CENSOR],
  [/\bxapp-[A-Za-z0-9-]{6,}/g, CENSOR],
];

/** The text with every recognisable secret replaced by the censor mark. */
export function scrubText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of IN_TEXT) out = out.replace(pattern, replacement);
  return out;
}

function scrubFields(obj: Record<string, unknown>): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v !== 'string') continue;
    const clean = scrubText(v);
    if (clean === v) continue;
    copy ??= { ...obj };
    copy[k] = clean;
  }
  return copy ?? obj;
}

export interface LoggerOptions {
  /** Known secret values (the tokens this process was configured with): never written, whatever field holds them. */
  secrets?: Array<string | undefined>;
  /** Where lines go (default stdout). */
  destination?: { write(line: string): unknown };
}

/**
 * Structured JSON logs; secrets never reach them: credential fields and headers are redacted by path, secrets in
 * URLs and messages (link tokens, bearer and Slack tokens) are masked, and as a last guard every configured
 * secret value is masked in each line before it is written.
 */
export function createLogger(level: string, opts: LoggerOptions = {}): Logger {
  const known = [...new Set(opts.secrets ?? [])].filter((s): s is string => typeof s === 'string' && s.length >= 8);
  const out = opts.destination ?? process.stdout;
  const destination = {
    write(line: string) {
      let clean = line;
      for (const s of known) if (clean.includes(s)) clean = clean.split(s).join(CENSOR);
      return out.write(clean);
    },
  };
  return pino(
    {
      level,
      base: { app: 'helpline' },
      redact: { paths: REDACT_PATHS, censor: CENSOR },
      formatters: { log: scrubFields },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrubText(a) : a)) as typeof args;
          return method.apply(this, scrubbed);
        },
      },
    },
    destination,
  );
}
