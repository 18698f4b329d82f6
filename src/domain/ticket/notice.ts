import type { ChannelName } from '../../config/policy.schema';
import type { ClockKind } from '../sla/sla-clock';
import type { Actor } from './ticket';

/** Where a notification goes: a configured channel, a person we know by platform id, or a policy person. */
export type Audience =
  | { kind: 'channel'; channel: ChannelName }
  | { kind: 'user'; actor: Pick<Actor, 'platform' | 'userId' | 'name'> }
  | { kind: 'person'; personId: string }
  /** Every card already posted about the ticket (refreshed in place). */
  | { kind: 'posts' }
  /** The thread of the ticket's working card (Team Ticketing once escalated, else triage); its channel when none is posted yet. */
  | { kind: 'cardThread' };

export type NoticeType =
  | 'ticket.raised' // triage card to the triage channel
  | 'ticket.sev1' // immediate escalation: Development triage and the Team Lead
  | 'ticket.team_ticketing' // the full ticket to the Team Ticketing channel
  | 'ticket.cards_changed' // every posted card is refreshed in place
  | 'ticket.development' // the Team Ticketing card to the development triage channel (escalated to Development)
  | 'ticket.admin' // the Team Ticketing card to the Admin channel (routed to Administrative Staff)
  | 'ticket.release_notes' // a release gone live: its notes, once, to the Team Ticketing channel
  | 'ticket.quote' // the Team Ticketing card to whoever quotes chargeable work (Quote Required)
  | 'agent.requester_wrote' // the requester's words, to the assignee (or the card's thread)
  | 'ticket.assigned' // the ticket's card, to the person it was assigned to (a DM)
  | 'agent.assignment' // the previous assignee is told who reassigned or unassigned it
  | 'csat.low' // a low score or a complaint, to the Team Lead and the managers channel
  | 'requester.update' // a plain message to the requester
  | 'requester.info_requested'
  | 'requester.is_it_fixed'
  | 'requester.csat'
  | 'requester.reminder'
  | 'customer.escalation'
  | 'sla.warning'
  | 'sla.breach'
  | 'sla.ladder'
  | 'dev.target_missed' // a development target (accept, allocate to a release) missed: to the Dev Lead
  | 'digest.daily'
  | 'digest.weekly' // the first digest of a week: last week's summary with a chart image
  | 'delivery.trouble'; // a platform keeps failing (or answers again): told to the managers on another platform

/**
 * A notification the domain wants delivered. `key` is deterministic: the same state change or
 * sweep produces the same key, so creating it twice (or on three replicas) stores one.
 */
export interface Notice {
  key: string;
  type: NoticeType;
  ticket: string | null;
  audience: Audience;
  /** Plain text (no markup); adapters escape and render it. */
  text: string;
  clock?: ClockKind;
  level?: number;
  /** A policy person to @mention in a channel post (the contact for the ladder level). */
  mention?: string;
  /** The real instant of the event (a breach), kept for notices sent late. */
  at?: Date;
  /** A chart to draw and attach as an image when delivered (the outbox keeps the figures, not the picture). */
  chart?: WeeklyChart;
}

/** The weekly summary's chart: one group of bars per week, oldest first. */
export interface WeeklyChart {
  title: string;
  weeks: Array<{
    /** The week's Monday, as shown under its bars (e.g. "9 Mar"). */
    label: string;
    raised: number;
    /** Tickets resolved in the week within their resolution target, and past it. */
    met: number;
    breached: number;
  }>;
}
