import { randomBytes } from 'node:crypto';
import type { TicketSearchQuery } from '../../../src/app/ports';
import { backfillSearchTerms } from '../../../src/app/search-tickets';
import { connectStore, type Store } from '../../../src/store/connection';
import { createRepositories, type Repositories } from '../../../src/store/index';
import { collectionOf } from '../../../src/store/models';
import { ticketToDoc } from '../../../src/store/ticket.mapper';
import { searchQueryShape } from '../../../src/store/ticket-search.repository';
import { openServer, supportedServers, type TestServer } from '../../helpers/servers';
import { makeTicket, minutesAfter, rita, sam, T0 } from './fixtures';

const silent = { info() {}, warn() {}, error() {} };
const DAY = 24 * 60;

describe.each(supportedServers())('the search index, on %s', (kind) => {
  let server: TestServer;
  let store: Store;
  let repos: Repositories;
  const query = (over: Partial<TicketSearchQuery>): TicketSearchQuery => ({
    terms: [],
    openOnly: false,
    recentSince: minutesAfter(T0, -90 * DAY),
    limit: 50,
    ...over,
  });
  const found = async (over: Partial<TicketSearchQuery>) =>
    (await repos.ticketSearch.search(query(over))).map((t) => t.number).sort();

  beforeAll(async () => {
    server = await openServer(kind);
    store = await connectStore(`${server.uri}helpline_search_${randomBytes(4).toString('hex')}`, { log: silent });
    repos = createRepositories(store);
  }, 60_000);
  afterAll(async () => {
    await store?.connection.dropDatabase();
    await store?.close();
    await server?.stop();
  });

  it('declares the multikey index the query is shaped for', async () => {
    const indexes = await collectionOf(store.models.Ticket).indexes();
    expect(indexes.find((i) => i.name === 'terms_updatedAt')?.key).toEqual({ terms: 1, updatedAt: -1 });
    // The filter leads with the indexed array (every term required) and sorts by the index's second key.
    const shape = searchQueryShape(query({ terms: ['c:acme', 'export'], openOnly: true }));
    expect(shape).toEqual({ filter: { terms: { $all: ['c:acme', 'export'] }, open: true }, sort: { updatedAt: -1 } });
  });

  it('every save rewrites the terms: a new message is found, an internal note never', async () => {
    const t = makeTicket(1, { title: 'Export fails', description: 'Month end report' });
    const created = await repos.tickets.create({ ticket: t, events: [], notices: [] });
    expect(await found({ terms: ['export', 'c:acme'] })).toEqual(['SR-1']);
    expect(await found({ terms: ['screenshot'] })).toEqual([]);
    const at = minutesAfter(T0, 5);
    const conversation = [
      { at, author: sam, fromAgent: true, text: 'Could you send a screenshot?' },
      { at, author: sam, fromAgent: true, text: 'Looks like the payroll bug', internal: true },
    ];
    await repos.tickets.save({ ticket: { ...created, conversation, updatedAt: at }, events: [], notices: [] }, 1);
    expect(await found({ terms: ['screenshot'] })).toEqual(['SR-1']);
    expect(await found({ terms: ['payrol'] })).toEqual([]);
  });

  it('filters: the requester, open only, open or recently updated, raised since', async () => {
    const other = { platform: 'slack' as const, userId: 'U2', name: 'Olga' };
    const tickets = [
      makeTicket(2, { title: 'Invoice export slow', requester: other }),
      makeTicket(3, {
        title: 'Invoice export blank',
        status: 'closed',
        updatedAt: minutesAfter(T0, -10 * DAY),
        createdAt: minutesAfter(T0, -20 * DAY),
      }),
      makeTicket(4, {
        title: 'Invoice export wrong',
        status: 'closed',
        updatedAt: minutesAfter(T0, -200 * DAY),
        createdAt: minutesAfter(T0, -300 * DAY),
      }),
    ];
    for (const ticket of tickets) await repos.tickets.create({ ticket, events: [], notices: [] });
    expect(await found({ terms: ['invoic', 'export'] })).toEqual(['SR-2', 'SR-3']);
    expect(await found({ terms: ['invoic', 'export'], openOnly: true })).toEqual(['SR-2']);
    expect(await found({ terms: ['invoic'], requester: rita })).toEqual(['SR-3']);
    expect(await found({ terms: ['invoic'], recentSince: minutesAfter(T0, -365 * DAY) })).toEqual([
      'SR-2',
      'SR-3',
      'SR-4',
    ]);
    expect(await found({ terms: ['invoic'], createdSince: minutesAfter(T0, -1) })).toEqual(['SR-2']);
    expect(await found({ terms: ['invoic'], statuses: ['closed'] })).toEqual(['SR-3']);
  });

  it('tickets saved before search existed get their terms from the backfill, once', async () => {
    const tickets = collectionOf(store.models.Ticket);
    for (const seq of [10, 11, 12]) {
      const { terms: _terms, ...old } = ticketToDoc({
        ...makeTicket(seq, { title: `Legacy export ${seq}` }),
        version: 1,
      });
      await tickets.insertOne(old);
    }
    expect(await found({ terms: ['legaci'] })).toEqual([]);
    expect(await backfillSearchTerms(repos, 2)).toBe(3);
    expect(await found({ terms: ['legaci'] })).toEqual(['SR-10', 'SR-11', 'SR-12']);
    expect(await backfillSearchTerms(repos, 2)).toBe(0);
  });
});
