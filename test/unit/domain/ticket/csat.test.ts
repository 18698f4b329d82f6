import { loadPolicy } from '../../../../src/config/policy';
import type { Role } from '../../../../src/config/policy.schema';
import { ClosedError, ErrorCode, RatingClosedError } from '../../../../src/domain/errors';
import { createBusinessCalendar } from '../../../../src/domain/sla/business-calendar';
import type { Notice } from '../../../../src/domain/ticket/notice';
import * as op from '../../../../src/domain/ticket/operations';
import { createDirectory } from '../../../../src/domain/ticket/roles';
import { type Actor, SYSTEM_ACTOR, type Ticket } from '../../../../src/domain/ticket/ticket';

/**
 * Every closing path asks the requester for a rating exactly once (never a duplicate or spam); Waiting for Customer
 * left unanswered closes; a Closed ticket is rated within csat.rateWithin and politely refused after. Tickets are
 * built by the real operations, in the order the desk and the scheduler apply them.
 */
const policy = loadPolicy();
const calendar = createBusinessCalendar(policy.calendar);
const directory = createDirectory(policy);
const slack = (userId: string, name: string): Actor => ({ platform: 'slack', userId, name });
const RITA = slack('U0REQUESTER', 'Rita Reyes');
const LEE = slack('U0LEVEL1', 'Lee Lewis');
const OTTO = slack('U0OTHER', 'Otto Other');
/** Mon 2 March 2026, 10:00 in London (GMT): a working Monday. */
const MON = new Date('2026-03-02T10:00:00Z');
const later = (ms: number) => new Date(MON.getTime() + ms);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function as(actor: Actor, now = MON): op.OpContext {
  const roles = directory.rolesOf(actor);
  const role: Role = roles.find((r) => r !== 'requester') ?? 'requester';
  return { policy, clocks: { calendar, warnAt: policy.sla.warnAt }, now, actor: { ...actor, role, roles } };
}
/** The scheduler, as app/scheduled-jobs acts. */
const asSystem = (now: Date): op.OpContext => ({
  policy,
  clocks: { calendar, warnAt: policy.sla.warnAt },
  now,
  actor: { ...SYSTEM_ACTOR, platform: 'slack', roles: ['system'] },
});
/** A change as the store saves it: the version moves on. */
const saved = (r: op.OpResult): Ticket => ({ ...r.ticket, version: r.ticket.version + 1 });
let seq = 100;
function raised(input: Partial<op.RaiseInput> = {}): Ticket {
  seq += 1;
  return saved(
    op.raise({ seq, title: 'Invoices do not export', description: 'Since 9am', requester: RITA, ...input }, as(RITA)),
  );
}

/** Apply operations in turn; every rating prompt they sent, in order. */
function life(start: Ticket, ...steps: Array<(t: Ticket) => op.OpResult>): { ticket: Ticket; prompts: Notice[] } {
  let ticket = start;
  const prompts: Notice[] = [];
  for (const step of steps) {
    const r = step(ticket);
    prompts.push(...r.notices.filter((n) => n.type === 'requester.csat'));
    ticket = r.events.length || r.notices.length ? saved(r) : r.ticket;
  }
  return { ticket, prompts };
}
const toRequester = (r: op.OpResult) =>
  r.notices.filter((n) => n.type === 'requester.update' && n.audience.kind === 'user').map((n) => n.text);

