/**
 * A strict local stand-in for the HubSpot CRM API, written from HubSpot's public documentation:
 * - CRM objects v3 (https://developers.hubspot.com/docs/api/crm/companies, .../contacts) and the SDK's OpenAPI
 *   specs (@hubspot/api-client codegen/crm/*): a read with `associations=contacts` lists a contact once per
 *   association type (company_to_contact for the Primary label, company_to_contact_unlabeled), so a contact whose
 *   primary company it is comes twice; a batch read refuses duplicate ids (400).
 * - CRM search (https://developers.hubspot.com/docs/api/crm/search): `limit` at most 200, pages on with
 *   `paging.next.after`.
 * - Rate limits (https://developers.hubspot.com/docs/api/usage-details): a 429 body with `errorType: RATE_LIMIT` and
 *   `policyName` (TEN_SECONDLY_ROLLING, SECONDLY for search, DAILY) and X-HubSpot-RateLimit-* headers; no
 *   Retry-After unless a test asks for one (HubSpot does not document it).
 * - Errors (https://developers.hubspot.com/docs/api/error-handling): `{ status, message, correlationId, category }`;
 *   a create with an email already held is 409 "Contact already exists. Existing ID: n".
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the bot made to the HubSpot API. */
export interface HubspotCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  token: string | null;
  /** The status the fake answered. */
  status: number;
}

export interface HubspotCompany {
  id: string;
  properties: Record<string, string | null>;
  contactIds: string[];
}

export interface HubspotContact {
  id: string;
  properties: Record<string, string | null>;
  /** The company with the Primary association label: listed twice by that company's read (labelled and unlabelled). */
  primaryCompanyId?: string;
}

export interface HubspotFailure {
  status: number;
  /** A 429's policy: TEN_SECONDLY_ROLLING (default), SECONDLY (the search endpoints) or DAILY. */
  policyName?: 'TEN_SECONDLY_ROLLING' | 'SECONDLY' | 'DAILY';
  /** Seconds, sent as Retry-After (HubSpot does not document it: absent unless given). */
  retryAfter?: number;
  /** How many calls fail (default 1). */
  times?: number;
  /** Only calls whose method and path match fail, e.g. /^POST \/crm\/v3\/objects\/companies\/search$/ (default: any). */
  only?: RegExp;
}

/** The X-HubSpot-RateLimit-* headers of a 429 under each policy (a private app's Professional limits). */
function rateLimitHeaders(policy: NonNullable<HubspotFailure['policyName']>): Record<string, string> {
  if (policy === 'DAILY') return { 'x-hubspot-ratelimit-daily': '500000', 'x-hubspot-ratelimit-daily-remaining': '0' };
  if (policy === 'SECONDLY')
    return {
      'x-hubspot-ratelimit-secondly': '5',
      'x-hubspot-ratelimit-secondly-remaining': '0',
      'x-hubspot-ratelimit-interval-milliseconds': '1000',
      'x-hubspot-ratelimit-max': '5',
      'x-hubspot-ratelimit-remaining': '0',
    };
  return {
    'x-hubspot-ratelimit-daily': '500000',
    'x-hubspot-ratelimit-daily-remaining': '499000',
    'x-hubspot-ratelimit-interval-milliseconds': '10000',
    'x-hubspot-ratelimit-max': '190',
    'x-hubspot-ratelimit-remaining': '0',
  };
}

const stamp = '2026-01-05T09:00:00.000Z';

interface CreateContactBody {
  properties?: Record<string, string>;
  associations?: Array<{
    to: { id: string };
    types: Array<{ associationCategory: string; associationTypeId: number }>;
  }>;
}

/** A list query parameter, sent repeated (`a=x&a=y`) or comma-separated (`a=x,y`); undefined when absent. */
function list(params: URLSearchParams, name: string): string[] | undefined {
  const all = params.getAll(name);
  return all.length ? all.flatMap((v) => v.split(',')).filter(Boolean) : undefined;
}
const asObject = (o: { id: string; properties: Record<string, string | null> }, props?: string[]) => ({
  id: o.id,
  properties: props ? Object.fromEntries(props.map((p) => [p, o.properties[p] ?? null])) : { ...o.properties },
  createdAt: stamp,
  updatedAt: stamp,
  archived: false,
});

/**
 * A local stand-in for the HubSpot CRM API (`HUBSPOT_API_URL`): the endpoints @hubspot/api-client calls for
 * companies (search, read with associated contacts, update), contacts (batch read, create with associations) and
 * the v4 default association of a contact with a company, and contact updates. Records every call, and can be
 * told to answer the next (matching) calls with a 429 under a named policy or a 5xx.
 */
