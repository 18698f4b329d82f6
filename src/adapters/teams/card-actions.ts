import { z } from 'zod';
import type { UseCaseResult } from '../../app/context';
import { followUpCalled, followUpNote } from '../../app/follow-up';
import { sendArticle } from '../../app/knowledge';
import { sendCannedReply } from '../../app/replies';
import * as uc from '../../app/ticket-actions';
import { linkTicket, unlinkFromIncident } from '../../app/ticket-links';
import type { App } from '../../bootstrap';
import { Action, type ActionId } from '../../cards/actions';
import { TICKET_CARD_KINDS, type TicketCardKind } from '../../cards/teams';
import {
  DEVELOPMENT_ROUTES,
  DEVELOPMENT_STATUSES,
  type Priority,
  type Severity,
  SUPPORT_STATUSES,
  TEAM_IDS,
} from '../../config/policy.schema';
import { parseAmount } from '../../domain/ticket/quote';
import { type Actor, CLOSE_REASONS } from '../../domain/ticket/ticket';
import { BadActionError } from './errors';

const ticketNumber = z.string().regex(/^SR-[1-9]\d{0,9}$/, { error: 'ticket must be a ticket number like SR-12' });
const text = (max: number) => z.string().max(max, { error: `at most ${max} characters` });
const severity = z
  .union([z.enum(['1', '2', '3', '4']), z.literal([1, 2, 3, 4])])
  .transform((v) => Number(v) as Severity);
const base = z.object({
  ticket: ticketNumber,
  card: z.enum(TICKET_CARD_KINDS).optional(),
  /** The ticket version the card was rendered at. */
  rev: z
    .string()
    .regex(/^\d{1,12}$/)
    .optional(),
});

/** Every card verb Teams may send about an existing ticket, with the data it must carry. */
const SCHEMAS = {
  [Action.AssignToMe]: base,
  [Action.Take]: base,
  [Action.AssignTo]: base.extend({ assignee: z.string().min(1).max(100) }),
  [Action.Close]: base.extend({
    closeReason: z.enum(CLOSE_REASONS, { error: 'choose why the ticket is closed' }),
    duplicateOf: text(40).optional(),
    closeNote: text(2000).optional(),
  }),
  [Action.Link]: base.extend({
    linkKind: z.enum(['part_of', 'related_to', 'unlink'], { error: 'choose how to link it' }),
    linkTo: text(40).optional(),
  }),
  [Action.SetSeverity]: base.extend({ severity }),
  [Action.SetPriority]: base.extend({ priority: severity }),
  [Action.OpenTicket]: base,
  [Action.SetTeam]: base.extend({ team: z.enum(TEAM_IDS) }),
  [Action.SetCategory]: base.extend({ category: text(100), team: z.enum(TEAM_IDS).optional() }),
  [Action.RequestInfo]: base.extend({ question: text(2000) }),
  [Action.MessageRequester]: base.extend({ message: text(2000) }),
  [Action.SendArticle]: base.extend({ article: text(100) }),
  [Action.InternalNote]: base.extend({ internalNote: text(2000) }),
  /** A canned reply's id: looked up in the policy (its text and status move), never taken from the card. */
  [Action.PreviewReply]: base.extend({ reply: text(100) }),
  [Action.Reply]: base.extend({ reply: text(100), message: text(2000) }),
  [Action.Resolve]: base.extend({ note: text(2000).optional() }),
  [Action.EscalateTeamTicketing]: base.extend({ note: text(2000).optional() }),
  [Action.ChangeStatus]: base.extend({ status: z.enum(SUPPORT_STATUSES) }),
  [Action.EscalateDevelopment]: base.extend({ route: z.enum(DEVELOPMENT_ROUTES) }),
  [Action.AdvanceDevelopment]: base.extend({
    devStatus: z.enum(DEVELOPMENT_STATUSES),
    releaseNote: text(2000).optional(),
  }),
  [Action.SwitchRoute]: base.extend({ route: z.enum(DEVELOPMENT_ROUTES), routeReason: text(2000) }),
  [Action.RoadmapDecision]: base.extend({
    roadmapDecision: z.enum(['accepted', 'declined'], { error: 'choose accepted or declined' }),
    roadmapTarget: text(20).optional(),
    roadmapReason: text(2000),
  }),
  [Action.QuoteSent]: base.extend({ quoteAmount: text(30), quoteCurrency: text(10), quoteSentTo: text(200) }),
  [Action.QuoteOutcome]: base.extend({
    quoteDecision: z.enum(['accepted', 'declined'], { error: 'choose accepted or declined' }),
    quoteReason: text(2000),
  }),
  [Action.PlanRelease]: base.extend({
    release: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'choose a release' }),
  }),
  [Action.FixedYes]: base,
  [Action.FixedNo]: base.extend({ notFixedReason: text(2000).optional() }),
  [Action.Csat]: base.extend({
    score: z.union([z.enum(['1', '2', '3', '4', '5']), z.literal([1, 2, 3, 4, 5])]).transform(Number),
    comment: text(2000).optional(),
  }),
  [Action.CustomerEscalate]: base.extend({
    reason: text(2000),
    impact: text(2000).optional(),
    priority: z.union([z.literal(''), severity]).optional(),
    /** The same choice on an agent's card (its `priority` input is the priority select). */
    escalationPriority: z.union([z.literal(''), severity]).optional(),
    /** An agent recording the requester's escalation that came by phone or email. */
    via: z.enum(['phone', 'email', 'self', '']).optional(),
  }),
  [Action.Acknowledge]: base,
  [Action.FollowUpCalled]: base,
  [Action.FollowUpNote]: base.extend({ followUpNote: text(2000), tell: z.enum(['team', 'requester']).optional() }),
  [Action.RefreshCard]: base,
} as const;

