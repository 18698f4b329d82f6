/**
 * The requests of one unit of load, as the platforms send them: Slack's signed events and clicks, Teams' activities.
 * A unit is one raise, the same for Helpline and for its ceilings (bench/ceilings.ts): the person's message, the
 * bot's answer with its raise button (read back from the fake platform), the click or submit on that button, and
 * the confirmation reaching the fake platform.
 */
import { randomUUID } from 'node:crypto';
import { Action } from '../src/cards/actions';
import { personalMessage, submitMessage, user } from '../test/fixtures/teams/activities';
import { type BenchConnector, type BenchSlackApi, BOT_USER_ID, type Call } from './fakes';
import { post, slackHeaders } from './load';

export const SECRET = 'bench-signing-secret';
type Target = { base: string };
export type Unit = (w: number, ack: (ms: number) => void) => Promise<void>;

let tsSeq = 0;
export function slackTs(): string {
  return `${Math.floor(Date.now() / 1000)}.${String(++tsSeq % 1_000_000).padStart(6, '0')}`;
}

export const TEXTS = [
  "Users can't log in since 9am, invoicing is blocked for the whole finance team",
  'The monthly report export fails with error 500 for one client, we have a workaround',
  'Typo on the invoice footer: "Registred office" should read "Registered office"',
  'Payments page is very slow since the last release, some users time out',
];

export function messageIm(userId: string, channel: string, ts: string, text: string): string {
  return JSON.stringify({
    token: 'legacy-verification-token',
    team_id: 'T0BENCH',
    api_app_id: 'A0BENCH',
    event: {
      client_msg_id: randomUUID(),
      type: 'message',
      text,
      user: userId,
      ts,
      blocks: [
        {
          type: 'rich_text',
          block_id: 'b1',
          elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }],
        },
      ],
      team: 'T0BENCH',
      channel,
      event_ts: ts,
      channel_type: 'im',
    },
    type: 'event_callback',
    event_id: `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { enterprise_id: null, team_id: 'T0BENCH', user_id: BOT_USER_ID, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${randomUUID()}`,
  });
}

export function blockActions(
  u: { id: string; name: string },
  channel: string,
  messageTs: string,
  action: { action_id: string; block_id: string; value: string; text: string },
): string {
  const payload = {
    type: 'block_actions',
    user: { id: u.id, username: u.name.toLowerCase().replace(/ /g, '.'), name: u.name, team_id: 'T0BENCH' },
    api_app_id: 'A0BENCH',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: messageTs, channel_id: channel, is_ephemeral: false },
    trigger_id: `${Date.now()}.1234567890.${randomUUID().replace(/-/g, '')}`,
    team: { id: 'T0BENCH', domain: 'bench' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel, name: channel.startsWith('D') ? 'directmessage' : 'support-triage' },
    message: { type: 'message', ts: messageTs, user: BOT_USER_ID, bot_id: 'B0HELPLINE', text: '' },
    state: { values: {} },
    response_url: `https://hooks.slack.com/actions/T0BENCH/1/${randomUUID()}`,
    actions: [
      {
        type: 'button',
        action_id: action.action_id,
        block_id: action.block_id,
        text: { type: 'plain_text', text: action.text, emoji: true },
        value: action.value,
        action_ts: `${(Date.now() / 1000).toFixed(6)}`,
      },
    ],
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

export type Button = { action_id: string; block_id: string; value: string; text: string };
/** The first button with this action_id in a message's blocks. */
export function buttonIn(blocks: unknown, actionId: string): Button | null {
  for (const b of (Array.isArray(blocks) ? blocks : []) as Array<{ block_id?: string; elements?: unknown[] }>) {
    for (const e of (b.elements ?? []) as Array<{ action_id?: string; value?: string; text?: { text?: string } }>) {
      if (e.action_id === actionId)
        return { action_id: actionId, block_id: b.block_id ?? '', value: e.value ?? '', text: e.text?.text ?? '' };
    }
  }
  return null;
}

export async function sendSigned(url: string, body: string, form: boolean): Promise<number> {
  const res = await post(
    url,
    slackHeaders(SECRET, body, form ? 'application/x-www-form-urlencoded' : 'application/json'),
    body,
  );
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 200)}`);
  return res.ms;
}

/**
 * One Slack raise: a DM (message.im); the bot's answer in its thread, with the _Raise ticket_ button
 * (`intake.raise_now`, its block id and value read from what the fake Slack received); the click on it; done when
 * the confirmation (`SR-n`, in the DM's thread) reaches the fake Slack.
 */
export function slackRaise(bot: Target, slack: BenchSlackApi): Unit {
  const url = `${bot.base}/slack/events`;
  let n = 0;
  return async (w, ack) => {
    // Each raise by another person (a desk has many requesters; one person raising all day meets the rate limit).
    const k = n++;
    const userId = `U0BENCH${w}N${k}`;
    const channel = `D0BENCH${w}N${k}`;
    const ts = slackTs();
    const text = `${TEXTS[k % TEXTS.length]} (bench ${w}-${k})`;
    const inThread = (c: Call) =>
      c.method === 'chat.postMessage' && c.body.channel === channel && c.body.thread_ts === ts;
    const understood = slack.waitFor(inThread);
    ack(await sendSigned(url, messageIm(userId, channel, ts, text), false));
    const answer = await understood;
    const button = buttonIn(answer.body.blocks, 'intake.raise_now');
    if (!button) throw new Error(`no Raise button in the answer: ${JSON.stringify(answer.body).slice(0, 300)}`);
    const raised = slack.waitFor((c) => inThread(c) && /SR-\d+/.test(String(c.body.text)));
    const click = blockActions({ id: userId, name: `Bench User ${w}` }, channel, String(answer.body.ts), button);
    ack(await sendSigned(url, click, true));
    await raised;
  };
}

async function postActivity(url: string, activity: object): Promise<number> {
  const res = await post(url, { 'content-type': 'application/json' }, JSON.stringify(activity));
  if (res.status < 200 || res.status >= 300) throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 200)}`);
  return res.ms;
}

