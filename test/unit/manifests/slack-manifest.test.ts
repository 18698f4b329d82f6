/**
 * manifests/slack/manifest.yaml against Slack's published manifest schema (slackapi/manifest-schema v0.5.0) and
 * Slack's scope reference (each event's and each Web API method's scopes), both vendored in manifests/schemas/slack,
 * and against what src/ actually does: every Bolt listener and Web API call in the code.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { Command } from '../../../src/cards/actions';
import { SchemaSet } from '../../helpers/json-schema';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SCHEMAS = path.join(ROOT, 'manifests', 'schemas', 'slack');
const SCHEMA_BASE = 'https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/';
const manifestText = fs.readFileSync(path.join(ROOT, 'manifests', 'slack', 'manifest.yaml'), 'utf8');

interface SlackManifest {
  features: {
    shortcuts?: Array<{ name: string; type: string; callback_id: string }>;
    slash_commands?: Array<{ command: string }>;
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[] } };
}
const manifest = YAML.parse(manifestText) as SlackManifest;

const schemas = new SchemaSet(
  ['manifest.schema.json', 'manifest.schema.1.0.0.json', 'manifest.schema.2.0.0.json'].map((f) =>
    path.join(SCHEMAS, f),
  ),
  {
    [`${SCHEMA_BASE}manifest.schema.1.0.0.json`]: 'manifest.schema.1.0.0.json',
    [`${SCHEMA_BASE}manifest.schema.2.0.0.json`]: 'manifest.schema.2.0.0.json',
  },
);

const methodScopes = (
  JSON.parse(fs.readFileSync(path.join(SCHEMAS, 'method-scopes.json'), 'utf8')) as {
    methods: Record<string, { bot: string[]; no_scope_required?: boolean }>;
  }
).methods;
const eventScopes = new Map(
  (
    JSON.parse(fs.readFileSync(path.join(SCHEMAS, 'docs.slack.dev-events.json'), 'utf8')) as Array<{
      name: string;
      scopes: string[];
    }>
  ).map((e) => [e.name, (e.scopes ?? []).map((s) => s.replace('app_mentions.read', 'app_mentions:read'))]),
);
const extras = new Map(
  (
    JSON.parse(fs.readFileSync(path.join(SCHEMAS, 'scopes-extra.json'), 'utf8')) as {
      scopes: Array<{ scope: string; requires?: string[] }>;
    }
  ).scopes.map((s) => [s.scope, s.requires ?? []]),
);

/** The Slack adapter's source: where every Web API call and Bolt listener lives. */
function slackSources(): string[] {
  const dir = path.join(ROOT, 'src', 'adapters', 'slack');
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
}
const sources = slackSources();

/** The SDK's helpers that are several Web API methods (from @slack/web-api's WebClient). */
const HELPERS: Record<string, string[]> = {
  'files.uploadV2': ['files.getUploadURLExternal', 'files.completeUploadExternal'],
};

