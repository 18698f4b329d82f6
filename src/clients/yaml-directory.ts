import {
  type ClientDirectory,
  ClientDirectoryReadOnlyError,
  type ClientRecord,
  normaliseClientName,
} from '../app/clients';
import type { ClientSpec, ClientsPolicy } from '../config/clients.schema';

function record(id: string, c: ClientSpec): ClientRecord {
  return {
    id,
    name: c.name,
    domains: c.domains,
    aliases: c.aliases,
    adminContacts: c.adminContacts.map((p) => ({ ...p })),
    erp: c.erp ?? null,
    customisations: c.customisations ?? null,
    supportTier: c.supportTier ?? null,
    calendar: c.calendar ?? null,
    timeZone: c.timeZone ?? null,
    url: null,
  };
}

/** The client directory of the policy's `clients.directory` (or CLIENTS_FILE): in memory, read-only. */
export function createYamlClientDirectory(clients: ClientsPolicy): ClientDirectory {
  const all = Object.entries(clients.directory).map(([id, c]) => record(id, c));
  const byKey = new Map<string, ClientRecord>();
  for (const c of all) {
    for (const key of [c.id, c.name, ...c.aliases].map(normaliseClientName)) if (!byKey.has(key)) byKey.set(key, c);
    for (const d of c.domains) byKey.set(`@${d}`, c);
  }
  const copy = (c: ClientRecord | undefined): ClientRecord | null =>
    c ? { ...c, adminContacts: c.adminContacts.map((p) => ({ ...p })) } : null;

  return {
    source: 'yaml',
    writable: false,
    async findClient(text) {
      const raw = text.trim();
      if (!raw) return null;
      const domain = /^(?:[^@\s]*@)?((?:[a-z0-9-]+\.)+[a-z]{2,})$/i.exec(raw)?.[1]?.toLowerCase();
      if (domain) {
        // A subdomain (eu.acme.example) belongs to its parent's client.
        const parts = domain.split('.');
        for (let i = 0; i < parts.length - 1; i++) {
          const hit = byKey.get(`@${parts.slice(i).join('.')}`);
          if (hit) return copy(hit);
        }
      }
      return copy(byKey.get(normaliseClientName(raw)));
    },
    async searchClients(text, limit = 20) {
      const q = normaliseClientName(text);
      const scored = all
        .map((c) => {
          const names = [c.name, ...c.aliases].map(normaliseClientName);
          const score = !q
            ? 1
            : names.some((n) => n.startsWith(q))
              ? 3
              : names.some((n) => n.includes(q))
                ? 2
                : c.domains.some((d) => d.includes(q))
                  ? 1
                  : 0;
          return { c, score };
        })
        .filter((x) => x.score > 0)
        .sort((a, b) => b.score - a.score || a.c.name.localeCompare(b.c.name));
      return scored.slice(0, limit).map((x) => copy(x.c) as ClientRecord);
    },
    async getClient(id) {
      return copy(all.find((c) => c.id === id));
    },
    async updateClient() {
      throw new ClientDirectoryReadOnlyError();
    },
  };
}
