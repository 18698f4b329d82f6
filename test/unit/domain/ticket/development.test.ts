import type { Policy } from '../../../../src/config/policy.schema';
import { ForbiddenError, InvalidInputError, TransitionNotAllowedError } from '../../../../src/domain/errors';
import { usedMinutes } from '../../../../src/domain/sla/sla-clock';
import * as op from '../../../../src/domain/ticket/operations';
import { nextReleaseDay, RELEASE_WAIT } from '../../../../src/domain/ticket/release-wait';
import type { Ticket } from '../../../../src/domain/ticket/ticket';
import {
  as,
  at,
  clocks,
  DANA,
  DEVON,
  escalated,
  LEE,
  MIKE,
  nextSeq,
  QUINN,
  RITA,
  SAM,
  saved,
  seed,
  step,
  thrown,
} from './development-fixtures';

describe('sign-offs held by someone else', () => {
  const toReview = (who = DANA) => step(step(escalated(), 'dev_in_progress', who), 'dev_done_waiting_review', who);

  it('the author of the change cannot sign off its review, even as a Dev Lead; the refusal names who can', () => {
    const t = toReview(DEVON);
    const err = thrown(() => op.advanceDevelopment(t, 'dev_done_waiting_qa', '', as(DEVON)));
    expect(err).toBeInstanceOf(ForbiddenError);
    expect(err.message).toContain('another Dev Lead, not by you');
  });

  it('a developer who is not a Dev Lead cannot sign off a review; the refusal says the Dev Lead can', () => {
    const t = toReview();
    const err = thrown(() => op.advanceDevelopment(t, 'dev_done_waiting_qa', '', as(QUINN)));
    expect(err).toBeInstanceOf(ForbiddenError);
    expect(err.message).toBe(
      `Only a Dev Lead can move ${t.number} to Dev Done / Waiting QA Deployment (the review sign-off). Ask Devon Lake.`,
    );
    // A manager is not a Dev Lead either, whatever the transitions table lets managers do.
    expect(() => op.advanceDevelopment(t, 'dev_done_waiting_qa', '', as(MIKE))).toThrow(ForbiddenError);
  });

  it('the Dev Lead signs off, QA approves; both are recorded and shown with the author', () => {
    let t = step(toReview(), 'dev_done_waiting_qa', DEVON);
    t = step(t, 'qa_in_progress', DANA);
    const err = thrown(() => op.advanceDevelopment(t, 'ready_for_release', '', as(DEVON)));
    expect(err.message).toBe(`Only QA can move ${t.number} to Ready for Release (QA's approval). Ask Quinn Tate.`);
    t = step(t, 'ready_for_release', QUINN);
    expect(t.development).toMatchObject({ doneBy: DANA, reviewedBy: DEVON, qaBy: QUINN, status: 'ready_for_release' });
  });

  it('sent back to development, the sign-offs are cleared and given again', () => {
    let t = step(toReview(), 'dev_done_waiting_qa', DEVON);
    t = step(t, 'dev_in_progress', DANA);
    expect(t.development).toMatchObject({ doneBy: DANA, reviewedBy: null, qaBy: null });
    t = step(t, 'dev_done_waiting_review', DEVON); // Devon finished it this time: another Dev Lead signs it off
    expect(() => op.advanceDevelopment(t, 'dev_done_waiting_qa', '', as(DEVON))).toThrow(/not by you/);
  });

  it('a sign-off naming a team: any member but the author; naming nobody, the transitions table holds it', () => {
    const byTeam: Policy = {
      ...seed,
      development: {
        ...seed.development,
        signOffs: { devLead: { people: [], teams: ['development'] }, qa: seed.development.signOffs.qa },
      },
    };
    const t = toReview();
    expect(thrown(() => op.advanceDevelopment(t, 'dev_done_waiting_qa', '', as(DANA, byTeam))).message).toContain(
      'Ask Devon Lake or Quinn Tate',
    );
    expect(step(t, 'dev_done_waiting_qa', QUINN, byTeam).development?.reviewedBy).toEqual(QUINN);
    const nobody: Policy = {
      ...seed,
      development: {
        ...seed.development,
        signOffs: { devLead: { people: [], teams: [] }, qa: { people: [], teams: [] } },
      },
    };
    // The table lets managers move it; the author still may not.
    expect(step(t, 'dev_done_waiting_qa', MIKE, nobody).development?.reviewedBy).toEqual(MIKE);
    expect(() => op.advanceDevelopment(t, 'dev_done_waiting_qa', '', as(DANA, nobody))).toThrow(/not by you/);
  });
});