describe('a rating is asked for exactly once on every closing path', () => {
  it('On Customer Test closed by the scheduler: asked at the close, once', () => {
    const { ticket, prompts } = life(
      raised(),
      (t) => op.resolve(t, 'Fixed the export', as(LEE)),
      (t) => op.close(t, 'No answer for 7 days in On Customer Test', asSystem(later(7 * DAY))),
    );
    expect(ticket).toMatchObject({ status: 'closed', csatAskedAt: later(7 * DAY) });
    expect(prompts).toHaveLength(1);
    expect(prompts[0]).toMatchObject({ audience: { kind: 'user', actor: RITA } });
    expect(prompts[0]?.text).toContain('Rate the support from 1 to 5');
  });

  it('On Customer Test close says why in plain words and that the requester can come back', () => {
    const t = saved(op.resolve(raised(), 'Fixed the export', as(LEE)));
    const [told] = toRequester(op.close(t, '', asSystem(later(7 * DAY))));
    expect(told).toContain(`${t.number} (Invoices do not export) is now closed`);
    expect(told).toContain('we asked whether it was fixed and heard nothing for 7 days');
    expect(told).toContain('If you still need help, just write to me here');
  });

  it('a declined quote, closed by an agent: asked once', () => {
    const quote = raised({ quoteRequired: 'Custom report' });
    expect(quote.status).toBe('quote_required');
    const r = op.close(quote, 'quote declined', as(LEE, later(HOUR)));
    expect(r.ticket.status).toBe('closed');
    expect(r.notices.filter((n) => n.type === 'requester.csat')).toHaveLength(1);
    expect(toRequester(r)[0]).toContain('the quote for the chargeable work was declined');
  });

  it.each(['withdrawn', 'resolved_elsewhere'] as const)('Close with a reason, %s: asked once', (reason) => {
    const { ticket, prompts } = life(raised(), (t) => op.closeWithReason(t, { reason }, as(LEE)));
    expect(prompts).toHaveLength(1);
    expect(op.mayRate(ticket, MON, policy)).toBe(true);
  });

  it.each(['duplicate', 'spam'] as const)('Close with a reason, %s: never asked, and never rated', (reason) => {
    const original = raised({ requester: OTTO, title: 'Exports fail' });
    const r = op.closeWithReason(
      raised(),
      { reason, ...(reason === 'duplicate' ? { duplicateOf: original } : {}) },
      as(LEE),
    );
    expect(r.notices.map((n) => n.type)).not.toContain('requester.csat');
    expect(r.ticket.csatAskedAt ?? null).toBeNull();
    const closed = saved(r);
    expect(op.mayRate(closed, MON, policy)).toBe(false);
    expect(() => op.recordCsat(closed, 5, '', as(RITA))).toThrow(ClosedError);
  });

  it('Pending Closure auto-close after "Yes, fixed": asked at the confirmation, not again at the close', () => {
    const { ticket, prompts } = life(
      raised(),
      (t) => op.resolve(t, 'Fixed the export', as(LEE)),
      (t) => op.confirmFixed(t, as(RITA, later(HOUR))),
      (t) => op.promptForRating(t, asSystem(later(3 * HOUR))), // the csat-prompt job: already asked
      (t) => op.close(t, 'No reply for 7 days in Pending Closure', asSystem(later(8 * DAY))),
    );
    expect(ticket.status).toBe('closed');
    expect(prompts).toHaveLength(1);
    expect(prompts[0]?.text).toMatch(/^Thanks! How did we do/);
  });

  it('Pending Closure set by an agent: the csat-prompt job asks once, the auto-close does not ask again', () => {
    const { ticket, prompts } = life(
      raised(),
      (t) => op.resolve(t, 'Fixed the export', as(LEE)),
      (t) => op.changeStatus(t, 'pending_closure', as(LEE, later(HOUR))),
      (t) => op.promptForRating(t, asSystem(later(3 * HOUR))),
      (t) => op.promptForRating(t, asSystem(later(4 * HOUR))),
      (t) => op.close(t, '', asSystem(later(8 * DAY))),
    );
    expect(ticket.status).toBe('closed');
    expect(prompts).toHaveLength(1);
  });

  it('Pending Closure closed before the job asked: the close asks, once, and says why', () => {
    const t = saved(op.changeStatus(saved(op.resolve(raised(), '', as(LEE))), 'pending_closure', as(LEE)));
    const r = op.close(t, '', asSystem(later(7 * DAY)));
    expect(r.notices.filter((n) => n.type === 'requester.csat')).toHaveLength(1);
    expect(toRequester(r)[0]).toContain('it was resolved and 7 days have passed with no report of a problem');
  });

  it('a requester who already rated is not asked at the close', () => {
    const { prompts } = life(
      raised(),
      (t) => op.resolve(t, '', as(LEE)),
      (t) => op.recordCsat(t, 5, '', as(RITA, later(HOUR))),
      (t) => op.close(t, '', asSystem(later(7 * DAY))),
    );
    expect(prompts).toHaveLength(0);
  });

  it('a reopen ("still broken") starts a new resolution: its close asks once more', () => {
    const { prompts } = life(
      raised(),
      (t) => op.resolve(t, '', as(LEE)),
      (t) => op.confirmFixed(t, as(RITA, later(HOUR))),
      (t) => op.reopen(t, 'Broken again', as(RITA, later(2 * HOUR))),
      (t) => op.resolve(t, 'Really fixed', as(LEE, later(3 * HOUR))),
      (t) => op.close(t, '', asSystem(later(10 * DAY))),
    );
    expect(prompts).toHaveLength(2);
  });
});

