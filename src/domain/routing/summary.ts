/** The one-line summary of a request: its first sentence, greeting dropped, at most {@link SUMMARY_MAX} characters. */

/** Summary used when the text has no visible content. */
export const EMPTY_SUMMARY = '(no description)';

/** Maximum summary length in characters (including the trailing "…" when cut). */
export const SUMMARY_MAX = 80;

const GREETING_RE =
  /^(?:hi|hello|hey|hiya|dear|greetings|good (?:morning|afternoon|evening)|morning|afternoon)\b[^,.!?\n]{0,30}?(?:[,.!:]+[ \t]*|[ \t]*\r?\n\s*)/i;

/** First sentence of `text`, greeting dropped, whitespace collapsed, cut at a word with "…" past {@link SUMMARY_MAX}. */
export function summarise(text: string): string {
  let head = text.slice(0, 2000).trim();
  const greeting = GREETING_RE.exec(head);
  if (greeting && /\p{L}/u.test(head.slice(greeting[0].length))) head = head.slice(greeting[0].length);
  const line =
    head
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => /[\p{L}\p{N}]/u.test(l)) ?? '';
  // The first sentence end preceded by some content ("... it broke." is not cut at the leading "...").
  let sentence = line;
  for (const end of line.matchAll(/[.!?]+(?=\s|$)/g)) {
    const candidate = line.slice(0, end.index + (end[0].startsWith('.') ? 0 : end[0].length));
    if (/[\p{L}\p{N}]/u.test(candidate)) {
      sentence = candidate;
      break;
    }
  }
  sentence = sentence.replace(/\s+/g, ' ').trim();
  if (!/[\p{L}\p{N}]/u.test(sentence)) return EMPTY_SUMMARY;
  sentence = sentence.charAt(0).toUpperCase() + sentence.slice(1);
  const chars = Array.from(sentence);
  if (chars.length <= SUMMARY_MAX) return sentence;
  let cut = chars.slice(0, SUMMARY_MAX - 1).join('');
  const space = cut.lastIndexOf(' ');
  if (space >= SUMMARY_MAX / 2) cut = cut.slice(0, space);
  return `${cut.replace(/[\s,;:.\-–—]+$/u, '')}…`;
}
