import { clampCardKind } from '../../domain/ticket/access';
import { Action } from '../actions';
import { developmentLines } from '../development-view';
import { forRequester, linkLines, type TicketView } from '../ticket-view';
import { execute } from './actions';
import type { CardChoices } from './choices';
import { clientElements } from './client-section';
import { followUpActions, followUpElements } from './follow-up';
import {
  adaptiveCard,
  CARD_BYTES_MAX,
  type CardElement,
  cardBytes,
  facts,
  field,
  type Json,
  label,
  plain,
} from './text';
import { agentTeamTicketingActions, agentTriageActions, requesterActions } from './ticket-actions';

/** Which card about a ticket: where it is posted decides the actions it offers. */
export type TicketCardKind = 'triage' | 'teamTicketing' | 'requester' | 'alert' | 'view';
export const TICKET_CARD_KINDS: readonly TicketCardKind[] = ['triage', 'teamTicketing', 'requester', 'alert', 'view'];

/** Who is looking: agents get the agent actions, the requester the requester's, anyone else none. */
export type Viewer = 'agent' | 'requester' | 'other';

export interface TicketCardOptions {
  kind: TicketCardKind;
  viewer: Viewer;
  choices: CardChoices;
  /** A line above the ticket, e.g. the notice that caused the post (plain text). */
  headline?: string;
  /** Teams user ids whose clients refresh the card on view (Universal Actions, at most 60). */
  refreshUserIds?: string[];
  /** A person to @mention in the headline. */
  mention?: { userId: string; name: string } | null;
}

const CONDITION_WORDS = { on_track: 'On track', at_risk: 'At risk', breached: 'Breached' } as const;
const CONDITION_COLOUR = { on_track: 'Good', at_risk: 'Warning', breached: 'Attention' } as const;

function body(v: TicketView, o: TicketCardOptions, compact: boolean): CardElement[] {
  const full = o.kind === 'teamTicketing' && !compact;
  const out: CardElement[] = [];
  if (o.mention) out.push(label(`<at>${mentionName(o.mention.name)}</at>`, { spacing: 'None' }));
  if (o.headline) out.push(plain(o.headline, 500, { italic: true }));
  out.push({
    type: 'RichTextBlock',
    inlines: [
      { type: 'TextRun', text: `${v.number} · `, weight: 'Bolder', size: 'Medium' },
      { type: 'TextRun', text: v.title || '(no summary)', weight: 'Bolder', size: 'Medium' },
    ],
  });
  out.push(
    label(`${CONDITION_WORDS[v.condition]} · ${v.status.name}`, {
      color: CONDITION_COLOUR[v.condition],
      spacing: 'None',
      isSubtle: v.condition === 'on_track',
    }),
  );
  const pairs: Array<[string, string]> = [
    ['Severity', `${v.severity.value} (${v.severity.name})`],
    ['Priority', `${v.priority.value} (${v.priority.name})`],
    ['Team', v.team.name],
    ['Category', v.category?.name ?? 'Not set'],
    ['Requester', v.requester.name],
    ['Assignee', v.assignee?.name ?? 'Nobody yet'],
    ['Request type', v.requestType],
  ];
  if (v.escalation.level > 0) pairs.push(['Escalation', `Level ${v.escalation.level} (${v.escalation.name})`]);
  pairs.push(...developmentLines(v.development));
  if (v.quote) pairs.push(['Quote', v.quote]);
  if (v.closeReason) pairs.push(['Closed as', v.closeReason.name]);
  pairs.push(...linkLines(v.links));
  if (v.alert.breachedAt) pairs.push(['Breached', v.alert.breachedAt]);
  if (v.alert.acknowledgedBy)
    pairs.push([
      'Acknowledged by',
      `${v.alert.acknowledgedBy}${v.alert.acknowledgedAt ? ` at ${v.alert.acknowledgedAt}` : ''}`,
    ]);
  out.push(facts(pairs));
  if (o.kind === 'triage' && v.triage) {
    // Triage's reasons beside the values it suggested, so an agent can correct them with the selects below.
    out.push(plain(`Why severity ${v.severity.value}: ${v.triage.severity}`, 400, { isSubtle: true }));
    out.push(
      plain(`Why ${v.category?.name ?? 'no category'} → ${v.team.name}: ${v.triage.category}`, 400, { isSubtle: true }),
    );
  }
  const agentData =
    o.viewer === 'agent' && !v.closed ? { ticket: v.number, card: o.kind, rev: String(v.version) } : null;
  const suggested = v.incidentSuggestion;
  if (o.kind === 'triage' && agentData && suggested) {
    // "Part of SR-n?": one button links the request to the open incident it looks like.
    out.push(plain(`Looks like incident ${suggested.number} (${suggested.title}): part of it?`, 300));
    out.push({
      type: 'ActionSet',
      actions: [
        execute(`Part of ${suggested.number}`, Action.Link, {
          ...agentData,
          linkKind: 'part_of',
          linkTo: suggested.number,
        }),
      ],
    });
  }
  out.push(...clientElements(v, o.kind, compact, agentData));
  if (o.kind === 'alert' && o.viewer === 'agent') out.push(...followUpElements(v));
  if (v.businessImpact) out.push(field('Business impact', v.businessImpact, compact ? 300 : 1000));
  if (v.description) {
    out.push(label('Description', { weight: 'Bolder', spacing: 'Medium' }));
    out.push(plain(v.description, compact ? 800 : full ? 6000 : 1500));
  }
  if (v.evidence.length > 0) {
    out.push(label('Evidence', { weight: 'Bolder', spacing: 'Medium' }));
    for (const e of v.evidence.slice(0, compact ? 3 : 10)) out.push(plain(`• ${e}`, 300, { spacing: 'None' }));
  }
  if (v.sourceLink) out.push(field('Source', v.sourceLink, 300));
  for (const line of v.sla) out.push(plain(line, 300, { isSubtle: true }));
  if (v.conversation.length > 0) {
    // The latest exchange on every card (more of it on Team Ticketing), internal notes marked.
    out.push(label(full ? 'Conversation so far' : 'Latest messages', { weight: 'Bolder', spacing: 'Medium' }));
    for (const m of full ? v.conversation : v.conversation.slice(-3))
      out.push(plain(`${m.at} ${m.author}${m.internal ? ' (internal note)' : ''}: ${m.text}`, full ? 600 : 300));
  }
  if (full && v.history.length > 0) {
    out.push(label('History', { weight: 'Bolder', spacing: 'Medium' }));
    for (const h of v.history) out.push(plain(h, 300, { isSubtle: true }));
  } else if (v.lastAction) {
    out.push(plain(`Last: ${v.lastAction}`, 300, { isSubtle: true }));
  }
  return out;
}

