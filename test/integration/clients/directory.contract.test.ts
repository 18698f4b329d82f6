import {
  type ClientDirectory,
  ClientDirectoryReadOnlyError,
  ClientDirectoryUnavailableError,
} from '../../../src/app/clients';
import { createHubspotClientDirectory } from '../../../src/clients/hubspot-directory';
import { createYamlClientDirectory } from '../../../src/clients/yaml-directory';
import { EMPTY_CLIENTS } from '../../../src/config/clients.schema';
import { FakeHubspotApi } from '../../fakes/hubspot-api';
import { seedHubspot, yamlClients } from './fixtures';

interface Subject {
  directory: ClientDirectory;
  /** The id the directory gives ACME. */
  acmeId: string;
  stop(): Promise<void>;
}

const subjects: Array<[string, () => Promise<Subject>]> = [
  [
    'YAML (policy clients:)',
    async () => ({ directory: createYamlClientDirectory(yamlClients()), acmeId: 'acme', stop: async () => {} }),
  ],
  [
    'HubSpot (through @hubspot/api-client, against the local fake)',
    async () => {
      const fake = await new FakeHubspotApi().start();
      seedHubspot(fake);
      const directory = createHubspotClientDirectory({
        accessToken: fake.token,
        basePath: fake.url,
        mapping: EMPTY_CLIENTS.hubspot,
        now: () => Date.now(),
        warn: () => {},
      });
      return { directory, acmeId: '1001', stop: () => fake.stop() };
    },
  ],
];

describe.each(subjects)('client directory contract: %s', (_name, make) => {
  let s: Subject;
  beforeAll(async () => {
    s = await make();
  });
  afterAll(async () => {
    await s.stop();
  });

  it('finds a client by a name staff use, in any case, with its ERP, customisations, tier and admin contacts', async () => {
    const acme = await s.directory.findClient('acme');
    expect(acme).toMatchObject({
      id: s.acmeId,
      name: 'ACME Manufacturing',
      erp: 'NetSuite OneWorld',
      supportTier: 'Gold',
      timeZone: 'America/Chicago',
    });
    expect(acme?.customisations).toMatch(/Two-step invoice approval/);
    expect(acme?.adminContacts.map((c) => c.name)).toEqual(['Dana Whitfield', 'Omar Haddad']);
    expect(acme?.adminContacts[0]).toMatchObject({
      email: 'dana.whitfield@acme.example',
      role: 'Finance systems admin',
    });
  });

  it('finds a client by an email domain or a whole email address, and by its id', async () => {
    expect((await s.directory.findClient('northwind.example'))?.name).toBe('Northwind Traders');
    expect((await s.directory.findClient('grace.liu@northwind.example'))?.name).toBe('Northwind Traders');
    expect((await s.directory.findClient(s.acmeId))?.name).toBe('ACME Manufacturing');
    expect((await s.directory.getClient(s.acmeId))?.erp).toBe('NetSuite OneWorld');
  });

  it('answers null for a name, domain or id it does not hold', async () => {
    expect(await s.directory.findClient('Globex')).toBeNull();
    expect(await s.directory.findClient('gmail.com')).toBeNull();
    expect(await s.directory.getClient('999999')).toBeNull();
    expect(await s.directory.findClient('  ')).toBeNull();
  });

  it('a record lacking facts says so with nulls and no contacts', async () => {
    const b = await s.directory.findClient('Brightwell');
    expect(b).toMatchObject({ name: 'Brightwell Foods Ltd', erp: null, customisations: null, adminContacts: [] });
  });

  it('searches by part of a name for the typeahead', async () => {
    const names = (await s.directory.searchClients('north')).map((c) => c.name);
    expect(names).toEqual(['Northwind Traders']);
    expect((await s.directory.searchClients('')).length).toBe(3);
  });
});

describe('YAML client directory', () => {
  it('is read-only and says so', async () => {
    const d = createYamlClientDirectory(yamlClients());
    expect(d.writable).toBe(false);
    await expect(d.updateClient('brightwell', { erp: 'Sage' })).rejects.toBeInstanceOf(ClientDirectoryReadOnlyError);
  });
});

