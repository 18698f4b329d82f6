/**
 * Round trips (`--only=trips`): every database command and Web API call of one Slack raise (the DM, then the Raise
 * click), one Teams raise (the intake form's submit), one triage click and one breach, in a bot of their own
 * (BENCH_COUNT_TRIPS=1: the driver's command monitoring, see bot.ts). Each unit ends when the fake Slack has been
 * quiet for 500 ms, so the notifier's deliveries it caused (triage card, card updates) are counted with it, apart:
 * `request` is what the platform's request itself cost (what its ack or answer waits for), `delivery` what the
 * notifier did after it. The first raise on each platform warms up (the counter document, conversations) and is not
 * counted. BENCH_TRIPS_TRACE=1 prints each command with the functions that sent it.
 */
import { MongoClient } from 'mongodb';
import type { Policy } from '../src/config/policy.schema';
import type { BenchConnector, BenchSlackApi, Call } from './fakes';
import { ticketFactory } from './tickets';

type Button = { action_id: string; block_id: string; value: string; text: string };
interface TripsBot {
  base: string;
  ask<T = Record<string, unknown>>(cmd: string, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}
type Unit = (w: number, ack: (ms: number) => void) => Promise<void>;

/** What main.ts lends: its bot starter, payload builders and the rows of its table. */
export interface TripsKit {
  env: Record<string, string>;
  slack: BenchSlackApi;
  connector: BenchConnector;
  policy: Policy;
  startBot(mode: string, env: Record<string, string>): Promise<TripsBot>;
  teamsRaise(bot: TripsBot): Unit;
  messageIm(userId: string, channel: string, ts: string, text: string): string;
  blockActions(user: { id: string; name: string }, channel: string, ts: string, button: Button): string;
  sendSigned(url: string, body: string, form: boolean): Promise<number>;
  buttonIn(blocks: unknown, actionId: string): Button | null;
  slackTs(): string;
  rows: Array<{ section: string; figure: string; value: string }>;
  results: Record<string, unknown>;
}

const sum = (m: Record<string, number>) => Object.values(m).reduce((a, b) => a + b, 0);
const breakdown = (m: Record<string, number>) =>
  Object.entries(m)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');

export async function tripsBench(kit: TripsKit): Promise<void> {
  const { slack, rows, results } = kit;
  const uri = `${kit.env.MONGODB_URI}_trips`;
  const bot = await kit.startBot('app', { ...kit.env, MONGODB_URI: uri, BENCH_COUNT_TRIPS: '1' });
  const calls = new Map<string, number>();
  const countCalls = (c: Call) => calls.set(c.method, (calls.get(c.method) ?? 0) + 1);
  // Bot Connector calls by kind: a conversation's id and an activity's id are not part of the name.
  const countConnector = (c: Call) => {
    const kind = c.method
      .replace(/conversations\/[^/]+/, 'conversations/{id}')
      .replace(/activities\/[^/]+/, 'activities/{id}');
    calls.set(kind, (calls.get(kind) ?? 0) + 1);
  };
  const measure = async (what: string, work: () => Promise<void>) => {
    await slack.idle(500);
    await bot.ask('trips');
    calls.clear();
    slack.observers.push(countCalls);
    kit.connector.observers.push(countConnector);
    await work();
    await slack.idle(500);
    await kit.connector.idle(500);
    slack.observers.splice(slack.observers.indexOf(countCalls), 1);
    kit.connector.observers.splice(kit.connector.observers.indexOf(countConnector), 1);
    const counted = await bot.ask<{ trips: Record<string, number>; sequence: string[] }>('trips');
    if (process.env.BENCH_TRIPS_TRACE) console.log(`\n${what}:\n  ${counted.sequence.join('\n  ')}`);
    const byPhase: Record<'request' | 'delivery', Record<string, number>> = { request: {}, delivery: {} };
    for (const [key, n] of Object.entries(counted.trips)) {
      const [phase, command] = key.split('|') as ['request' | 'delivery', string];
      byPhase[phase][command] = n;
    }
    const api = Object.fromEntries(calls);
    results[`trips_${what}`] = { ...byPhase, webApi: api };
    const total = sum(byPhase.request) + sum(byPhase.delivery);
    rows.push({ section: 'round trips', figure: `${what}: database commands`, value: `${total}` });
    for (const phase of ['request', 'delivery'] as const)
      rows.push({
        section: 'round trips',
        figure: `  ${phase}`,
        value: `${sum(byPhase[phase])} (${breakdown(byPhase[phase])})`,
      });
    rows.push({
      section: 'round trips',
      figure: `${what}: Web API / Bot Connector calls`,
      value: `${sum(api)} (${breakdown(api)})`,
    });
  };

  const url = `${bot.base}/slack/events`;
  /** The DM, answered with the understood reply: its Raise button and where it was posted. */
  const dm = async (k: number) => {
    const userId = `U0TRIPS${k}`;
    const channel = `D0TRIPS${k}`;
    const ts = kit.slackTs();
    const understood = slack.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.channel === channel && c.body.thread_ts === ts,
    );
    await kit.sendSigned(
      url,
      kit.messageIm(userId, channel, ts, `The invoice export fails with error 500 (${k})`),
      false,
    );
    const answer = await understood;
    const button = kit.buttonIn(answer.body.blocks, 'intake.raise_now');
    if (!button) throw new Error(`no Raise button in the answer: ${JSON.stringify(answer.body).slice(0, 300)}`);
    return { user: { id: userId, name: `Trips User ${k}` }, channel, ts, answerTs: String(answer.body.ts), button };
  };
  const click = async (d: Awaited<ReturnType<typeof dm>>) => {
    const raised = slack.waitFor(
      (c) =>
        c.method === 'chat.postMessage' && c.body.channel === d.channel && /SR-\d+ raised/.test(String(c.body.text)),
    );
    await kit.sendSigned(url, kit.blockActions(d.user, d.channel, d.answerTs, d.button), true);
    await raised;
  };