type Json = Record<string, unknown>;
/** What a Teams client sends for a card's button: the button's data merged with the values of the card's inputs. */
export function submitValue(card: unknown, verb: string): Json | null {
  const values: Json = {};
  let data: Json | null = null;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const el = node as Json;
    if (typeof el.type === 'string' && el.type.startsWith('Input.') && typeof el.id === 'string')
      values[el.id] = el.value ?? '';
    // A Universal Action's Action.Submit fallback (what arrives as a message), or a plain Action.Submit.
    const submit = (el.type === 'Action.Execute' ? el.fallback : el) as Json | undefined;
    const d = submit?.type === 'Action.Submit' ? (submit.data as Json | undefined) : undefined;
    if (!data && d?.verb === verb && d.join === undefined) data = d;
    for (const v of Object.values(el)) if (v && typeof v === 'object') walk(v);
  };
  walk(card);
  return data ? { ...values, ...(data as Json) } : null;
}

const cardOf = (c: Call) =>
  ((c.body.attachments as Array<{ contentType?: string; content?: unknown }> | undefined) ?? []).find(
    (a) => a.contentType === 'application/vnd.microsoft.card.adaptive',
  )?.content;

/**
 * One Teams raise: a personal-chat message; the bot's answer to it with the intake card (read from what the fake
 * connector received); that card's Raise ticket submitted as the client sends it (the `Action.Submit` fallback of its
 * Universal Action: the button's data and the card's inputs); done when the confirmation (`SR-n`, in answer to the
 * submit) reaches the fake connector. Both answers are sent in the turn, so each request's latency includes them.
 */
export function teamsRaise(bot: Target, connector: BenchConnector): Unit {
  const url = `${bot.base}/api/messages`;
  let n = 0;
  return async (w, ack) => {
    const k = n++;
    const u = user(`29:1bench-user-${w}-${k}`, `Bench User ${w}`); // each raise by another person, as for Slack
    const text = `${TEXTS[k % TEXTS.length]} (teams bench ${w}-${k})`;
    const msg = personalMessage(connector.url, u, text);
    const answering = (id: unknown) => (c: Call) => c.body.replyToId === id && c.method.startsWith('POST');
    const carded = connector.waitFor(answering(msg.id));
    ack(await postActivity(url, msg));
    const card = cardOf(await carded);
    const value = submitValue(card, Action.SubmitForm);
    if (!value) throw new Error(`no Raise ticket on the answer: ${JSON.stringify(card).slice(0, 300)}`);
    const submit = submitMessage(connector.url, u, value);
    const confirmed = connector.waitFor((c) => answering(submit.id)(c) && /SR-\d+/.test(String(c.body.text)));
    ack(await postActivity(url, submit));
    await confirmed;
  };
}

/** The intake form's submit alone (what `--only=trips` counts as a Teams raise): the ticket raised in the turn. */
export function teamsSubmit(bot: Target, connector: BenchConnector): Unit {
  const url = `${bot.base}/api/messages`;
  let n = 0;
  return async (w, ack) => {
    const u = user(`29:1bench-user-${w}-${n}`, `Bench User ${w}`);
    const text = `${TEXTS[n++ % TEXTS.length]} (teams bench ${w}-${n})`;
    const activity = submitMessage(connector.url, u, {
      verb: Action.SubmitForm,
      title: text.slice(0, 80),
      description: text,
      severity: String((n % 4) + 1),
      businessImpact: 'One team is blocked',
    });
    ack(await postActivity(url, activity));
  };
}
