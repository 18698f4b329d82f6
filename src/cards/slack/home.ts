import { type Block, context, divider, header, section } from './blocks';
import { escapeMrkdwn, LIMITS, userText } from './text';

export interface TicketLine {
  number: string;
  title: string;
  severity: number;
  status: string;
  condition: 'on_track' | 'at_risk' | 'breached';
  team?: string;
}

const DOT = { on_track: ':large_green_circle:', at_risk: ':warning:', breached: ':red_circle:' } as const;

export function ticketLine(t: TicketLine): string {
  const team = t.team ? ` · ${escapeMrkdwn(t.team)}` : '';
  return `${DOT[t.condition]} *${escapeMrkdwn(t.number)}* ${userText(t.title, 150)}\nSeverity ${t.severity} · ${escapeMrkdwn(t.status)}${team}`;
}

/** Tickets as sections, at most `max` (each ticket one section). */
export function ticketList(tickets: TicketLine[], empty: string, max: number): Block[] {
  if (tickets.length === 0) return [context(escapeMrkdwn(empty))];
  const out = tickets.slice(0, max).map((t) => section(ticketLine(t)));
  if (tickets.length > max) out.push(context(`…and ${tickets.length - max} more`));
  return out;
}

/** App Home: my open tickets, and for agents the queue by SLA urgency (within 100 blocks). */
export function homeView(o: { mine: TicketLine[]; queue: TicketLine[] | null }): Block {
  const blocks: Block[] = [
    header('Helpline'),
    context('DM me in plain words to raise a ticket, or use `/ticket new`. `/ticket help` lists the commands.'),
    divider(),
    header('Your open tickets'),
    ...ticketList(o.mine, 'You have no open tickets.', 30),
  ];
  if (o.queue) {
    blocks.push(divider(), header('Queue: most urgent SLA first'), ...ticketList(o.queue, 'The queue is empty.', 50));
  }
  return { type: 'home', blocks: blocks.slice(0, LIMITS.modalBlocks) };
}

export const HELP_TEXT = [
  '*Helpline*: tell me what is wrong in your own words (DM me or @mention me) and I will prepare a ticket.',
  '• `/ticket new`: the ticket form; `/ticket <what is wrong, in your words>`: like a DM',
  '• `/ticket status SR-123`: where a ticket stands',
  '• `/ticket mine`: your open tickets',
  '• `/ticket help`: this message',
  'Reply in a ticket’s thread (or DM me `SR-123 …`) to add information to it.',
].join('\n');
