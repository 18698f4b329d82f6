import { Action } from '../actions';
import type { TicketView } from '../ticket-view';
import { execute, showCard, textInput } from './actions';
import type { CardChoices } from './choices';
import type { Json } from './text';

/**
 * "Customer escalation…" on the agents' cards (inside *Write*, Teams shows five actions at most): the Escalate form
 * with how the requester asked (phone or email), so an agent records an escalation that came in by phone; empty, the
 * agent escalates themselves. The ladder's rules apply as to the requester's own (src/domain/ticket/escalation.ts).
 * Its impact choice is `escalationPriority`: `priority` is the card's priority select.
 */
export function agentEscalationAction(v: TicketView, d: Record<string, string>, c: CardChoices): Json[] {
  if (v.closed) return [];
  const higher = c.priorities.filter((p) => p.value < v.priority.value);
  return [
    {
      type: 'ActionSet',
      actions: [
        showCard(
          'Customer escalation…',
          [
            textInput('reason', 'Why does it need escalating?', { multiline: true, required: true }),
            textInput('impact', 'Business impact now', { multiline: true }),
            ...(higher.length > 0
              ? [
                  {
                    type: 'Input.ChoiceSet',
                    id: 'escalationPriority',
                    label: 'Impact on the customer now (optional)',
                    style: 'compact',
                    choices: higher.map((p) => ({ title: `${p.value} · ${p.name}`, value: String(p.value) })),
                  },
                ]
              : []),
            {
              type: 'Input.ChoiceSet',
              id: 'via',
              label: 'The requester asked',
              style: 'compact',
              value: 'self',
              choices: [
                { title: 'By phone', value: 'phone' },
                { title: 'By email', value: 'email' },
                { title: 'Nobody asked: I escalate it', value: 'self' },
              ],
            },
          ],
          execute('Escalate', Action.CustomerEscalate, d),
        ),
      ],
    },
  ];
}
