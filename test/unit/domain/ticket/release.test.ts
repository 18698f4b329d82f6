import { ForbiddenError, TransitionNotAllowedError } from '../../../../src/domain/errors';
import * as op from '../../../../src/domain/ticket/operations';
import type { Actor } from '../../../../src/domain/ticket/ticket';
import { as, at, DANA, DEVON, escalated, QUINN, RITA, saved, seed, slack, step, thrown } from './development-fixtures';

describe('a release moved as one', () => {
  const OLGA = slack('U0OLGA', 'Olga Ortiz');
  const planned = (requester = RITA) => {
    const t = escalated('code_change');
    const mine = { ...t, requester };
    return saved(op.planRelease(mine, '2026-06-11', as(DANA)), mine);
  };

  it('each ticket moves through its own rules; one already moved is left alone (a retry moves nobody twice)', () => {
    const t = planned();
    const waiting = step(
      step(step(t, 'dev_in_progress', DANA), 'dev_done_waiting_review', DANA),
      'dev_done_waiting_qa',
      DEVON,
    );
    // Planned cannot go to QA: the domain's own refusal, for the release to report.
    expect(() => op.moveInRelease(t, 'qa', '2026-06-11', '', as(DANA))).toThrow(TransitionNotAllowedError);
    const inQa = saved(op.moveInRelease(waiting, 'qa', '2026-06-11', '', as(DANA))!, waiting);
    expect(op.moveInRelease(inQa, 'qa', '2026-06-11', '', as(DANA))).toBeNull();
    expect(() => op.moveInRelease(inQa, 'ready', '2026-06-11', '', as(DANA))).toThrow(ForbiddenError);
    const ready = saved(op.moveInRelease(inQa, 'ready', '2026-06-11', '', as(QUINN))!, inQa);
    const live = op.moveInRelease(ready, 'released', '2026-06-11', 'All fixed', as(DANA))!;
    // Released quietly: the release's notes tell the requester, once, not the ticket's own message.
    expect(live.ticket.status).toBe('on_customer_test');
    expect(live.notices.filter((n) => n.audience.kind === 'user')).toEqual([]);
    expect(op.moveInRelease(saved(live, ready), 'released', '2026-06-11', 'All fixed', as(DANA))).toBeNull();
    // Not in this release: nothing to move.
    expect(op.moveInRelease(ready, 'released', '2026-06-25', 'x', as(DANA))).toBeNull();
  });

  it('a slip moves the ticket to the next cycle, once', () => {
    const t = planned();
    const r = op.moveInRelease(t, 'slip', '2026-06-11', '', as(DANA))!;
    expect(r.ticket.development?.release).toBe('2026-06-25');
    expect(op.moveInRelease(saved(r, t), 'slip', '2026-06-11', '', as(DANA))).toBeNull();
    // Slipped as a whole within the next release's QA cutoff: the slip still goes (the cutoff keeps new work out).
    const late = op.moveInRelease(saved(r, t), 'slip', '2026-06-25', '', as(DANA, seed, at('2026-06-24T10:00')))!;
    expect(late.ticket.development?.release).toBe('2026-07-09');
    // The release before the coming one, while it may still wait to go live.
    expect(op.previousReleaseDay(seed, at('2026-06-12T10:00'))).toBe('2026-06-11');
  });

  it('the notes reach each person once: two tickets of one requester, a follower, a linked ticket, an incident part', () => {
    const a = { ...planned(), watchers: [OLGA] };
    const b = planned();
    const linked = {
      ...escalated(),
      requester: slack('U0LINK', 'Lin Kim'),
      links: [{ kind: 'related_to' as const, ticket: a.number }],
    };
    const partRequester = slack('U0PART', 'Pat Part');
    const withLinks = {
      ...a,
      links: [
        { kind: 'related_to' as const, ticket: linked.number },
        { kind: 'has_part' as const, ticket: 'SR-999', requester: partRequester },
      ],
    };
    const notices = op.releaseNotices('2026-06-11', 'All fixed', [withLinks, b], [linked], seed, [partRequester]);
    const keys = notices.map((n) => n.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(notices.filter((n) => n.audience.kind === 'channel')).toHaveLength(1);
    const to = (who: Actor) =>
      notices.filter((n) => n.audience.kind === 'user' && n.audience.actor.userId === who.userId);
    expect(to(RITA)).toHaveLength(1);
    expect(to(RITA)[0]).toMatchObject({ type: 'requester.is_it_fixed', ticket: a.number });
    expect(to(RITA)[0]!.text).toContain(`your ${a.number}, ${b.number}: All fixed`);
    expect(to(OLGA)).toHaveLength(1);
    expect(to(linked.requester)[0]!.text).toContain(`which your ${linked.number} is linked to`);
    // The incident's part is asked on its own ticket by the incident fan-out, not again here.
    expect(to(partRequester)).toEqual([]);
    expect(to(OLGA)[0]!.key).toBe('release:2026-06-11:notes:slack:U0OLGA');
  });

  it('the QA cutoff: planning into a release within 2 business days of it is refused, naming the next one', () => {
    const t = escalated('code_change');
    // Tuesday 9 June: Tue and Wed remain before Thu 11 June.
    expect(op.planRelease(t, '2026-06-11', as(DANA, seed, at('2026-06-09T10:00'))).ticket.development?.release).toBe(
      '2026-06-11',
    );
    const err = thrown(() => op.planRelease(t, '2026-06-11', as(DANA, seed, at('2026-06-10T10:00'))));
    expect(err).toBeInstanceOf(TransitionNotAllowedError);
    expect(err.message).toContain(
      'past its QA cutoff (2 business days before it): the next release that can take it is Thu 25 Jun',
    );
    const none = { ...seed, releases: { ...seed.releases, qaCutoff: 0 } };
    expect(op.planRelease(t, '2026-06-11', as(DANA, none, at('2026-06-10T10:00'))).ticket.development?.release).toBe(
      '2026-06-11',
    );
  });
});