/** Every Web API method the code calls through a WebClient: `ctx.client.chat.postMessage(`, `probe.auth.test(`. */
function calledMethods(): string[] {
  const found = new Set<string>();
  for (const src of sources) {
    for (const m of src.matchAll(/[A-Za-z_][\w.]*\.\w+\(/g)) {
      const parts = m[0].slice(0, -1).split('.');
      // The method is a suffix of the chain: this.client.files.uploadV2 → files.uploadV2.
      for (let i = 0; i < parts.length - 1; i++) {
        const name = parts.slice(i).join('.');
        if (name in methodScopes || name in HELPERS) found.add(name);
      }
    }
  }
  return [...found].flatMap((m) => HELPERS[m] ?? [m]).sort();
}

/** The events Bolt listens to: `bolt.event('message', …)`. */
function listenedEvents(): string[] {
  const found = new Set<string>();
  for (const src of sources) for (const m of src.matchAll(/\.event\('([a-z_]+)'/g)) found.add(m[1] as string);
  return [...found].sort();
}

const requested = manifest.oauth_config.scopes.bot;
const subscribed = manifest.settings.event_subscriptions.bot_events;

describe('the Slack app manifest', () => {
  it("passes Slack's manifest schema (slackapi/manifest-schema v0.5.0)", () => {
    expect(schemas.validate('manifest.schema.json', manifest)).toEqual([]);
  });

  it('is refused by the same schema with the shortcut name it had (32 characters where Slack allows 24)', () => {
    const before = structuredClone(manifest);
    const shortcut = before.features.shortcuts?.[0];
    if (shortcut) shortcut.name = 'Raise a ticket from this message';
    const errors = schemas.validate('manifest.schema.json', before);
    expect(errors).toContainEqual({
      path: '/features/shortcuts/0/name',
      message: 'must be at most 24 characters (is 32: "Raise a ticket from this message")',
    });
  });

  it('declares the shortcuts and the slash command the code listens for', () => {
    const ids = (manifest.features.shortcuts ?? []).map((s) => [s.type, s.callback_id]);
    expect(ids).toEqual([
      ['message', Command.MessageShortcut],
      ['global', Command.GlobalShortcut],
    ]);
    expect(manifest.features.slash_commands?.map((c) => c.command)).toEqual([Command.Slash]);
    const index = sources.join('\n');
    expect(index).toContain('.shortcut(Command.MessageShortcut');
    expect(index).toContain('.shortcut(Command.GlobalShortcut');
    expect(index).toContain('.command(Command.Slash');
  });

  it('subscribes to every event a Bolt listener handles, and has the scopes each subscribed event needs', () => {
    expect(listenedEvents()).toEqual(['app_home_opened', 'app_mention', 'message']);
    for (const event of listenedEvents()) {
      // `message` arrives as message.channels / .groups / .im / .mpim, one subscription per conversation type.
      const names = event === 'message' ? subscribed.filter((e) => e.startsWith('message.')) : [event];
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) expect(subscribed).toContain(name);
    }
    for (const event of subscribed) {
      const needs = eventScopes.get(event);
      expect({ event, known: needs !== undefined }).toEqual({ event, known: true });
      expect({ event, missing: (needs ?? []).filter((s) => !requested.includes(s)) }).toEqual({ event, missing: [] });
    }
  });

  it('has a scope for every Web API method the code calls', () => {
    const methods = calledMethods();
    // A guard on the scan itself: these are calls the adapter is known to make.
    expect(methods).toEqual(
      expect.arrayContaining(['chat.postMessage', 'conversations.open', 'files.info', 'users.info', 'views.open']),
    );
    for (const method of methods) {
      const ref = methodScopes[method];
      const covered = ref?.no_scope_required === true || (ref?.bot ?? []).some((s) => requested.includes(s));
      expect({ method, covered }).toEqual({ method, covered: true });
    }
  });

  it('requests no scope that nothing uses, and says on its line what uses each', () => {
    const used = new Set<string>();
    for (const method of calledMethods()) {
      const bot = methodScopes[method]?.bot ?? [];
      // Any one of a method's scopes suffices (conversations.*: one per conversation type): count those requested.
      for (const s of bot) if (requested.includes(s)) used.add(s);
    }
    for (const event of subscribed) for (const s of eventScopes.get(event) ?? []) used.add(s);
    if ((manifest.features.slash_commands?.length ?? 0) + (manifest.features.shortcuts?.length ?? 0) > 0)
      used.add('commands');
    // Companion scopes (chat:write.public, users:read.email) are used where the scope they extend is.
    for (const [scope, requires] of extras)
      if (requires.length > 0 && requires.every((r) => used.has(r)) && requested.includes(scope)) used.add(scope);
    expect(requested.filter((s) => !used.has(s))).toEqual([]);
    for (const scope of requested) {
      const line = manifestText.split('\n').find((l) => new RegExp(`^\\s*- ${scope.replace('.', '\\.')}\\s`).test(l));
      expect({ scope, why: /#\s*\S/.test(line ?? '') }).toEqual({ scope, why: true });
    }
  });
});
