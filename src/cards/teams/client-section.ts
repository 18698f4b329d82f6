import type { ClientContext } from '../../app/client-context';
import { shownValuesOf } from '../../app/clients';
import { Action } from '../actions';
import { contactLine, gapsLine, tierLine, unavailableLine } from '../client-words';
import type { TicketView } from '../ticket-view';
import { execute, showCard, textInput } from './actions';
import { adaptiveCard, type CardElement, field, type Json, label, plain } from './text';

/** Cards that show the client's facts (Level 1 at triage, Level 2 in Team Ticketing); others show the name only. */
const DETAILED = new Set(['triage', 'teamTicketing']);

/** The client on a ticket card (user text in TextRuns, never parsed as markdown). */
export function clientElements(
  v: TicketView,
  kind: string,
  compact: boolean,
  /** An agent's card data: a writable record with gaps then offers "Complete client record". */
  agentData: Record<string, string> | null = null,
): CardElement[] {
  const ctx = v.clientContext;
  if (!ctx) return v.client ? [field('Client', v.client, 300)] : [];
  const name = ctx.state === 'found' ? ctx.record.name : ctx.name;
  if (!DETAILED.has(kind)) return [field('Client', name, 300)];
  if (ctx.state === 'not_in_directory') return [field('Client', `${name} (not in the client directory)`, 300)];
  if (ctx.state === 'unavailable')
    return [field('Client', name, 300), plain(unavailableLine(ctx), 300, { color: 'Warning' })];
  const out = recordElements(ctx, compact ? 'compact' : kind === 'teamTicketing' ? 'full' : 'card');
  const gaps = kind === 'triage' ? gapsLine(ctx) : null;
  if (gaps) out.push(plain(gaps, 400, { color: 'Warning' }));
  if (gaps && agentData) out.push({ type: 'ActionSet', actions: completeClientActions(ctx, agentData) });
  return out;
}

/** Level 1's form to complete a writable (HubSpot) record: ERP system, customisation summary, a new admin contact. */
function completeClientActions(ctx: Extract<ClientContext, { state: 'found' }>, data: Record<string, string>): Json[] {
  if (!ctx.writable) return [];
  const shown = shownValuesOf(ctx.record);
  return [
    showCard(
      'Complete client record',
      [
        textInput('erp', 'ERP system', { value: ctx.record.erp ?? '', maxLength: 500 }),
        textInput('customisations', 'Customisation summary', {
          value: ctx.record.customisations ?? '',
          multiline: true,
        }),
        label('Add an administrative contact (optional)', { weight: 'Bolder', spacing: 'Medium' }),
        textInput('contactName', 'Contact name', { maxLength: 200 }),
        textInput('contactEmail', 'Contact email', { maxLength: 254 }),
        textInput('contactPhone', 'Contact phone', { maxLength: 50 }),
        textInput('contactRole', 'Contact role', { maxLength: 200, placeholder: 'Finance systems admin' }),
      ],
      execute('Save to HubSpot', Action.CompleteClient, {
        ...data,
        shownErp: shown.erp,
        shownCustomisations: shown.customisations,
      }),
    ),
  ];
}

function recordElements(
  ctx: Extract<ClientContext, { state: 'found' }>,
  size: 'compact' | 'card' | 'full',
): CardElement[] {
  const r = ctx.record;
  const tier = tierLine(ctx);
  const out: CardElement[] = [field('Client', tier ? `${r.name} · ${tier}` : r.name, 300)];
  out.push(field('ERP', r.erp ?? 'not recorded', 200));
  const max = size === 'full' ? 8 : size === 'card' ? 4 : 2;
  if (r.adminContacts.length === 0) out.push(field('Admin contacts', 'none recorded', 100));
  else {
    out.push(label('Admin contacts', { weight: 'Bolder', spacing: 'Small' }));
    for (const c of r.adminContacts.slice(0, max)) out.push(plain(`• ${contactLine(c)}`, 250, { spacing: 'None' }));
    if (r.adminContacts.length > max) out.push(plain(`…and ${r.adminContacts.length - max} more`, 50));
  }
  out.push(
    field('Customisations', r.customisations ?? 'none recorded', size === 'full' ? 1500 : size === 'card' ? 600 : 200),
  );
  return out;
}

/** `client SR-n`: the whole record as a card. */
export function clientRecordCard(v: TicketView): Json {
  const ctx = v.clientContext;
  const head = plain(`${v.number} · ${v.title}`, 300, { isSubtle: true });
  if (!ctx) return adaptiveCard([label('This ticket names no client.'), head]);
  if (ctx.state !== 'found') return adaptiveCard([...clientElements(v, 'triage', false), head]);
  const body = [...recordElements(ctx, 'full'), head];
  const gaps = gapsLine(ctx);
  if (gaps) body.push(plain(gaps, 400, { color: 'Warning' }));
  if (gaps) body.push({ type: 'ActionSet', actions: completeClientActions(ctx, { ticket: v.number, card: 'view' }) });
  if (ctx.record.domains.length) body.push(field('Domains', ctx.record.domains.join(', '), 300));
  const actions = ctx.record.url?.startsWith('https://')
    ? [{ type: 'Action.OpenUrl', title: 'Open in HubSpot', url: ctx.record.url }]
    : [];
  return adaptiveCard(body, actions);
}
