/** Adaptive Card building blocks that keep user text plain and cards small. */

export type Json = Record<string, unknown>;
export type CardElement = Json;

/** Teams refuses messages over about 80 KB; cards stay well under, leaving room for the activity envelope. */
export const CARD_BYTES_MAX = 70_000;

/** Cut `text` to `max` characters, ending with "…" when cut. */
export function clip(text: string, max: number): string {
  const t = text.trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/**
 * Escape the markdown subset Teams renders in TextBlock and FactSet (emphasis, links, code, lists at
 * the start of a line), for short values such as names; longer user text goes in TextRuns instead.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]~]/g, '\\$&')
    .replace(/^(\s*)([-+>#])/gm, '$1\\$2')
    .replace(/^(\s*\d+)\./gm, '$1\\.');
}

/** Our own wording (no user text): a TextBlock. */
export function label(text: string, opts: Json = {}): CardElement {
  return { type: 'TextBlock', text, wrap: true, ...opts };
}

/** User text as plain TextRuns: never parsed as markdown, so it cannot inject formatting or break the card. */
export function plain(text: string, max: number, opts: Json = {}): CardElement {
  return { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: clip(text, max) || ' ', ...opts }] };
}

/** "Label: user text" on one line, the label bold, the text plain. */
export function field(name: string, value: string, max = 500): CardElement {
  return {
    type: 'RichTextBlock',
    inlines: [
      { type: 'TextRun', text: `${name}: `, weight: 'Bolder' },
      { type: 'TextRun', text: clip(value, max) || '—' },
    ],
  };
}

export function facts(pairs: Array<[string, string]>): CardElement {
  return {
    type: 'FactSet',
    facts: pairs.map(([title, value]) => ({ title, value: escapeMarkdown(clip(value, 300)) })),
  };
}

/** The card envelope, schema 1.5. */
export function adaptiveCard(body: CardElement[], actions: Json[] = [], extra: Json = {}): Json {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    ...(actions.length > 0 ? { actions } : {}),
    msteams: { width: 'Full' },
    ...extra,
  };
}

export function cardBytes(card: Json): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}
