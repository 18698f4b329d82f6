/**
 * The HubSpot directory against the fake's documented shapes (test/fakes/hubspot-api.ts): contacts listed once
 * per association type, rate-limit policies, the write-back order and the 409 path, and search paging.
 */
import { ClientDirectoryUnavailableError, ClientWriteIncompleteError } from '../../../src/app/clients';
import { createHubspotClientDirectory } from '../../../src/clients/hubspot-directory';
import { EMPTY_CLIENTS } from '../../../src/config/clients.schema';
import { FakeHubspotApi } from '../../fakes/hubspot-api';
import { seedHubspot } from './fixtures';

describe('HubSpot directory, as HubSpot documents its API', () => {
  let fake: FakeHubspotApi;
  let now: number;
  beforeEach(async () => {
    fake = await new FakeHubspotApi().start();
    seedHubspot(fake);
    now = Date.parse('2026-03-09T15:00:00Z'); // 10:00 in New York
  });
  afterEach(() => fake.stop());

  const make = (accountTimeZone = 'UTC') =>
    createHubspotClientDirectory({
      accessToken: fake.token,
      basePath: fake.url,
      mapping: { ...EMPTY_CLIENTS.hubspot, accountTimeZone },
      now: () => now,
      warn: () => {},
    });

  it('lists each contact once, before the 10-contact limit, though HubSpot lists primary ones twice', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => String(700 + i));
    fake.addCompany(
      { id: '1010', properties: { name: 'Many Contacts plc', domain: 'many.example' }, contactIds: ids },
      ids.map((id, i) => ({
        id,
        properties: { firstname: `Person${i}`, lastname: 'Many', email: `p${i}@many.example` },
        ...(i < 6 ? { primaryCompanyId: '1010' } : {}),
      })),
    );
    const record = await make().getClient('1010');
    const read = fake.calls.find((c) => c.path === '/crm/v3/objects/companies/1010');
    expect(read?.status).toBe(200);
    const batch = fake.calls.find((c) => c.path === '/crm/v3/objects/contacts/batch/read');
    expect(batch?.status).toBe(200); // the fake refuses duplicate ids with a 400, as HubSpot does
    const inputs = (batch?.body as { inputs?: Array<{ id: string }> } | undefined)?.inputs ?? [];
    expect(inputs.map((i) => i.id)).toEqual(ids.slice(0, 10));
    expect(record?.adminContacts.map((c) => c.name)).toEqual(ids.slice(0, 10).map((_, i) => `Person${i} Many`));
  });

  it("a search's per-second limit holds only search, for a second; company reads go on", async () => {
    const d = make();
    fake.fail({ status: 429, policyName: 'SECONDLY', only: /^POST \/crm\/v3\/objects\/companies\/search$/ });
    const err = await d.findClient('ACME').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientDirectoryUnavailableError);
    expect(err).toMatchObject({ reason: 'HubSpot rate limit (search, per second)', retryAfterMs: 1000 });
    expect((await d.getClient('1002'))?.name).toBe('Northwind Traders'); // not held
    await expect(d.findClient('Northwind')).rejects.toBeInstanceOf(ClientDirectoryUnavailableError);
    now += 1000;
    expect((await d.findClient('ACME'))?.id).toBe('1001');
  });

  it('the daily limit holds every call until midnight in the account time zone', async () => {
    const d = make('America/New_York');
    fake.fail({ status: 429, policyName: 'DAILY' });
    const err = await d.getClient('1001').catch((e: unknown) => e);
    const midnight = Date.parse('2026-03-10T04:00:00Z'); // 00:00 in New York (EDT)
    expect(err).toMatchObject({ reason: 'HubSpot rate limit (daily limit)', retryAfterMs: midnight - now });
    now = midnight - 1;
    await expect(d.findClient('northwind.example')).rejects.toBeInstanceOf(ClientDirectoryUnavailableError);
    expect(fake.calls).toHaveLength(1);
    now = midnight;
    expect((await d.findClient('northwind.example'))?.id).toBe('1002');
  });

  it('a Retry-After, when HubSpot sends one, is how long the limited calls wait', async () => {
    const d = make();
    fake.fail({ status: 429, retryAfter: 3 });
    await expect(d.getClient('1001')).rejects.toMatchObject({ retryAfterMs: 3000 });
    now += 2999;
    await expect(d.getClient('1001')).rejects.toBeInstanceOf(ClientDirectoryUnavailableError);
    now += 1;
    expect((await d.getClient('1001'))?.name).toBe('ACME Manufacturing');
  });

  it('the contact is created first; a failed PATCH after it says what was and was not written', async () => {
    const d = make();
    fake.fail({ status: 500, only: /^PATCH \/crm\/v3\/objects\/companies\/1003$/ });
    const err = await d
      .updateClient('1003', {
        erp: 'Sage Intacct',
        adminContact: { name: 'Pat Byrne', email: 'pat.byrne@brightwell.example' },
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientWriteIncompleteError);
    expect(err).toMatchObject({
      written: ['the contact Pat Byrne'],
      notWritten: ['the ERP system'],
      reason: 'HubSpot answered 500',
    });
    expect(fake.calls.map((c) => [c.method, c.path, c.status])).toEqual([
      ['POST', '/crm/v3/objects/contacts', 201],
      ['PATCH', '/crm/v3/objects/companies/1003', 500],
    ]);
    expect(fake.companies.get('1003')?.properties.erp_system).toBeUndefined();
  });

  it('409: the existing contact is linked, and the phone and role typed are written onto it', async () => {
    const record = await make().updateClient('1003', {
      adminContact: {
        name: 'Dana Whitfield',
        email: 'dana.whitfield@acme.example',
        phone: '+1 312 555 0199',
        role: 'Group finance systems lead',
      },
    });
    expect(fake.calls.filter((c) => c.method !== 'GET').map((c) => [c.method, c.path, c.status])).toEqual([
      ['POST', '/crm/v3/objects/contacts', 409],
      ['PUT', '/crm/v4/objects/contacts/501/associations/default/companies/1003', 200],
      ['PATCH', '/crm/v3/objects/contacts/501', 200],
      ['POST', '/crm/v3/objects/contacts/batch/read', 200], // the record read back
    ]);
    expect(fake.calls.find((c) => c.path === '/crm/v3/objects/contacts/501')?.body).toEqual({
      properties: { phone: '+1 312 555 0199', jobtitle: 'Group finance systems lead' },
    });
    expect(record.adminContacts).toContainEqual({
      name: 'Dana Whitfield',
      email: 'dana.whitfield@acme.example',
      phone: '+1 312 555 0199',
      role: 'Group finance systems lead',
    });
  });

  it('409 with the contact update failing says the link was made and the phone and role were not', async () => {
    fake.fail({ status: 500, only: /^PATCH \/crm\/v3\/objects\/contacts\/501$/ });
    const err = await make()
      .updateClient('1003', {
        adminContact: { name: 'Dana Whitfield', email: 'dana.whitfield@acme.example', phone: '+1 312 555 0199' },
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      written: ['the link of the existing contact dana.whitfield@acme.example to the company'],
      notWritten: ['its phone'],
    });
  });

  it('a name search pages on with `after` until it finds the exact name', async () => {
    for (let i = 0; i < 150; i++)
      fake.addCompany({
        id: String(2000 + i),
        properties: { name: `Globex Branch ${i}`, domain: `b${i}.globex.example` },
        contactIds: [],
      });
    fake.addCompany({ id: '2999', properties: { name: 'Globex', domain: 'globex.example' }, contactIds: [] });
    const found = await make().findClient('Globex');
    expect(found?.id).toBe('2999');
    const searches = fake.calls.filter((c) => c.path === '/crm/v3/objects/companies/search');
    expect(searches.map((c) => (c.body as { after?: string }).after ?? null)).toEqual([null, '100']);
  });

  it('a name too broad to resolve within the pages read is not guessed', async () => {
    for (let i = 0; i < 320; i++)
      fake.addCompany({ id: String(3000 + i), properties: { name: `Initech Unit ${i}` }, contactIds: [] });
    expect(await make().findClient('Initech')).toBeNull();
    expect(fake.calls.filter((c) => c.path === '/crm/v3/objects/companies/search')).toHaveLength(3);
  });
});
