/**
 * A small JSON Schema validator for the vendored platform schemas (manifests/schemas/): the keywords of draft-04
 * and draft-07 that Slack's manifest schema and Teams' manifest schema use. No validator is among the project's
 * dependencies (ajv is not installed), and these schemas use a known, small set of keywords: an unknown keyword
 * that constrains fails loudly rather than passing silently.
 */
import fs from 'node:fs';
import path from 'node:path';

export type Schema = Record<string, unknown> | boolean;

/** Annotations and non-standard words in the vendored schemas that constrain nothing. */
const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  'id',
  '$comment',
  'title',
  'description',
  'default',
  'examples',
  'definitions',
  '$defs',
  '_note',
  'regex', // Slack 1.0.0: a second spelling beside `pattern` on background_color
  'requires', // Slack: "requires: default", documentation only
]);

export interface SchemaError {
  path: string;
  message: string;
}

export class SchemaSet {
  private readonly byId = new Map<string, Record<string, unknown>>();

  /** Load schemas from files; each is known by its file name and by its $id / id. */
  constructor(files: string[], aliases: Record<string, string> = {}) {
    for (const file of files) {
      const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
      this.byId.set(path.basename(file), schema);
      for (const key of ['$id', 'id'])
        if (typeof schema[key] === 'string') this.byId.set(schema[key] as string, schema);
    }
    for (const [url, name] of Object.entries(aliases)) {
      const schema = this.byId.get(name);
      if (!schema) throw new Error(`no schema ${name} for ${url}`);
      this.byId.set(url, schema);
    }
  }

  /** Every error of `value` against the schema named `name` (empty when it is valid). */
  validate(name: string, value: unknown): SchemaError[] {
    const root = this.byId.get(name);
    if (!root) throw new Error(`no schema ${name}`);
    const errors: SchemaError[] = [];
    this.check(root, root, value, '', errors);
    return errors;
  }

