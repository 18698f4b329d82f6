import fs from 'node:fs';
import path from 'node:path';

/**
 * The dependency rule of DESIGN.md: the domain is pure (no adapters, store, scheduler, notifier,
 * web server, app or I/O; never reads the clock or the environment), and the app layer reaches
 * the platforms only through ports. Checked on the source text, with comments stripped first.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const SRC = path.join(ROOT, 'src');

function listTs(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) return listTs(full);
      return e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
    })
    .sort();
}

const rel = (file: string) => path.relative(ROOT, file).split(path.sep).join('/');

/** Characters after which a `/` starts a regular expression literal rather than a division. */
const BEFORE_REGEX = new Set([...'(,=:[!&|?{};+-*%<>~^'.split(''), '']);
const KEYWORDS_BEFORE_REGEX = /(?:^|[^\w$])(?:return|typeof|case|do|else|in|of|void|yield|await|throw|delete)$/;

/**
 * The source with comments replaced by spaces (line numbers kept). With `blankStrings`, the
 * contents of string and template literals are blanked too (template `${…}` code is kept).
 */
function stripComments(src: string, opts: { blankStrings?: boolean } = {}): string {
  const out: string[] = [];
  const blank = (ch: string) => (ch === '\n' ? '\n' : ' ');
  const str = (ch: string) => (opts.blankStrings ? blank(ch) : ch);
  const templates: number[] = []; // brace depth at each open `${`
  let mode: 'code' | 'template' = 'code';
  let depth = 0;
  let last = ''; // last significant code character
  let i = 0;
  while (i < src.length) {
    const ch = src[i] as string;
    const next = src[i + 1];
    if (mode === 'template') {
      if (ch === '\\') {
        out.push(str(ch), str(next ?? ''));
        i += 2;
      } else if (ch === '`') {
        out.push(ch);
        mode = 'code';
        last = '`';
        i++;
      } else if (ch === '$' && next === '{') {
        out.push('${');
        templates.push(depth);
        depth++;
        mode = 'code';
        last = '{';
        i += 2;
      } else {
        out.push(str(ch));
        i++;
      }
      continue;
    }
    if (ch === '/' && next === '/') {
      while (i < src.length && src[i] !== '\n') out.push(blank(src[i++] as string));
      continue;
    }
    if (ch === '/' && next === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end === -1 ? src.length : end + 2;
      while (i < stop) out.push(blank(src[i++] as string));
      continue;
    }
    if (ch === '"' || ch === "'") {
      out.push(ch);
      i++;
      while (i < src.length && src[i] !== ch && src[i] !== '\n') {
        if (src[i] === '\\') out.push(str(src[i++] as string));
        if (i < src.length) out.push(str(src[i++] as string));
      }
      if (i < src.length) out.push(src[i++] as string);
      last = ch;
      continue;
    }
    if (ch === '`') {
      out.push(ch);
      mode = 'template';
      i++;
      continue;
    }
    if (ch === '/' && (BEFORE_REGEX.has(last) || KEYWORDS_BEFORE_REGEX.test(out.join('').trimEnd()))) {
      // A regular expression literal: copy it whole (it may contain // or quotes).
      out.push(ch);
      i++;
      let inClass = false;
      while (i < src.length && src[i] !== '\n') {
        const c = src[i] as string;
        if (c === '\\') {
          out.push(c, src[i + 1] ?? '');
          i += 2;
          continue;
        }
        out.push(c);
        i++;
        if (c === '[') inClass = true;
        else if (c === ']') inClass = false;
        else if (c === '/' && !inClass) break;
      }
      last = '/x'; // a value
      continue;
    }
    if (ch === '{') depth++;
    if (ch === '}') {
      depth--;
      if (templates.length && templates[templates.length - 1] === depth) {
        templates.pop();
        out.push(ch);
        mode = 'template';
        i++;
        continue;
      }
    }
    out.push(ch);
    if (!/\s/.test(ch)) last = ch;
    i++;
  }
  return out.join('');
}

