import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clientCandidates, clientContextOf, recogniseClient } from '../../../src/app/client-context';
import { type ClientDirectory, ClientDirectoryUnavailableError } from '../../../src/app/clients';
import { createYamlClientDirectory } from '../../../src/clients/yaml-directory';
import { loadClientsFile } from '../../../src/config/clients';
import { loadPolicy } from '../../../src/config/policy';
import { createDirectory } from '../../../src/domain/ticket/roles';
import type { Actor } from '../../../src/domain/ticket/ticket';

const policy = loadPolicy();
const rita: Actor = { platform: 'slack', userId: 'U0REQUESTER', name: 'Rita Reyes' };
const stranger = (email?: string): Actor => ({
  platform: 'slack',
  userId: 'U0NEW',
  name: 'New Person',
  ...(email ? { email } : {}),
});

/** A directory that is always down, as HubSpot is during an outage. */
const down: ClientDirectory = {
  source: 'hubspot',
  writable: true,
  findClient: async () => {
    throw new ClientDirectoryUnavailableError('HubSpot answered 503');
  },
  searchClients: async () => [],
  getClient: async () => {
    throw new ClientDirectoryUnavailableError('HubSpot answered 503');
  },
  updateClient: async () => {
    throw new ClientDirectoryUnavailableError('HubSpot answered 503');
  },
};

function deps(clients: ClientDirectory | undefined, people: Record<string, string> = {}) {
  const p = { ...policy, clients: { ...policy.clients, people } };
  return { clients, policy: p, directory: createDirectory(p) };
}

describe('client candidates in a request', () => {
  it.each([
    ['the export for ACME failed', ['ACME']],
    ["Northwind's import is stuck", ['Northwind']],
    ['Brightwell Foods Ltd cannot post invoices', ['Brightwell Foods Ltd']],
    ['the export failed on Monday', []],
  ])('%s → %j', (text, expected) => {
    expect(clientCandidates(text)).toEqual(expected);
  });
});

describe('recognising the client at intake (YAML directory)', () => {
  const yaml = createYamlClientDirectory(policy.clients);

  it('from the text', async () => {
    expect(
      await recogniseClient(deps(yaml), { text: 'the export for ACME failed', requester: rita, trusted: true }),
    ).toEqual({
      clientId: 'acme',
      client: 'ACME Manufacturing',
      via: 'text',
      unavailable: false,
      record: expect.objectContaining({ id: 'acme', supportTier: 'Gold', calendar: null }),
    });
  });

  it("from the requester's email domain, and from the people mapping of the policy", async () => {
    const byDomain = await recogniseClient(deps(yaml), {
      text: 'the export failed',
      requester: stranger('jo@eu.northwind.example'),
      trusted: true,
    });
    expect(byDomain).toMatchObject({ clientId: 'northwind', via: 'requester' });
    const mapped = await recogniseClient(deps(yaml, { 'rita.requester': 'Brightwell' }), {
      text: 'it failed',
      requester: rita,
      trusted: true,
    });
    expect(mapped).toMatchObject({ clientId: 'brightwell', via: 'requester' });
  });

  it('picked beats typed beats the text beats the requester; an unknown typed name stays free text', async () => {
    const d = deps(yaml, { 'rita.requester': 'acme' });
    const input = { text: 'the export for Northwind failed', requester: rita, trusted: true };
    expect((await recogniseClient(d, { ...input, clientId: 'brightwell', client: 'ACME' })).clientId).toBe(
      'brightwell',
    );
    expect((await recogniseClient(d, { ...input, client: 'acme' })).clientId).toBe('acme');
    expect((await recogniseClient(d, input)).clientId).toBe('northwind');
    expect(await recogniseClient(d, { ...input, client: 'Globex' })).toEqual({
      clientId: null,
      client: 'Globex',
      via: null,
      unavailable: false,
      record: null,
    });
  });

  it("a requester's pick, typed name or named client is a claim: only a client the directory maps them to is applied", async () => {
    const d = deps(yaml, { 'rita.requester': 'acme' });
    const input = { text: 'the export for Northwind failed', requester: rita, trusted: false };
    // Picking Northwind (another client, another tier) gives Rita her own client, and records what she said.
    expect(await recogniseClient(d, { ...input, clientId: 'northwind' })).toMatchObject({
      clientId: 'acme',
      via: 'requester',
      claimed: 'Northwind Traders',
    });
    expect(await recogniseClient(d, { ...input, client: 'Brightwell' })).toMatchObject({
      clientId: 'acme',
      claimed: 'Brightwell',
    });
    expect(await recogniseClient(d, input)).toMatchObject({ clientId: 'acme', via: 'requester' });
    // Her own client, picked: taken as picked.
    expect(await recogniseClient(d, { ...input, clientId: 'acme' })).toMatchObject({ clientId: 'acme', via: 'picked' });
    // Someone the directory maps to no client gets none, whatever they pick: the name stays free text.
    const nobody = await recogniseClient(deps(yaml), {
      ...input,
      requester: stranger('x@unknown.example'),
      clientId: 'northwind',
    });
    expect(nobody).toMatchObject({ clientId: null, record: null });
  });

  it('a directory that is down never fails intake: the name in the text is kept, marked unavailable', async () => {
    expect(
      await recogniseClient(deps(down), { text: 'the export for ACME failed', requester: rita, trusted: true }),
    ).toEqual({
      clientId: null,
      client: 'ACME',
      via: null,
      unavailable: true,
      record: null,
    });
  });
});

describe('the client part of a card', () => {
  const yaml = createYamlClientDirectory(policy.clients);
  it('names what a record lacks, and that the YAML directory is read-only', async () => {
    const ctx = await clientContextOf({ clients: yaml }, { client: 'Brightwell Foods Ltd', clientId: 'brightwell' });
    expect(ctx).toMatchObject({ state: 'found', gaps: ['adminContacts', 'erp', 'customisations'], writable: false });
  });
  it('is unavailable when the directory is down, not in the directory when unknown, absent when no client', async () => {
    expect(await clientContextOf({ clients: down }, { client: 'ACME', clientId: null })).toEqual({
      state: 'unavailable',
      name: 'ACME',
      reason: 'HubSpot answered 503',
    });
    expect(await clientContextOf({ clients: yaml }, { client: 'Globex', clientId: null })).toEqual({
      state: 'not_in_directory',
      name: 'Globex',
    });
    expect(await clientContextOf({ clients: yaml }, { client: '', clientId: null })).toBeNull();
  });
});

describe('CLIENTS_FILE', () => {
  it('reads a clients: section and names a bad key with its path', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clients-'));
    const good = path.join(dir, 'good.yaml');
    fs.writeFileSync(
      good,
      'clients:\n  directory:\n    globex: { name: Globex, domains: [globex.example], erp: SAP S/4HANA }\n',
    );
    expect(loadClientsFile(good).directory.globex).toMatchObject({ name: 'Globex', erp: 'SAP S/4HANA' });
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, 'clients:\n  directory:\n    globex: { name: Globex, domains: [not a domain] }\n');
    expect(() => loadClientsFile(bad)).toThrow(/clients\.directory\.globex\.domains\.0: expected an email domain/);
    expect(() => loadClientsFile(path.join(dir, 'missing.yaml'))).toThrow(/CLIENTS_FILE .* cannot be read \(ENOENT\)/);
  });
});
