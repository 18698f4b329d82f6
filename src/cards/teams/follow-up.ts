import { Action } from '../actions';
import type { TicketView } from '../ticket-view';
import { choiceSet, execute, showCard, textInput } from './actions';
import { type CardElement, type Json, label, plain } from './text';

/** A low rating's follow-up on the Team Lead's card (the `csat.low` card): the score and what was done. */
export function followUpElements(v: TicketView): CardElement[] {
  const f = v.followUp;
  if (!f) return [];
  return [
    label(`Low CSAT follow-up${f.lead ? ` for ${f.lead}` : ''} · ${f.open ? 'open' : 'done'}`, {
      weight: 'Bolder',
      spacing: 'Medium',
    }),
    plain(`${f.score}/5${f.comment ? `: "${f.comment}"` : ''}`, 600),
    ...f.lines.slice(-5).map((l) => plain(l, 300, { isSubtle: true })),
  ];
}

/** While it is open: "Called them", and a note ("you said, we did" tells the requester). */
export function followUpActions(v: TicketView, d: Record<string, string>): Json[] {
  if (!v.followUp?.open) return [];
  return [
    execute('Called them', Action.FollowUpCalled, d, { style: 'positive' }),
    showCard(
      'Note…',
      [
        textInput('followUpNote', 'What was done', { multiline: true, required: true }),
        choiceSet(
          'tell',
          'Who hears it',
          [
            { title: 'A note for the team (stays open)', value: 'team' },
            { title: 'You said, we did: tell the requester', value: 'requester' },
          ],
          'team',
        ),
      ],
      execute('Add note', Action.FollowUpNote, d),
    ),
  ];
}
