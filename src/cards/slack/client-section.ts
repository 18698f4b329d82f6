import type { ClientContext } from '../../app/client-context';
import { Action } from '../actions';
import { contactLine, gapsLine, tierLine, unavailableLine } from '../client-words';
import type { TicketView } from '../ticket-view';
import { actions, type Block, button, context, section } from './blocks';
import { escapeMrkdwn, userText } from './text';

/** Cards that show the client's facts (Level 1 at triage, Level 2 in Team Ticketing); others show the name only. */
const DETAILED = new Set(['triage', 'teamTicketing']);

/** The client on a ticket card: its record's admin contacts, ERP and customisations where agents work on it. */
export function clientBlocks(v: TicketView, kind: string): Block[] {
  const ctx = v.clientContext;
  if (!ctx) return v.client ? [section(`*Client*\n${userText(v.client, 500)}`)] : [];
  const name = ctx.state === 'found' ? ctx.record.name : ctx.name;
  if (!DETAILED.has(kind)) return [section(`*Client*\n${userText(name, 500)}`)];
  if (ctx.state === 'not_in_directory')
    return [section(`*Client*\n${userText(name, 500)} _(not in the client directory)_`)];
  if (ctx.state === 'unavailable')
    return [section(`*Client*\n${userText(name, 500)}\n:warning: ${escapeMrkdwn(unavailableLine(ctx))}`)];
  const out: Block[] = [section(clientText(ctx, kind === 'teamTicketing' ? 'full' : 'card'))];
  const gaps = kind === 'triage' ? gapsLine(ctx) : null;
  if (gaps) {
    out.push(context(`:memo: ${escapeMrkdwn(gaps)}`));
    if (ctx.writable)
      out.push(actions([button('Complete client record', Action.CompleteClient, v.number)], `client|${v.number}`));
  }
  return out;
}

/** The record as mrkdwn: name, tier and zone, ERP, admin contacts, customisations (within a section's 3000). */
function clientText(ctx: Extract<ClientContext, { state: 'found' }>, size: 'card' | 'full'): string {
  const r = ctx.record;
  const tier = tierLine(ctx);
  const contacts = r.adminContacts.slice(0, size === 'full' ? 8 : 4).map((c) => `• ${userText(contactLine(c), 200)}`);
  if (r.adminContacts.length > contacts.length)
    contacts.push(`• …and ${r.adminContacts.length - contacts.length} more`);
  const lines = [
    `*Client*\n${userText(r.name, 200)}${tier ? ` · ${userText(tier, 120)}` : ''}`,
    `*ERP:* ${r.erp ? userText(r.erp, 200) : '_not recorded_'}`,
    `*Admin contacts:*${contacts.length ? `\n${contacts.join('\n')}` : ' _none recorded_'}`,
    `*Customisations:* ${r.customisations ? userText(r.customisations, size === 'full' ? 1200 : 600) : '_none recorded_'}`,
  ];
  if (r.url && /^https:\/\/[^\s<>|]+$/.test(r.url)) lines.push(`<${r.url}|Open in HubSpot>`);
  return lines.join('\n');
}

/** `client SR-n`: the whole record, as blocks for an ephemeral or threaded reply. */
export function clientRecordBlocks(v: TicketView): Block[] {
  const ctx = v.clientContext;
  const head = context(`${escapeMrkdwn(v.number)} · ${userText(v.title, 200)}`);
  if (!ctx) return [section('This ticket names no client.'), head];
  if (ctx.state !== 'found') return [...clientBlocks(v, 'triage'), head];
  const out: Block[] = [section(clientText(ctx, 'full')), head];
  const gaps = gapsLine(ctx);
  if (gaps) out.push(context(`:memo: ${escapeMrkdwn(gaps)}`));
  if (ctx.record.domains.length) out.push(context(`Domains: ${userText(ctx.record.domains.join(', '), 500)}`));
  return out;
}
