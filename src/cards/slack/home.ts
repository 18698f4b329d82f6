import { Action } from '../actions';
import type { HelpView } from '../help';
import { actions, type Block, button, context, divider, header, section } from './blocks';
import { helpBlocks } from './help';
import { escapeMrkdwn, LIMITS, userText } from './text';

export interface TicketLine {
  number: string;
  title: string;
  severity: number;
  priority: number;
  status: string;
  condition: 'on_track' | 'at_risk' | 'breached';
  team?: string;
  assignee?: string | null;
  /** An incident: how many tickets are linked to it as its parts (its children are not listed themselves). */
  linked?: number;
}

/** Which tickets a queue view shows (domain/ticket/queue QueueScope). */
export type QueueScopeName = 'all' | 'mine' | 'team' | 'unassigned';
const SCOPES: Array<[QueueScopeName, string]> = [
  ['all', 'All open'],
  ['mine', 'Mine'],
  ['team', 'My team'],
  ['unassigned', 'Unassigned'],
];

const DOT = { on_track: ':large_green_circle:', at_risk: ':warning:', breached: ':red_circle:' } as const;
const WORD = { on_track: '', at_risk: 'AT RISK · ', breached: 'BREACHED · ' } as const;

export function ticketLine(t: TicketLine): string {
  const team = t.team ? ` · ${escapeMrkdwn(t.team)}` : '';
  const who = t.assignee === undefined ? '' : ` · ${t.assignee ? escapeMrkdwn(t.assignee) : 'unassigned'}`;
  const incident = t.linked ? ` · Incident, ${t.linked} linked` : '';
  return `${DOT[t.condition]} *${escapeMrkdwn(t.number)}* ${userText(t.title, 150)}${incident}\n${WORD[t.condition]}Severity ${t.severity} · Priority ${t.priority} · ${escapeMrkdwn(t.status)}${team}${who}`;
}

/** Tickets as sections, at most `max` (each ticket one section). */
export function ticketList(tickets: TicketLine[], empty: string, max: number): Block[] {
  if (tickets.length === 0) return [context(escapeMrkdwn(empty))];
  const out = tickets.slice(0, max).map((t) => section(ticketLine(t)));
  if (tickets.length > max) out.push(context(`…and ${tickets.length - max} more`));
  return out;
}

/**
 * The agents' queue: filter buttons, then each ticket with Open and Take buttons (two blocks a
 * ticket, at most `max` tickets), in the order given (breached, at risk, severity, priority, age).
 */
export function queueBlocks(lines: TicketLine[], scope: QueueScopeName, max: number): Block[] {
  const filters = actions(
    SCOPES.map(([id, label]) =>
      button(label, Action.QueueFilter, id, id === scope ? { style: 'primary', suffix: id } : { suffix: id }),
    ),
    'queue|filters',
  );
  const out: Block[] = [filters];
  if (lines.length === 0) return [...out, context('The queue is empty.')];
  for (const [i, t] of lines.slice(0, max).entries()) out.push(...lineWithActions(t, `queue|${t.number}|${i}`));
  if (lines.length > max) out.push(context(`…and ${lines.length - max} more`));
  return out;
}

/** A ticket line with its Open and Take buttons (two blocks): the queue's and the search's. */
export function lineWithActions(t: TicketLine, blockId: string): Block[] {
  return [
    section(ticketLine(t)),
    actions(
      [
        button('Open', Action.OpenTicket, t.number),
        button(t.assignee ? 'Take it over' : 'Take it', Action.Take, t.number, t.assignee ? {} : { style: 'primary' }),
      ],
      blockId,
    ),
  ];
}

const SCOPE_TITLE: Record<QueueScopeName, string> = {
  all: 'Queue: breached first, then at risk, severity, priority, age',
  mine: 'Queue: assigned to you',
  team: 'Queue: your team',
  unassigned: 'Queue: unassigned',
};

/** The queue message for `/ticket queue` (within a message's 50 blocks). */
/** The queue as a message; `away` says who is away (automatic assignment skips them). */
export function queueMessage(
  lines: TicketLine[],
  scope: QueueScopeName,
  away: string | null = null,
): { text: string; blocks: Block[] } {
  return {
    text: SCOPE_TITLE[scope],
    blocks: [
      header(SCOPE_TITLE[scope].slice(0, 150)),
      ...(away ? [context(userText(away, 2000))] : []),
      ...queueBlocks(lines, scope, 20),
    ],
  };
}

/**
 * App Home: support hours, contact details and the commands of the person's role, their open tickets, and for
 * agents the queue with its filters (within 100 blocks).
 */
export function homeView(o: {
  mine: TicketLine[];
  queue: TicketLine[] | null;
  scope?: QueueScopeName;
  help: HelpView;
}): Block {
  const scope = o.scope ?? 'all';
  const blocks: Block[] = [
    header('Helpline'),
    context('DM me in plain words to raise a ticket, or use `/ticket new`.'),
    ...helpBlocks(o.help),
    divider(),
    header('Your open tickets'),
    ...ticketList(o.mine, 'You have no open tickets.', 20),
  ];
  if (o.queue) blocks.push(divider(), header(SCOPE_TITLE[scope]), ...queueBlocks(o.queue, scope, 30));
  return { type: 'home', blocks: blocks.slice(0, LIMITS.modalBlocks) };
}
