/**
 * Ticket fixtures for the store tests, built by hand so that they do not move with the domain operations
 * (one test also round-trips a ticket made by the domain's `raise`).
 */
import type { SlaClock } from '../../../src/domain/sla/sla-clock';
import type { Notice } from '../../../src/domain/ticket/notice';
import type { Actor, Ticket, TicketEvent } from '../../../src/domain/ticket/ticket';
import { SYSTEM_ACTOR, ticketNumber } from '../../../src/domain/ticket/ticket';

/** Monday 3 March 2025, 09:00 UTC. */
export const T0 = new Date('2025-03-03T09:00:00.000Z');

export function minutesAfter(base: Date, minutes: number): Date {
  return new Date(base.getTime() + minutes * 60_000);
}

export const rita: Actor = { platform: 'slack', userId: 'U1', name: 'Rita' };
export const sam: Actor = { platform: 'teams', userId: '29:abc', name: 'Sam Agent', email: 'sam@example.com' };

export function runningClock(kind: SlaClock['kind'], targetMinutes: number, since: Date): SlaClock {
  return {
    kind,
    targetMinutes,
    usedMinutes: 0,
    state: 'running',
    since,
    pausedBy: null,
    warnAt: minutesAfter(since, targetMinutes * 0.75),
    dueAt: minutesAfter(since, targetMinutes),
    warned: false,
    breached: false,
    breachedAt: null,
    runs: [],
  };
}

/** A new ticket with every nullable field null and every list empty. */
export function makeTicket(seq: number, overrides: Partial<Ticket> = {}): Ticket {
  const at = overrides.createdAt ?? T0;
  return {
    number: ticketNumber(seq),
    seq,
    title: `Ticket ${seq}`,
    description: 'Users cannot log in since 9am',
    requester: rita,
    client: 'Acme',
    requestType: 'troubleshooting',
    categoryId: null,
    team: 'level1',
    severity: 3,
    priority: 3,
    status: 'new',
    statusChangedAt: at,
    assignee: null,
    escalationLevel: 0,
    businessImpact: '',
    evidence: [],
    conversation: [],
    watchers: [],
    inTeamTicketing: false,
    development: null,
    csat: null,
    sourceLink: null,
    sla: { response: runningClock('response', 30, at), resolution: runningClock('resolution', 3000, at) },
    alerting: {
      notifiedLevel: 0,
      nextStepAt: null,
      breachedAt: null,
      clock: null,
      acknowledgedBy: null,
      acknowledgedAt: null,
    },
    nextCheckAt: null,
    pendingQuestion: null,
    resolvedAt: null,
    closedAt: null,
    posts: [],
    createdAt: at,
    updatedAt: at,
    version: 0,
    ...overrides,
  };
}

/** A ticket with every optional part filled in: nested clocks in every state, actors, dates, lists. */
export function fullTicket(seq: number): Ticket {
  return makeTicket(seq, {
    title: 'Invoicing blocked for all users',
    description: 'Since 9am nobody can send invoices.\nError: E42 "timeout" — ünïcødé ✓',
    requester: sam,
    client: 'Globex',
    requestType: 'resolving_issue',
    categoryId: 'invoicing',
    team: 'development',
    severity: 2,
    priority: 1,
    status: 'escalated_to_dev',
    statusChangedAt: minutesAfter(T0, 90),
    assignee: { platform: 'slack', userId: 'U9', name: 'Ada', email: 'ada@example.com' },
    escalationLevel: 2,
    businessImpact: 'All invoicing blocked',
    evidence: [
      { kind: 'link', value: 'https://example.com/screenshot.png' },
      { kind: 'error', value: 'E42 timeout' },
    ],
    conversation: [
      { at: minutesAfter(T0, 5), author: sam, fromAgent: false, text: 'It still fails' },
      { at: minutesAfter(T0, 10), author: rita, fromAgent: true, text: 'Looking at it' },
    ],
    watchers: [rita],
    inTeamTicketing: true,
    development: { route: 'code_change', status: 'dev_in_progress', releaseNote: null },
    csat: { score: 4, comment: 'quick', at: minutesAfter(T0, 600) },
    sourceLink: 'https://acme.slack.com/archives/C1/p123',
    triage: {
      severity: 2,
      severityReason: "everyone is affected ('nobody') + invoicing or transacting blocked → Severity 2",
      categoryId: 'invoicing',
      team: 'development',
      categoryReason: 'a global incident → Development',
    },
    sla: {
      response: {
        kind: 'response',
        targetMinutes: 30,
        usedMinutes: 12.5,
        state: 'stopped',
        since: minutesAfter(T0, 12),
        pausedBy: null,
        warnAt: null,
        dueAt: null,
        warned: true,
        breached: false,
        breachedAt: null,
        runs: [{ from: T0, to: minutesAfter(T0, 12.5) }],
      },
      resolution: {
        kind: 'resolution',
        targetMinutes: 3000,
        usedMinutes: 61,
        state: 'paused',
        since: minutesAfter(T0, 61),
        pausedBy: 'waiting_for_customer',
        warnAt: null,
        dueAt: null,
        warned: true,
        breached: true,
        breachedAt: minutesAfter(T0, 60),
        runs: [{ from: T0, to: minutesAfter(T0, 61) }],
      },
    },
    alerting: {
      notifiedLevel: 2,
      nextStepAt: minutesAfter(T0, 120),
      breachedAt: minutesAfter(T0, 60),
      clock: 'resolution',
      acknowledgedBy: rita,
      acknowledgedAt: minutesAfter(T0, 70),
    },
    nextCheckAt: minutesAfter(T0, 120),
    pendingQuestion: 'Which browser?',
    resolvedAt: minutesAfter(T0, 500),
    closedAt: null,
    posts: [{ kind: 'triage', platform: 'slack', channel: 'C1', messageId: '1700000000.000100' }],
    updatedAt: minutesAfter(T0, 90),
  });
}

export function event(ticket: Ticket, type: string, at: Date, extra: Partial<TicketEvent> = {}): TicketEvent {
  return { ticket: ticket.number, at, actor: { ...rita, role: 'requester' }, type, ...extra };
}

export function systemEvent(ticket: Ticket, type: string, at: Date): TicketEvent {
  return { ticket: ticket.number, at, actor: SYSTEM_ACTOR, type, note: 'by the scheduler' };
}

export function notice(ticket: Ticket, key: string, text = `notice ${key}`, extra: Partial<Notice> = {}): Notice {
  return {
    key,
    type: 'requester.update',
    ticket: ticket.number,
    audience: { kind: 'user', actor: { platform: rita.platform, userId: rita.userId, name: rita.name } },
    text,
    ...extra,
  };
}