export type TicketVerb = keyof typeof SCHEMAS;
type Parsed<V extends TicketVerb> = z.output<(typeof SCHEMAS)[V]>;

export function isTicketVerb(verb: unknown): verb is TicketVerb {
  return typeof verb === 'string' && Object.hasOwn(SCHEMAS, verb);
}

/** The card each verb re-renders when the data does not say. */
const DEFAULT_CARD: Partial<Record<ActionId, TicketCardKind>> = {
  [Action.Take]: 'teamTicketing',
  [Action.OpenTicket]: 'view',
  [Action.ChangeStatus]: 'teamTicketing',
  [Action.EscalateDevelopment]: 'teamTicketing',
  [Action.AdvanceDevelopment]: 'teamTicketing',
  [Action.SwitchRoute]: 'teamTicketing',
  [Action.RoadmapDecision]: 'teamTicketing',
  [Action.PlanRelease]: 'teamTicketing',
  [Action.FixedYes]: 'requester',
  [Action.FixedNo]: 'requester',
  [Action.Csat]: 'requester',
  [Action.CustomerEscalate]: 'requester',
  [Action.Acknowledge]: 'alert',
  [Action.FollowUpCalled]: 'alert',
  [Action.FollowUpNote]: 'alert',
};

export interface ParsedAction {
  verb: TicketVerb;
  ticket: string;
  card: TicketCardKind;
  data: Parsed<TicketVerb>;
}

/** Validate a card's `data` for `verb` at the edge: anything else is a BadActionError (400). */
export function parseTicketAction(verb: unknown, data: unknown): ParsedAction {
  if (!isTicketVerb(verb)) throw new BadActionError(`Unknown action "${String(verb).slice(0, 60)}"`);
  const r = SCHEMAS[verb].safeParse(data ?? {});
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new BadActionError(
      `Invalid card data: ${issue ? `${issue.path.join('.') || 'data'} ${issue.message}` : 'bad shape'}`,
    );
  }
  const d = r.data as Parsed<TicketVerb>;
  return { verb, ticket: d.ticket, card: d.card ?? DEFAULT_CARD[verb] ?? 'triage', data: d };
}

