import { type Block, input, option } from './blocks';
import { INPUT_ACTION } from './intake';

/** The roadmap decision form's choices: accepted or declined, and what an accepted change request is planned for. */
export function roadmapInputs(targets: Array<{ id: string; name: string }>): Block[] {
  const select = (options: Array<{ text: string; value: string }>, initial?: string) => {
    const opts = options.map(option);
    const init = initial ? opts.find((o) => (o as { value?: string }).value === initial) : undefined;
    return { type: 'static_select', action_id: INPUT_ACTION, options: opts, ...(init ? { initial_option: init } : {}) };
  };
  return [
    input(
      'decision',
      'Decision',
      select([
        { text: 'Accepted', value: 'accepted' },
        { text: 'Declined (closes the ticket)', value: 'declined' },
      ]),
    ),
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
