import type { PlaygroundActivity } from '../../../src/adapters/playground/conversations';
import { loadPolicy } from '../../../src/config/policy';
import type { Policy } from '../../../src/config/policy.schema';
import { assertValidCard } from '../../fixtures/teams/cards';
import { eventually, startTestHelpline, type TestHelpline } from '../../helpers/harness';

export const CARD = 'application/vnd.microsoft.card.adaptive';
/** Monday 2 March 2026, 09:00 in London (GMT). */
export const MONDAY_0900_LONDON = new Date('2026-03-02T09:00:00Z');

/**
 * The seeds' policy with every resolution target at one business hour, so "advance 1 hour" takes a
 * ticket that Level 1 already picked up (its first-response clock stopped) through the at-risk
 * warning (45 min) to the breach (60 min).
 */
export function demoPolicy(): Policy {
  const p = loadPolicy();
  const severities = Object.fromEntries(
    Object.entries(p.severities).map(([k, s]) => [k, { ...s, resolution: 60 }]),
  ) as Policy['severities'];
  return { ...p, severities };
}

type Json = Record<string, unknown>;

/** The page's side of the playground, over HTTP: state, the event stream, messages and card actions. */
export class PlaygroundClient {
  readonly seen: PlaygroundActivity[] = [];
  private readonly abort = new AbortController();

  constructor(readonly helpline: TestHelpline) {}

  get base(): string {
    return this.helpline.base;
  }

  async state(): Promise<{
    people: Array<{ id: string; name: string; role: string; roles: string[]; accountId: string }>;
    views: Array<{ conversationId: string; kind: string; key: string; name: string; handledHere: boolean }>;
    clock: { movable: boolean; now: string; timeZone: string };
    conversations: Record<string, PlaygroundActivity[]>;
  }> {
    const res = await fetch(`${this.base}/playground/api/state`);
    expect(res.status).toBe(200);
    return res.json() as never;
  }

  /** Open the server-sent event stream and record every activity it pushes. */
  async listen(): Promise<void> {
    const res = await fetch(`${this.base}/playground/events`, { signal: this.abort.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    void (async () => {
      let buffer = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let cut = buffer.indexOf('\n\n');
          while (cut >= 0) {
            const frame = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const event = /^event: (.*)$/m.exec(frame)?.[1];
            const data = /^data: (.*)$/m.exec(frame)?.[1];
            if (event === 'activity' && data) this.seen.push(JSON.parse(data) as PlaygroundActivity);
            cut = buffer.indexOf('\n\n');
          }
        }
      } catch {
        // aborted
      }
    })();
  }

  close(): void {
    this.abort.abort();
  }

  /** The latest version of each activity pushed for a conversation. */
  latest(conversationId: string): PlaygroundActivity[] {
    const byId = new Map<string, PlaygroundActivity>();
    for (const a of this.seen) if (a.conversationId === conversationId) byId.set(a.id, a);
    return [...byId.values()];
  }

  /** Wait for a bot activity in a conversation whose card or text matches. */
  waitFor(conversationId: string, match: RegExp, what = `${match} in ${conversationId}`): Promise<PlaygroundActivity> {
    return eventually(
      () =>
        this.latest(conversationId)
          .reverse()
          .find((a) => a.from.role === 'bot' && match.test(`${a.text ?? ''} ${JSON.stringify(a.attachments ?? [])}`)),
      8000,
      what,
    );
  }

  /** Wait for a bot message in a conversation, seen after the `since`-th activity, whose text matches. */
  waitForNewText(conversationId: string, match: RegExp, since: number, what: string): Promise<PlaygroundActivity> {
    return eventually(
      () =>
        this.seen
          .slice(since)
          .find((a) => a.conversationId === conversationId && a.from.role === 'bot' && match.test(a.text ?? '')),
      8000,
      what,
    );
  }

