/**
 * The client of a ticket: recognised at intake (picked in the form, typed, named in the text, or known from the
 * requester), and looked up again for the cards. The directory may be HubSpot and may be down or rate limited:
 * nothing here ever fails a raise or a card; the card says "client record unavailable" instead.
 */
import type { Policy } from '../config/policy.schema';
import { clientNamed } from '../domain/routing/missing-information';
import { resolveService } from '../domain/sla/service';
import type { ClientChoice } from '../domain/ticket/client';
import type { Directory } from '../domain/ticket/roles';
import type { Actor, Ticket } from '../domain/ticket/ticket';
import {
  type ClientDirectory,
  ClientDirectoryUnavailableError,
  type ClientGap,
  type ClientRecord,
  clientGaps,
} from './clients';

export interface ClientDeps {
  clients?: ClientDirectory;
  policy: Pick<Policy, 'clients'>;
  directory: Pick<Directory, 'personOf'>;
}

/** What intake settled on: the directory's id and name, or the free text as given (id null). */
export interface RecognisedClient {
  clientId: string | null;
  /** The name to store on the ticket (the directory's name when recognised). */
  client: string | undefined;
  /** How it was recognised, for the record; null when it was not. */
  via: 'picked' | 'typed' | 'text' | 'requester' | null;
  /** The directory could not answer: the free text was kept. */
  unavailable: boolean;
  /** The directory's record when recognised (its tier and calendar drive the SLA clocks). */
  record: ClientRecord | null;
  /** A client the requester picked or named that the directory does not map them to: kept as what they said. */
  claimed?: string;
}

/**
 * What a recognised client sets on a ticket: its name (else `name` as given), its id, and the service level its
 * tier and calendar give under the policy (null when not in the directory).
 */
export function clientChoice(
  policy: Pick<Policy, 'tiers' | 'calendars'>,
  r: RecognisedClient,
  name: string,
): ClientChoice {
  return {
    client: r.client ?? name,
    clientId: r.clientId,
    service: r.record ? resolveService(policy, r.record) : null,
  };
}

