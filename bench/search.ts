/**
 * The search row of `npm run bench` (`--only=search`): tickets with varied words, clients and requesters seeded in a
 * database of their own (documents from the store's mapper, so each carries the terms a save would write), then a few
 * searches through the real use case (`searchTickets`: the store's query, the ranking, the authorisation filter),
 * each against the raw driver running the same `find` alone. `explain` is tried; the local server has none, so the
 * query's shape is checked instead: a filter leading with `terms: { $all }` and the index's sort.
 */
import { MongoClient } from 'mongodb';
import mongoose from 'mongoose';
import { type SearchDeps, searchTickets } from '../src/app/search-tickets';
import type { loadPolicy } from '../src/config/policy';
import { parseSearch, requiredTerms } from '../src/domain/search/query';
import { createBusinessCalendar } from '../src/domain/sla/business-calendar';
import { raise } from '../src/domain/ticket/operations';
import { createDirectory } from '../src/domain/ticket/roles';
import type { Ticket } from '../src/domain/ticket/ticket';
import { registerModels, syncModelIndexes } from '../src/store/models';
import { type TicketDoc, ticketToDoc } from '../src/store/ticket.mapper';
import { MongoTicketSearch, searchQueryShape } from '../src/store/ticket-search.repository';

type Policy = ReturnType<typeof loadPolicy>;

const NOW = new Date('2026-03-02T10:00:00Z');
const SUBJECTS = [
  'invoice',
  'payroll',
  'report',
  'supplier',
  'approval',
  'ledger',
  'budget',
  'expense',
  'login',
  'bank',
];
const VERBS = ['export fails', 'is slow', 'shows wrong totals', 'cannot be posted', 'is missing', 'times out'];
const DETAILS = ['since the release', 'for one user', 'at month end', 'after the upgrade', 'in the new workflow'];
const RARE = ['reconciliation', 'webhook', 'currency', 'attachment', 'signature', 'depreciation', 'intercompany'];
const CLIENTS = Array.from({ length: 40 }, (_, i) => `Client${String.fromCharCode(65 + (i % 26))}${i} Ltd`);

/** A deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

/** `count` ticket documents numbered from `from`, as the store writes them (terms included). */
function seedDocs(policy: Policy, from: number, count: number): TicketDoc[] {
  const calendar = createBusinessCalendar(policy.calendar);
  const actor = { platform: 'slack' as const, userId: 'U0SEED', name: 'Seed', role: 'requester' as const };
  const base = raise(
    { seq: 1, title: 'seed', description: 'seed', requester: actor, client: 'seed', businessImpact: '', severity: 3 },
    { policy, clocks: { calendar, warnAt: policy.sla.warnAt }, now: NOW, actor: { ...actor, roles: ['requester'] } },
  ).ticket;
  const r = rng(from + 1);
  const out: TicketDoc[] = [];
  for (let seq = from; seq < from + count; seq++) {
    const rare = r() < 0.01 ? ` ${pick(r, RARE)}` : '';
    const closed = r() < 0.6;
    const updatedAt = new Date(NOW.getTime() - Math.floor(r() * 365) * 86_400_000);
    const t: Ticket = {
      ...base,
      number: `SR-${seq}`,
      seq,
      title: `${pick(r, SUBJECTS)} ${pick(r, VERBS)}${rare}`,
      description: `The ${pick(r, SUBJECTS)} ${pick(r, VERBS)} ${pick(r, DETAILS)}. Steps: open it, click export, wait.`,
      client: pick(r, CLIENTS),
      requester: { platform: 'slack', userId: `U0REQ${seq % 2000}`, name: `Person ${seq % 2000}` },
      status: closed ? 'closed' : pick(r, ['new', 'triage', 'work_in_progress', 'waiting_for_customer'] as const),
      createdAt: new Date(updatedAt.getTime() - 86_400_000),
      updatedAt,
      version: 1,
    };
    out.push(ticketToDoc(t));
  }
  return out;
}

