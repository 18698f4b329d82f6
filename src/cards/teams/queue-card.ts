import { Action } from '../actions';
import { execute } from './actions';
import { adaptiveCard, type CardElement, type Json, label, plain } from './text';

/** One queue line: the ticket, how urgent it is, and who has it. */
export interface QueueLine {
  number: string;
  title: string;
  severity: number;
  priority: number;
  status: string;
  condition: 'on_track' | 'at_risk' | 'breached';
  team: string;
  assignee: string | null;
  /** An incident: how many tickets are linked to it as its parts (its children are not listed themselves). */
  linked?: number;
}

export type QueueCardScope = 'all' | 'mine' | 'team' | 'unassigned';
const SCOPES: Array<[QueueCardScope, string]> = [
  ['all', 'All open'],
  ['mine', 'Mine'],
  ['team', 'My team'],
  ['unassigned', 'Unassigned'],
];
const TITLE: Record<QueueCardScope, string> = {
  all: 'Queue: breached first, then at risk, severity, priority, age',
  mine: 'Queue: assigned to you',
  team: 'Queue: your team',
  unassigned: 'Queue: unassigned',
};
const WORD = { on_track: 'On track', at_risk: 'AT RISK', breached: 'BREACHED' } as const;
const COLOUR = { on_track: 'Good', at_risk: 'Warning', breached: 'Attention' } as const;

/**
 * The agents' queue as an Adaptive Card: the scope filters, then each ticket (at most 15, to stay
 * well within Teams' card size) with Open and Take buttons, in the order given.
 */
export function queueCard(lines: QueueLine[], scope: QueueCardScope, away: string | null = null): Json {
  const body: CardElement[] = [label(TITLE[scope], { weight: 'Bolder', size: 'Medium', wrap: true })];
  // Who is away (automatic assignment skips them).
  if (away) body.push(plain(away, 1000, { isSubtle: true }));
  body.push({
    type: 'ActionSet',
    actions: SCOPES.map(([id, name]) =>
      execute(name, Action.QueueFilter, { scope: id }, id === scope ? { style: 'positive' } : {}),
    ),
  });
  if (lines.length === 0) body.push(label('The queue is empty.'));
  for (const t of lines.slice(0, 15)) body.push(queueLineContainer(t));
  if (lines.length > 15) body.push(label(`…and ${lines.length - 15} more`));
  return adaptiveCard(body);
}

/** One ticket as a queue line; with `withActions`, its Open and Take buttons (the queue's and an agent's search). */
export function queueLineContainer(t: QueueLine, withActions = true): CardElement {
  const items: CardElement[] = [
    label(`${t.number} · ${WORD[t.condition]}${t.linked ? ` · Incident, ${t.linked} linked` : ''}`, {
      weight: 'Bolder',
      color: COLOUR[t.condition],
    }),
    plain(t.title, 200),
    plain(
      `Severity ${t.severity} · Priority ${t.priority} · ${t.status} · ${t.team} · ${t.assignee ?? 'unassigned'}`,
      300,
      { isSubtle: true, spacing: 'None' },
    ),
  ];
  if (withActions)
    items.push({
      type: 'ActionSet',
      actions: [
        execute('Open', Action.OpenTicket, { ticket: t.number, card: 'view' }),
        execute(t.assignee ? 'Take it over' : 'Take it', Action.Take, { ticket: t.number, card: 'view' }),
      ],
    });
  return { type: 'Container', separator: true, items };
}
