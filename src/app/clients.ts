/**
 * The client directory port: who a ticket is for, with the facts an agent needs on the card (seed 004 §5.9:
 * administrative contacts, ERP system, customisation summary). Implementations live in src/clients (the YAML
 * directory of the policy, HubSpot); the use cases see only this.
 */
import { createHash } from 'node:crypto';

/** An administrative contact of a client. */
export interface ClientContact {
  name: string;
  email?: string;
  phone?: string;
  /** Job title or role ("Finance systems admin"). */
  role?: string;
}

/** A client record as the directory holds it. */
export interface ClientRecord {
  /** Stable id in the directory (the YAML key, or the HubSpot company id). */
  id: string;
  name: string;
  /** Email domains of the client's people ("acme.example"). */
  domains: string[];
  /** Other names staff use for it ("ACME"). */
  aliases: string[];
  adminContacts: ClientContact[];
  erp: string | null;
  /** A short summary of the client's unique configurations. */
  customisations: string | null;
  supportTier: string | null;
  /** The client's support calendar (a key or name of the policy's `calendars`), when it has its own hours. */
  calendar: string | null;
  timeZone: string | null;
  /** A link to the record in the CRM, when there is one. */
  url: string | null;
}

/** The facts Level 1 keeps complete (seed 004 §5.9) and the record still lacks. */
export type ClientGap = 'adminContacts' | 'erp' | 'customisations';

export const CLIENT_GAP_WORDS: Record<ClientGap, string> = {
  adminContacts: 'administrative contacts',
  erp: 'ERP system',
  customisations: 'customisation summary',
};

/** What a record lacks, in the fixed order of CLIENT_GAP_WORDS. */
export function clientGaps(c: ClientRecord): ClientGap[] {
  const gaps: ClientGap[] = [];
  if (c.adminContacts.length === 0) gaps.push('adminContacts');
  if (!c.erp?.trim()) gaps.push('erp');
  if (!c.customisations?.trim()) gaps.push('customisations');
  return gaps;
}

/** What Level 1 may write back to the directory. */
export interface ClientPatch {
  erp?: string;
  customisations?: string;
  /** An administrative contact to add (HubSpot: a contact created and associated with the company). */
  adminContact?: ClientContact;
}

export interface ClientDirectory {
  /** Where the records live: 'yaml' (read-only) or 'hubspot'. */
  readonly source: 'yaml' | 'hubspot';
  /** True when `updateClient` writes back (HubSpot); the YAML directory is read-only. */
  readonly writable: boolean;
  /** One client by its id, a name or alias (case-insensitive), or an email domain; null when none matches. */
  findClient(nameOrDomainOrId: string): Promise<ClientRecord | null>;
  /** Clients whose name, alias or domain contains `text`, best first (a typeahead). */
  searchClients(text: string, limit?: number): Promise<ClientRecord[]>;
  getClient(id: string): Promise<ClientRecord | null>;
  /** Fill in missing facts (HubSpot); throws ClientDirectoryReadOnlyError on a read-only directory. */
  updateClient(id: string, patch: ClientPatch): Promise<ClientRecord>;
}

/** The directory could not answer (HubSpot rate limit or outage): the card says "client record unavailable". */
export class ClientDirectoryUnavailableError extends Error {
  override name = 'ClientDirectoryUnavailableError';
  readonly code = 'CLIENT.DIRECTORY_UNAVAILABLE';
  constructor(
    readonly reason: string,
    /** When the directory asked us to come back (HubSpot's Retry-After). */
    readonly retryAfterMs?: number,
  ) {
    super(`client directory unavailable: ${reason}`);
  }
}

/**
 * A write-back that stopped part-way: `written` says what the directory took (in the support team's words, e.g.
 * "the contact Pat Byrne"), `notWritten` what it did not, and `reason` why.
 */
export class ClientWriteIncompleteError extends Error {
  override name = 'ClientWriteIncompleteError';
  readonly code = 'CLIENT.WRITE_INCOMPLETE';
  constructor(
    readonly reason: string,
    readonly written: string[],
    readonly notWritten: string[],
  ) {
    super(`client record partly written: ${reason}`);
  }
}

export class ClientDirectoryReadOnlyError extends Error {
  override name = 'ClientDirectoryReadOnlyError';
  readonly code = 'CLIENT.DIRECTORY_READ_ONLY';
  constructor() {
    super('The client directory is the YAML policy, which is read-only: edit the clients in the policy file.');
  }
}

/** "Acme Ltd." → "acme ltd": how names and aliases are compared. */
export function normaliseClientName(text: string): string {
  return text
    .toLowerCase()
    .replace(/['’]s\b/g, '')
    .replace(/[^\p{L}\p{N}&.@ -]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\.$/, '');
}

/**
 * A short fingerprint of a value a form was pre-filled with (the ERP system, the customisation summary): the form
 * carries it back, so that only what the agent changed is written (Slack's private_metadata holds 3000 characters,
 * too few for the values themselves).
 */
export function formFingerprint(value: string | null | undefined): string {
  return createHash('sha256')
    .update((value ?? '').trim())
    .digest('base64url')
    .slice(0, 16);
}

/** What a form showed before the agent edited it: the fingerprints of its pre-filled values. */
export interface ShownValues {
  erp?: string | undefined;
  customisations?: string | undefined;
}

/** The fingerprints of the values a "Complete client record" form is pre-filled with. */
export function shownValuesOf(record: Pick<ClientRecord, 'erp' | 'customisations'>): Required<ShownValues> {
  return { erp: formFingerprint(record.erp), customisations: formFingerprint(record.customisations) };
}
