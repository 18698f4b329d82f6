import { Action } from '../actions';
import { execute, showCard, textInput } from './actions';
import { adaptiveCard, type CardElement, type Json, label, plain } from './text';

/** The release notes input of one release (ids are unique on a card). */
export const releaseNotesId = (day: string) => `releaseNotes_${day.replaceAll('-', '')}`;

/** One release as the card shows it: its day in words, its tickets and their development status. */
export interface ReleaseLine {
  day: string;
  when: string;
  closed: boolean;
  tickets: Array<{ number: string; title: string; status: string }>;
}

/**
 * The coming releases with their tickets, each with the controls that move it as one: QA in progress, Ready for
 * release, Released (its notes asked for in an inline form) and Slip to the next cycle. `said`: what the last move did.
 */
export function releasesCard(releases: ReleaseLine[], said: string | null = null): Json {
  const body: CardElement[] = [label('Releases', { weight: 'Bolder', size: 'Medium' })];
  if (said) body.push(plain(said, 2000));
  if (releases.length === 0) body.push(label('No release calendar is set (`releases.first` in the policy).'));
  for (const r of releases) {
    const items: CardElement[] = [
      label(`Release ${r.when} (${r.day})${r.closed ? ' · past its QA cutoff' : ''}`, { weight: 'Bolder' }),
      ...(r.tickets.length
        ? r.tickets.slice(0, 20).map((t) => plain(`${t.number} ${t.title} (${t.status})`, 300, { spacing: 'None' }))
        : [plain('Nothing planned yet', 100, { isSubtle: true })]),
    ];
    if (r.tickets.length > 0)
      items.push({
        type: 'ActionSet',
        actions: [
          execute('QA in progress', Action.ReleaseMove, { day: r.day, move: 'qa' }),
          execute('Ready for release', Action.ReleaseMove, { day: r.day, move: 'ready' }),
          showCard(
            'Released…',
            [textInput(releaseNotesId(r.day), 'Release notes', { multiline: true, required: true })],
            execute('Release it', Action.ReleaseMove, { day: r.day, move: 'released' }),
          ),
          execute('Slip to the next cycle', Action.ReleaseMove, { day: r.day, move: 'slip' }),
        ],
      });
    body.push({ type: 'Container', separator: true, items });
  }
  return adaptiveCard(body);
}