/** Run the use case a verb stands for. RefreshCard changes nothing (null). */
export async function runTicketAction(
  app: App,
  a: ParsedAction,
  actor: Actor,
  opKey: string,
): Promise<UseCaseResult | null> {
  const cmd = { number: a.ticket, actor, opKey };
  const d = a.data as Record<string, unknown>;
  const s = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '');
  switch (a.verb) {
    case Action.RefreshCard:
    case Action.OpenTicket:
    case Action.PreviewReply: // answered with the preview card (see replies.ts), never a change
      return null;
    case Action.AssignToMe:
    case Action.Take:
      return uc.assignToMe(app, cmd);
    case Action.AssignTo: {
      const to = s('assignee');
      if (to !== 'nobody' && !Object.hasOwn(app.policy.people, to))
        throw new BadActionError('Invalid card data: assignee');
      return uc.assignTo(app, cmd, to === 'nobody' ? null : to);
    }
    case Action.Close:
      return uc.closeWithReason(app, cmd, {
        reason: d.closeReason as Parsed<typeof Action.Close>['closeReason'],
        ...(s('closeNote') ? { note: s('closeNote') } : {}),
        ...(s('duplicateOf') ? { duplicateOf: s('duplicateOf') } : {}),
      });
    case Action.Link:
      if (d.linkKind === 'unlink') return unlinkFromIncident(app, cmd);
      return linkTicket(app, cmd, { kind: d.linkKind as 'part_of' | 'related_to', to: s('linkTo') });
    case Action.SetSeverity:
      return uc.setSeverity(app, cmd, d.severity as Severity);
    case Action.SetPriority:
      return uc.setPriority(app, cmd, d.priority as Priority);
    case Action.SetTeam:
      return uc.setTeam(app, cmd, d.team as Parsed<typeof Action.SetTeam>['team']);
    case Action.SetCategory:
      return uc.setCategory(app, cmd, {
        categoryId: s('category'),
        ...(d.team ? { team: d.team as Parsed<typeof Action.SetCategory>['team'] & string } : {}),
      });
    case Action.RequestInfo:
      return uc.requestInfo(app, cmd, s('question'));
    case Action.MessageRequester:
      return uc.addMessage(app, cmd, s('message'));
    case Action.InternalNote:
      return uc.addInternalNote(app, cmd, s('internalNote'));
    case Action.SendArticle:
      return sendArticle(app, cmd, s('article'));
    case Action.Reply:
      return sendCannedReply(app, cmd, { replyId: s('reply'), text: s('message') });
    case Action.Resolve:
      return uc.resolve(app, cmd, s('note'));
    case Action.EscalateTeamTicketing:
      return uc.escalateToTeamTicketing(app, cmd, s('note'));
    case Action.ChangeStatus:
      return uc.changeStatus(app, cmd, d.status as Parsed<typeof Action.ChangeStatus>['status']);
    case Action.EscalateDevelopment:
      return uc.escalateToDevelopment(app, cmd, d.route as Parsed<typeof Action.EscalateDevelopment>['route']);
    case Action.AdvanceDevelopment:
      return uc.advanceDevelopmentStatus(app, cmd, {
        to: d.devStatus as Parsed<typeof Action.AdvanceDevelopment>['devStatus'],
        ...(s('releaseNote') ? { releaseNote: s('releaseNote') } : {}),
      });
    case Action.SwitchRoute:
      return uc.switchRoute(app, cmd, {
        to: d.route as Parsed<typeof Action.SwitchRoute>['route'],
        reason: s('routeReason'),
      });
    case Action.RoadmapDecision:
      return uc.decideRoadmap(app, cmd, {
        decision: d.roadmapDecision as 'accepted' | 'declined',
        target: s('roadmapTarget') && s('roadmapTarget') !== 'roadmap' ? s('roadmapTarget') : null,
        reason: s('roadmapReason'),
      });
    case Action.PlanRelease:
      return uc.planRelease(app, cmd, s('release'));
    case Action.QuoteSent:
      return uc.recordQuoteSent(app, cmd, {
        amount: parseAmount(s('quoteAmount')),
        currency: s('quoteCurrency'),
        sentTo: s('quoteSentTo'),
      });
    case Action.QuoteOutcome:
      return uc.recordQuoteOutcome(app, cmd, {
        decision: d.quoteDecision as 'accepted' | 'declined',
        reason: s('quoteReason'),
      });
    case Action.FixedYes:
      return uc.confirmFixed(app, cmd);
    case Action.FixedNo:
      return uc.reopen(app, cmd, s('notFixedReason') || 'Not fixed');
    case Action.Csat:
      return uc.recordCsat(app, cmd, { score: d.score as number, ...(s('comment') ? { comment: s('comment') } : {}) });
    case Action.CustomerEscalate:
      return uc.customerEscalation(app, cmd, {
        reason: s('reason'),
        ...(s('impact') ? { businessImpact: s('impact') } : {}),
        ...(typeof d.priority === 'number' ? { priority: d.priority as Priority } : {}),
        ...(typeof d.priority !== 'number' && typeof d.escalationPriority === 'number'
          ? { priority: d.escalationPriority as Priority }
          : {}),
        ...(d.via === 'phone' || d.via === 'email' ? { via: d.via } : {}),
      });
    case Action.Acknowledge:
      return uc.acknowledgeAlert(app, cmd);
    case Action.FollowUpCalled:
      return followUpCalled(app, cmd);
    case Action.FollowUpNote:
      return followUpNote(app, cmd, { text: s('followUpNote'), toRequester: d.tell === 'requester' });
  }
}
