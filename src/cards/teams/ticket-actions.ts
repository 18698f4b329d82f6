import { CLOSE_REASON_WORDS } from '../../domain/ticket/resolution';
import { Action } from '../actions';
import type { TicketView } from '../ticket-view';
import { choiceSet, execute, showCard, textInput } from './actions';
import { agentEscalationAction } from './agent-escalation';
import type { CardChoices } from './choices';
import { developmentElements, quoteCard } from './development-actions';
import type { Json } from './text';

// The actions of a ticket card, by who looks at it and where it is posted (see ticket-card.ts).

/** A canned reply (policy `replies:`): the choice is previewed, filled from the ticket, before anything is sent. */
function replyElements(v: TicketView, d: Record<string, string>): Json[] {
  if (v.replies.length === 0) return [];
  return [
    {
      type: 'Input.ChoiceSet',
      id: 'reply',
      label: 'Canned reply (previewed before it is sent)',
      style: 'compact',
      choices: v.replies.map((r) => ({ title: r.label, value: r.id })),
    },
    { type: 'ActionSet', actions: [execute('Preview reply', Action.PreviewReply, d)] },
  ];
}

/** Writing about the ticket, in one card (Teams shows at most 5 actions): a canned reply, a plain update to the
 * requester (no status change), a question (Waiting for Customer), an internal note. */
function talkAction(v: TicketView, d: Record<string, string>, c: CardChoices): Json {
  // A knowledge article to the requester, as a message on the ticket (optional: it never blocks the other buttons).
  const articles = (c.articles ?? []).map((a) => ({ title: a.title, value: a.id }));
  const article = articles.length
    ? [
        {
          type: 'Input.ChoiceSet',
          id: 'article',
          label: 'Or send a knowledge article',
          style: 'compact',
          choices: articles,
        },
        { type: 'ActionSet', actions: [execute('Send article', Action.SendArticle, d)] },
      ]
    : [];
  return {
    type: 'Action.ShowCard',
    title: 'Write',
    card: {
      type: 'AdaptiveCard',
      body: [
        ...replyElements(v, d),
        textInput('message', 'Message to the requester (the status does not change)', { multiline: true }),
        { type: 'ActionSet', actions: [execute('Send to requester', Action.MessageRequester, d)] },
        ...article,
        textInput('question', 'Or ask for information (Waiting for Customer, the clock pauses)', { multiline: true }),
        { type: 'ActionSet', actions: [execute('Ask the requester', Action.RequestInfo, d)] },
        textInput('internalNote', 'Internal note (agents only: the requester never sees it)', { multiline: true }),
        { type: 'ActionSet', actions: [execute('Add internal note', Action.InternalNote, d)] },
        ...agentEscalationAction(v, d, c),
      ],
    },
  };
}

/** The plain status moves; optional, so an empty one never blocks the other buttons of its card. */
function statusChoice(v: TicketView, label: string): Json {
  return {
    type: 'Input.ChoiceSet',
    id: 'status',
    label,
    style: 'compact',
    choices: v.nextStatuses.map((s) => ({ title: s.name, value: s.id })),
  };
}

/** The owning team's people (away ones say so) and "Nobody" when someone has it: assign, reassign, unassign. */
function assignElements(v: TicketView, d: Record<string, string>): Json[] {
  const people = v.teamPeople.map((p) => ({
    title: `${p.name}${p.away ? ` (away until ${p.away})` : ''}`,
    value: p.id,
  }));
  if (v.assignee) people.push({ title: 'Nobody (unassign)', value: 'nobody' });
  if (people.length === 0) return [];
  return [
    {
      type: 'Input.ChoiceSet',
      id: 'assignee',
      label: 'Assign to',
      style: 'compact',
      choices: people,
      ...(v.assignee?.personId ? { value: v.assignee.personId } : {}),
    },
    { type: 'ActionSet', actions: [execute('Assign', Action.AssignTo, d)] },
  ];
}