  private resolve(ref: string, root: Record<string, unknown>): { schema: Schema; root: Record<string, unknown> } {
    const [base, pointer = ''] = ref.split('#');
    const doc = base ? this.byId.get(base) : root;
    if (!doc) throw new Error(`unresolved $ref ${ref}`);
    let node: unknown = doc;
    for (const part of pointer.split('/').filter(Boolean)) {
      node = (node as Record<string, unknown>)[decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~')];
      if (node === undefined) throw new Error(`unresolved $ref ${ref}`);
    }
    return { schema: node as Schema, root: doc };
  }

  private check(schema: Schema, root: Record<string, unknown>, v: unknown, at: string, errors: SchemaError[]): void {
    if (schema === true) return;
    if (schema === false) {
      errors.push({ path: at, message: 'no value is allowed here' });
      return;
    }
    const fail = (message: string) => errors.push({ path: at || '/', message });
    const s = schema;
    if (typeof s.$ref === 'string') {
      const target = this.resolve(s.$ref, root);
      this.check(target.schema, target.root, v, at, errors);
      return; // draft-04/07: siblings of $ref are ignored
    }
    for (const key of Object.keys(s)) {
      if (!ANNOTATIONS.has(key) && !CHECKED.has(key))
        throw new Error(`schema keyword "${key}" at ${at} is not supported`);
    }
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
      if (!types.some((t) => isType(v, t))) {
        fail(`must be ${types.join(' or ')}`);
        return;
      }
    }
    if (s.enum && !(s.enum as unknown[]).some((e) => equal(e, v))) fail(`must be one of ${JSON.stringify(s.enum)}`);
    if ('const' in s && !equal(s.const, v)) fail(`must be ${JSON.stringify(s.const)}`);
    if (typeof v === 'string') {
      const length = [...v].length;
      if (typeof s.maxLength === 'number' && length > s.maxLength)
        fail(`must be at most ${s.maxLength} characters (is ${length}: "${v}")`);
      if (typeof s.minLength === 'number' && length < s.minLength) fail(`must be at least ${s.minLength} characters`);
      if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(v)) fail(`must match ${s.pattern}`);
      if (s.format === 'uri' && !/^[a-z][a-z0-9+.-]*:\S+$/i.test(v)) fail('must be a URI');
    }
    if (typeof v === 'number') {
      if (typeof s.maximum === 'number' && v > s.maximum) fail(`must be at most ${s.maximum}`);
      if (typeof s.minimum === 'number' && v < s.minimum) fail(`must be at least ${s.minimum}`);
    }
    if (Array.isArray(v)) {
      if (typeof s.maxItems === 'number' && v.length > s.maxItems) fail(`must have at most ${s.maxItems} items`);
      if (typeof s.minItems === 'number' && v.length < s.minItems) fail(`must have at least ${s.minItems} items`);
      if (s.uniqueItems === true && v.some((x, i) => v.findIndex((y) => equal(x, y)) !== i))
        fail('must not repeat an item');
      if (s.items !== undefined) {
        v.forEach((item, i) => {
          const itemSchema = Array.isArray(s.items) ? ((s.items as Schema[])[i] ?? true) : (s.items as Schema);
          this.check(itemSchema, root, item, `${at}/${i}`, errors);
        });
      }
    }
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      for (const r of (s.required as string[] | undefined) ?? []) if (!(r in o)) fail(`must have the property "${r}"`);
      if (typeof s.maxProperties === 'number' && keys.length > s.maxProperties)
        fail(`must have at most ${s.maxProperties} properties`);
      if (typeof s.minProperties === 'number' && keys.length < s.minProperties)
        fail(`must have at least ${s.minProperties} properties`);
      const props = (s.properties ?? {}) as Record<string, Schema>;
      const patterns = Object.entries((s.patternProperties ?? {}) as Record<string, Schema>).map(
        ([p, sub]) => [new RegExp(p, 'u'), sub] as const,
      );
      for (const key of keys) {
        let matched = false;
        if (key in props) {
          matched = true;
          this.check(props[key] as Schema, root, o[key], `${at}/${key}`, errors);
        }
        for (const [re, sub] of patterns) {
          if (!re.test(key)) continue;
          matched = true;
          this.check(sub, root, o[key], `${at}/${key}`, errors);
        }
        if (!matched && s.additionalProperties !== undefined) {
          if (s.additionalProperties === false) errors.push({ path: `${at}/${key}`, message: 'is not allowed' });
          else this.check(s.additionalProperties as Schema, root, o[key], `${at}/${key}`, errors);
        }
      }
    }
    for (const sub of (s.allOf as Schema[] | undefined) ?? []) this.check(sub, root, v, at, errors);
    const passing = (subs: Schema[]) =>
      subs.map((sub) => {
        const e: SchemaError[] = [];
        this.check(sub, root, v, at, e);
        return e;
      });
    if (s.anyOf) {
      const results = passing(s.anyOf as Schema[]);
      if (!results.some((e) => e.length === 0)) errors.push(...closest(results));
    }
    if (s.oneOf) {
      const results = passing(s.oneOf as Schema[]);
      const ok = results.filter((e) => e.length === 0).length;
      if (ok === 0) errors.push(...closest(results));
      else if (ok > 1) fail(`must match exactly one of ${results.length} schemas (matches ${ok})`);
    }
    if (s.not !== undefined) {
      const e: SchemaError[] = [];
      this.check(s.not as Schema, root, v, at, e);
      if (e.length === 0) fail('must not match the "not" schema');
    }
  }
}

const CHECKED = new Set([
  'type',
  'enum',
  'const',
  'maxLength',
  'minLength',
  'pattern',
  'format',
  'maximum',
  'minimum',
  'maxItems',
  'minItems',
  'uniqueItems',
  'items',
  'required',
  'maxProperties',
  'minProperties',
  'properties',
  'patternProperties',
  'additionalProperties',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
]);

/** The errors of the alternative that came closest (fewest errors): what the author most likely meant. */
function closest(results: SchemaError[][]): SchemaError[] {
  return [...results].sort((a, b) => a.length - b.length)[0] ?? [];
}

function isType(v: unknown, t: string): boolean {
  switch (t) {
    case 'object':
      return v !== null && typeof v === 'object' && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    case 'integer':
      return Number.isInteger(v);
    case 'null':
      return v === null;
    default:
      return typeof v === t;
  }
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