/** Names a request gives a client: "for ACME", "Brightwell Ltd", "Northwind's import". */
export function clientCandidates(text: string): string[] {
  const out = new Set<string>();
  const named = clientNamed(text);
  if (named) out.add(named);
  for (const m of text.matchAll(/\b([A-Z][A-Za-z0-9&-]{2,})['’]s\b/g)) if (m[1]) out.add(m[1]);
  return [...out].slice(0, 4);
}

/**
 * Recognise the client of a new ticket: the id picked in the form, else the name typed, else a name in the text,
 * else the requester (the policy's `clients.people` mapping, then their email domain). Unknown names stay free text.
 *
 * A client is a claim unless an agent makes it (`trusted`): a requester's pick, typed name or named client counts
 * only when it is one the directory maps the requester to; otherwise the ticket takes the requester's own client
 * (its tier and calendar), and what they said is kept as free text only when the directory maps them to none, so
 * nobody gets another client's tier, calendar or record by naming it.
 */
export async function recogniseClient(
  deps: ClientDeps,
  input: {
    clientId?: string | undefined;
    client?: string | undefined;
    text: string;
    requester: Actor;
    /** An agent chose or named the client (raising for someone, `client SR-n NAME`). */
    trusted: boolean;
  },
): Promise<RecognisedClient> {
  const typed = input.client?.trim() || undefined;
  // Not recognised: the name typed stays as free text. When the directory could not answer, a name in the text is
  // kept too, so the cards can look it up again (and say the record is unavailable meanwhile).
  const fallback = (unavailable: boolean): RecognisedClient => ({
    clientId: null,
    client: typed ?? (unavailable ? clientNamed(input.text) : undefined),
    via: null,
    unavailable,
    record: null,
  });
  const dir = deps.clients;
  if (!dir) return fallback(false);
  const found = (r: ClientRecord, via: RecognisedClient['via']): RecognisedClient => ({
    clientId: r.id,
    client: r.name,
    via,
    unavailable: false,
    record: r,
  });
  try {
    const mapped = await requesterClients(deps, dir, input.requester);
    const allowed = (r: ClientRecord | null | undefined): r is ClientRecord =>
      !!r && (input.trusted || mapped.some((m) => m.id === r.id));
    if (input.clientId) {
      const picked = await dir.getClient(input.clientId);
      if (allowed(picked)) return found(picked, 'picked');
    }
    if (typed) {
      // A typed name is what they meant: the text is not searched for another.
      const r = await dir.findClient(typed);
      if (allowed(r)) return found(r, 'typed');
      if (input.trusted) return fallback(false);
    } else {
      for (const name of clientCandidates(input.text)) {
        const r = await dir.findClient(name);
        if (allowed(r)) return found(r, 'text');
      }
    }
    const own = mapped[0];
    const claimedRecord = input.clientId ? await dir.getClient(input.clientId) : null;
    const claimed = claimedRecord?.name ?? typed;
    if (own) return { ...found(own, 'requester'), ...(claimed && claimed !== own.name ? { claimed } : {}) };
    // Mapped to no client: what they said stays as free text (no id, no tier), for an agent to confirm.
    return { ...fallback(false), client: claimed, ...(claimed ? { claimed } : {}) };
  } catch {
    // Rate limited, down, or anything else in the directory: the ticket is raised with the name as given.
    return fallback(true);
  }
}

/** The clients the directory maps a requester to (their person or email mapping, then their email domain). */
export async function requesterClients(
  deps: ClientDeps,
  dir: ClientDirectory,
  requester: Actor,
): Promise<ClientRecord[]> {
  const out: ClientRecord[] = [];
  for (const key of requesterKeys(deps, requester)) {
    const r = await dir.findClient(key);
    if (r && !out.some((o) => o.id === r.id)) out.push(r);
  }
  return out;
}

/** What the requester tells about their client: the mapping of their person id or email, then their email's domain. */
function requesterKeys(deps: ClientDeps, requester: Actor): string[] {
  const person = deps.directory.personOf(requester);
  const email = (requester.email ?? person?.person.email)?.toLowerCase();
  const people = deps.policy.clients.people;
  const keys: string[] = [];
  const mapped = (person && people[person.id]) ?? (email ? people[email] : undefined);
  if (mapped) keys.push(mapped);
  const domain = email?.split('@')[1];
  if (domain) keys.push(domain);
  return keys;
}

/** The client part of a card: the record with what it lacks, "not in the directory", or "unavailable". */
export type ClientContext =
  | {
      state: 'found';
      record: ClientRecord;
      gaps: ClientGap[];
      /** Level 1 can fill the gaps from chat (HubSpot); the YAML directory is read-only. */
      writable: boolean;
    }
  | { state: 'not_in_directory'; name: string }
  | { state: 'unavailable'; name: string; reason: string };

/** Look the ticket's client up for its cards (cached by the directory); null when the ticket names no client. */
export async function clientContextOf(
  deps: Pick<ClientDeps, 'clients'>,
  ticket: Pick<Ticket, 'client' | 'clientId'>,
): Promise<ClientContext | null> {
  const name = ticket.client.trim();
  if (!ticket.clientId && !name) return null;
  const dir = deps.clients;
  if (!dir) return name ? { state: 'not_in_directory', name } : null;
  try {
    const record = ticket.clientId ? await dir.getClient(ticket.clientId) : await dir.findClient(name);
    if (!record) return { state: 'not_in_directory', name: name || (ticket.clientId ?? '') };
    return { state: 'found', record, gaps: clientGaps(record), writable: dir.writable };
  } catch (err) {
    const reason = err instanceof ClientDirectoryUnavailableError ? err.reason : 'the client directory failed';
    return { state: 'unavailable', name: name || (ticket.clientId ?? ''), reason };
  }
}
