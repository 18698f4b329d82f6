import { type Answer, evaluate, formatReport, parseSet } from '../../../bench/triage-eval/metrics';

const SET = [
  '# a comment',
  '1 | development | performance-infrastructure | - | nobody can log in',
  '2 | development | performance-infrastructure | - | invoicing is blocked everywhere',
  '3 | level1 | report-a-bug | - | the button is broken',
  '4 | - | - | custom-queries | write us a query',
  '4 | level2 | user-permissions-new-users | - | we do not need a new site, just a new user',
].join('\n');

const answer = (severity: 1 | 2 | 3 | 4, team: Answer['team'], notSupported: string | null = null): Answer => ({
  severity,
  team,
  category: null,
  notSupported,
});

describe('triage evaluation harness', () => {
  const items = parseSet(SET);

  it('parses the set format', () => {
    expect(items).toHaveLength(5);
    expect(items[3]).toEqual({
      severity: 4,
      team: null,
      category: null,
      notSupported: 'custom-queries',
      text: 'write us a query',
    });
    expect(() => parseSet('5 | x | - | - | text')).toThrow('severity must be 1-4');
    expect(() => parseSet('1 | x | text')).toThrow('expected 5 fields');
  });

  it('computes every figure on a fixed set with known answers', () => {
    const r = evaluate(items, [
      answer(2, 'development'), // Sev 1 missed by one: within one, team right
      answer(2, 'level1'), // severity right, team wrong
      answer(3, 'level1'),
      answer(4, null, 'custom-queries'), // NS true positive
      answer(4, 'level2', 'new-site-implementation'), // NS false positive on negated text
    ]);
    expect(r.count).toBe(5);
    expect(r.exactSeverity).toBeCloseTo(4 / 5);
    expect(r.withinOne).toBe(1);
    expect(r.team).toBeCloseTo(3 / 4); // 4 items have a team label; the second is wrong
    expect(r.ns).toMatchObject({ tp: 1, fp: 1, fn: 0, precision: 0.5, recall: 1 });
    expect(r.ns.f1).toBeCloseTo(2 / 3);
    expect(r.sev1Recall).toBe(0);
    expect(r.negatedNsFalsePositives).toEqual(['we do not need a new site, just a new user']);
    expect(r.confusion[0]).toEqual([0, 1, 0, 0]);
    expect(r.confusion[1]).toEqual([0, 1, 0, 0]);
    expect(r.worst[0]?.text).toBe('nobody can log in'); // a missed outage costs double
    const printed = formatReport('fixed', r);
    expect(printed).toContain('exact severity      80.0 %');
    expect(printed).toContain('Severity 1 recall   0.0 % (of 1)');
  });

  it('a perfect run scores 100 % and lists no misses', () => {
    const r = evaluate(
      items,
      items.map((i) => ({ severity: i.severity, team: i.team, category: i.category, notSupported: i.notSupported })),
    );
    expect([r.exactSeverity, r.team, r.ns.f1, r.sev1Recall]).toEqual([1, 1, 1, 1]);
    expect(r.worst).toEqual([]);
  });
});