  try {
    await click(await dm(900)); // warm-up
    let card: { ts: string; button: Button } | undefined;
    const watch = (c: Call) => {
      if (c.method !== 'chat.postMessage' || c.body.channel !== 'C0TRIAGE') return;
      const button = kit.buttonIn(c.body.blocks, 'ticket.assign_me');
      if (button) card = { ts: String(c.body.ts), button };
    };
    slack.observers.push(watch);
    let d: Awaited<ReturnType<typeof dm>> | undefined;
    await measure('Slack DM (the understood reply)', async () => {
      d = await dm(901);
    });
    await measure('Slack raise (the Raise click)', () => click(d as Awaited<ReturnType<typeof dm>>));
    slack.observers.splice(slack.observers.indexOf(watch), 1);
    const clicked = card;
    if (!clicked) throw new Error('the counted raise posted no triage card');
    await measure('triage click (Assign to me)', async () => {
      const updated = slack.waitFor((c) => c.method === 'chat.update' && c.body.ts === clicked.ts, 30_000);
      const lee = { id: 'U0LEVEL1', name: 'Lee Lewis' };
      await kit.sendSigned(url, kit.blockActions(lee, 'C0TRIAGE', clicked.ts, clicked.button), true);
      await updated;
    });
    const teams = kit.teamsRaise(bot);
    await teams(900, () => undefined); // warm-up
    await measure('Teams raise (the intake form submitted)', () => teams(901, () => undefined));
    // A breach: one ticket raised three days before the sweep's instant, found due and breached by one sweep.
    const client = await MongoClient.connect(uri);
    try {
      await client
        .db()
        .collection('tickets')
        .insertMany(ticketFactory(kit.policy).due(1) as never[]);
    } finally {
      await client.close();
    }
    await measure('breach (one SLA sweep, one ticket due)', async () => {
      await bot.ask('breach');
    });
  } finally {
    await bot.stop();
  }
}
