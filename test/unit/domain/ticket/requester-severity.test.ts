import { loadPolicy } from '../../../../src/config/policy';
import type { Role } from '../../../../src/config/policy.schema';
import { createTriage } from '../../../../src/domain/routing/triage';
import { createBusinessCalendar } from '../../../../src/domain/sla/business-calendar';
import * as op from '../../../../src/domain/ticket/operations';
import {
  REQUESTER_SEVERITY_WORDS,
  requesterSeverityNote,
  severityWithHint,
} from '../../../../src/domain/ticket/requester-severity';
import { createDirectory } from '../../../../src/domain/ticket/roles';
import type { Actor } from '../../../../src/domain/ticket/ticket';

const policy = loadPolicy();
const clocks = { calendar: createBusinessCalendar(policy.calendar), warnAt: policy.sla.warnAt };
const directory = createDirectory(policy);
const RITA: Actor = { platform: 'slack', userId: 'U0REQUESTER', name: 'Rita Reyes' };
const MONDAY = new Date('2026-06-01T09:00:00Z'); // 10:00 in London: support is open

function ctx(actor: Actor): op.OpContext {
  const roles = directory.rolesOf(actor);
  const role: Role = roles.find((r) => r !== 'requester') ?? 'requester';
  return { policy, clocks, now: MONDAY, actor: { ...actor, role, roles } };
}

describe("the requester's own severity is a hint", () => {
  it("keeps seed 000's wording, one line per severity", () => {
    expect(REQUESTER_SEVERITY_WORDS[1]).toBe('Nobody can use the system / it is down');
    expect(REQUESTER_SEVERITY_WORDS[4]).toBe('Minor or cosmetic');
  });

  it('both saying 1 raise at 1, even when triage alone would have been unsure and raised at 2', () => {
    expect(severityWithHint({ triage: 1, decided: 1, requester: 1 })).toBe(1);
    expect(severityWithHint({ triage: 1, decided: 2, requester: 1 })).toBe(1);
  });

  it("a requester's 1 that triage reads lower is not 1, not even when the form's severity says 1 too", () => {
    expect(severityWithHint({ triage: 3, decided: 3, requester: 1 })).toBe(3);
    expect(severityWithHint({ triage: 4, decided: 1, requester: 1 })).toBe(4);
    expect(severityWithHint({ triage: 2, decided: 2, requester: 1 })).toBe(2);
  });

  it("a requester's lower pick, or none, leaves triage's severity as it stands", () => {
    expect(severityWithHint({ triage: 1, decided: 1, requester: 4 })).toBe(1);
    expect(severityWithHint({ triage: 2, decided: 2, requester: 3 })).toBe(2);
    expect(severityWithHint({ triage: 1, decided: 2, requester: null })).toBe(2);
    expect(severityWithHint({ triage: 3, decided: 3 })).toBe(3);
  });

  it('says the disagreement in words for the triage card, and nothing when they agree', () => {
    expect(requesterSeverityNote(1, 3)).toBe(
      'The requester says: nobody can use the system / it is down (Severity 1); triage reads Severity 3',
    );
    expect(requesterSeverityNote(4, 2)).toBe(
      'The requester says: minor or cosmetic (Severity 4); triage reads Severity 2',
    );
    expect(requesterSeverityNote(2, 2)).toBe('');
    expect(requesterSeverityNote(undefined, 2)).toBe('');
  });

  const triage = createTriage(policy);
  function raiseAs(words: string, requesterSeverity?: 1 | 2 | 3 | 4) {
    const s = triage.suggest(words);
    const severity = severityWithHint({
      triage: s.severity.value,
      decided: s.severity.value,
      requester: requesterSeverity,
    });
    return {
      suggestion: s,
      result: op.raise(
        { seq: 7, title: words, description: words, requester: RITA, severity, requesterSeverity },
        ctx(RITA),
      ),
    };
  }
  const paged = (r: op.OpResult) =>
    r.notices.some((n) => n.audience.kind === 'channel' && n.audience.channel === 'developmentTriage');

  it('a minor request the requester calls an outage: raised at triage’s severity, Development triage not paged', () => {
    const { suggestion, result } = raiseAs('The logo on the invoice PDF is slightly blurry, just cosmetic', 1);
    expect(suggestion.severity.value).toBeGreaterThan(1);
    expect(result.ticket.severity).toBe(suggestion.severity.value);
    expect(result.ticket.requesterSeverity).toBe(1);
    expect(paged(result)).toBe(false);
    const raised = result.events.find((e) => e.type === 'raised');
    expect(raised?.note).toContain('the requester says Severity 1 (Nobody can use the system / it is down)');
  });

  it('an outage both call Severity 1: raised at 1 and Development triage paged at once', () => {
    const { suggestion, result } = raiseAs('Nobody here can log in, the whole system is down for everyone', 1);
    expect(suggestion.severity.value).toBe(1);
    expect(result.ticket.severity).toBe(1);
    expect(paged(result)).toBe(true);
  });

  it('a ticket raised without a pick carries none', () => {
    const { result } = raiseAs('The export to Sage is slow this morning');
    expect(result.ticket.requesterSeverity).toBeUndefined();
    expect(result.events.find((e) => e.type === 'raised')?.note).not.toContain('requester says');
  });
});