  /**
   * The intake form for words just said: when a knowledge article answers first, its "No, raise a ticket" is pressed
   * (the request still needs a ticket) and the form that replaces it is returned.
   */
  async intakeForm(as: string, conversationId: string): Promise<PlaygroundActivity> {
    const first = await this.waitFor(
      conversationId,
      /intake\.submit|Did this solve it/,
      'the intake form or an article',
    );
    if (/intake\.submit/.test(JSON.stringify(first.attachments ?? []))) return first;
    await this.click(as, first, 'No, raise a ticket');
    return this.waitFor(conversationId, /did not solve it/, 'the intake form in place of the article');
  }

  async say(as: string, conversationId: string, text: string): Promise<Response> {
    return fetch(`${this.base}/playground/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ as, conversationId, text }),
    });
  }

  /** Click a card's Action.Execute button (by title), its inputs at their default values plus `inputs`. */
  async click(
    as: string,
    activity: PlaygroundActivity,
    title: string,
    inputs: Record<string, string> = {},
  ): Promise<{ kind: string; status: number; message?: string }> {
    const card = activity.attachments?.find((a) => a.contentType === CARD)?.content as Json;
    const found = findAction(card, title);
    if (!found) throw new Error(`no "${title}" button on the card: ${JSON.stringify(card).slice(0, 400)}`);
    const data = { ...(found.action.data as Json | undefined), ...defaults(found.scope), ...inputs };
    const res = await fetch(`${this.base}/playground/api/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        as,
        conversationId: activity.conversationId,
        replyToId: activity.id,
        action: { type: found.action.type, verb: found.action.verb, data },
      }),
    });
    expect(res.status).toBe(200);
    return res.json() as never;
  }
}

/** The action titled `title` anywhere in the card (show cards included), and the card holding its inputs. */
function findAction(card: Json, title: string): { action: Json; scope: Json } | null {
  const actions = (card.actions as Json[] | undefined) ?? [];
  const inBody = collect(card.body as Json[] | undefined);
  for (const a of [...actions, ...inBody]) {
    if (a.title === title && (a.type === 'Action.Execute' || a.type === 'Action.Submit'))
      return { action: a, scope: card };
    if (a.type === 'Action.ShowCard' && a.card) {
      const hit = findAction(a.card as Json, title);
      if (hit) return hit;
    }
  }
  return null;
}

function collect(elements: Json[] | undefined): Json[] {
  const out: Json[] = [];
  for (const e of elements ?? []) {
    if (e.type === 'ActionSet') out.push(...((e.actions as Json[]) ?? []));
    for (const key of ['items', 'columns']) if (Array.isArray(e[key])) out.push(...collect(e[key] as Json[]));
  }
  return out;
}

function defaults(card: Json): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (elements: Json[] | undefined) => {
    for (const e of elements ?? []) {
      if (typeof e.type === 'string' && e.type.startsWith('Input.') && typeof e.id === 'string')
        out[e.id] = e.value === undefined ? '' : String(e.value);
      for (const key of ['items', 'columns']) if (Array.isArray(e[key])) walk(e[key] as Json[]);
    }
  };
  walk(card.body as Json[] | undefined);
  return out;
}

/**
 * One playground for a describe block: the real Helpline with `policy` on Monday 09:00 in London, a page's client
 * listening to its event stream, both stopped after the tests; every card it pushed is checked after each test.
 */
export function usePlayground(
  policy: Policy,
  receive: (helpline: TestHelpline, client: PlaygroundClient) => void,
): void {
  let helpline: TestHelpline | undefined;
  let client: PlaygroundClient | undefined;
  beforeAll(async () => {
    helpline = await startTestHelpline({ policy, now: MONDAY_0900_LONDON, prefix: 'playground' });
    client = new PlaygroundClient(helpline);
    await client.listen();
    receive(helpline, client);
  });
  afterAll(async () => {
    client?.close();
    await helpline?.stop();
  });
  afterEach(() => {
    for (const a of client?.seen ?? [])
      for (const att of a.attachments ?? []) if (att.contentType === CARD) assertValidCard(att.content);
  });
}