export class FakeHubspotApi {
  readonly calls: HubspotCall[] = [];
  readonly companies = new Map<string, HubspotCompany>();
  readonly contacts = new Map<string, HubspotContact>();
  private failures: HubspotFailure[] = [];
  private server: http.Server | null = null;
  url = '';

  constructor(readonly token = 'pat-test-token') {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.answer(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  reset(): void {
    this.calls.length = 0;
    this.failures = [];
  }

  addCompany(c: HubspotCompany, contacts: HubspotContact[] = []): void {
    this.companies.set(c.id, c);
    for (const k of contacts) this.contacts.set(k.id, k);
  }

  /** The next calls fail with this status (and Retry-After). */
  fail(f: HubspotFailure): void {
    this.failures.push({ ...f, times: f.times ?? 1 });
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse, raw: string): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const auth = req.headers.authorization;
    const call: HubspotCall = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: raw ? JSON.parse(raw) : null,
      token: auth?.startsWith('Bearer ') ? auth.slice(7) : null,
      status: 200,
    };
    this.calls.push(call);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    const failure = this.failures.find((f) => !f.only || f.only.test(`${call.method} ${call.path}`));
    if (failure) {
      failure.times = (failure.times ?? 1) - 1;
      if (failure.times <= 0) this.failures.splice(this.failures.indexOf(failure), 1);
      const policy = failure.policyName ?? 'TEN_SECONDLY_ROLLING';
      const headers: Record<string, string> = {
        ...(failure.status === 429 ? rateLimitHeaders(policy) : {}),
        ...(failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {}),
      };
      const body =
        failure.status === 429
          ? {
              status: 'error',
              message: `You have reached your ${policy.toLowerCase()} limit.`,
              errorType: 'RATE_LIMIT',
              correlationId: 'c0ffee00-0000-4000-8000-000000000429',
              policyName: policy,
              groupName: `helpline-test:${policy.toLowerCase()}`,
            }
          : { status: 'error', message: 'internal error', category: 'INTERNAL_ERROR' };
      send(failure.status, body, headers);
      return;
    }
    if (call.token !== this.token) {
      send(401, {
        status: 'error',
        message: 'Authentication credentials not found.',
        category: 'INVALID_AUTHENTICATION',
      });
      return;
    }
    const byId = /^\/crm\/v3\/objects\/companies\/(\d+)$/.exec(url.pathname);
    const contactById = /^\/crm\/v3\/objects\/contacts\/(\d+)$/.exec(url.pathname);
    const assocDefault = /^\/crm\/v4\/objects\/contacts\/(\d+)\/associations\/default\/companies\/(\d+)$/.exec(
      url.pathname,
    );
    if (req.method === 'POST' && url.pathname === '/crm/v3/objects/companies/search') {
      const r = this.search(call.body as Record<string, unknown>);
      send(r.status, r.body);
    } else if (req.method === 'GET' && byId?.[1]) {
      const c = this.companies.get(byId[1]);
      if (!c) {
        send(404, { status: 'error', message: 'Object not found', category: 'OBJECT_NOT_FOUND' });
        return;
      }
      const props = list(url.searchParams, 'properties');
      const assoc = list(url.searchParams, 'associations') ?? [];
      // One row per association type: a contact whose primary company this is comes labelled and unlabelled.
      const rows = c.contactIds.flatMap((id) => [
        ...(this.contacts.get(id)?.primaryCompanyId === c.id ? [{ id, type: 'company_to_contact' }] : []),
        { id, type: 'company_to_contact_unlabeled' },
      ]);
      send(200, {
        ...asObject(c, props),
        ...(assoc.includes('contacts') && rows.length ? { associations: { contacts: { results: rows } } } : {}),
      });
    } else if (req.method === 'PATCH' && byId?.[1]) {
      const c = this.companies.get(byId[1]);
      if (!c) {
        send(404, { status: 'error', message: 'Object not found', category: 'OBJECT_NOT_FOUND' });
        return;
      }
      const props = (call.body as { properties?: Record<string, string> }).properties ?? {};
      Object.assign(c.properties, props);
      send(200, asObject(c));
    } else if (req.method === 'PATCH' && contactById?.[1]) {
      const k = this.contacts.get(contactById[1]);
      if (!k) {
        send(404, { status: 'error', message: 'Object not found', category: 'OBJECT_NOT_FOUND' });
        return;
      }
      Object.assign(k.properties, (call.body as { properties?: Record<string, string> }).properties ?? {});
      send(200, asObject(k));
    } else if (req.method === 'POST' && url.pathname === '/crm/v3/objects/contacts') {
      this.createContact(call.body as CreateContactBody, send);
    } else if (req.method === 'PUT' && assocDefault?.[1] && assocDefault[2]) {
      const [, contactId, companyId] = assocDefault;
      const c = this.companies.get(companyId);
      if (!c || !this.contacts.has(contactId)) {
        send(404, { status: 'error', message: 'Object not found', category: 'OBJECT_NOT_FOUND' });
        return;
      }
      if (!c.contactIds.includes(contactId)) c.contactIds.push(contactId);
      send(200, {
        status: 'COMPLETE',
        results: [{ from: { id: contactId }, to: { id: companyId }, associationSpec: { associationTypeId: 279 } }],
        startedAt: stamp,
        completedAt: stamp,
      });
    } else if (req.method === 'POST' && url.pathname === '/crm/v3/objects/contacts/batch/read') {
      const b = call.body as { inputs: Array<{ id: string }>; properties?: string[] };
      const ids = b.inputs.map((i) => i.id);
      const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
      if (repeated.length) {
        send(400, {
          status: 'error',
          message: `Duplicate IDs found in batch input: [${[...new Set(repeated)].join(', ')}]. IDs must be unique`,
          category: 'VALIDATION_ERROR',
        });
        return;
      }
      const results = b.inputs.flatMap((i) => {
        const k = this.contacts.get(i.id);
        return k ? [asObject(k, b.properties)] : [];
      });
      send(200, { status: 'COMPLETE', results, startedAt: stamp, completedAt: stamp });
    } else {
      send(404, { status: 'error', message: `no route ${req.method} ${url.pathname}` });
    }
  }

