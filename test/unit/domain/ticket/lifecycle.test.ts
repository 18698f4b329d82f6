import { loadPolicy } from '../../../../src/config/policy';
import {
  DEVELOPMENT_STATUSES,
  type DevelopmentStatus,
  ROLES,
  type Role,
  type Status,
  SUPPORT_STATUSES,
  type SupportStatus,
} from '../../../../src/config/policy.schema';
import { ClosedError, ErrorCode, ForbiddenError, TransitionNotAllowedError } from '../../../../src/domain/errors';
import {
  assertDevelopmentTransition,
  assertOpen,
  assertRole,
  assertTransition,
  rolesFor,
} from '../../../../src/domain/ticket/lifecycle';
import { ROLE_NAMES } from '../../../../src/domain/ticket/roles';
import type { Ticket } from '../../../../src/domain/ticket/ticket';

const policy = loadPolicy();
const NUMBER = 'SR-1042';

const isDevelopment = (s: Status): s is DevelopmentStatus => (DEVELOPMENT_STATUSES as readonly string[]).includes(s);

const supportTicket = (status: SupportStatus): Pick<Ticket, 'number' | 'status'> => ({ number: NUMBER, status });
const devTicket = (
  status: DevelopmentStatus,
  supportStatus: SupportStatus = 'escalated_to_dev',
): Pick<Ticket, 'number' | 'status' | 'development'> => ({
  number: NUMBER,
  status: supportStatus,
  development: { route: 'code_change', status, releaseNote: null },
});

/** Runs the check for one transition as one role. */
function attempt(from: Status, to: Status, roles: Role[]): void {
  if (isDevelopment(to)) {
    if (!isDevelopment(from)) throw new Error(`table mixes a support status ${from} into a development transition`);
    assertDevelopmentTransition(policy, devTicket(from), to, roles);
  } else {
    if (isDevelopment(from)) throw new Error(`table mixes a development status ${from} into a support transition`);
    assertTransition(policy, supportTicket(from), to, roles);
  }
}

