/** `client SR-n` and "Complete client record": the ticket's client record for agents, and Level 1's write-back. */
import { z } from 'zod';
import { InvalidInputError, NotFoundError } from '../domain/errors';
import * as op from '../domain/ticket/operations';
import type { Actor, Ticket } from '../domain/ticket/ticket';
import {
  type ClientContext,
  type ClientDeps,
  clientChoice,
  clientContextOf,
  recogniseClient,
  requesterClients,
} from './client-context';
import {
  type ClientContact,
  type ClientDirectory,
  ClientDirectoryReadOnlyError,
  ClientDirectoryUnavailableError,
  type ClientRecord,
  ClientWriteIncompleteError,
  formFingerprint,
  normaliseClientName,
  type ShownValues,
} from './clients';
import { type AppDeps, changeTicket, loadFor, type UseCaseResult } from './context';

type Deps = Pick<AppDeps, 'tickets' | 'directory' | 'policy' | 'limiter'> & { clients?: ClientDirectory };

/** The ticket and its client's record as an agent sees it. */
export async function showClientRecord(
  deps: Deps,
  number: unknown,
  actor: Actor,
): Promise<{ ticket: Ticket; client: ClientContext | null }> {
  // Customisation summaries and contacts are internal: agents only.
  const { ticket } = await loadFor(deps, number, actor, 'clientRecord');
  await deps.limiter?.check('lookup', actor);
  return { ticket, client: await clientContextOf(deps, ticket) };
}

/**
 * An agent sets or corrects the ticket's client (`client SR-n ACME`): matched in the directory as intake would,
 * else kept as free text; the clocks take the client's tier and calendar (or the standard ones again).
 */
export async function setTicketClient(
  deps: AppDeps & { clients?: ClientDirectory },
  input: { number: string; actor: Actor; client: string; opKey?: string | undefined },
): Promise<UseCaseResult> {
  await loadFor(deps, input.number, input.actor, 'setClient');
  const name = input.client.trim().slice(0, 200);
  if (!name) throw new InvalidInputError('Name the client: "client SR-12 ACME".');
  const found = await recogniseClient(deps, { client: name, text: '', requester: input.actor, trusted: true });
  return changeTicket(deps, { ...input, action: 'setClient', counted: 'action' }, (t, c) =>
    op.setClient(t, clientChoice(deps.policy, found, name), c),
  );
}

/** An administrative contact as the form gives it: all optional until one field is filled. */
export interface ContactInput {
  name?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  role?: string | undefined;
}

const contactSchema = z.strictObject({
  name: z.string().min(1, 'the contact needs a name').max(200),
  email: z.email('the contact needs a valid email address').max(254),
  phone: z.string().max(50).optional(),
  role: z.string().max(200).optional(),
});

/** The contact to add, or undefined when the form left it empty; a half-filled one is refused with what is missing. */
function contactFrom(input: ContactInput | undefined): ClientContact | undefined {
  const trimmed = Object.fromEntries(
    Object.entries(input ?? {}).flatMap(([k, v]) => (typeof v === 'string' && v.trim() ? [[k, v.trim()]] : [])),
  );
  if (Object.keys(trimmed).length === 0) return undefined;
  const parsed = contactSchema.safeParse(trimmed);
  if (!parsed.success)
    throw new InvalidInputError(`Administrative contact: ${parsed.error.issues.map((i) => i.message).join('; ')}.`);
  const c = parsed.data;
  return {
    name: c.name,
    email: c.email.toLowerCase(),
    ...(c.phone ? { phone: c.phone } : {}),
    ...(c.role ? { role: c.role } : {}),
  };
}

/** A value the agent changed from what the form showed; without what it showed, from what the record holds. */
function changed(value: string | undefined, shown: string | undefined, current: string | null): string | undefined {
  if (!value) return undefined;
  const before = shown ?? formFingerprint(current);
  return formFingerprint(value) === before ? undefined : value;
}

/** "a, b and c". */
function listed(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * Level 1 fills the ERP system and customisation summary of the ticket's client and adds an administrative contact
 * (seed 004 §5.9); only what is given is written, to the directory (HubSpot). A read-only directory (YAML) says
 * where to edit instead.
 */
export async function completeClientRecord(
  deps: Deps,
  input: {
    number: unknown;
    actor: Actor;
    erp?: string | undefined;
    customisations?: string | undefined;
    contact?: ContactInput | undefined;
    /** What the form was pre-filled with (shownValuesOf): only fields the agent changed are written. */
    shown?: ShownValues | undefined;
  },
): Promise<{ ticket: Ticket; record: ClientRecord }> {
  const { ticket } = await loadFor(deps, input.number, input.actor, 'completeClientRecord');
  const dir = deps.clients;
  if (!dir?.writable) throw new InvalidInputError(new ClientDirectoryReadOnlyError().message);
  const erp = input.erp?.trim();
  const customisations = input.customisations?.trim();
  const adminContact = contactFrom(input.contact);
  if (!erp && !customisations && !adminContact)
    throw new InvalidInputError('Give the ERP system, a customisation summary or an administrative contact.');
  const ctx = await clientContextOf(deps, ticket);
  if (!ctx || ctx.state === 'not_in_directory')
    throw new NotFoundError(`The client of ${ticket.number} in the directory`);
  if (ctx.state === 'unavailable')
    throw new InvalidInputError(`The client record is unavailable right now (${ctx.reason}); please try again later.`);
  // A pre-filled value left as it was is not written: an edit made in HubSpot meanwhile stays.
  const newErp = changed(erp?.slice(0, 500), input.shown?.erp, ctx.record.erp);
  const newCustomisations = changed(
    customisations?.slice(0, 2000),
    input.shown?.customisations,
    ctx.record.customisations,
  );
  if (!newErp && !newCustomisations && !adminContact)
    throw new InvalidInputError(
      'Nothing to save: the ERP system and summary are as HubSpot has them, and no contact was added.',
    );
  try {
    const record = await dir.updateClient(ctx.record.id, {
      ...(newErp ? { erp: newErp } : {}),
      ...(newCustomisations ? { customisations: newCustomisations } : {}),
      ...(adminContact ? { adminContact } : {}),
    });
    return { ticket, record };
  } catch (err) {
    if (err instanceof ClientWriteIncompleteError) {
      const rest = err.notWritten.length
        ? ` but not ${listed(err.notWritten)}; save again to write the rest`
        : '; the card shows it once HubSpot answers';
      throw new InvalidInputError(`HubSpot took ${listed(err.written)}${rest} (${err.reason}).`);
    }
    if (err instanceof ClientDirectoryUnavailableError)
      throw new InvalidInputError(`HubSpot did not take the change (${err.reason}); please try again later.`);
    throw err;
  }
}

/**
 * The intake form's client typeahead: agents search the whole directory; a requester is offered only the clients
 * the directory maps them to (so no one learns other clients' ids, or picks another client's tier). Counted as a
 * look-up; the directory being down answers none.
 */
export async function searchClientsFor(
  deps: Pick<AppDeps, 'directory' | 'limiter'> & ClientDeps,
  actor: Actor,
  text: string,
  limit: number,
): Promise<ClientRecord[]> {
  await deps.limiter?.check('lookup', actor);
  const dir = deps.clients;
  if (!dir) return [];
  if (deps.directory.isAgent(actor)) return dir.searchClients(text.slice(0, 100), limit);
  const wanted = normaliseClientName(text);
  const own = await requesterClients(deps, dir, actor);
  return own.filter((c) => !wanted || normaliseClientName(c.name).includes(wanted)).slice(0, limit);
}