/** Module specifiers a file imports: static and type imports, re-exports, side-effect and dynamic imports, require. */
function importsOf(code: string): string[] {
  const text = stripComments(code);
  const specs: string[] = [];
  const patterns = [
    /(?:^|[\s;])(?:import|export)\b[^;'"`]*?\bfrom\s*['"]([^'"]+)['"]/gm,
    /(?:^|[\s;])import\s*['"]([^'"]+)['"]/gm,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of text.matchAll(re)) specs.push(m[1] as string);
  return specs;
}

/** The src file a relative specifier resolves to (x.ts or x/index.ts), or null for a package. */
function resolveLocal(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts'), base]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return `${base}.ts`; // unresolved: still judged by its path
}

const within = (file: string, dir: string) => {
  const r = path.relative(path.join(SRC, dir), file);
  return !r.startsWith('..') && !path.isAbsolute(r);
};

/** The package a bare specifier names: "@slack/bolt/x" → "@slack/bolt", "node:fs/promises" → "fs". */
function packageOf(spec: string): string {
  const s = spec.replace(/^node:/, '');
  const parts = s.split('/');
  return s.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}

const DOMAIN_FORBIDDEN_DIRS = ['adapters', 'store', 'scheduler', 'notify', 'web', 'app'];
const DOMAIN_FORBIDDEN_PACKAGES = [
  'mongoose',
  'mongodb',
  'botbuilder',
  'botframework-connector',
  '@slack/bolt',
  '@slack/web-api',
  'restify',
  'node-cron',
  'pino',
  'dotenv',
  'fs',
  'net',
  'http',
  'https',
  'http2',
  'child_process',
  'dgram',
  'tls',
];
const APP_FORBIDDEN_DIRS = ['adapters', 'web', 'scheduler'];
const APP_FORBIDDEN_PACKAGES = ['botbuilder', '@slack/bolt', 'restify', 'node-cron'];

interface Violation {
  file: string;
  spec: string;
}

function directViolations(dir: string, dirs: string[], packages: string[]): Violation[] {
  const found: Violation[] = [];
  for (const file of listTs(path.join(SRC, dir))) {
    for (const spec of importsOf(fs.readFileSync(file, 'utf8'))) {
      const local = resolveLocal(file, spec);
      const bad = local ? dirs.some((d) => within(local, d)) : packages.includes(packageOf(spec));
      if (bad) found.push({ file: rel(file), spec });
    }
  }
  return found;
}

/** Violations anywhere in what the layer loads, following relative imports out of it: "a → b → 'mongoose'". */
function transitiveViolations(dir: string, dirs: string[], packages: string[]): string[] {
  const found = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string, chain: string[]) => {
    if (seen.has(file) || !fs.existsSync(file)) return;
    seen.add(file);
    for (const spec of importsOf(fs.readFileSync(file, 'utf8'))) {
      const local = resolveLocal(file, spec);
      const here = [...chain, rel(file)];
      if (local) {
        if (dirs.some((d) => within(local, d))) found.add(`${here.join(' → ')} → ${rel(local)}`);
        else visit(local, here);
      } else if (packages.includes(packageOf(spec))) found.add(`${here.join(' → ')} → '${spec}'`);
    }
  };
  for (const file of listTs(path.join(SRC, dir))) visit(file, []);
  return [...found];
}

