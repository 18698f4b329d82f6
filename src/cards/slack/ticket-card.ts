import { clampCardKind } from '../../domain/ticket/access';
import { Action } from '../actions';
import { developmentLines } from '../development-view';
import { forRequester, linkLines, type TicketView } from '../ticket-view';
import {
  actions,
  type Block,
  button,
  context,
  divider,
  fields,
  fitMessage,
  header,
  type SlackMessage,
  section,
  staticSelect,
} from './blocks';
import { clientBlocks } from './client-section';
import { followUpBlocks } from './follow-up';
import { escapeMrkdwn, inertPlain, LIMITS, userText } from './text';
import {
  assignSelect,
  categorySelect,
  quoteButtons,
  replySelect,
  sevOptions,
  talkButtons,
  teamSelect,
} from './ticket-controls';

/** Which card about a ticket: where it is posted decides the actions it offers. */
export type SlackCardKind = 'triage' | 'teamTicketing' | 'requester' | 'alert' | 'view';

/** Option lists from the policy (see `slackChoices`). */
export interface SlackChoices {
  severities: Array<{ value: number; name: string; description: string }>;
  priorities: Array<{ value: number; name: string; description: string }>;
  teams: Array<{ id: string; name: string }>;
  categories: Array<{ id: string; name: string }>;
  routes: Array<{ id: string; name: string }>;
  /** Knowledge articles an agent may send the requester (policy `knowledge.articles`). */
  articles?: Array<{ id: string; title: string }>;
}

const CONDITION = {
  on_track: ':large_green_circle: On track',
  at_risk: ':warning: At risk',
  breached: ':red_circle: Breached',
} as const;

/**
 * FNV-1a of the rendering: two clicks on the same rendering share a block id (double-click guard).
 * The ticket version makes every rendering distinct, so a card that returns to an earlier state
 * (severity 2 → 3 → 2, reopened and resolved again) never repeats an earlier click's key.
 */
