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
}

export interface HubspotFailure {
  status: number;
  /** Seconds, sent as Retry-After. */
  retryAfter?: number;
  /** How many calls fail (default 1). */
  times?: number;
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
 * the v4 default association of a contact with a company. Records every call, and
 * can be told to answer the next calls with a 429 (Retry-After) or a 5xx.
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
    const failure = this.failures[0];
    if (failure) {
      failure.times = (failure.times ?? 1) - 1;
      if (failure.times <= 0) this.failures.shift();
      const headers: Record<string, string> =
        failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {};
      const body =
        failure.status === 429
          ? {
              status: 'error',
              message: 'You have reached your secondly limit.',
              errorType: 'RATE_LIMIT',
              category: 'RATE_LIMITS',
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
    const assocDefault = /^\/crm\/v4\/objects\/contacts\/(\d+)\/associations\/default\/companies\/(\d+)$/.exec(
      url.pathname,
    );
    if (req.method === 'POST' && url.pathname === '/crm/v3/objects/companies/search') {
      send(200, this.search(call.body as Record<string, unknown>));
    } else if (req.method === 'GET' && byId?.[1]) {
      const c = this.companies.get(byId[1]);
      if (!c) {
        send(404, { status: 'error', message: 'Object not found', category: 'OBJECT_NOT_FOUND' });
        return;
      }
      const props = list(url.searchParams, 'properties');
      const assoc = list(url.searchParams, 'associations') ?? [];
      send(200, {
        ...asObject(c, props),
        ...(assoc.includes('contacts') && c.contactIds.length
          ? { associations: { contacts: { results: c.contactIds.map((id) => ({ id, type: 'company_to_contact' })) } } }
          : {}),
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

  /** Filters with EQ / CONTAINS_TOKEN, or a `query` matched as a case-insensitive substring of name and domain. */
  private search(body: Record<string, unknown>) {
    const groups = (body.filterGroups ?? []) as Array<{
      filters: Array<{ propertyName: string; operator: string; value: string }>;
    }>;
    const query = typeof body.query === 'string' ? body.query.toLowerCase() : '';
    const props = body.properties as string[] | undefined;
    const limit = typeof body.limit === 'number' ? body.limit : 10;
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
    return { total: matches.length, results: matches.slice(0, limit).map((c) => asObject(c, props)) };
  }
}
