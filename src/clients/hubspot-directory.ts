import { Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/contacts';
import {
  type ClientContact,
  type ClientDirectory,
  ClientDirectoryUnavailableError,
  type ClientPatch,
  type ClientRecord,
  ClientWriteIncompleteError,
  normaliseClientName,
} from '../app/clients';
import type { HubspotMapping } from '../config/clients.schema';
import { TtlCache } from './cache';
import { type HubspotEndpointGroup, holdFor429, limitWords, policyNameOf, statusOf } from './hubspot-rate-limit';

export interface HubspotDirectoryOptions {
  /** A private app's access token (HUBSPOT_TOKEN). */
  accessToken: string;
  /** API base (HUBSPOT_API_URL); tests point it at a local fake. */
  basePath?: string;
  mapping: HubspotMapping;
  /** Milliseconds now (the app's clock): cache expiry and rate-limit holds. */
  now: () => number;
  warn: (fields: Record<string, unknown>, msg: string) => void;
}

type Props = Record<string, string | null | undefined>;
interface HubspotObject {
  id: string;
  properties: Props;
  associations?: Record<string, { results?: Array<{ id: string }> }>;
}

const CONTACT_PROPS = ['firstname', 'lastname', 'email', 'phone', 'jobtitle'];
/** HubSpot's default association type "contact to company" (HUBSPOT_DEFINED). */
const CONTACT_TO_COMPANY = 279;

/** The id HubSpot names in a 409 "Contact already exists. Existing ID: 123" (a contact with that email). */
function existingContactId(err: unknown): string | null {
  const e = err as { code?: unknown; body?: unknown } | null;
  if (e?.code !== 409) return null;
  const body = typeof e.body === 'string' ? e.body : JSON.stringify(e.body ?? '');
  return /Existing ID: ?(\d{1,20})/.exec(body)?.[1] ?? null;
}

/** A contact's properties: "Dana Whitfield" → firstname Dana, lastname Whitfield. */
function contactProperties(c: ClientContact): Record<string, string> {
  const [first = '', ...rest] = c.name.trim().split(/\s+/);
  const props: Record<string, string> = { firstname: first, lastname: rest.join(' ') };
  if (c.email) props.email = c.email;
  if (c.phone) props.phone = c.phone;
  if (c.role) props.jobtitle = c.role;
  return props;
}
const MAX_CONTACTS = 10;
/** CRM search answers at most 200 results a page (`limit`), and pages on with `after`. */
const SEARCH_PAGE = 100;
/** A name search reads at most this many pages; past them it asks for a narrower name rather than guess. */
const MAX_NAME_PAGES = 3;

/**
 * Clients from HubSpot Companies and their associated Contacts, through @hubspot/api-client. Answers are cached
 * for `mapping.cacheFor` minutes; a 429 holds only the endpoints its limit covers, for as long as that limit says
 * (see hubspot-rate-limit.ts), and a 429, 5xx, timeout
 * or network failure throws ClientDirectoryUnavailableError (the caller shows "client record unavailable").
 */
export function createHubspotClientDirectory(o: HubspotDirectoryOptions): ClientDirectory {
  const m = o.mapping;
  const hubspot = new Client({
    accessToken: o.accessToken,
    numberOfApiCallRetries: 0, // a card must not wait on retries: degrade instead
    ...(o.basePath ? { basePath: o.basePath.replace(/\/$/, '') } : {}),
  });
  const cache = new TtlCache<ClientRecord | null>(m.cacheFor * 60_000, o.now);
  const searches = new TtlCache<ClientRecord[]>(m.cacheFor * 60_000, o.now);
  const companyProps = [
    'name',
    'domain',
    m.erpProperty,
    m.customisationsProperty,
    m.supportTierProperty,
    m.calendarProperty,
    m.timeZoneProperty,
  ];
  /** Until when each group of calls is held back by a 429. */
  const heldUntil: Record<HubspotEndpointGroup, number> = { search: 0, crm: 0 };
  const heldPolicy: Record<HubspotEndpointGroup, string> = { search: '', crm: '' };

  async function call<T>(what: string, work: () => Promise<T>, notFoundAsNull = false): Promise<T | null> {
    const group: HubspotEndpointGroup = what.startsWith('companies.search') ? 'search' : 'crm';
    if (o.now() < heldUntil[group])
      throw new ClientDirectoryUnavailableError(
        `HubSpot rate limit (${limitWords(heldPolicy[group])})`,
        heldUntil[group] - o.now(),
      );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${m.timeoutMs} ms`)), m.timeoutMs);
    });
    try {
      return await Promise.race([work(), timeout]);
    } catch (err) {
      const { status, headers } = statusOf(err);
      if (status === 404 && notFoundAsNull) return null;
      if (status === 429) {
        // The SDK keeps only the Error model's fields of a 429 body (no policyName), and applies a configured
        // middleware only to calls given per-call options: the X-HubSpot-RateLimit-* headers say which policy it was.
        const hold = holdFor429({
          group,
          policyName: policyNameOf(err),
          headers,
          now: o.now(),
          accountTimeZone: m.accountTimeZone,
        });
        for (const g of hold.groups) {
          heldUntil[g] = Math.max(heldUntil[g], hold.untilMs);
          heldPolicy[g] = hold.policy;
        }
        const wait = hold.untilMs - o.now();
        o.warn(
          { what, policy: hold.policy, held: hold.groups, waitMs: wait },
          'HubSpot rate limit: these calls are held until the limit resets',
        );
        throw new ClientDirectoryUnavailableError(`HubSpot rate limit (${limitWords(hold.policy)})`, wait);
      }
      const reason =
        status === 401 || status === 403
          ? 'HubSpot refused the token (check HUBSPOT_TOKEN and its scopes)'
          : status
            ? `HubSpot answered ${status}`
            : `HubSpot unreachable (${(err as Error).message.slice(0, 120)})`;
      o.warn({ what, status, err: (err as Error).message?.slice(0, 300) }, 'HubSpot call failed');
      throw new ClientDirectoryUnavailableError(reason);
    } finally {
      clearTimeout(timer);
    }
  }

  const text = (v: string | null | undefined) => (v?.trim() ? v.trim() : null);

  function toRecord(c: HubspotObject, contacts: ClientContact[]): ClientRecord {
    const p = c.properties;
    const domain = text(p.domain)?.toLowerCase();
    return {
      id: c.id,
      name: text(p.name) ?? domain ?? `Company ${c.id}`,
      domains: domain ? [domain] : [],
      aliases: [],
      adminContacts: contacts,
      erp: text(p[m.erpProperty]),
      customisations: text(p[m.customisationsProperty]),
      supportTier: text(p[m.supportTierProperty]),
      calendar: text(p[m.calendarProperty]),
      timeZone: text(p[m.timeZoneProperty]),
      url: m.portalId ? `https://${m.appHost}/contacts/${m.portalId}/company/${c.id}` : null,
    };
  }

  function toContact(c: HubspotObject): ClientContact {
    const p = c.properties;
    const name = [text(p.firstname), text(p.lastname)].filter(Boolean).join(' ') || text(p.email) || `Contact ${c.id}`;
    const out: ClientContact = { name };
    const email = text(p.email);
    const phone = text(p.phone);
    const role = text(p.jobtitle);
    if (email) out.email = email;
    if (phone) out.phone = phone;
    if (role) out.role = role;
    return out;
  }

  async function getClient(id: string): Promise<ClientRecord | null> {
    if (!/^\d{1,20}$/.test(id)) return null;
    const hit = cache.get(`id:${id}`);
    if (hit) return hit.value;
    const company = (await call(
      'companies.getById',
      () => hubspot.crm.companies.basicApi.getById(id, companyProps, undefined, ['contacts']),
      true,
    )) as unknown as HubspotObject | null;
    let contacts: ClientContact[] = [];
    // A contact comes once per association type (company_to_contact and company_to_contact_unlabeled for one whose
    // primary company this is): one each, before the limit.
    const ids = [...new Set((company?.associations?.contacts?.results ?? []).map((r) => r.id))].slice(0, MAX_CONTACTS);
    if (company && ids.length > 0) {
      const batch = (await call('contacts.batch.read', () =>
        hubspot.crm.contacts.batchApi.read({
          inputs: ids.map((cid) => ({ id: cid })),
          properties: CONTACT_PROPS,
          propertiesWithHistory: [],
        }),
      )) as unknown as { results?: HubspotObject[] } | null;
      const byId = new Map((batch?.results ?? []).map((c) => [c.id, c]));
      contacts = ids.flatMap((cid) => {
        const c = byId.get(cid);
        return c ? [toContact(c)] : [];
      });
    }
    const record = company ? toRecord(company, contacts) : null;
    cache.set(`id:${id}`, record);
    return record;
  }

  type SearchPage = { results?: HubspotObject[]; paging?: { next?: { after?: string } } };
  async function searchPage(request: Record<string, unknown>, what: string): Promise<SearchPage> {
    const r = (await call(what, () =>
      hubspot.crm.companies.searchApi.doSearch({ properties: companyProps, limit: 10, ...request } as never),
    )) as unknown as SearchPage | null;
    return r ?? {};
  }

  async function search(request: Record<string, unknown>, what: string): Promise<HubspotObject[]> {
    return (await searchPage(request, what)).results ?? [];
  }

  /**
   * Every company a name search finds, page by page (`after`), up to MAX_NAME_PAGES pages; `complete` is false when
   * HubSpot holds more than that (the name is too broad to resolve).
   */
  async function searchByName(q: string): Promise<{ results: HubspotObject[]; complete: boolean }> {
    const results: HubspotObject[] = [];
    let after: string | undefined;
    for (let page = 0; page < MAX_NAME_PAGES; page++) {
      const r = await searchPage(
        { query: q, limit: SEARCH_PAGE, ...(after ? { after } : {}) },
        'companies.search(name)',
      );
      results.push(...(r.results ?? []));
      after = r.paging?.next?.after;
      if (!after || pickExact(results, q)) return { results, complete: !after };
    }
    return { results, complete: false };
  }

  function pickExact(results: HubspotObject[], name: string): HubspotObject | undefined {
    const q = normaliseClientName(name);
    return results.find((c) => normaliseClientName(c.properties.name ?? '') === q);
  }

  /** The one company a name means: its exact name, else the only one whose name starts with it. */
  function pickByName(results: HubspotObject[], name: string): HubspotObject | undefined {
    const q = normaliseClientName(name);
    const names = results.map((c) => ({ c, n: normaliseClientName(c.properties.name ?? '') }));
    const exact = names.find((x) => x.n === q);
    if (exact) return exact.c;
    const starts = names.filter((x) => x.n.startsWith(`${q} `));
    return starts.length === 1 ? starts[0]?.c : undefined;
  }

  /**
   * Create the contact already associated with the company (one call: nothing half-made on a failure). An email
   * HubSpot already has (409) associates that existing contact instead, and writes the phone and role the agent typed
   * onto it. Returns what was written, in words; a failure after the first write is a ClientWriteIncompleteError.
   */
  async function addContact(companyId: string, contact: ClientContact): Promise<string[]> {
    let existing: string | null = null;
    await call('contacts.create', async () => {
      try {
        return await hubspot.crm.contacts.basicApi.create({
          properties: contactProperties(contact),
          associations: [
            {
              to: { id: companyId },
              types: [
                {
                  associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined,
                  associationTypeId: CONTACT_TO_COMPANY,
                },
              ],
            },
          ],
        });
      } catch (err) {
        existing = existingContactId(err);
        if (existing) return null;
        throw err;
      }
    });
    const known: string | null = existing;
    if (!known) return [`the contact ${contact.name}`];
    await call('associations.createDefault', () =>
      hubspot.crm.associations.v4.basicApi.createDefault('contacts', known, 'companies', companyId),
    );
    const linked = `the link of the existing contact ${contact.email ?? contact.name} to the company`;
    const typed: Record<string, string> = {};
    if (contact.phone) typed.phone = contact.phone;
    if (contact.role) typed.jobtitle = contact.role;
    if (Object.keys(typed).length === 0) return [linked];
    const what = [contact.phone ? 'phone' : '', contact.role ? 'role' : ''].filter(Boolean).join(' and ');
    try {
      await call('contacts.update', () => hubspot.crm.contacts.basicApi.update(known, { properties: typed }));
    } catch (err) {
      if (err instanceof ClientDirectoryUnavailableError)
        throw new ClientWriteIncompleteError(err.reason, [linked], [`its ${what}`]);
      throw err;
    }
    return [linked, `its ${what}`];
  }

  /** The company properties of a patch, with the words for each. */
  function companyChanges(patch: ClientPatch): { properties: Record<string, string>; words: string[] } {
    const properties: Record<string, string> = {};
    const words: string[] = [];
    if (patch.erp !== undefined) {
      properties[m.erpProperty] = patch.erp.slice(0, 500);
      words.push('the ERP system');
    }
    if (patch.customisations !== undefined) {
      properties[m.customisationsProperty] = patch.customisations.slice(0, 2000);
      words.push('the customisation summary');
    }
    return { properties, words };
  }

  return {
    source: 'hubspot',
    writable: true,
    getClient,
    async findClient(raw) {
      const q = raw.trim().slice(0, 200);
      if (!q) return null;
      if (/^\d{1,20}$/.test(q)) return getClient(q);
      const key = `find:${q.toLowerCase()}`;
      const hit = cache.get(key);
      if (hit) return hit.value;
      const domain = /^(?:[^@\s]*@)?((?:[a-z0-9-]+\.)+[a-z]{2,})$/i.exec(q)?.[1]?.toLowerCase();
      let found: HubspotObject | undefined;
      if (domain) {
        found = (
          await search(
            { filterGroups: [{ filters: [{ propertyName: 'domain', operator: 'EQ', value: domain }] }] },
            'companies.search(domain)',
          )
        )[0];
      } else {
        const byName = await searchByName(q);
        found = pickExact(byName.results, q);
        // "The only one whose name starts with it" holds only when every match was read.
        if (!found && byName.complete) found = pickByName(byName.results, q);
        if (!found && !byName.complete)
          o.warn(
            { name: q, read: byName.results.length },
            'HubSpot: name matches too many companies; ask for a narrower name',
          );
      }
      const record = found ? await getClient(found.id) : null;
      cache.set(key, record);
      return record;
    },
    async searchClients(raw, limit = 20) {
      const q = raw.trim().slice(0, 100);
      const key = `${q.toLowerCase()}|${limit}`;
      const hit = searches.get(key);
      if (hit) return hit.value;
      const results = await search(
        q ? { query: q, limit: Math.min(limit, 100) } : { limit: Math.min(limit, 100) },
        'companies.search',
      );
      // The typeahead needs names only: the contacts are read when a client is chosen.
      const records = results.map((c) => toRecord(c, []));
      searches.set(key, records);
      return records;
    },
    /**
     * The contact first (its create cannot half-succeed), then a PATCH of only the company properties in the patch:
     * a failure part-way is a ClientWriteIncompleteError that says what HubSpot took and what it did not.
     */
    async updateClient(id, patch: ClientPatch) {
      const { properties, words } = companyChanges(patch);
      const written: string[] = [];
      try {
        if (patch.adminContact) written.push(...(await addContact(id, patch.adminContact)));
        if (Object.keys(properties).length)
          await call('companies.update', () => hubspot.crm.companies.basicApi.update(id, { properties }));
        written.push(...words);
      } catch (err) {
        if (err instanceof ClientWriteIncompleteError) throw err;
        if (written.length > 0 && err instanceof ClientDirectoryUnavailableError)
          throw new ClientWriteIncompleteError(err.reason, written, words);
        throw err;
      } finally {
        // Whatever was written: every cached answer that may hold the record (by id, name or domain) is read again.
        cache.forget('');
      }
      let record: ClientRecord | null;
      try {
        record = await getClient(id);
      } catch (err) {
        if (err instanceof ClientDirectoryUnavailableError)
          throw new ClientWriteIncompleteError(`the record could not be read back: ${err.reason}`, written, []);
        throw err;
      }
      if (!record) throw new ClientDirectoryUnavailableError(`HubSpot company ${id} is gone`);
      return record;
    },
  };
}
