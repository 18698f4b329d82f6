import { commandsFor, contactLines, HELP_INTRO, type HelpView, helpRole, ROLE_WORDS } from '../help';
import { adaptiveCard, type CardElement, field, type Json, label, plain } from './text';

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

/**
 * Help for one person (personal chat `help`, the welcome on install, the playground): support hours, contact
 * details and the commands of their role. `title` replaces "Helpline" (the welcome).
 */
export function helpCard(view: HelpView, title = 'Helpline'): Json {
  const commands = commandsFor(view.audience, 'teams').map((c) => `- **${c.words}**: ${c.what}`);
  return adaptiveCard([
    label(title, { weight: 'Bolder', size: 'Medium' }),
    label(HELP_INTRO),
    label(view.hours),
    ...contactLines(view.contact).map(({ label: name, value }) => field(name, value, 300)),
    label(ROLE_WORDS[helpRole(view.audience)], { weight: 'Bolder', spacing: 'Medium' }),
    label(commands.join('\n')),
  ]);
}