describe('HubSpot client directory', () => {
  let fake: FakeHubspotApi;
  let now = Date.parse('2026-03-02T10:00:00Z');
  let warnings: string[];
  const make = () =>
    createHubspotClientDirectory({
      accessToken: fake.token,
      basePath: fake.url,
      mapping: { ...EMPTY_CLIENTS.hubspot, cacheFor: 5 },
      now: () => now,
      warn: (_f, msg) => warnings.push(msg),
    });
  beforeAll(async () => {
    fake = await new FakeHubspotApi().start();
    seedHubspot(fake);
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.reset();
    warnings = [];
  });

  it('calls the endpoints the SDK uses, with the private app token, reading the configured properties', async () => {
    await make().findClient('ACME');
    expect(fake.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'POST /crm/v3/objects/companies/search',
      'GET /crm/v3/objects/companies/1001',
      'POST /crm/v3/objects/contacts/batch/read',
    ]);
    expect(fake.calls.every((c) => c.token === fake.token)).toBe(true);
    expect((fake.calls[0]?.body as { properties?: string[] } | undefined)?.properties).toEqual(
      expect.arrayContaining(['name', 'domain', 'erp_system', 'customisation_summary']),
    );
    expect(fake.calls[1]?.query.associations).toBe('contacts');
  });

  it('caches answers (found and not found) for cacheFor, then asks again', async () => {
    const d = make();
    await d.findClient('ACME');
    await d.findClient('Globex');
    const calls = fake.calls.length;
    await d.findClient('ACME');
    await d.findClient('Globex');
    await d.getClient('1001');
    expect(fake.calls.length).toBe(calls);
    now += 5 * 60_000 + 1;
    await d.findClient('ACME');
    expect(fake.calls.length).toBeGreaterThan(calls);
  });

  it('a 429 makes the record unavailable and no call is made until Retry-After has passed', async () => {
    const d = make();
    fake.fail({ status: 429, retryAfter: 30 });
    const err = await d.findClient('ACME').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientDirectoryUnavailableError);
    expect((err as ClientDirectoryUnavailableError).reason).toBe('HubSpot rate limit (per 10 seconds)');
    expect((err as ClientDirectoryUnavailableError).retryAfterMs).toBe(30_000);
    expect(fake.calls.map((c) => c.status)).toEqual([429]);
    await expect(d.findClient('ACME')).rejects.toBeInstanceOf(ClientDirectoryUnavailableError);
    expect(fake.calls).toHaveLength(1); // held back: HubSpot asked us to wait
    now += 30_001;
    expect((await d.findClient('ACME'))?.name).toBe('ACME Manufacturing');
    expect(warnings.some((w) => /rate limit/.test(w))).toBe(true);
  });

  it('a 500 makes the record unavailable for that call only', async () => {
    const d = make();
    fake.fail({ status: 500 });
    const err = await d.findClient('Northwind').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientDirectoryUnavailableError);
    expect((err as ClientDirectoryUnavailableError).reason).toBe('HubSpot answered 500');
    expect((await d.findClient('Northwind'))?.erp).toMatch(/Dynamics/);
  });

  it('a wrong token is unavailable with a reason that names the fix', async () => {
    const d = createHubspotClientDirectory({
      accessToken: 'pat-wrong',
      basePath: fake.url,
      mapping: EMPTY_CLIENTS.hubspot,
      now: () => now,
      warn: () => {},
    });
    const err = (await d.findClient('ACME').catch((e: unknown) => e)) as ClientDirectoryUnavailableError;
    expect(err.reason).toMatch(/HUBSPOT_TOKEN/);
  });

  it('writes ERP and customisation summary back to the configured company properties, and reads the new record', async () => {
    const d = make();
    expect(d.writable).toBe(true);
    const before = await d.getClient('1003');
    expect(before?.erp).toBeNull();
    const after = await d.updateClient('1003', { erp: 'Sage Intacct', customisations: 'Dual currency (EUR/GBP).' });
    expect(after).toMatchObject({ erp: 'Sage Intacct', customisations: 'Dual currency (EUR/GBP).' });
    const patch = fake.calls.find((c) => c.method === 'PATCH');
    expect(patch?.path).toBe('/crm/v3/objects/companies/1003');
    expect(patch?.body).toEqual({
      properties: { erp_system: 'Sage Intacct', customisation_summary: 'Dual currency (EUR/GBP).' },
    });
    const seeded = fake.companies.get('1003'); // left as seeded for other tests
    if (seeded) Object.assign(seeded.properties, { erp_system: null, customisation_summary: null });
  });
});
