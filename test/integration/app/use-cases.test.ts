import mongoose from 'mongoose';
import { getTicket, listMyTickets, listQueue } from '../../../src/app/queries';
import { raiseTicket } from '../../../src/app/raise-ticket';
import { assignToMe, requestInfo, setSeverity } from '../../../src/app/ticket-actions';
import { ConflictError, ForbiddenError, NotFoundError } from '../../../src/domain/errors';
import { compareQueue, queueKey } from '../../../src/domain/ticket/queue';
import { startTestHelpline, type TestHelpline } from '../../helpers/harness';

const rita = { platform: 'slack' as const, userId: 'U0REQUESTER', name: 'Rita Reyes' };
const stranger = { platform: 'slack' as const, userId: 'U0STRANGER', name: 'Stan Ger' };
const lee = { platform: 'slack' as const, userId: 'U0LEVEL1', name: 'Lee Lewis' };
const priya = { platform: 'slack' as const, userId: 'U0LEVEL1B', name: 'Priya Patel' };

describe('use cases on the real database', () => {
  let h: TestHelpline;
  beforeAll(async () => {
    h = await startTestHelpline({ now: new Date('2026-03-02T09:00:00Z'), prefix: 'usecases' });
  });
  afterAll(() => h.stop());

  it('raises from plain words with the triage suggestion, and tells when to expect a first response', async () => {
    const r = await raiseTicket(h.app, {
      requester: rita,
      text: "Hi, I've forgotten my password for the workflow app and I'm locked out",
    });
    expect(r.kind).toBe('raised');
    if (r.kind !== 'raised') return;
    expect(r.ticket.number).toMatch(/^SR-\d+$/);
    expect(r.ticket.categoryId).toBe('workflow-password-resets');
    expect(r.ticket.team).toBe('level1');
    expect(r.confirmation).toContain(`${r.ticket.number} raised: Severity ${r.ticket.severity}`);
    expect(r.confirmation).toContain('Level 1 Support');
    expect(r.confirmation).toMatch(/first response by Mon 09:30/);
  });

  it('a ticket number already taken is skipped: the raise takes the next one instead of failing', async () => {
    const first = await raiseTicket(h.app, { requester: rita, text: 'The supplier import failed' });
    const next = Number(first.ticket?.number.slice(3)) + 1;
    // SR-<next> exists already (inserted by hand, or a counter restored from an older backup)
    const taken = {
      ...(first.ticket as NonNullable<typeof first.ticket>),
      number: `SR-${next}`,
      seq: next,
      version: 0,
    };
    await h.app.tickets.create({ ticket: taken, events: [], notices: [] });
    const r = await raiseTicket(h.app, { requester: rita, text: 'The supplier import failed again' });
    expect(r.kind).toBe('raised');
    expect(r.ticket?.number).toBe(`SR-${next + 1}`);
    expect((await h.app.tickets.get(`SR-${next}`))?.title).toBe(taken.title);
  });

  it('a raise taken over from a replica that died after saving its ticket answers with that ticket, not a second', async () => {
    const input = { requester: rita, text: 'The pallet labels print twice', opKey: 'slack:action:died-after-save' };
    const first = await raiseTicket(h.app, input);
    // The replica saved the ticket and died before recording the operation as done; its claim went stale.
    const conn = await mongoose.createConnection(`${process.env.MONGODB_URI}${h.dbName}`).asPromise();
    try {
      await conn
        .collection('processed_events')
        .updateOne(
          { _id: input.opKey as never },
          { $set: { state: 'pending', result: null, claimedAt: new Date(Date.now() - 10 * 60_000) } },
        );
    } finally {
      await conn.close();
    }
    const retried = await raiseTicket(h.app, input);
    expect(retried.duplicate).toBe(true);
    expect(retried.ticket?.number).toBe(first.ticket?.number);
    const mine = await listMyTickets(h.app, rita);
    expect(mine.filter((t) => t.title === first.ticket?.title)).toHaveLength(1);
    expect((await raiseTicket(h.app, input)).ticket?.number).toBe(first.ticket?.number); // and done from now on
  });

  it('the same operation key never raises twice, even in parallel', async () => {
    const input = { requester: rita, text: 'The export file failed again this morning', opKey: 'slack:event:Ev123' };
    const [a, b] = await Promise.allSettled([raiseTicket(h.app, input), raiseTicket(h.app, input)]);
    const again = await raiseTicket(h.app, input);
    const numbers = [a, b]
      .filter((x): x is PromiseFulfilledResult<Awaited<ReturnType<typeof raiseTicket>>> => x.status === 'fulfilled')
      .map((x) => x.value.ticket?.number);
    expect(again.duplicate).toBe(true);
    expect(new Set([...numbers, again.ticket?.number]).size).toBe(1);
    const mine = await listMyTickets(h.app, rita, { limit: 100 });
    expect(mine.filter((t) => t.title.includes('export file failed'))).toHaveLength(1);
  });

  it('answers a not-supported request with the policy text; chargeable work goes to Quote Required', async () => {
    const declined = await raiseTicket(h.app, {
      requester: rita,
      text: 'Please change the import schedule so it runs at 6am',
    });
    expect(declined).toMatchObject({ kind: 'not_supported', ticket: null });
    expect(declined.kind === 'not_supported' && declined.reply).toContain('not supported');
    const quote = await raiseTicket(h.app, {
      requester: rita,
      text: 'Could you write a custom query for our month-end figures?',
    });
    expect(quote.kind).toBe('not_supported');
    expect(quote.ticket?.status).toBe('quote_required');
    expect(quote.ticket?.sla.response.state).toBe('paused');
  });

  it('two agents acting on one ticket at the same moment: never both on the same version, the loser told to retry', async () => {
    // Whether the two really overlap depends on scheduling: each round checks what must hold either way.
    for (let round = 0; round < 5; round++) {
      const r = await raiseTicket(h.app, { requester: rita, text: `Report totals look wrong on report ${round}` });
      const number = r.ticket!.number;
      const results = await Promise.allSettled([
        setSeverity(h.app, { number, actor: lee }, 2),
        setSeverity(h.app, { number, actor: priya }, 1),
      ]);
      const won = results.filter((x) => x.status === 'fulfilled');
      const lost = results.filter((x): x is PromiseRejectedResult => x.status === 'rejected');
      expect(won.length).toBeGreaterThanOrEqual(1);
      for (const l of lost) {
        expect(l.reason).toBeInstanceOf(ConflictError);
        expect((l.reason as Error).message).toBe(
          `${number} was changed by someone else at the same moment; please try again`,
        );
      }
      const { ticket, history } = await getTicket(h.app, number, lee);
      expect(ticket.version).toBe(1 + won.length); // every winner saved once, on its own version
      expect(history.filter((e) => e.type === 'severity')).toHaveLength(won.length);
    }
  });

  it('checks roles, hides other people’s tickets and treats tampered numbers as not found', async () => {
    const r = await raiseTicket(h.app, { requester: rita, text: 'The invoice screen logo is misaligned' });
    const number = r.ticket!.number;
    await expect(assignToMe(h.app, { number, actor: rita })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(getTicket(h.app, number, stranger)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getTicket(h.app, { $gt: '' }, lee)).rejects.toBeInstanceOf(NotFoundError);
    await expect(requestInfo(h.app, { number: 'SR-999999', actor: lee }, 'Which browser?')).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect((await getTicket(h.app, number, rita)).ticket.version).toBe(1);
  });

  it('lists the queue for agents in queue order, and nothing for requesters', async () => {
    expect(await listQueue(h.app, rita)).toEqual([]);
    const queue = await listQueue(h.app, lee, { limit: 50 });
    expect(queue.length).toBeGreaterThan(1);
    const order = compareQueue(h.app.clock.now());
    const keys = queue.map(queueKey);
    expect([...keys].sort(order)).toEqual(keys);
    expect(await listQueue(h.app, lee, { scope: 'mine', limit: 50 })).toEqual(
      queue.filter((t) => t.assignee?.userId === lee.userId),
    );
  });
});
