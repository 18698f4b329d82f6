import { Action } from '../actions';
import type { TicketView } from '../ticket-view';
import { type Block, button, type Option, staticSelect } from './blocks';
import type { SlackChoices } from './ticket-card';

/** The agent cards' controls, one per move: write, reply, assign, correct triage, record a quote. */

/**
 * Buttons every agent card offers: a plain update to the requester, a note the requester never sees, and an
 * escalation the requester asked for by phone or email (recorded on their behalf, bounded by the ladder).
 */
export const talkButtons = (v: TicketView): Block[] => [
  button('Message requester', Action.MessageRequester, v.number),
  button('Internal note', Action.InternalNote, v.number),
  ...(v.closed ? [] : [button('Customer escalation…', Action.CustomerEscalate, v.number)]),
];

/** A canned reply (policy `replies:`): the choice opens a preview, filled from the ticket, to edit and send. */
export const replySelect = (v: TicketView): Block[] =>
  v.replies.length === 0
    ? []
    : [
        staticSelect(
          'Canned reply…',
          Action.Reply,
          v.replies.map((r) => ({ text: r.label, value: r.id })),
        ),
      ];

/** The owning team's people (away ones say so), and "Nobody" when someone has it: assign, reassign, unassign. */
export function assignSelect(v: TicketView): Block {
  const people: Option[] = v.teamPeople.map((p) => ({
    text: `${p.name}${p.away ? ` (away until ${p.away})` : ''}`,
    value: p.id,
  }));
  if (v.assignee) people.push({ text: 'Nobody (unassign)', value: 'nobody' });
  return staticSelect('Assign to', Action.AssignTo, people, v.assignee?.personId ?? undefined);
}

export const categorySelect = (v: TicketView, c: SlackChoices): Block =>
  staticSelect(
    'Category',
    Action.SetCategory,
    c.categories.map((x) => ({ text: x.name, value: x.id })),
    v.category?.id,
  );
export const teamSelect = (v: TicketView, c: SlackChoices): Block =>
  staticSelect(
    'Team',
    Action.SetTeam,
    c.teams.map((t) => ({ text: t.name, value: t.id })),
    v.team.id,
  );

export const sevOptions = (c: SlackChoices): Option[] =>
  c.severities.map((s) => ({ text: `${s.value} · ${s.name}`, value: String(s.value), description: s.description }));

/** Quote Required: record the quote sent, then its outcome (each a form). */
export const quoteButtons = (v: TicketView): Block[] =>
  v.status.id !== 'quote_required'
    ? []
    : [
        button(v.quote ? 'Quote sent again…' : 'Quote sent…', Action.QuoteSent, v.number),
        ...(v.quote ? [button('Quote outcome…', Action.QuoteOutcome, v.number)] : []),
      ];
