import { InvalidInputError } from '../../../../src/domain/errors';
import { parseSearch, parseSince, requiredTerms } from '../../../../src/domain/search/query';
import { type Rankable, rankTickets, searchScore } from '../../../../src/domain/search/rank';
import { clientTerms, MAX_TERMS, plainWords, searchTerms, ticketTerms } from '../../../../src/domain/search/terms';
import type { TicketMessage } from '../../../../src/domain/ticket/ticket';

const NOW = new Date('2026-03-02T10:00:00Z');
const rita = { platform: 'slack' as const, userId: 'U0REQUESTER', name: 'Rita Reyes' };
const lee = { platform: 'slack' as const, userId: 'U0LEVEL1', name: 'Lee Lewis' };
const msg = (text: string, extra: Partial<TicketMessage> = {}): TicketMessage => ({
  at: NOW,
  author: rita,
  fromAgent: false,
  text,
  ...extra,
});

function ticket(over: Partial<Rankable> = {}): Rankable {
  return {
    number: 'SR-1',
    title: 'Invoices cannot be exported',
    description: 'The export button spins.',
    client: 'Acme Ltd',
    clientId: 'acme',
    requester: rita,
    conversation: [],
    status: 'triage',
    updatedAt: NOW,
    ...over,
  };
}

describe('search terms', () => {
  it('lower-cases, strips accents and punctuation, expands contractions, drops stop words and stems', () => {
    expect(plainWords('Café-Export! (Zürich)')).toEqual(['cafe', 'export', 'zurich']);
    expect(searchTerms('The EXPORTS are exporting; exported?')).toEqual(['export']);
    expect(searchTerms("We can't export the client's invoices")).toEqual(['export', 'client', 'invoic']);
    expect(searchTerms('Error 500 on é, step 2')).toEqual(['error', '500', 'step', '2']);
  });

  it('a ticket stores client and requester terms, its words, and none of its internal notes', () => {
    const terms = ticketTerms({
      title: 'Export fails',
      description: 'Month end report',
      client: 'Acme Ltd',
      clientId: 'ACME-01',
      requester: rita,
      conversation: [
        msg('Still failing after the release'),
        msg('Looks like the payroll bug again', { author: lee, fromAgent: true, internal: true }),
        msg('Could you send a screenshot?', { author: lee, fromAgent: true }),
      ],
    });
    expect(terms.slice(0, 6)).toEqual(['c:acme', 'c:ltd', 'c:acme-01', 'r:rita', 'r:reyes', 'r:u0requester']);
    expect(terms).toEqual(expect.arrayContaining(['export', 'fail', 'month', 'releas', 'screenshot', 'acm']));
    expect(terms).not.toContain('payrol');
    expect(new Set(terms).size).toBe(terms.length);
  });

  it('is bounded: a long conversation is cut, the title and filter terms always fit', () => {
    const words = Array.from({ length: 400 }, (_, i) => `word${i}x`).join(' ');
    const terms = ticketTerms({
      title: 'Export fails',
      description: words,
      client: 'Acme',
      requester: rita,
      conversation: [msg(words)],
    });
    expect(terms).toHaveLength(MAX_TERMS);
    expect(terms).toEqual(expect.arrayContaining(['c:acme', 'r:rita', 'export', 'fail']));
  });
});

describe('search query', () => {
  it('parses words, filters and the page; unknown key:value pairs stay words', () => {
    const q = parseSearch(
      'export PDF client:"Acme Ltd" requester:<@U0REQUESTER> status:waiting open E:500 page 2',
      NOW,
    );
    expect(q).toMatchObject({
      words: ['export', 'pdf', 'e', '500'],
      terms: ['export', 'pdf', '500'],
      client: 'Acme Ltd',
      requester: 'U0REQUESTER',
      status: 'waiting',
      open: true,
      page: 2,
      text: 'export PDF client:"Acme Ltd" requester:<@U0REQUESTER> status:waiting open E:500',
    });
    expect(requiredTerms(q)).toEqual(['r:u0requester', 'c:acme', 'c:ltd', 'export', '500', 'pdf']);
  });

  it('since: relative and absolute; bad values and pages are refused with a hint', () => {
    expect(parseSince('7d', NOW)).toEqual(new Date('2026-02-23T10:00:00Z'));
    expect(parseSince('24h', NOW)).toEqual(new Date('2026-03-01T10:00:00Z'));
    expect(parseSince('2026-01-15', NOW)).toEqual(new Date('2026-01-15T00:00:00Z'));
    expect(() => parseSince('yesterday', NOW)).toThrow(InvalidInputError);
    expect(() => parseSearch('export page 99', NOW)).toThrow('Pages go from 1 to 50');
    expect(parseSearch('client:acme since:2w', NOW).since).toEqual(new Date('2026-02-16T10:00:00Z'));
  });

  it('only stop words: no terms, so the app asks for words', () => {
    const q = parseSearch('the and of', NOW);
    expect(requiredTerms(q)).toEqual([]);
    expect(clientTerms('ACME')).toEqual(['c:acme']);
  });
});

describe('search ranking', () => {
  it('a word in the title beats the same word in the conversation; open beats closed; recent beats old', () => {
    const inTitle = ticket({ number: 'SR-1', title: 'Export fails', description: '' });
    const inChat = ticket({ number: 'SR-2', title: 'Slow page', description: '', conversation: [msg('export')] });
    const closed = ticket({ number: 'SR-3', title: 'Export fails', description: '', status: 'closed' });
    const old = ticket({
      number: 'SR-4',
      title: 'Export fails',
      description: '',
      updatedAt: new Date('2025-12-01T10:00:00Z'),
    });
    const ranked = rankTickets([inChat, old, closed, inTitle], ['export'], NOW).map((t) => t.number);
    expect(ranked).toEqual(['SR-1', 'SR-4', 'SR-3', 'SR-2']);
    expect(searchScore(inTitle, ['export'], NOW)).toBeGreaterThan(searchScore(inChat, ['export'], NOW));
  });

  it('internal notes do not count, and equal scores keep the newest first', () => {
    const noted = ticket({
      number: 'SR-5',
      title: 'Other',
      description: '',
      conversation: [msg('export', { internal: true, author: lee, fromAgent: true })],
    });
    const plain = ticket({ number: 'SR-6', title: 'Other', description: '' });
    expect(searchScore(noted, ['export'], NOW)).toBe(searchScore(plain, ['export'], NOW));
    const older = ticket({ number: 'SR-7', updatedAt: new Date(NOW.getTime() - 1000) });
    const newer = ticket({ number: 'SR-8' });
    expect(rankTickets([older, newer], ['export'], NOW).map((t) => t.number)).toEqual(['SR-8', 'SR-7']);
  });
});
