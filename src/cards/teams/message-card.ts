import { adaptiveCard, type CardElement, type Json, label, plain } from './text';

/** A notice or reply as a card: our words (may use markdown) and/or plain user text, with an optional @mention. */
export function messageCard(opts: {
  title?: string;
  text?: string;
  plainText?: string;
  mention?: { userId: string; name: string } | null;
}): Json {
  const body: CardElement[] = [];
  const extra: Json = {};
  if (opts.mention) {
    const at = `<at>${opts.mention.name.replace(/[<>&]/g, '').slice(0, 100) || 'someone'}</at>`;
    body.push(label(at));
    extra.msteams = {
      width: 'Full',
      entities: [{ type: 'mention', text: at, mentioned: { id: opts.mention.userId, name: opts.mention.name } }],
    };
  }
  if (opts.title) body.push(label(opts.title, { weight: 'Bolder', size: 'Medium' }));
  if (opts.text) body.push(label(opts.text));
  if (opts.plainText) body.push(plain(opts.plainText, 8000));
  if (body.length === 0) body.push(label(' '));
  return adaptiveCard(body, [], extra);
}

export interface TicketLine {
  number: string;
  title: string;
  status: string;
  severity: number;
  priority: number;
}

/** "My tickets" / the queue: one line per ticket. */
export function ticketListCard(title: string, tickets: TicketLine[], empty: string): Json {
  const body: CardElement[] = [label(title, { weight: 'Bolder', size: 'Medium' })];
  if (tickets.length === 0) body.push(label(empty));
  for (const t of tickets.slice(0, 30))
    body.push(plain(`${t.number} · S${t.severity} · P${t.priority} · ${t.status} · ${t.title}`, 200));
  return adaptiveCard(body);
}

export const HELP_TEXT = [
  'Tell me what is wrong in your own words and I will prepare a ticket for you to check.',
  '- **new**: an empty ticket form',
  '- **mine**: your open tickets',
  '- **status SR-123**: where a ticket stands',
  '- **history SR-123 [page]**: the ticket’s audit trail',
  '- **link SR-7 part of SR-2**, **link SR-7 to SR-2** (related), **unlink SR-7** (agents): incidents and links',
  '- **queue** (or **queue mine**, **queue team**, **queue unassigned**): the agents’ queue, breached first',
  '- **search export acme** (with **client:**, **requester:**, **status:**, **open**, **since:7d**, **page 2**): find tickets',
  '- **help**: this message',
].join('\n');

export function helpCard(): Json {
  return adaptiveCard([label('Helpline', { weight: 'Bolder', size: 'Medium' }), label(HELP_TEXT)]);
}
