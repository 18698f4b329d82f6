import { Action } from '../actions';
import type { TicketView } from '../ticket-view';
import { choiceSet, execute, showCard, textInput } from './actions';
import type { CardChoices } from './choices';
import { clientElements } from './client-section';
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
  if (v.development) pairs.push(['Development', `${v.development.route}: ${v.development.status}`]);
  if (v.alert.breachedAt) pairs.push(['Breached', v.alert.breachedAt]);
  if (v.alert.acknowledgedBy) pairs.push(['Acknowledged by', v.alert.acknowledgedBy]);
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
  out.push(...clientElements(v, o.kind, compact, agentData));
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
  if (full && v.conversation.length > 0) {
    out.push(label('Conversation so far', { weight: 'Bolder', spacing: 'Medium' }));
    for (const m of v.conversation) out.push(plain(`${m.at} ${m.author}: ${m.text}`, 600));
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

/** Teams shows at most 5 top-level actions (the SDK's default host config enforces it). */
function agentTriageActions(v: TicketView, d: Record<string, string>, c: CardChoices): Json[] {
  const actions: Json[] = [execute('Assign to me', Action.AssignToMe, d)];
  if (!v.inTeamTicketing)
    actions.push(execute('Escalate to Team Ticketing', Action.EscalateTeamTicketing, d, { style: 'positive' }));
  actions.push({
    type: 'Action.ShowCard',
    title: 'Severity / priority / team',
    card: {
      type: 'AdaptiveCard',
      body: [
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
        choiceSet(
          'team',
          'Team',
          c.teams.map((t) => ({ title: t.name, value: t.id })),
          v.team.id,
        ),
        { type: 'ActionSet', actions: [execute('Set team', Action.SetTeam, d)] },
      ],
    },
  });
  actions.push(
    showCard(
      'Request info',
      [textInput('question', 'What do you need from the requester?', { multiline: true, required: true })],
      execute('Ask the requester', Action.RequestInfo, d),
    ),
  );
  actions.push(
    showCard(
      'Resolve',
      [textInput('note', 'Resolution note', { multiline: true })],
      execute('Resolve (On Customer Test)', Action.Resolve, d),
    ),
  );
  return actions;
}

function agentTeamTicketingActions(v: TicketView, d: Record<string, string>, c: CardChoices): Json[] {
  const actions: Json[] = [];
  if (!v.assignee) actions.push(execute('Take it', Action.Take, d, { style: 'positive' }));
  else actions.push(execute('Take it over', Action.Take, d));
  if (v.nextStatuses.length > 0) {
    actions.push(
      showCard(
        'Status',
        [
          choiceSet(
            'status',
            'New status',
            v.nextStatuses.map((s) => ({ title: s.name, value: s.id })),
          ),
        ],
        execute('Set status', Action.ChangeStatus, d),
      ),
    );
  }
  if (!v.development) {
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
  } else if (v.nextDevelopmentStatuses.length > 0) {
    actions.push(
      showCard(
        'Development status',
        [
          choiceSet(
            'devStatus',
            'Development status',
            v.nextDevelopmentStatuses.map((s) => ({ title: s.name, value: s.id })),
          ),
          textInput('releaseNote', 'Release note (when Released)', { multiline: true }),
        ],
        execute('Set development status', Action.AdvanceDevelopment, d),
      ),
    );
  }
  actions.push(
    showCard(
      'Request info',
      [textInput('question', 'What do you need from the requester?', { multiline: true, required: true })],
      execute('Ask the requester', Action.RequestInfo, d),
    ),
  );
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

function requesterActions(v: TicketView, d: Record<string, string>, c: CardChoices): Json[] {
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
  if (v.status.id === 'pending_closure') {
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
  }
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

function actionsFor(v: TicketView, o: TicketCardOptions): Json[] {
  if (v.closed || o.viewer === 'other') return [];
  // The version says which rendering was clicked: a double click on it acts once.
  const d = { ticket: v.number, card: o.kind, rev: String(v.version) };
  if (o.viewer === 'requester')
    return o.kind === 'view' || o.kind === 'requester' ? requesterActions(v, d, o.choices) : [];
  switch (o.kind) {
    case 'triage':
      return agentTriageActions(v, d, o.choices);
    case 'teamTicketing':
      return agentTeamTicketingActions(v, d, o.choices);
    case 'alert':
      return v.alert.breachedAt && !v.alert.acknowledgedBy
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
export function ticketCard(v: TicketView, o: TicketCardOptions): Json {
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