describe('Waiting for Customer left unanswered closes', () => {
  // Asked Mon 10:00: 2550 business minutes (five days of 8h30) run out the next Monday at 10:00.
  const waiting = () => saved(op.requestInfo(raised(), 'Which company file is it?', as(LEE)));
  const DUE = new Date('2026-03-09T10:00:00Z');

  it('not before waitingCloseAfter of business time has passed', () => {
    const t = waiting();
    expect(policy.sla.waitingCloseAfter).toBe(2550);
    // Seven calendar days but a weekend between: only 2475 business minutes by Friday's close.
    expect(op.waitingCloseDue(t, new Date('2026-03-06T17:15:00Z'), policy, calendar)).toBe(false);
    expect(op.waitingCloseDue(t, new Date(DUE.getTime() - 60_000), policy, calendar)).toBe(false);
    expect(() => op.closeUnanswered(t, asSystem(new Date(DUE.getTime() - 60_000)))).toThrow(/not due to close/);
    expect(op.waitingCloseDue(t, DUE, policy, calendar)).toBe(true);
  });

  it('closes with the reason in plain words and asks for a rating once', () => {
    const t = waiting();
    const r = op.closeUnanswered(t, asSystem(DUE));
    expect(r.ticket).toMatchObject({ status: 'closed', closedAt: DUE });
    expect(r.events.find((e) => e.type === 'status')).toMatchObject({
      from: 'waiting_for_customer',
      to: 'closed',
      actor: { role: 'system' },
    });
    const [told] = toRequester(r);
    expect(told).toContain(`${t.number} (Invoices do not export) is now closed`);
    expect(told).toContain('"Which company file is it?"');
    expect(told).toContain('no answer for 42 business hours 30 min');
    expect(told).toContain('If you still need help, just write to me here');
    expect(r.notices.filter((n) => n.type === 'requester.csat')).toHaveLength(1);
    const closed = saved(r);
    expect(op.mayRate(closed, DUE, policy)).toBe(true);
  });

  it('not when the requester replied', () => {
    const answered = saved(op.addMessage(waiting(), 'The UK one', as(RITA, later(HOUR))));
    expect(answered.status).toBe('customer_responded');
    expect(op.waitingCloseDue(answered, DUE, policy, calendar)).toBe(false);
    // Even a message recorded without moving the status (an older path) keeps it open.
    const t = waiting();
    const wrote = {
      ...t,
      conversation: [...t.conversation, { at: later(HOUR), author: RITA, fromAgent: false, text: 'The UK one' }],
    };
    expect(op.waitingCloseDue(wrote, DUE, policy, calendar)).toBe(false);
    // An agent's message is no answer from the requester.
    const nudged = saved(op.addMessage(t, 'Any news?', as(LEE, later(HOUR))));
    expect(op.waitingCloseDue(nudged, DUE, policy, calendar)).toBe(true);
  });

  it('a new question starts the wait again', () => {
    const again = saved(
      op.requestInfo(
        saved(op.changeStatus(waiting(), 'work_in_progress', as(LEE))),
        'And the period?',
        as(LEE, new Date('2026-03-05T10:00:00Z')),
      ),
    );
    expect(op.waitingCloseDue(again, DUE, policy, calendar)).toBe(false);
  });
});

describe('rating a Closed ticket within csat.rateWithin', () => {
  const CLOSED_AT = later(7 * DAY);
  const closed = () => saved(op.close(saved(op.resolve(raised(), 'Fixed', as(LEE))), '', asSystem(CLOSED_AT)));
  const WINDOW = policy.csat.rateWithin * 60_000;

  it('defaults to 7 days of calendar time', () => {
    expect(policy.csat.rateWithin).toBe(7 * 1440);
  });

  it('rates and changes the rating within the window, by the requester only', () => {
    const t = closed();
    expect(op.mayRate(t, new Date(CLOSED_AT.getTime() + WINDOW - 60_000), policy)).toBe(true);
    const rated = saved(op.recordCsat(t, 2, 'Slow', as(RITA, new Date(CLOSED_AT.getTime() + DAY))));
    expect(rated.csat).toMatchObject({ score: 2, comment: 'Slow' });
    const changed = op.recordCsat(rated, 4, 'Fine in the end', as(RITA, new Date(CLOSED_AT.getTime() + WINDOW - 1)));
    expect(changed.ticket.csat).toMatchObject({ score: 4, comment: 'Fine in the end' });
    expect(changed.events.find((e) => e.type === 'csat')).toMatchObject({ from: 2, to: 4 });
    expect(() => op.recordCsat(t, 5, '', as(OTTO, new Date(CLOSED_AT.getTime() + DAY)))).toThrow(/Only the requester/);
  });

  it('after the window: no buttons, and a rating is answered politely that rating has closed', () => {
    const t = closed();
    const after = new Date(CLOSED_AT.getTime() + WINDOW);
    expect(op.mayRate(t, after, policy)).toBe(false);
    let err: unknown;
    try {
      op.recordCsat(t, 5, '', as(RITA, after));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RatingClosedError);
    expect((err as RatingClosedError).code).toBe(ErrorCode.Closed);
    expect((err as Error).message).toBe(
      `Thank you for wanting to rate ${t.number}. Rating it closed on Mon 16 Mar 10:00, 7 days after the ticket closed, so this rating was not recorded. If something still needs our help, just write to me here.`,
    );
  });

  it('the window follows the policy', () => {
    const short = { ...policy, csat: { ...policy.csat, rateWithin: 60 } };
    const t = closed();
    expect(op.mayRate(t, new Date(CLOSED_AT.getTime() + 59 * 60_000), short)).toBe(true);
    expect(op.mayRate(t, new Date(CLOSED_AT.getTime() + HOUR), short)).toBe(false);
  });
});