describe('routes are a decision, and can change', () => {
  it('performance → code change by Development, with a reason: history, card data, triage and the requester told', () => {
    const t = escalated('performance_infrastructure');
    const r = op.switchRoute(t, 'code_change', 'The slow query needs an index change in the release', as(DANA));
    expect(r.ticket.development).toMatchObject({
      route: 'code_change',
      status: 'planned',
      routeChanges: [{ from: 'performance_infrastructure', to: 'code_change', by: DANA }],
    });
    expect(r.events.find((e) => e.type === 'route_changed')).toMatchObject({
      from: 'performance_infrastructure',
      to: 'code_change',
      note: 'The slow query needs an index change in the release',
    });
    const told = r.notices.filter((n) => n.type === 'requester.update');
    expect(told).toHaveLength(1);
    expect(told[0]?.text).toContain('needs a change to the software after all');
    expect(told[0]?.text).toContain('software release');
    expect(r.notices.some((n) => n.audience.kind === 'channel' && n.audience.channel === 'developmentTriage')).toBe(
      true,
    );
  });

  it('code change → change request; data correction → code change; nothing the policy does not list', () => {
    const cc = op.switchRoute(escalated(), 'change_request', 'It is a new feature', as(SAM)).ticket;
    expect(cc.development?.route).toBe('change_request');
    expect(
      op.switchRoute(escalated('data_correction'), 'code_change', 'A bug writes the bad rows', as(MIKE)).ticket
        .development?.route,
    ).toBe('code_change');
    expect(() => op.switchRoute(escalated(), 'data_correction', 'x', as(DANA))).toThrow(
      new TransitionNotAllowedError(
        'Code change / bug fix can become Change / feature request only, not Complex data correction',
      ),
    );
    expect(() => op.switchRoute(escalated(), 'code_change', 'x', as(DANA))).toThrow(TransitionNotAllowedError);
  });

  it('a reason is required; Level 1 and the requester may not switch; a ticket not with Development cannot', () => {
    expect(() => op.switchRoute(escalated(), 'change_request', '  ', as(DANA))).toThrow(InvalidInputError);
    expect(() => op.switchRoute(escalated(), 'change_request', 'feature', as(LEE))).toThrow(ForbiddenError);
    expect(() => op.switchRoute(escalated(), 'change_request', 'feature', as(RITA))).toThrow(ForbiddenError);
    const released = step(
      step(
        step(
          step(
            step(step(escalated(), 'dev_in_progress', DANA), 'dev_done_waiting_review', DANA),
            'dev_done_waiting_qa',
            DEVON,
          ),
          'qa_in_progress',
          DANA,
        ),
        'ready_for_release',
        QUINN,
      ),
      'released',
      DANA,
    );
    expect(() => op.switchRoute(released, 'change_request', 'feature', as(DANA))).toThrow(TransitionNotAllowedError);
  });
});