export interface SearchBenchRow {
  search: string;
  matches: number;
  useCaseMs: number;
  rawQueryMs: number;
  candidates: number;
}

/** Seeds `size` tickets in `uri` (a database of its own) and times the searches; answers a row per search. */
export async function searchBench(
  uri: string,
  policy: Policy,
  size: number,
  log: (msg: string) => void,
): Promise<{ rows: SearchBenchRow[]; seedMs: number; explain: string }> {
  const client = await MongoClient.connect(uri, { maxPoolSize: 2 });
  const conn = await mongoose.createConnection(uri, { maxPoolSize: 2, autoIndex: false }).asPromise();
  try {
    const models = registerModels(conn);
    await syncModelIndexes(models);
    const tickets = client.db().collection('tickets');
    let t = performance.now();
    for (let i = 0; i < size; i += 1000) {
      await tickets.insertMany(seedDocs(policy, 1 + i, Math.min(1000, size - i)) as never[], { ordered: false });
      if (i % 20_000 === 0) log(`search: seeded ${i}`);
    }
    const seedMs = performance.now() - t;
    const store = new MongoTicketSearch(models);
    const deps = {
      policy,
      clock: { now: () => NOW },
      directory: createDirectory(policy),
      ticketSearch: store,
    } as unknown as SearchDeps;
    const agent = { platform: 'slack' as const, userId: 'U0LEVEL1', name: 'Lee Lewis' };
    const requester = { platform: 'slack' as const, userId: 'U0REQ42', name: 'Person 42' };
    const searches: Array<[string, typeof agent, string]> = [
      ['agent: rare word', agent, 'webhook'],
      ['agent: two common words', agent, 'invoice export'],
      ['agent: client + open', agent, `client:"${CLIENTS[3]}" open`],
      ['agent: word + client + since:30d', agent, `payroll client:"${CLIENTS[7]}" since:30d`],
      ['requester: own tickets, one word', requester, 'invoice'],
    ];
    const rows: SearchBenchRow[] = [];
    let explain = '';
    for (const [name, who, text] of searches) {
      const times: number[] = [];
      let matches = 0;
      for (let i = 0; i < 5; i++) {
        t = performance.now();
        const r = await searchTickets(deps, who, text);
        times.push(performance.now() - t);
        matches = r.total;
      }
      // The raw driver running the store's own filter alone (the same candidates, no ranking).
      const req = parseSearch(text, NOW);
      const q = searchQueryShape({
        terms: requiredTerms(req),
        ...(who === requester ? { requester } : {}),
        openOnly: req.open,
        recentSince: new Date(NOW.getTime() - 90 * 86_400_000),
        ...(req.since ? { createdSince: req.since } : {}),
        limit: 500,
      });
      const raw: number[] = [];
      let candidates = 0;
      for (let i = 0; i < 5; i++) {
        t = performance.now();
        candidates = (
          await tickets
            .find(q.filter as never)
            .sort(q.sort)
            .limit(500)
            .toArray()
        ).length;
        raw.push(performance.now() - t);
      }
      if (!explain) {
        try {
          const plan = await tickets
            .find(q.filter as never)
            .sort(q.sort)
            .limit(500)
            .explain();
          explain = JSON.stringify(plan).includes('IXSCAN') ? 'IXSCAN' : JSON.stringify(plan).slice(0, 300);
        } catch (err) {
          explain = `explain unavailable: ${(err as Error).message.slice(0, 120)}`;
        }
        if (!('terms' in q.filter) || Object.keys(q.sort)[0] !== 'updatedAt')
          throw new Error('the search query is not shaped for the terms_updatedAt index');
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
      rows.push({
        search: `${name} (${text})`,
        matches,
        useCaseMs: Math.round(median(times) * 10) / 10,
        rawQueryMs: Math.round(median(raw) * 10) / 10,
        candidates,
      });
    }
    return { rows, seedMs, explain };
  } finally {
    await client
      .db()
      .dropDatabase()
      .catch(() => undefined);
    await client.close();
    await conn.close();
  }
}