/** The error `f` throws (fails the test when it does not throw). */
function thrown(f: () => void): Error {
  try {
    f();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

const statusName = (s: Status) => policy.statuses[s]!.name;

/** Every (from, to, role) the default policy allows. */
const ALLOWED: Array<[Status, Status, Role]> = policy.transitions.flatMap((t) =>
  t.from.flatMap((from) => t.roles.map((role): [Status, Status, Role] => [from, t.to, role])),
);

describe('the transition table of the default policy', () => {
  it('is not empty and never leaves Closed', () => {
    expect(ALLOWED.length).toBeGreaterThan(50);
    expect(ALLOWED.filter(([from]) => from === 'closed')).toEqual([]);
  });

  it.each(ALLOWED)('allows %s → %s for %s', (from, to, role) => {
    expect(() => attempt(from, to, [role])).not.toThrow();
    expect(rolesFor(policy, from, to)).toContain(role);
  });

  it('allows a transition when any one of the actor roles may make it', () => {
    expect(() => assertTransition(policy, supportTicket('new'), 'triage', ['requester', 'level1'])).not.toThrow();
    expect(() => assertTransition(policy, supportTicket('new'), 'triage', [])).toThrow(ForbiddenError);
  });
});

describe('refusals name who may make the transition', () => {
  // For each role a transition it may not make, typed out with the message a person reads.
  const REFUSED: Array<[Role, Status, Status, string]> = [
    [
      'requester',
      'new',
      'triage',
      'Only Level 1, Level 2, Administrative Staff or a manager can move SR-1042 from New to Triage',
    ],
    [
      'level1',
      'triage',
      'escalated_to_dev',
      'Only Level 2, Product / Development / IT or a manager can move SR-1042 from Triage to Escalated to Dev',
    ],
    [
      'level2',
      'dev_in_progress',
      'dev_done_waiting_review',
      'Only Product / Development / IT can move development of SR-1042 to Dev Done / Waiting for Review',
    ],
    [
      'admin',
      'under_review',
      'escalated_to_dev',
      'Only Level 2, Product / Development / IT or a manager can move SR-1042 from Under Review to Escalated to Dev',
    ],
    [
      'development',
      'on_customer_test',
      'pending_closure',
      'Only the requester, Level 1, Level 2, Administrative Staff or a manager can move SR-1042 from On Customer Test to Pending Closure',
    ],
    [
      'manager',
      'planned',
      'dev_in_progress',
      'Only Product / Development / IT can move development of SR-1042 to Dev in Progress',
    ],
    [
      'system',
      'triage',
      'work_in_progress',
      'Only Level 1, Level 2, Administrative Staff, Product / Development / IT or a manager can move SR-1042 from Triage to Work in Progress',
    ],
    [
      'requester',
      'pending_closure',
      'closed',
      // The scheduler (system) may close too, but a person is only told about people.
      'Only Level 1, Level 2, Administrative Staff or a manager can move SR-1042 from Pending Closure to Closed',
    ],
  ];

  it.each(REFUSED)('refuses %s: %s → %s', (role, from, to, message) => {
    const err = thrown(() => attempt(from, to, [role]));
    expect(err).toBeInstanceOf(ForbiddenError);
    expect((err as ForbiddenError).code).toBe(ErrorCode.Forbidden);
    expect(err.message).toBe(message);
  });

  it('covers every role', () => {
    expect([...new Set(REFUSED.map(([role]) => role))].sort()).toEqual([...ROLES].sort());
  });

  it.each([...ROLES])('refuses %s every allowed transition it holds no role for, naming the roles that may', (role) => {
    let refused = 0;
    for (const t of policy.transitions) {
      for (const from of t.from) {
        const allowed = rolesFor(policy, from, t.to);
        if (allowed.includes(role)) continue;
        const err = thrown(() => attempt(from, t.to, [role]));
        expect(err).toBeInstanceOf(ForbiddenError);
        expect(err.message).toMatch(/^Only /);
        for (const r of allowed) if (r !== 'system') expect(err.message).toContain(ROLE_NAMES[r]);
        expect(err.message).toContain(statusName(t.to));
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(0);
  });
});

describe('transitions that are not in the table', () => {
  it('refuses New → Pending Closure for everyone', () => {
    for (const role of ROLES) {
      const err = thrown(() => assertTransition(policy, supportTicket('new'), 'pending_closure', [role]));
      expect(err).toBeInstanceOf(TransitionNotAllowedError);
      expect(err.message).toBe('SR-1042 cannot move from New to Pending Closure');
    }
  });

  it('refuses Planned → Released (development skips no steps)', () => {
    const err = thrown(() => assertDevelopmentTransition(policy, devTicket('planned'), 'released', ['development']));
    expect(err).toBeInstanceOf(TransitionNotAllowedError);
    expect(err.message).toBe("SR-1042's development work cannot move from Planned to Released");
  });

  it('refuses a development move on a ticket that is not escalated to Development', () => {
    const notEscalated = { number: NUMBER, status: 'work_in_progress' as const, development: null };
    expect(() => assertDevelopmentTransition(policy, notEscalated, 'dev_in_progress', ['development'])).toThrow(
      new TransitionNotAllowedError('SR-1042 is not escalated to Development'),
    );
    // A ticket back On Customer Test keeps its development record but is no longer escalated.
    expect(() =>
      assertDevelopmentTransition(policy, devTicket('released', 'on_customer_test'), 'dev_in_progress', [
        'development',
      ]),
    ).toThrow(TransitionNotAllowedError);
  });

  it('refuses every support pair missing from the table with TransitionNotAllowedError, whatever the role', () => {
    let missing = 0;
    for (const from of SUPPORT_STATUSES.filter((s) => s !== 'closed')) {
      for (const to of SUPPORT_STATUSES) {
        if (rolesFor(policy, from, to).length > 0) continue;
        missing++;
        for (const role of ROLES) {
          const err = thrown(() => assertTransition(policy, supportTicket(from), to, [role]));
          expect(err).toBeInstanceOf(TransitionNotAllowedError);
          expect(err.message).toBe(`SR-1042 cannot move from ${statusName(from)} to ${statusName(to)}`);
        }
      }
    }
    expect(missing).toBeGreaterThan(0);
  });

  it('refuses every development pair missing from the table, whatever the role', () => {
    for (const from of DEVELOPMENT_STATUSES) {
      for (const to of DEVELOPMENT_STATUSES) {
        if (rolesFor(policy, from, to).length > 0) continue;
        for (const role of ROLES) {
          expect(() => assertDevelopmentTransition(policy, devTicket(from), to, [role])).toThrow(
            TransitionNotAllowedError,
          );
        }
      }
    }
  });
});

describe('Closed is final', () => {
  const closed = supportTicket('closed');
  const MESSAGE = 'SR-1042 is Closed and can no longer be updated';

  it.each([...ROLES])('refuses %s every support target', (role) => {
    for (const to of SUPPORT_STATUSES) {
      const err = thrown(() => assertTransition(policy, closed, to, [role]));
      expect(err).toBeInstanceOf(ClosedError);
      expect((err as ClosedError).code).toBe(ErrorCode.Closed);
      expect(err.message).toBe(MESSAGE);
    }
  });

  it.each([...ROLES])('refuses %s every development target', (role) => {
    for (const to of DEVELOPMENT_STATUSES) {
      const err = thrown(() =>
        assertDevelopmentTransition(policy, devTicket('ready_for_release', 'closed'), to, [role]),
      );
      expect(err).toBeInstanceOf(ClosedError);
      expect(err.message).toBe(MESSAGE);
    }
  });

  it('refuses even with every role at once', () => {
    expect(() => assertTransition(policy, closed, 'customer_responded', [...ROLES])).toThrow(MESSAGE);
  });

  it('assertOpen passes open tickets and refuses closed ones', () => {
    for (const s of SUPPORT_STATUSES.filter((x) => x !== 'closed'))
      expect(() => assertOpen(supportTicket(s))).not.toThrow();
    expect(() => assertOpen(closed)).toThrow(new ClosedError(NUMBER));
  });
});

describe('assertRole', () => {
  it('passes when the actor holds one of the roles', () => {
    expect(() => assertRole(['requester', 'level2'], ['level1', 'level2'], 'take the ticket')).not.toThrow();
  });
  it('names who may do it', () => {
    expect(() => assertRole(['requester'], ['level1', 'level2', 'admin', 'manager'], 'assign SR-1042')).toThrow(
      new ForbiddenError('Only Level 1, Level 2, Administrative Staff or a manager can assign SR-1042'),
    );
    expect(() => assertRole(['level1'], ['manager'], 'acknowledge an SLA alert')).toThrow(
      'Only a manager can acknowledge an SLA alert',
    );
  });
});
