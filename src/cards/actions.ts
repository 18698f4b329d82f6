import type { TicketAction } from '../domain/ticket/access';

/**
 * Every card action in one place: Slack `action_id`s / `callback_id`s and Teams `Action.Execute`
 * verbs share these names, so both platforms route to the same use case.
 */
export const Action = {
  // Triage card (Level 1)
  AssignToMe: 'ticket.assign_me',
  // Assign to a person of the owning team, reassign or unassign (the select's value: a person id, or `nobody`)
  AssignTo: 'ticket.assign_to',
  SetSeverity: 'ticket.set_severity',
  SetPriority: 'ticket.set_priority',
  SetCategory: 'ticket.set_category',
  SetTeam: 'ticket.set_team',
  RequestInfo: 'ticket.request_info',
  Resolve: 'ticket.resolve',
  EscalateTeamTicketing: 'ticket.escalate_team_ticketing',
  // Any agent card: a plain update to the requester (no status change), an internal note (agents only)
  MessageRequester: 'ticket.message_requester',
  InternalNote: 'ticket.internal_note',
  // A canned reply (policy `replies:`): picked (Slack select / Teams choice), previewed, then sent
  Reply: 'ticket.reply',
  PreviewReply: 'ticket.reply_preview',
  // Team Ticketing card (Level 2, Admin, Development)
  Take: 'ticket.take',
  ChangeStatus: 'ticket.change_status',
  // Close with a reason (duplicate of SR-n, withdrawn, spam, resolved elsewhere), from any open status
  Close: 'ticket.close',
  // Link to another ticket (part of an incident, related to) or unlink from its incident
  Link: 'ticket.link',
  EscalateDevelopment: 'ticket.escalate_development',
  AdvanceDevelopment: 'ticket.advance_development',
  // Switch the development route with a reason (as the policy's development.routes allows)
  SwitchRoute: 'ticket.switch_route',
  // Product's roadmap decision on a change request (accepted for a release or the roadmap, or declined)
  RoadmapDecision: 'ticket.roadmap_decision',
  // Quote Required: the quote sent (amount, currency, to whom), then its outcome (accepted / declined, with a reason)
  QuoteSent: 'ticket.quote_sent',
  // Plan a fix waiting for a release into one of the coming releases (or move it)
  PlanRelease: 'ticket.plan_release',
  QuoteOutcome: 'ticket.quote_outcome',
  // Requester
  FixedYes: 'requester.fixed_yes',
  FixedNo: 'requester.fixed_no',
  Csat: 'requester.csat',
  // Low CSAT follow-up (the Team Lead's card): the requester was called; a note ("you said, we did" tells them)
  FollowUpCalled: 'ticket.follow_up_called',
  FollowUpNote: 'ticket.follow_up_note',
  CustomerEscalate: 'requester.escalate',
  // Alerts
  Acknowledge: 'alert.acknowledge',
  // Intake
  OpenForm: 'intake.open_form',
  RaiseNow: 'intake.raise_now',
  /** "Add me to SR-n": raise the request already part of the open incident intake found. */
  JoinIncident: 'intake.join_incident',
  SubmitForm: 'intake.submit',
  AnswerQuestion: 'intake.answer',
  // Knowledge answer before a raise: "Yes, that solved it" / "No, raise a ticket"
  KnowledgeSolved: 'intake.knowledge_solved',
  KnowledgeRaise: 'intake.knowledge_raise',
  // An agent sends a knowledge article to the requester (select on the agent cards)
  SendArticle: 'ticket.send_article',
  RefreshCard: 'card.refresh',
  // Queue
  OpenTicket: 'queue.open',
  QueueFilter: 'queue.filter',
  // A whole release moved with its tickets (QA in progress, ready, released with its notes, slipped)
  ReleaseMove: 'release.move',
  // Client record (seed 004 §5.9): Level 1 completes it from the triage card
  CompleteClient: 'client.complete',
  // Intake: the client picked from the directory (Slack external_select / Teams Data.Query)
  PickClient: 'client.pick',
} as const;
export type ActionId = (typeof Action)[keyof typeof Action];
export const ACTION_IDS: readonly string[] = Object.values(Action);

/** Slack modal callback ids. */
export const View = {
  Intake: 'helpline.intake',
  RequestInfo: 'helpline.request_info',
  Resolve: 'helpline.resolve',
  CustomerEscalate: 'helpline.customer_escalate',
  Csat: 'helpline.csat',
  FollowUpNote: 'helpline.follow_up_note',
  ReleaseNote: 'helpline.release_note',
  ReleaseNotes: 'helpline.release_notes',
  SwitchRoute: 'helpline.switch_route',
  RoadmapDecision: 'helpline.roadmap_decision',
  QuoteSent: 'helpline.quote_sent',
  QuoteOutcome: 'helpline.quote_outcome',
  CompleteClient: 'client.complete_record',
  MessageRequester: 'helpline.message_requester',
  InternalNote: 'helpline.internal_note',
  Reply: 'helpline.reply',
  Close: 'helpline.close',
  Link: 'helpline.link',
} as const;

/** Slack slash command and shortcuts; Teams commands. */
export const Command = {
  Slash: '/ticket',
  MessageShortcut: 'raise_from_message',
  GlobalShortcut: 'raise_ticket',
} as const;

/**
 * What each ticket card action asks of the ticket, for the one authorisation point (src/domain/ticket/access.ts):
 * a form opens, a click runs and a card refreshes only when `authorize` allows this action for this person.
 */
export const ACTION_ACCESS = {
  [Action.AssignToMe]: 'assign',
  [Action.Take]: 'assign',
  [Action.AssignTo]: 'assignTo',
  [Action.SetSeverity]: 'triage',
  [Action.SetPriority]: 'triage',
  [Action.SetCategory]: 'triage',
  [Action.SetTeam]: 'triage',
  [Action.RequestInfo]: 'requestInfo',
  [Action.Resolve]: 'resolve',
  [Action.EscalateTeamTicketing]: 'escalateTeamTicketing',
  [Action.MessageRequester]: 'message',
  [Action.SendArticle]: 'message',
  [Action.InternalNote]: 'internalNote',
  [Action.Reply]: 'reply',
  [Action.PreviewReply]: 'reply',
  [Action.ChangeStatus]: 'changeStatus',
  [Action.Close]: 'close',
  [Action.Link]: 'link',
  [Action.EscalateDevelopment]: 'escalateDevelopment',
  [Action.AdvanceDevelopment]: 'advanceDevelopment',
  [Action.SwitchRoute]: 'escalateDevelopment',
  [Action.RoadmapDecision]: 'advanceDevelopment',
  [Action.QuoteSent]: 'changeStatus',
  [Action.PlanRelease]: 'advanceDevelopment',
  [Action.QuoteOutcome]: 'changeStatus',
  [Action.FixedYes]: 'confirmFixed',
  [Action.FixedNo]: 'confirmFixed',
  [Action.Csat]: 'csat',
  [Action.FollowUpCalled]: 'followUp',
  [Action.FollowUpNote]: 'followUp',
  [Action.CustomerEscalate]: 'customerEscalation',
  [Action.Acknowledge]: 'acknowledge',
  [Action.RefreshCard]: 'view',
  [Action.OpenTicket]: 'view',
  [Action.CompleteClient]: 'completeClientRecord',
} as const satisfies Partial<Record<ActionId, TicketAction>>;

/** The ticket action a card action id stands for (unknown ids: the narrowest, `view`). */
export function accessOf(id: string): TicketAction {
  return (ACTION_ACCESS as Record<string, TicketAction>)[id] ?? 'view';
}