describe('clocks that wait for a release', () => {
  const used = (t: Ticket, now: Date) => usedMinutes(t.sla.resolution, now, clocks);

  it('a Severity 3 code change holds its resolution clock from Planned until Released; the response is not held', () => {
    const t = escalated('code_change');
    expect(t.sla.resolution).toMatchObject({ state: 'paused', pausedBy: RELEASE_WAIT });
    expect(t.sla.response.state).not.toBe('paused');
    // Days later, nothing has counted: no breach, no next check for it.
    expect(used(t, at('2026-06-20T10:00'))).toBe(used(t, at('2026-06-02T10:00')));
    let d = step(step(step(t, 'dev_in_progress', DANA), 'dev_done_waiting_review', DANA), 'dev_done_waiting_qa', DEVON);
    d = step(step(d, 'qa_in_progress', DANA), 'ready_for_release', QUINN);
    expect(d.sla.resolution.state).toBe('paused');
    // Released: On Customer Test ends the resolution clock where it stood.
    const released = step(d, 'released', DANA);
    expect(released.sla.resolution.state).toBe('stopped');
    // "Still broken" counts on from there.
    const reopened = saved(op.reopen(released, 'still wrong', as(RITA, seed, at('2026-06-03T10:00'))), released);
    expect(reopened.sla.resolution.state).toBe('running');
  });

  it('performance work is not held; switched to a code change it is; to a change request it counts again', () => {
    const perf = escalated('performance_infrastructure');
    expect(perf.sla.resolution.state).toBe('running');
    const cc = saved(op.switchRoute(perf, 'code_change', 'needs a release', as(DANA)), perf);
    expect(cc.sla.resolution).toMatchObject({ state: 'paused', pausedBy: RELEASE_WAIT });
    const cr = saved(op.switchRoute(cc, 'change_request', 'a new feature', as(DANA)), cc);
    expect(cr.sla.resolution.state).toBe('running');
  });

  it('a Severity 1 or 2 fix goes out of cycle: its clocks keep counting', () => {
    let t = escalated('code_change');
    t = saved(op.setSeverity(t, 2, as(LEE)), t);
    expect(t.sla.resolution.state).toBe('running');
    t = saved(op.setSeverity(t, 3, as(LEE)), t);
    expect(t.sla.resolution).toMatchObject({ state: 'paused', pausedBy: RELEASE_WAIT });
  });

  it('Waiting for Customer takes over the pause; answered, the ticket is back with support and its clock counts', () => {
    const t = escalated('code_change');
    const waiting = saved(op.requestInfo(t, 'Which supplier?', as(DANA)), t);
    expect(waiting.sla.resolution).toMatchObject({ state: 'paused', pausedBy: 'Waiting for Customer' });
    const back = saved(op.addMessage(waiting, 'Acme Ltd', as(RITA)), waiting);
    expect(back.status).toBe('customer_responded');
    expect(back.sla.resolution.state).toBe('running');
  });

  it('the next release day: every 14 days from the first (Thursdays in the default policy)', () => {
    const day = (iso: string) => nextReleaseDay(seed, at(iso))?.toISODate();
    expect(day('2026-03-02T10:00')).toBe('2026-03-05');
    expect(day('2026-03-05T16:00')).toBe('2026-03-05');
    expect(day('2026-03-06T09:00')).toBe('2026-03-19');
    expect(day('2025-12-01T09:00')).toBe('2026-01-08');
    expect(nextReleaseDay({ ...seed, releases: { ...seed.releases, first: null } }, at('2026-03-02T10:00'))).toBeNull();
  });
});

describe("Product's roadmap decision on a change request", () => {
  const changeRequest = () =>
    saved(op.switchRoute(escalated(), 'change_request', 'a new feature', as(DANA)), escalated());

  it('accepted for a release: Planned, recorded, the requester told when; its clock waits with it', () => {
    const t = changeRequest();
    expect(t.sla.resolution.state).toBe('running');
    const r = op.decideRoadmap(
      t,
      { decision: 'accepted', target: '2026-06-18', reason: 'Fits the Q3 theme' },
      as(DANA),
    );
    expect(r.ticket.development).toMatchObject({
      status: 'planned',
      roadmap: { decision: 'accepted', target: '2026-06-18', reason: 'Fits the Q3 theme', by: DANA },
    });
    expect(r.ticket.status).toBe('escalated_to_dev');
    expect(r.ticket.sla.resolution).toMatchObject({ state: 'paused', pausedBy: RELEASE_WAIT });
    expect(r.notices.find((n) => n.type === 'requester.update')?.text).toContain(
      'accepted it, for the release of Thu 18 Jun: Fits the Q3 theme',
    );
    const again = saved(r, t);
    expect(() => op.decideRoadmap(again, { decision: 'declined', reason: 'x' }, as(DANA))).toThrow(/already accepted/);
  });

  it('declined with a reason: the requester told, then closed; a reason is required; Level 2 may not decide', () => {
    const t = changeRequest();
    expect(() => op.decideRoadmap(t, { decision: 'declined', reason: ' ' }, as(DANA))).toThrow(InvalidInputError);
    expect(() => op.decideRoadmap(t, { decision: 'declined', reason: 'no' }, as(SAM))).toThrow(ForbiddenError);
    expect(() => op.decideRoadmap(t, { decision: 'accepted', target: '2020-01-01', reason: 'ok' }, as(DANA))).toThrow(
      InvalidInputError,
    );
    const r = op.decideRoadmap(t, { decision: 'declined', reason: 'Not in line with the roadmap' }, as(MIKE));
    expect(r.ticket.status).toBe('closed');
    expect(r.ticket.development?.roadmap).toMatchObject({
      decision: 'declined',
      reason: 'Not in line with the roadmap',
    });
    expect(r.notices.find((n) => n.type === 'requester.update')?.text).toContain(
      'declined it: Not in line with the roadmap',
    );
    expect(r.events.map((e) => e.type)).toEqual(expect.arrayContaining(['roadmap_decision', 'status']));
  });

  it('only a change request with Product has a roadmap decision', () => {
    expect(() => op.decideRoadmap(escalated(), { decision: 'accepted', reason: 'ok' }, as(DANA))).toThrow(
      TransitionNotAllowedError,
    );
  });
});