export function cardRevision(v: TicketView): string {
  const basis = JSON.stringify([
    v.version,
    v.status.id,
    v.severity.value,
    v.priority.value,
    v.team.id,
    v.category?.id ?? null,
    v.assignee?.userId ?? null,
    v.inTeamTicketing,
    v.development,
    v.escalation.level,
    v.alert,
    v.lastAction,
    v.history.length,
    v.conversation.length,
  ]);
  let h = 0x811c9dc5;
  for (let i = 0; i < basis.length; i++) {
    h ^= basis.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** The actions block id: `<kind>|<ticket>|<revision>` (not trusted: only used to recognise a repeated click). */
export function cardBlockId(v: TicketView, kind: SlackCardKind, n = 0): string {
  return `${kind}|${v.number}|${cardRevision(v)}|${n}`;
}

function title(v: TicketView): string {
  return `${v.number} · ${v.title || '(no summary)'}`;
}

/** A field value with triage's reason under it, in italics (only on the triage card, where an agent corrects it). */
function withReason(value: string, reason: string | undefined): string {
  return reason ? `${value}\n_${userText(reason, 400)}_` : value;
}

function summaryBlocks(v: TicketView, full: boolean, reasons: boolean, kind: SlackCardKind): Block[] {
  const why = reasons ? v.triage : null;
  const out: Block[] = [header(inertPlain(title(v)))];
  out.push(context(`${CONDITION[v.condition]} · *${escapeMrkdwn(v.status.name)}*`));
  const pairs: Array<[string, string]> = [
    ['Severity', withReason(escapeMrkdwn(`${v.severity.value} (${v.severity.name})`), why?.severity)],
    ['Priority', escapeMrkdwn(`${v.priority.value} (${v.priority.name})`)],
    ['Team', escapeMrkdwn(v.team.name)],
    ['Category', withReason(escapeMrkdwn(v.category?.name ?? 'Not set'), why?.category)],
    ['Requester', escapeMrkdwn(v.requester.name)],
    ['Assignee', escapeMrkdwn(v.assignee?.name ?? 'Nobody yet')],
    ['Request type', escapeMrkdwn(v.requestType)],
  ];
  if (v.escalation.level > 0)
    pairs.push(['Escalation', escapeMrkdwn(`Level ${v.escalation.level} (${v.escalation.name})`)]);
  for (const [label, value] of developmentLines(v.development)) pairs.push([label, userText(value, 600)]);
  if (v.quote) pairs.push(['Quote', userText(v.quote, 600)]);
  if (v.closeReason) pairs.push(['Closed as', escapeMrkdwn(v.closeReason.name)]);
  for (const [label, value] of linkLines(v.links)) pairs.push([label, escapeMrkdwn(value)]);
  if (v.alert.breachedAt) pairs.push(['Breached', escapeMrkdwn(v.alert.breachedAt)]);
  if (v.alert.acknowledgedBy)
    pairs.push([
      'Acknowledged by',
      escapeMrkdwn(`${v.alert.acknowledgedBy}${v.alert.acknowledgedAt ? ` at ${v.alert.acknowledgedAt}` : ''}`),
    ]);
  out.push(...fields(pairs));
  out.push(...clientBlocks(v, kind));
  if (v.businessImpact) out.push(section(`*Business impact*\n${userText(v.businessImpact, full ? 2000 : 600)}`));
  if (v.description) out.push(section(`*Description*\n${userText(v.description, full ? 2900 : 1200)}`));
  if (v.evidence.length > 0) {
    const lines = v.evidence.slice(0, full ? 10 : 3).map((e) => `• ${userText(e, 250)}`);
    out.push(section(`*Evidence*\n${lines.join('\n')}`));
  }
  if (v.sourceLink) out.push(context(`Source: ${userText(v.sourceLink, 500)}`));
  if (v.development?.releaseNote) out.push(section(`*Release note*\n${userText(v.development.releaseNote, 1500)}`));
  if (v.sla.length > 0) out.push(context(v.sla.map((l) => escapeMrkdwn(l)).join('\n')));
  if (v.conversation.length > 0) out.push(conversationBlock(v, full));
  if (full && v.history.length > 0) {
    out.push(section(`*History*\n${v.history.map((h) => userText(h, 300)).join('\n')}`));
  } else if (v.lastAction) {
    out.push(context(`Last: ${userText(v.lastAction, 500)}`));
  }
  return out;
}

/** The latest exchange: every card shows it (the Team Ticketing card more of it), internal notes marked. */
function conversationBlock(v: TicketView, full: boolean): Block {
  const shown = full ? v.conversation : v.conversation.slice(-3);
  const per = full ? 400 : 250;
  const lines = shown.map(
    (m) =>
      `${escapeMrkdwn(m.at)} *${escapeMrkdwn(m.author)}*${m.internal ? ' _(internal note)_' : ''}: ${userText(m.text, per)}`,
  );
  return section(`*${full ? 'Conversation so far' : 'Latest messages'}*\n${lines.join('\n')}`);
}

function triageActions(v: TicketView, c: SlackChoices, kind: SlackCardKind): Block[] {
  const buttons = [
    ...quoteButtons(v),
    button('Assign to me', Action.AssignToMe, v.number),
    button('Request info', Action.RequestInfo, v.number),
    button('Resolve', Action.Resolve, v.number),
    ...talkButtons(v),
    button('Close…', Action.Close, v.number),
    button('Link…', Action.Link, v.number),
  ];
  if (!v.inTeamTicketing)
    buttons.push(button('Escalate to Team Ticketing', Action.EscalateTeamTicketing, v.number, { style: 'primary' }));
  return [
    actions(buttons, cardBlockId(v, kind, 0)),
    actions(
      [
        staticSelect('Severity', Action.SetSeverity, sevOptions(c), String(v.severity.value)),
        staticSelect(
          'Priority',
          Action.SetPriority,
          c.priorities.map((p) => ({
            text: `${p.value} · ${p.name}`,
            value: String(p.value),
            description: p.description,
          })),
          String(v.priority.value),
        ),
        categorySelect(v, c),
        teamSelect(v, c),
        assignSelect(v),
      ],
      cardBlockId(v, kind, 1),
    ),
    ...statusSelect(v, kind),
    ...articleSelect(v, c, kind),
  ];
}

/** "Send article": a knowledge article to the requester, as a message on the ticket (open tickets, when there are any). */
function articleSelect(v: TicketView, c: SlackChoices, kind: SlackCardKind): Block[] {
  const articles = c.articles ?? [];
  if (v.closed || articles.length === 0) return [];
  const options = articles.slice(0, LIMITS.selectOptions).map((a) => ({ text: a.title, value: a.id }));
  return [actions([staticSelect('Send article to requester', Action.SendArticle, options)], cardBlockId(v, kind, 4))];
}

/** Level 1 parks, closes or reopens from the triage card too, within the transition table. */
function statusSelect(v: TicketView, kind: SlackCardKind): Block[] {
  const options = v.nextStatuses.map((s) => ({ text: s.name, value: s.id }));
  const elements = [
    ...(options.length > 0 ? [staticSelect('Change status', Action.ChangeStatus, options)] : []),
    ...replySelect(v),
  ];
  return elements.length === 0 ? [] : [actions(elements, cardBlockId(v, kind, 2))];
}

function teamTicketingActions(v: TicketView, c: SlackChoices, kind: SlackCardKind): Block[] {
  const elements: Block[] = [
    button(v.assignee ? 'Take it over' : 'Take it', Action.Take, v.number, v.assignee ? {} : { style: 'primary' }),
    button('Request info', Action.RequestInfo, v.number),
    ...quoteButtons(v),
    // Level 2 resolves with a note (On Customer Test) from here too.
    ...(v.nextStatuses.some((s) => s.id === 'on_customer_test') ? [button('Resolve', Action.Resolve, v.number)] : []),
    ...talkButtons(v),
    button('Close…', Action.Close, v.number),
    button('Link…', Action.Link, v.number),
  ];
  if (v.nextStatuses.length > 0)
    elements.push(
      staticSelect(
        'Change status',
        Action.ChangeStatus,
        v.nextStatuses.map((s) => ({ text: s.name, value: s.id })),
      ),
    );
  if (!v.development)
    elements.push(
      staticSelect(
        'Escalate to Development',
        Action.EscalateDevelopment,
        c.routes.map((r) => ({ text: r.name, value: r.id })),
      ),
    );
  else if (v.nextDevelopmentStatuses.length > 0)
    elements.push(
      staticSelect(
        'Development status',
        Action.AdvanceDevelopment,
        v.nextDevelopmentStatuses.map((s) => ({ text: s.name, value: s.id })),
      ),
    );
  // A fix waiting for a release: plan it into one of the coming releases (or move it).
  if (v.development?.releaseChoices?.length)
    elements.push(
      staticSelect(
        v.development.release ? 'Move to release…' : 'Plan into release…',
        Action.PlanRelease,
        v.development.releaseChoices.map((r) => ({ text: r.name, value: r.id })),
      ),
    );
  // A change request: Product's roadmap decision, in a form.
  if (v.development?.roadmapTargets) elements.push(button('Roadmap decision…', Action.RoadmapDecision, v.number));
  // The route is a decision that can change (with a reason, asked in a form).
  if (v.development && v.development.routeSwitches.length > 0)
    elements.push(
      staticSelect(
        'Switch route…',
        Action.SwitchRoute,
        v.development.routeSwitches.map((r) => ({ text: r.name, value: r.id })),
      ),
    );
  return [
    actions(elements, cardBlockId(v, kind, 0)),
    actions([assignSelect(v), categorySelect(v, c), teamSelect(v, c), ...replySelect(v)], cardBlockId(v, kind, 1)),
    ...articleSelect(v, c, kind),
  ];
}

/** The requester's buttons: is it fixed (On Customer Test), CSAT (Pending Closure), escalate. */
export function requesterActions(v: TicketView, kind: SlackCardKind = 'requester'): Block[] {
  if (v.closed && !v.rateable) return [];
  const out: Block[] = [];
  if (v.status.id === 'on_customer_test')
    out.push(
      actions(
        [
          button('Yes, it is fixed', Action.FixedYes, v.number, { style: 'primary' }),
          button('No, still broken', Action.FixedNo, v.number, { style: 'danger' }),
        ],
        cardBlockId(v, kind, 0),
      ),
    );
  if (v.rateable)
    out.push(
      section('*How did we do?* Rate the support from 1 (poor) to 5 (great).'),
      actions(
        [
          ...[1, 2, 3, 4, 5].map((n) => button(`${n}`, Action.Csat, v.number, { suffix: String(n) })),
          button('Rate with a comment', Action.Csat, v.number, { suffix: 'comment' }),
        ],
        cardBlockId(v, kind, 1),
      ),
    );
  // Pending Closure is not a dead end: "still broken" reopens it.
  if (v.status.id === 'pending_closure')
    out.push(
      actions([button('No, still broken', Action.FixedNo, v.number, { style: 'danger' })], cardBlockId(v, kind, 3)),
    );
  if (v.closed) return out;
  out.push(actions([button('Escalate', Action.CustomerEscalate, v.number)], cardBlockId(v, kind, 2)));
  return out;
}

function alertActions(v: TicketView): Block[] {
  if (!v.alert.breachedAt || v.alert.settled || v.closed) return [];
  return [
    actions([button('Acknowledge', Action.Acknowledge, v.number, { style: 'primary' })], cardBlockId(v, 'alert')),
  ];
}

export interface TicketCardOptions {
  kind: SlackCardKind;
  choices: SlackChoices;
  /** Plain text shown above the ticket (escaped here). */
  headline?: string;
  /** Slack user id to @mention (alerts). */
  mentionUserId?: string | null;
  /** In `view` cards: which actions, by who is looking. */
  viewer?: 'agent' | 'requester' | 'other';
}

/** "Part of SR-n?": one button links the request to the open incident it looks like (the value names both). */
function incidentSuggestion(v: TicketView): Block[] {
  const s = v.incidentSuggestion;
  if (!s) return [];
  return [
    section(`Looks like incident *${escapeMrkdwn(s.number)}* (${userText(s.title, 150)}): part of it?`, {
      accessory: button(`Part of ${s.number}`, Action.Link, `${v.number}>${s.number}`, { suffix: 'suggested' }),
    }),
  ];
}

/** A ticket as Block Kit, within Slack's limits, with the actions its kind of card offers. */
export function ticketCard(view: TicketView, opts: TicketCardOptions): SlackMessage {
  // A person who is not an agent (viewer given) gets a requester's card whatever kind was asked for; it never
  // carries internal notes. No viewer: a post to a channel of agents.
  const o =
    opts.viewer && opts.viewer !== 'agent'
      ? { ...opts, kind: clampCardKind(opts.kind, 'requester') as SlackCardKind }
      : opts;
  const v = o.kind === 'requester' || (o.kind === 'view' && o.viewer !== 'agent') ? forRequester(view) : view;
  const full = o.kind === 'teamTicketing';
  const lead: Block[] = [];
  const mention = o.mentionUserId && /^[UW][A-Z0-9]{2,30}$/.test(o.mentionUserId) ? `<@${o.mentionUserId}> ` : '';
  if (o.headline || mention) lead.push(section(`${mention}${o.headline ? userText(o.headline, 2500) : ''}`));
  const body = summaryBlocks(v, full, o.kind === 'triage', o.kind);
  let acts: Block[] = [];
  // A ticket closed with a reason that asks for a rating still carries the rating buttons for its requester.
  if (v.closed && v.rateable && (o.kind === 'requester' || (o.kind === 'view' && o.viewer === 'requester')))
    acts = requesterActions(v, o.kind);
  if (!v.closed) {
    if (o.kind === 'triage') acts = [...triageActions(v, o.choices, 'triage'), ...incidentSuggestion(v)];
    else if (o.kind === 'teamTicketing') acts = teamTicketingActions(v, o.choices, 'teamTicketing');
    else if (o.kind === 'requester') acts = requesterActions(v);
    else if (o.kind === 'alert') acts = alertActions(v);
    else if (o.viewer === 'agent')
      acts = v.inTeamTicketing ? teamTicketingActions(v, o.choices, 'view') : triageActions(v, o.choices, 'view');
    else if (o.viewer === 'requester') acts = requesterActions(v, 'view');
  }
  // The Team Lead's low-CSAT card: the follow-up, open or closed ticket alike.
  if (o.kind === 'alert') acts = [...acts, ...followUpBlocks(v, cardBlockId(v, 'alert', 3))];
  const blocks = fitMessage([...lead, ...body, ...(acts.length > 0 ? [divider()] : []), ...acts]);
  const fallback = `${mention}${o.headline ? `${userText(o.headline, 500)} · ` : ''}${userText(title(v), 300)} (${escapeMrkdwn(v.status.name)})`;
  return { text: fallback.slice(0, LIMITS.messageText), blocks };
}

/** A plain notice (text only) with the ticket's number and title for context. */
export function noticeMessage(text: string, v: TicketView | null, mentionUserId?: string | null): SlackMessage {
  const mention = mentionUserId && /^[UW][A-Z0-9]{2,30}$/.test(mentionUserId) ? `<@${mentionUserId}> ` : '';
  const blocks: Block[] = [section(`${mention}${userText(text || ' ', 2800)}`)];
  if (v) blocks.push(context(`${escapeMrkdwn(v.number)} · ${userText(v.title, 200)} · ${escapeMrkdwn(v.status.name)}`));
  return { text: `${mention}${userText(text || v?.title || 'Helpline', 1000)}`, blocks };
}
