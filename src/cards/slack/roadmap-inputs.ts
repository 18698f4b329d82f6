import { type Block, input, option } from './blocks';
import { INPUT_ACTION } from './intake';

/** A required accepted / declined choice (roadmap decisions, quote outcomes). */
export function decisionInput(accepted: string, declined: string): Block {
  return input('decision', 'Decision', {
    type: 'static_select',
    action_id: INPUT_ACTION,
    options: [
      { text: accepted, value: 'accepted' },
      { text: declined, value: 'declined' },
    ].map(option),
  });
}

/** The roadmap decision form's choices: accepted or declined, and what an accepted change request is planned for. */
export function roadmapInputs(targets: Array<{ id: string; name: string }>): Block[] {
  const select = (options: Array<{ text: string; value: string }>, initial?: string) => {
    const opts = options.map(option);
    const init = initial ? opts.find((o) => (o as { value?: string }).value === initial) : undefined;
    return { type: 'static_select', action_id: INPUT_ACTION, options: opts, ...(init ? { initial_option: init } : {}) };
  };
  return [
    decisionInput('Accepted', 'Declined (closes the ticket)'),
    input(
      'target',
      'Accepted for',
      select(
        targets.map((t) => ({ text: t.name, value: t.id })),
        'roadmap',
      ),
      { optional: true },
    ),
  ];
}
