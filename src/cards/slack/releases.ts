import { Action, View } from '../actions';
import type { ReleaseLine } from '../teams/releases-card';
import { actions, type Block, button, input, modal, section, textInput } from './blocks';
import { escapeMrkdwn } from './text';

/**
 * The coming releases with their tickets, each with the buttons that move it as one (the button's value is
 * `<day>|<move>`, a claim the app checks); Released… opens a form for the release notes.
 */
export function releasesMessage(
  releases: ReleaseLine[],
  said: string | null = null,
): { text: string; blocks: Block[] } {
  const blocks: Block[] = [section('*Releases*')];
  if (said) blocks.push(section(escapeMrkdwn(said)));
  if (releases.length === 0) blocks.push(section('No release calendar is set (`releases.first` in the policy).'));
  for (const r of releases) {
    const lines = r.tickets.slice(0, 20).map((t) => `• ${escapeMrkdwn(`${t.number} ${t.title} (${t.status})`)}`);
    blocks.push(
      section(
        `*Release ${r.when}* (${r.day})${r.closed ? ' · past its QA cutoff' : ''}\n${lines.join('\n') || '_Nothing planned yet_'}`,
      ),
    );
    if (r.tickets.length > 0)
      blocks.push(
        actions(
          (
            [
              ['QA in progress', 'qa'],
              ['Ready for release', 'ready'],
              ['Released…', 'released'],
              ['Slip to the next cycle', 'slip'],
            ] as const
          ).map(([label, move]) => button(label, Action.ReleaseMove, `${r.day}|${move}`, { suffix: move })),
          `release:${r.day}`,
        ),
      );
  }
  return { text: 'Releases', blocks: blocks.slice(0, 50) };
}

/** The form asking for a release's notes before it goes live. */
export function releaseNotesModal(day: string, when: string): Block {
  return modal({
    callbackId: View.ReleaseNotes,
    title: 'Release it',
    submit: 'Released',
    privateMetadata: day,
    blocks: [
      section(
        `*The release of ${escapeMrkdwn(when)}* goes live with every ticket in it. Its notes go to Team Ticketing and to each requester once.`,
      ),
      input('notes', 'Release notes', textInput('value', { multiline: true, max: 2000 })),
    ],
  });
}