/** Reading the clock or the environment, on code with comments and string contents blanked. */
const IMPURE: Array<[string, RegExp, 'code' | 'strings']> = [
  ['new Date() with no arguments', /\bnew\s+Date\s*\(\s*\)/g, 'code'],
  ['new Date without arguments', /\bnew\s+Date\b(?!\s*\()/g, 'code'],
  ['Date() called as a function', /(?<!\bnew\s+)(?<![\w$.])Date\s*\(\s*\)/g, 'code'],
  ['Date.now()', /\bDate\s*(?:\?\.|\.)\s*now\b/g, 'code'],
  ["luxon's DateTime.now() / DateTime.local()", /\bDateTime\s*\.\s*(?:now|local)\s*\(\s*\)/g, 'code'],
  ['process.env', /\bprocess\s*(?:\?\.|\.)\s*env\b/g, 'code'],
  ["process['env']", /\bprocess\s*\[\s*['"`]env['"`]\s*\]/g, 'strings'],
  ['destructuring process', /[}\]]\s*=\s*(?:globalThis\s*\.\s*)?process\b/g, 'code'],
];

function impurities(dir: string): string[] {
  const found: string[] = [];
  for (const file of listTs(path.join(SRC, dir))) {
    const src = fs.readFileSync(file, 'utf8');
    const views = { code: stripComments(src, { blankStrings: true }), strings: stripComments(src) };
    for (const [what, re, view] of IMPURE) {
      const text = views[view];
      for (const m of text.matchAll(re)) {
        const line = text.slice(0, m.index).split('\n').length;
        found.push(`${rel(file)}:${line}: ${what}: ${src.split('\n')[line - 1]?.trim()}`);
      }
    }
  }
  return found;
}

describe('the scanner', () => {
  it('ignores comments, keeps code, and is not fooled by strings, templates or regular expressions', () => {
    const code = [
      '// new Date() in a line comment',
      '/* Date.now() and process.env in a block comment */',
      "const a = 'new Date() in a string'; const url = /^https?:\\/\\//; const b = new Date();",
      ['const c = `at $', '{Date.now()} in a template`;'].join(''),
      "const d = '// not a comment'; const e = process.env.X;",
    ].join('\n');
    const stripped = stripComments(code, { blankStrings: true });
    expect(stripped.split('\n')).toHaveLength(5);
    expect(stripped).not.toContain('in a line comment');
    expect(stripped).not.toContain('in a block comment');
    expect(stripped).not.toContain('in a string');
    expect(stripped).toContain('const b = new Date();');
    expect(stripped).toContain(['$', '{Date.now()}'].join(''));
    expect(stripped).toContain('const e = process.env.X;');
    expect(stripComments('const x = a / b; // new Date()\nconst y = c / d;')).not.toContain('new Date');
  });

  it('finds every kind of import', () => {
    const code = [
      "import { a } from './a';",
      'import type {',
      '  B,',
      "} from '../b';",
      "import * as c from 'mongoose';",
      "import 'node:fs';",
      "export { d } from './d';",
      "const e = require('restify');",
      "const f = await import('@slack/bolt');",
      "// import { g } from './g';",
    ].join('\n');
    expect(importsOf(code)).toEqual(
      expect.arrayContaining(['./a', '../b', 'mongoose', 'node:fs', './d', 'restify', '@slack/bolt']),
    );
    expect(importsOf(code)).not.toContain('./g');
    expect(packageOf('node:fs/promises')).toBe('fs');
    expect(packageOf('@slack/bolt/dist/x')).toBe('@slack/bolt');
  });

  it('sees the source tree', () => {
    expect(listTs(path.join(SRC, 'domain')).map(rel)).toEqual(
      expect.arrayContaining(['src/domain/ticket/operations.ts', 'src/domain/sla/sla-clock.ts']),
    );
    expect(listTs(path.join(SRC, 'app')).length).toBeGreaterThan(0);
  });
});

describe('the dependency rule', () => {
  it('src/domain imports nothing from adapters, store, scheduler, notify, web or app, and no I/O package', () => {
    expect(directViolations('domain', DOMAIN_FORBIDDEN_DIRS, DOMAIN_FORBIDDEN_PACKAGES)).toEqual([]);
  });

  it('nor does anything src/domain loads', () => {
    expect(transitiveViolations('domain', DOMAIN_FORBIDDEN_DIRS, DOMAIN_FORBIDDEN_PACKAGES)).toEqual([]);
  });

  it('src/app imports nothing from adapters, web or scheduler, nor the platform SDKs', () => {
    expect(directViolations('app', APP_FORBIDDEN_DIRS, APP_FORBIDDEN_PACKAGES)).toEqual([]);
  });

  it('nor does anything src/app loads', () => {
    expect(transitiveViolations('app', APP_FORBIDDEN_DIRS, APP_FORBIDDEN_PACKAGES)).toEqual([]);
  });

  it('src/domain never reads the clock or the environment', () => {
    expect(impurities('domain')).toEqual([]);
  });

  it('src/app never reads the clock or the environment', () => {
    expect(impurities('app')).toEqual([]);
  });
});
