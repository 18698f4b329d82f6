/**
 * The release commands, one parser for every platform's chat: `releases` (the coming releases with their tickets)
 * and `release <day|next> qa|ready|released|slip [notes]` (move a whole release). Parsing is pure;
 * `runReleaseCommand` calls the use cases and answers in plain words.
 */
import { InvalidInputError } from '../domain/errors';
import { RELEASE_MOVES, type ReleaseMove, releaseDayWords } from '../domain/ticket/operations';
import type { Actor } from '../domain/ticket/ticket';
import { listReleases, moveRelease, nextReleaseToMove, type ReleaseDeps, type ReleaseMoveReport } from './releases';

export type ReleaseCommand =
  | { kind: 'list' }
  | { kind: 'move'; day: string | 'next'; move: ReleaseMove; notes: string }
  | { kind: 'usage' };

const ALIASES: Record<string, ReleaseMove> = {
  qa: 'qa',
  testing: 'qa',
  ready: 'ready',
  released: 'released',
  live: 'released',
  slip: 'slip',
  slipped: 'slip',
};

export const RELEASE_USAGE =
  'Say `releases` to see the coming releases, or `release next qa`, `release next ready`, `release 2026-03-19 released <release notes>` or `release next slip`.';

/** A release command in `text`, or null when it is not one (then `release` alone is the usage, in /ticket). */
export function parseReleaseCommand(text: string): ReleaseCommand | null {
  const t = text.trim();
  if (/^releases\.?$/i.test(t)) return { kind: 'list' };
  const m = /^release\s+(\S+)(?:\s+(\S+))?(?:\s+([\s\S]*))?$/i.exec(t);
  if (!m) return /^release$/i.test(t) ? { kind: 'usage' } : null;
  const day = m[1]!.toLowerCase();
  const move = ALIASES[(m[2] ?? '').toLowerCase()];
  // Anything else is ordinary words ("release notes?"), not a command.
  if ((day !== 'next' && !/^\d{4}-\d{2}-\d{2}$/.test(day)) || !move) return null;
  return { kind: 'move', day, move, notes: (m[3] ?? '').trim() };
}

const MOVE_WORDS: Record<ReleaseMove, string> = {
  qa: 'is in QA',
  ready: 'is ready for release',
  released: 'is released',
  slip: 'slipped to the next cycle',
};

function reportText(r: ReleaseMoveReport, deps: ReleaseDeps): string {
  const when = releaseDayWords(r.day, deps.policy);
  const lines = [
    `The release of ${when} ${MOVE_WORDS[r.move]}: ${r.moved.length} ticket${r.moved.length === 1 ? '' : 's'} moved${r.moved.length ? ` (${r.moved.join(', ')})` : ''}.`,
  ];
  if (r.already.length) lines.push(`Already moved: ${r.already.join(', ')}.`);
  for (const x of r.refused) lines.push(`${x.number} could not move: ${x.why}`);
  if (r.move === 'released' && r.moved.length + r.already.length > 0)
    lines.push('The release notes went to Team Ticketing and to each requester once.');
  return lines.join('\n');
}

/** The coming releases as the cards show them (day in words, status names). */
export async function releaseLines(deps: ReleaseDeps, actor: Actor) {
  return (await listReleases(deps, actor)).map((r) => ({
    ...r,
    when: releaseDayWords(r.day, deps.policy),
    tickets: r.tickets.map((t) => ({
      ...t,
      status: deps.policy.statuses[t.status as keyof typeof deps.policy.statuses]?.name ?? t.status,
    })),
  }));
}

/** A release moved from a card control: the move and the notes are claims, checked by `moveRelease`. */
export async function moveReleaseFromCard(
  deps: ReleaseDeps,
  actor: Actor,
  data: Record<string, unknown>,
): Promise<string> {
  const move = RELEASE_MOVES.find((m) => m === data.move);
  if (!move || typeof data.day !== 'string') throw new InvalidInputError('Choose a release and a move');
  // Teams: the notes input of that release on the card (`releaseNotes_<yyyymmdd>`); Slack: the form's.
  const given = data[`releaseNotes_${data.day.replaceAll('-', '')}`] ?? data.releaseNotes;
  const notes = typeof given === 'string' ? given : '';
  return reportText(await moveRelease(deps, actor, { day: data.day, move, notes }), deps);
}

/** Run a parsed release command for `actor` and say what became of it. */
export async function runReleaseCommand(deps: ReleaseDeps, actor: Actor, cmd: ReleaseCommand): Promise<string> {
  if (cmd.kind === 'usage') return RELEASE_USAGE;
  if (cmd.kind === 'list') {
    const releases = await releaseLines(deps, actor);
    if (releases.length === 0) return 'No release calendar is set (`releases.first` in the policy).';
    return releases
      .map((r) => {
        const head = `Release ${r.when} (${r.day})${r.closed ? ', past its QA cutoff' : ''}:`;
        const items = r.tickets.map((t) => `  ${t.number} ${t.title} (${t.status})`);
        return [head, ...(items.length ? items : ['  nothing planned yet'])].join('\n');
      })
      .join('\n');
  }
  const day = cmd.day === 'next' ? await nextReleaseToMove(deps) : cmd.day;
  const r = await moveRelease(deps, actor, { day, move: cmd.move, notes: cmd.notes });
  return reportText(r, deps);
}