/** Names inside <at>…</at> must not close the tag or carry markup. */
function mentionName(name: string): string {
  return name.replace(/[<>&]/g, '').slice(0, 100) || 'someone';
}

function actionsFor(v: TicketView, o: TicketCardOptions): Json[] {
  if (o.viewer === 'other') return [];
  // The version says which rendering was clicked: a double click on it acts once.
  const d = { ticket: v.number, card: o.kind, rev: String(v.version) };
  // Closed: only the requester's rating, when the reason it was closed with asks for one.
  // The Team Lead's low-CSAT card: the follow-up's actions, open or closed ticket alike.
  if (o.kind === 'alert' && o.viewer === 'agent' && v.followUp?.open) {
    const ack = v.alert.breachedAt && !v.alert.settled && !v.closed;
    return [
      ...(ack ? [execute('Acknowledge', Action.Acknowledge, d, { style: 'positive' })] : []),
      ...followUpActions(v, d),
    ];
  }
  if (v.closed)
    return o.viewer === 'requester' && v.rateable && (o.kind === 'view' || o.kind === 'requester')
      ? requesterActions(v, d, o.choices)
      : [];
  if (o.viewer === 'requester')
    return o.kind === 'view' || o.kind === 'requester' ? requesterActions(v, d, o.choices) : [];
  switch (o.kind) {
    case 'triage':
      return agentTriageActions(v, d, o.choices);
    case 'teamTicketing':
      return agentTeamTicketingActions(v, d, o.choices);
    case 'alert':
      return v.alert.breachedAt && !v.alert.settled
        ? [execute('Acknowledge', Action.Acknowledge, d, { style: 'positive' })]
        : [];
    case 'requester':
      return [];
    case 'view':
      return v.inTeamTicketing ? agentTeamTicketingActions(v, d, o.choices) : agentTriageActions(v, d, o.choices);
  }
}

/**
 * A ticket card: the view, and the actions the viewer's role allows on this kind of card. With
 * `refreshUserIds`, Teams asks for a per-viewer version (`card.refresh`) when each of them opens it.
 */
export function ticketCard(view: TicketView, opts: TicketCardOptions): Json {
  // Anyone but an agent gets a requester's card, whatever kind was asked for; it never carries internal notes.
  const o = { ...opts, kind: clampCardKind(opts.kind, opts.viewer === 'agent' ? 'agent' : 'requester') };
  const v = o.kind === 'requester' || o.viewer !== 'agent' ? forRequester(view) : view;
  const extra: Json = {};
  if (o.refreshUserIds && o.refreshUserIds.length > 0) {
    extra.refresh = {
      action: { type: 'Action.Execute', verb: Action.RefreshCard, data: { ticket: v.number, card: o.kind } },
      userIds: [...new Set(o.refreshUserIds)].slice(0, 60),
    };
  }
  if (o.mention) {
    const text = `<at>${mentionName(o.mention.name)}</at>`;
    extra.msteams = {
      width: 'Full',
      entities: [{ type: 'mention', text, mentioned: { id: o.mention.userId, name: o.mention.name } }],
    };
  }
  const card = adaptiveCard(body(v, o, false), actionsFor(v, o), extra);
  if (cardBytes(card) <= CARD_BYTES_MAX) return card;
  return adaptiveCard(body(v, o, true), actionsFor(v, o), extra);
}
