import { commandsFor, contactLines, HELP_INTRO, type HelpView, helpRole, ROLE_WORDS } from '../help';
import { type Block, section } from './blocks';
import { escapeEntities, escapeMrkdwn } from './text';

/** Contact details in mrkdwn: values only entity-escaped (an address must stay as typed), the portal a link. */
function contactMrkdwn(view: HelpView): string[] {
  return contactLines(view.contact).map(({ kind, label, value }) =>
    kind === 'portal' ? `${label}: <${escapeEntities(value)}>` : `${label}: ${escapeEntities(value)}`,
  );
}

function commandLines(view: HelpView): string[] {
  return commandsFor(view.audience, 'slack').map((c) => `• \`${escapeEntities(c.words)}\`: ${escapeMrkdwn(c.what)}`);
}

const INTRO = `*Helpline*: ${escapeMrkdwn(HELP_INTRO)} DM me or @mention me.`;

/** Help as one Slack message (DM `help`, `/ticket help`): hours, contact details, then the commands of the role. */
export function helpText(view: HelpView): string {
  return [
    INTRO,
    escapeMrkdwn(view.hours),
    ...contactMrkdwn(view),
    `*${ROLE_WORDS[helpRole(view.audience)]}*`,
    ...commandLines(view),
  ].join('\n');
}

/** Help on App Home: the same content as blocks. */
export function helpBlocks(view: HelpView): Block[] {
  return [
    section([escapeMrkdwn(view.hours), ...contactMrkdwn(view)].join('\n')),
    section([`*${ROLE_WORDS[helpRole(view.audience)]}*`, ...commandLines(view)].join('\n')),
  ];
}
