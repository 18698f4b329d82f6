/** Slack's documented Block Kit limits (https://docs.slack.dev/reference/block-kit). */
export const LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  sectionText: 3000,
  sectionField: 2000,
  contextText: 3000,
  headerText: 150,
  buttonText: 75,
  actionId: 255,
  blockId: 255,
  value: 2000,
  modalTitle: 24,
  modalButton: 24,
  optionText: 75,
  optionValue: 150,
  placeholder: 150,
  inputLabel: 2000,
  privateMetadata: 3000,
  messageText: 40_000,
  selectOptions: 100,
} as const;

/** Cut to `max` characters, ending with "…" when cut (code points, so no half surrogate pairs). */
export function clip(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/**
 * Make user text inert in mrkdwn: `&`, `<`, `>` become entities (so `<!channel>`, `<@U…>` and
 * `<http://…|…>` cannot ping or link), and each formatting character (`*`, `_`, `~`, `` ` ``) is
 * wrapped in zero-width spaces, so no pair of them can open and close bold, italic, strike or code.
 */
export function escapeMrkdwn(text: string): string {
  return escapeEntities(text).replace(/[*_~`]/g, (c) => `${ZWSP}${c}${ZWSP}`);
}

const ZWSP = '\u200b';

/** Only the three entities Slack asks for: enough for plain_text-like content inside mrkdwn. */
export function escapeEntities(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** User text shown in mrkdwn, escaped then clipped (clipping after escaping keeps entities whole). */
export function userText(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if ([...escaped].length <= max) return escaped;
  // Do not cut inside an entity: clip the raw text until the escaped form fits.
  let raw = [...text].slice(0, max).join('');
  while (raw.length > 0 && [...escapeMrkdwn(raw)].length > max - 1) raw = raw.slice(0, Math.max(0, raw.length - 8));
  return `${escapeMrkdwn(raw)}…`;
}

/** A plain_text object (Slack does not interpret markup in it), clipped. */
export function plain(text: string, max: number): { type: 'plain_text'; text: string; emoji: boolean } {
  return { type: 'plain_text', text: clip(text || ' ', max), emoji: true };
}

/**
 * User text for a plain_text object: Slack does not parse plain_text, but a zero-width space after
 * each `<` and around formatting characters keeps it inert wherever it is copied (fallback text,
 * notifications, other clients) while it reads the same.
 */
export function inertPlain(text: string): string {
  return text.replace(/</g, `<${ZWSP}`).replace(/[*_~`]/g, (c) => `${ZWSP}${c}${ZWSP}`);
}

/** A mrkdwn object from text that is already escaped where needed, clipped. */
export function md(text: string, max: number = LIMITS.sectionText): { type: 'mrkdwn'; text: string } {
  return { type: 'mrkdwn', text: clip(text || ' ', max) };
}

/** A mention of a Slack user id we trust (from the policy or the payload), never from free text. */
export function mention(userId: string): string {
  return /^[UW][A-Z0-9]{2,30}$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
}