describe('quotes recorded', () => {
  function quoting(): Ticket {
    let t = op.raise(
      { seq: nextSeq(), title: 'Rebrand our invoice template', description: 'New logo', requester: RITA, severity: 4 },
      as(RITA),
    ).ticket;
    t = { ...t, version: 1 };
    t = saved(op.changeStatus(t, 'triage', as(LEE)), t);
    return saved(op.changeStatus(t, 'quote_required', as(LEE)), t);
  }

  it('sent: amount, currency, to whom and when; the requester told; its outcome needs a quote first', () => {
    const t = quoting();
    expect(() => op.recordQuoteOutcome(t, { decision: 'accepted', reason: 'ok' }, as(SAM))).toThrow(/no quote sent/);
    expect(() => op.recordQuoteSent(t, { amount: Number.NaN, currency: 'GBP', sentTo: 'x' }, as(SAM))).toThrow(
      InvalidInputError,
    );
    expect(() => op.recordQuoteSent(t, { amount: 10, currency: 'pounds', sentTo: 'x' }, as(SAM))).toThrow(
      InvalidInputError,
    );
    expect(() => op.recordQuoteSent(t, { amount: 10, currency: 'GBP', sentTo: 'x' }, as(RITA))).toThrow(ForbiddenError);
    const r = op.recordQuoteSent(
      t,
      { amount: op.parseAmount('1,200.5'), currency: 'gbp', sentTo: 'ap@acme.example' },
      as(SAM),
    );
    expect(r.ticket.quote).toMatchObject({ amount: 1200.5, currency: 'GBP', sentTo: 'ap@acme.example', outcome: null });
    expect(r.notices.find((n) => n.type === 'requester.update')?.text).toContain('ap@acme.example: 1,200.50 GBP');
  });

  it('accepted → Work in Progress; declined → closed, each with the reason told to the requester', () => {
    const sent = (t: Ticket) =>
      saved(op.recordQuoteSent(t, { amount: 800, currency: 'EUR', sentTo: 'Carla' }, as(SAM)), t);
    const a = sent(quoting());
    const accepted = op.recordQuoteOutcome(a, { decision: 'accepted', reason: 'PO 4471 raised' }, as(SAM));
    expect(accepted.ticket.status).toBe('work_in_progress');
    expect(accepted.ticket.quote?.outcome).toMatchObject({ decision: 'accepted', reason: 'PO 4471 raised', by: SAM });
    const d = sent(quoting());
    const declined = op.recordQuoteOutcome(d, { decision: 'declined', reason: 'Over budget' }, as(LEE));
    expect(declined.ticket.status).toBe('closed');
    expect(declined.notices.find((n) => n.type === 'requester.update')?.text).toContain('was declined (Over budget)');
  });
});

describe('planned into a release', () => {
  it('a code change planned into a coming release, then moved; the requester told the date; the clock line says it', () => {
    const t = escalated('code_change');
    expect(() => op.planRelease(t, '2026-06-05', as(DANA))).toThrow(InvalidInputError); // not a release day
    expect(() => op.planRelease(t, '2026-06-11', as(SAM))).toThrow(ForbiddenError);
    const r = op.planRelease(t, '2026-06-11', as(DANA));
    expect(r.ticket.development?.release).toBe('2026-06-11');
    expect(r.notices.find((n) => n.type === 'requester.update')?.text).toContain(
      'is planned for the release of Thu 11 Jun',
    );
    const moved = op.planRelease(saved(r, t), '2026-06-25', as(MIKE));
    expect(moved.events.find((e) => e.type === 'release_planned')).toMatchObject({
      from: '2026-06-11',
      to: '2026-06-25',
    });
    expect(moved.notices.find((n) => n.type === 'requester.update')?.text).toContain(
      'has moved to the release of Thu 25 Jun (it was planned for the release of Thu 11 Jun)',
    );
    expect(() => op.planRelease(escalated('performance_infrastructure'), '2026-06-11', as(DANA))).toThrow(
      TransitionNotAllowedError,
    );
  });
});
