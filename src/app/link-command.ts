/**
 * The link commands, one parser for every platform's chat: `link SR-1 to SR-2` (related), `SR-1 part of SR-2` /
 * `link SR-1 part of incident SR-2`, `unlink SR-1`, and in a ticket's thread `part of SR-2`, `related to SR-2`,
 * `unlink`. Parsing is pure; `runLinkCommand` calls the use cases and answers in plain words.
 */
import type { Actor } from '../domain/ticket/ticket';
import type { AppDeps } from './context';
import { linkTicket, unlinkFromIncident } from './ticket-links';

export type LinkCommand =
  | { kind: 'link'; ticket: string; link: 'related_to' | 'part_of'; to: string }
  | { kind: 'unlink'; ticket: string };

const N = '(?:sr-?\\s*)?(\\d{1,10})';
const LINK = new RegExp(
  `^(?:link\\s+)?(?:${N}\\s+)?(?:(part\\s+of(?:\\s+incident)?|to|related\\s+to|with)\\s+)${N}$`,
  'i',
);
const UNLINK = new RegExp(`^unlink(?:\\s+${N})?(?:\\s+from\\s+(?:incident\\s+)?${N})?$`, 'i');

/**
 * A link command in `text`, or null when it is not one. `context` is the ticket the conversation is about (a
 * ticket's thread), used when the command names only the other ticket; without either it is not a command.
 */
export function parseLinkCommand(text: string, context: string | null = null): LinkCommand | null {
  const t = text.trim().replace(/[.!?]+$/, '');
  const unlink = UNLINK.exec(t);
  if (unlink) {
    const ticket = unlink[1] ? `SR-${unlink[1]}` : context;
    return ticket ? { kind: 'unlink', ticket } : null;
  }
  const m = LINK.exec(t);
  if (!m?.[3]) return null;
  const explicitLink = /^link\s/i.test(t);
  const word = (m[2] ?? '').toLowerCase();
  // "to SR-2" / "with SR-2" alone is too ordinary a phrase: it is a command only after "link".
  if ((word === 'to' || word === 'with') && !explicitLink) return null;
  const ticket = m[1] ? `SR-${m[1]}` : context;
  if (!ticket) return null;
  return { kind: 'link', ticket, link: word.startsWith('part') ? 'part_of' : 'related_to', to: `SR-${m[3]}` };
}

/** Run a parsed link command for `actor` and say what became of it. */
export async function runLinkCommand(
  deps: AppDeps,
  actor: Actor,
  cmd: LinkCommand,
  opKey: string | undefined,
): Promise<{ text: string; duplicate: boolean }> {
  if (cmd.kind === 'unlink') {
    const r = await unlinkFromIncident(deps, { number: cmd.ticket, actor, opKey });
    return {
      text: `${cmd.ticket} is no longer part of an incident: its own clocks count again.`,
      duplicate: r.duplicate,
    };
  }
  const r = await linkTicket(deps, { number: cmd.ticket, actor, opKey }, { kind: cmd.link, to: cmd.to });
  const text =
    cmd.link === 'part_of'
      ? `${cmd.ticket} is now part of incident ${cmd.to}: its requester gets the incident's updates, and its own clocks wait on the incident's.`
      : `${cmd.ticket} and ${cmd.to} are linked as related.`;
  return { text, duplicate: r.duplicate };
}
