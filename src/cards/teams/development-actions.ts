import { Action } from '../actions';
import type { TicketView } from '../ticket-view';
import { choiceSet, execute, showCard, textInput } from './actions';
import type { Json } from './text';

// The development and decision controls of the agents' ticket cards (see ticket-actions.ts).

/**
 * Quote Required: the quote sent (amount, currency, to whom) and, once sent, its outcome; in place of an escalation
 * the status does not allow (Teams shows five actions).
 */
export function quoteCard(v: TicketView, d: Record<string, string>): Json {
  const sent = showCard(
    v.quote ? 'Quote sent again' : 'Quote sent',
    [
      textInput('quoteAmount', 'Amount', { required: true, maxLength: 30 }),
      textInput('quoteCurrency', 'Currency (e.g. GBP)', { required: true, maxLength: 10 }),
      textInput('quoteSentTo', 'Sent to', { required: true, maxLength: 200 }),
    ],
    execute('Record the quote', Action.QuoteSent, d),
  );
  const outcome = showCard(
    'Quote outcome',
    [
      choiceSet('quoteDecision', 'Outcome', [
        { title: 'Accepted (Work in Progress)', value: 'accepted' },
        { title: 'Declined (closes the ticket)', value: 'declined' },
      ]),
      textInput('quoteReason', 'Why (the requester is told)', { multiline: true, required: true }),
    ],
    execute('Record the outcome', Action.QuoteOutcome, d),
  );
  return {
    type: 'Action.ShowCard',
    title: 'Quote',
    card: { type: 'AdaptiveCard', body: [{ type: 'ActionSet', actions: v.quote ? [sent, outcome] : [sent] }] },
  };
}

/**
 * Development's controls in one card (Teams shows at most five actions), each in a card of its own so its inputs are
 * the only ones it sends and requires: the next status (with the release note for Released), the route switch with
 * its reason when the policy allows one, and Product's roadmap decision on a change request.
 */
export function developmentElements(v: TicketView, d: Record<string, string>): Json[] {
  const cards: Json[] = [];
  if (v.nextDevelopmentStatuses.length > 0)
    cards.push(
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
  // A fix waiting for a release: plan it into one of the coming releases (or move it).
  const releases = v.development?.releaseChoices ?? [];
  if (releases.length > 0)
    cards.push(
      showCard(
        v.development?.release ? 'Move to release' : 'Plan into release',
        [
          choiceSet(
            'release',
            'Release',
            releases.map((r) => ({ title: r.name, value: r.id })),
          ),
        ],
        execute('Plan into release', Action.PlanRelease, d),
      ),
    );
  // The route is a decision that can change, with a reason.
  const switches = v.development?.routeSwitches ?? [];
  if (switches.length > 0)
    cards.push(
      showCard(
        'Switch route',
        [
          choiceSet(
            'route',
            'Switch the route to',
            switches.map((r) => ({ title: r.name, value: r.id })),
          ),
          textInput('routeReason', 'Why does the route change?', { multiline: true, required: true }),
        ],
        execute('Switch route', Action.SwitchRoute, d),
      ),
    );
  // A change request: Product's roadmap decision (accepted for a release or the roadmap, or declined).
  const targets = v.development?.roadmapTargets;
  if (targets)
    cards.push(
      showCard(
        'Roadmap decision',
        [
          choiceSet('roadmapDecision', 'Roadmap decision', [
            { title: 'Accepted', value: 'accepted' },
            { title: 'Declined (closes the ticket)', value: 'declined' },
          ]),
          choiceSet(
            'roadmapTarget',
            'Accepted for',
            targets.map((t) => ({ title: t.name, value: t.id })),
            'roadmap',
          ),
          textInput('roadmapReason', 'Why (the requester is told)', { multiline: true, required: true }),
        ],
        execute('Record roadmap decision', Action.RoadmapDecision, d),
      ),
    );
  return cards.length > 0 ? [{ type: 'ActionSet', actions: cards }] : [];
}