  /**
   * Create a contact (HubSpot's POST /crm/v3/objects/contacts) with its associations to companies; an email already
   * held answers 409 "Contact already exists. Existing ID: n", as HubSpot does.
   */
  private createContact(body: CreateContactBody, send: (status: number, body: unknown) => void): void {
    const email = body.properties?.email?.toLowerCase();
    const existing = email
      ? [...this.contacts.values()].find((k) => k.properties.email?.toLowerCase() === email)
      : undefined;
    if (existing) {
      send(409, {
        status: 'error',
        message: `Contact already exists. Existing ID: ${existing.id}`,
        category: 'CONFLICT',
      });
      return;
    }
    const companies = (body.associations ?? []).map((a) => this.companies.get(a.to.id));
    if (companies.some((c) => !c)) {
      send(400, { status: 'error', message: 'association to an unknown company', category: 'VALIDATION_ERROR' });
      return;
    }
    const id = String(601 + this.contacts.size);
    const contact = { id, properties: { ...(body.properties ?? {}) } };
    this.contacts.set(id, contact);
    for (const c of companies) c?.contactIds.push(id);
    send(201, asObject(contact));
  }

  /**
   * Filters with EQ / CONTAINS_TOKEN, or a `query` matched as a case-insensitive substring of name and domain; `limit`
   * (default 10, at most 200) a page, `after` the offset HubSpot's `paging.next.after` gave.
   */
  private search(body: Record<string, unknown>): { status: number; body: unknown } {
    const groups = (body.filterGroups ?? []) as Array<{
      filters: Array<{ propertyName: string; operator: string; value: string }>;
    }>;
    const query = typeof body.query === 'string' ? body.query.toLowerCase() : '';
    const props = body.properties as string[] | undefined;
    const limit = typeof body.limit === 'number' ? body.limit : 10;
    if (limit > 200)
      return {
        status: 400,
        body: { status: 'error', message: 'limit must be at most 200', category: 'VALIDATION_ERROR' },
      };
    const after = typeof body.after === 'string' && /^\d+$/.test(body.after) ? Number(body.after) : 0;
    const matches = [...this.companies.values()].filter((c) => {
      const okGroups =
        groups.length === 0 ||
        groups.some((g) =>
          g.filters.every((f) => {
            const v = (c.properties[f.propertyName] ?? '').toLowerCase();
            const want = f.value.toLowerCase();
            return f.operator === 'EQ'
              ? v === want
              : f.operator === 'CONTAINS_TOKEN'
                ? v.split(/\s+/).includes(want)
                : false;
          }),
        );
      const okQuery =
        !query || [c.properties.name, c.properties.domain].some((v) => (v ?? '').toLowerCase().includes(query));
      return okGroups && okQuery;
    });
    const next = after + limit;
    return {
      status: 200,
      body: {
        total: matches.length,
        results: matches.slice(after, next).map((c) => asObject(c, props)),
        ...(next < matches.length ? { paging: { next: { after: String(next), link: '' } } } : {}),
      },
    };
  }
}