/** Category (the owning team follows it) and team, recorded as corrections of triage like Slack's selects. */
function categoryAndTeam(v: TicketView, d: Record<string, string>, c: CardChoices): Json[] {
  return [
    {
      type: 'Input.ChoiceSet',
      id: 'category',
      label: 'Category (the owning team follows it)',
      style: 'compact',
      choices: c.categories.map((x) => ({ title: x.name, value: x.id })),
      ...(v.category ? { value: v.category.id } : {}),
    },
    { type: 'ActionSet', actions: [execute('Set category', Action.SetCategory, d)] },
    choiceSet(
      'team',
      'Team',
      c.teams.map((t) => ({ title: t.name, value: t.id })),
      v.team.id,
    ),
    { type: 'ActionSet', actions: [execute('Set team', Action.SetTeam, d)] },
  ];
}

/** Resolve (when the status rules allow it), Close with a reason, and Link, in one card (Teams allows five actions). */
function resolveOrClose(v: TicketView, d: Record<string, string>, withResolve: boolean): Json {
  return {
    type: 'Action.ShowCard',
    title: withResolve ? 'Resolve / close / link' : 'Close / link',
    card: {
      type: 'AdaptiveCard',
      body: [
        ...(withResolve
          ? [
              textInput('note', 'Resolution note', { multiline: true }),
              { type: 'ActionSet', actions: [execute('Resolve (On Customer Test)', Action.Resolve, d)] },
            ]
          : []),
        {
          type: 'Input.ChoiceSet',
          id: 'closeReason',
          label: 'Or close it: why?',
          style: 'compact',
          choices: Object.entries(CLOSE_REASON_WORDS).map(([value, r]) => ({ title: r.name, value })),
        },
        textInput('duplicateOf', 'Duplicate of (SR-n), for a duplicate', { maxLength: 40 }),
        textInput('closeNote', 'Note (optional)', { multiline: true }),
        { type: 'ActionSet', actions: [execute(`Close ${v.number}`, Action.Close, d)] },
        {
          type: 'Input.ChoiceSet',
          id: 'linkKind',
          label: 'Or link it',
          style: 'compact',
          value: 'part_of',
          choices: [
            { title: 'Part of incident (SR-n)', value: 'part_of' },
            { title: 'Related to (SR-n)', value: 'related_to' },
            { title: 'Unlink from its incident', value: 'unlink' },
          ],
        },
        textInput('linkTo', 'Ticket (SR-n)', { maxLength: 40 }),
        { type: 'ActionSet', actions: [execute(`Link ${v.number}`, Action.Link, d)] },
      ],
    },
  };
}

/** Teams shows at most 5 top-level actions (the SDK's default host config enforces it). */
export function agentTriageActions(v: TicketView, d: Record<string, string>, c: CardChoices): Json[] {
  const actions: Json[] = [execute('Assign to me', Action.AssignToMe, d)];
  if (v.status.id === 'quote_required') actions.push(quoteCard(v, d));
  else if (!v.inTeamTicketing)
    actions.push(execute('Escalate to Team Ticketing', Action.EscalateTeamTicketing, d, { style: 'positive' }));
  actions.push({
    type: 'Action.ShowCard',
    title: 'Severity / team / assign',
    card: {
      type: 'AdaptiveCard',
      body: [
        ...assignElements(v, d),
        choiceSet(
          'severity',
          'Severity',
          c.severities.map((s) => ({ title: `${s.value} · ${s.name}`, value: String(s.value) })),
          String(v.severity.value),
        ),
        { type: 'ActionSet', actions: [execute('Set severity', Action.SetSeverity, d)] },
        choiceSet(
          'priority',
          'Priority (impact on the customer)',
          c.priorities.map((p) => ({ title: `${p.value} · ${p.name}`, value: String(p.value) })),
          String(v.priority.value),
        ),
        { type: 'ActionSet', actions: [execute('Set priority', Action.SetPriority, d)] },
        ...categoryAndTeam(v, d, c),
        // Level 1 parks, closes or reopens from the triage card too, within the transition table.
        ...(v.nextStatuses.length > 0
          ? [statusChoice(v, 'Status'), { type: 'ActionSet', actions: [execute('Set status', Action.ChangeStatus, d)] }]
          : []),
      ],
    },
  });
  actions.push(talkAction(v, d, c));
  actions.push(resolveOrClose(v, d, true));
  return actions;
}

