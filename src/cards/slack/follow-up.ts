import { Action } from '../actions';
import type { TicketView } from '../ticket-view';
import { actions, type Block, button, input, option, section } from './blocks';
import { INPUT_ACTION } from './intake';
import { escapeMrkdwn, userText } from './text';

/**
 * A low rating's follow-up on the Team Lead's card (the `csat.low` card, updated in place): the score, what was done,
 * and while it is open "Called them" / "Note…". `blockId` is the card's actions block id.
 */
export function followUpBlocks(v: TicketView, blockId: string): Block[] {
  const f = v.followUp;
  if (!f) return [];
  const head = `*Low CSAT follow-up*${f.lead ? ` for ${escapeMrkdwn(f.lead)}` : ''}: ${f.score}/5${
    f.comment ? ` "${userText(f.comment, 500)}"` : ''
  } · ${f.open ? '*open*' : 'done'}`;
  const lines = f.lines.slice(-5).map((l) => `• ${userText(l, 300)}`);
  const out: Block[] = [section([head, ...lines].join('\n'))];
  if (f.open)
    out.push(
      actions(
        [
          button('Called them', Action.FollowUpCalled, v.number, { style: 'primary' }),
          button('Note…', Action.FollowUpNote, v.number),
        ],
        blockId,
      ),
    );
  return out;
}

/** The note form's choice: the team's note (the follow-up stays open), or "you said, we did" told to the requester. */
export function followUpTellInput(): Block {
  const opts = [
    { text: 'A note for the team (stays open)', value: 'team' },
    { text: 'You said, we did: tell the requester', value: 'requester' },
  ];
  return input('tell', 'Who hears it', {
    type: 'static_select',
    action_id: INPUT_ACTION,
    options: opts.map(option),
    initial_option: option(opts[0]!),
  });
}