export function agentTeamTicketingActions(v: TicketView, d: Record<string, string>, c: CardChoices): Json[] {
  const actions: Json[] = [];
  if (!v.assignee) actions.push(execute('Take it', Action.Take, d, { style: 'positive' }));
  else actions.push(execute('Take it over', Action.Take, d));
  // Level 2 resolves with a note (On Customer Test) from here too, and closes with a reason.
  actions.push(
    resolveOrClose(
      v,
      d,
      v.nextStatuses.some((s) => s.id === 'on_customer_test'),
    ),
  );
  actions.push({
    type: 'Action.ShowCard',
    title: 'Status / team / assign',
    card: {
      type: 'AdaptiveCard',
      body: [
        ...(v.nextStatuses.length > 0
          ? [
              statusChoice(v, 'New status'),
              { type: 'ActionSet', actions: [execute('Set status', Action.ChangeStatus, d)] },
            ]
          : []),
        ...assignElements(v, d),
        ...categoryAndTeam(v, d, c),
      ],
    },
  });
  if (v.status.id === 'quote_required') actions.push(quoteCard(v, d));
  else if (!v.development) {
    actions.push(
      showCard(
        'Escalate to Development',
        [
          choiceSet(
            'route',
            'Development route',
            c.routes.map((r) => ({ title: r.name, value: r.id })),
          ),
        ],
        execute('Escalate', Action.EscalateDevelopment, d),
      ),
    );
  } else {
    const dev = developmentElements(v, d);
    if (dev.length > 0)
      actions.push({ type: 'Action.ShowCard', title: 'Development', card: { type: 'AdaptiveCard', body: dev } });
  }
  actions.push(talkAction(v, d, c));
  return actions;
}

/** "The impact has increased": an optional choice of a higher priority (none when it is already the highest). */
function higherPriorityInput(v: TicketView, c: CardChoices): Json[] {
  const higher = c.priorities.filter((p) => p.value < v.priority.value);
  if (higher.length === 0) return [];
  return [
    {
      type: 'Input.ChoiceSet',
      id: 'priority',
      label: 'Impact on you now (optional)',
      style: 'compact',
      choices: higher.map((p) => ({ title: `${p.value} · ${p.name}`, value: String(p.value) })),
    },
  ];
}

export function requesterActions(v: TicketView, d: Record<string, string>, c: CardChoices): Json[] {
  const actions: Json[] = [];
  if (v.status.id === 'on_customer_test') {
    actions.push(execute('Yes, it is fixed', Action.FixedYes, d, { style: 'positive' }));
    actions.push(
      showCard(
        'No, still broken',
        [textInput('notFixedReason', 'What is still wrong?', { multiline: true })],
        execute('Reopen', Action.FixedNo, d),
      ),
    );
  }
  if (v.status.id === 'pending_closure')
    // Pending Closure is not a dead end: "still broken" reopens it.
    actions.push(
      showCard(
        'No, still broken',
        [textInput('notFixedReason', 'What is still wrong?', { multiline: true })],
        execute('Reopen', Action.FixedNo, d),
      ),
    );
  // Pending Closure, or closed with a reason that asks for a rating (withdrawn, resolved elsewhere).
  if (v.rateable)
    actions.push(
      showCard(
        'Rate the support',
        [
          choiceSet(
            'score',
            'Score',
            [5, 4, 3, 2, 1].map((n) => ({ title: `${n} / 5`, value: String(n) })),
            '5',
          ),
          textInput('comment', 'Comment (optional)', { multiline: true }),
        ],
        execute('Send rating', Action.Csat, d),
      ),
    );
  if (v.closed) return actions;
  actions.push(
    showCard(
      'Escalate',
      [
        textInput('reason', 'Why does it need escalating?', { multiline: true, required: true }),
        textInput('impact', 'Business impact now', { multiline: true }),
        ...higherPriorityInput(v, c),
      ],
      execute('Escalate', Action.CustomerEscalate, d),
    ),
  );
  return actions;
}
