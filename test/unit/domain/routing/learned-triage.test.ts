import { loadPolicy } from '../../../../src/config/policy';
import { exampleFromTicket } from '../../../../src/domain/routing/desk-examples';
import { MIN_EXAMPLES, trainWithGate } from '../../../../src/domain/routing/learned-gate';
import type { LabelledExample, Prediction } from '../../../../src/domain/routing/learned-model';
import {
  combine,
  createLearningTriage,
  isUsable,
  type ModelUse,
  parseLearned,
} from '../../../../src/domain/routing/learned-triage';
import { createTriage, type TriageSuggestion } from '../../../../src/domain/routing/triage';

const policy = loadPolicy();
const rules = createTriage(policy);
const trainedAt = new Date('2026-12-07T00:00:00Z');
const ALL: ModelUse = {
  severity: { sure: 0.9, unsure: 0.5 },
  category: { sure: 0.9, unsure: 0.5 },
  notSupported: { sure: 0.9, unsure: 0.5 },
};
const read = (label: string, p = 0.99) => ({ label, p, margin: p });
const OUTAGE = 'nobody in the company can log in, the whole system is down';

describe('combine: the rule of combination', () => {
  it('never ranks an outage below what the rules read, and keeps its platform-wide category', () => {
    const s = rules.suggest(OUTAGE);
    expect(s.severity.value).toBe(1);
    const out = combine(s, { severity: read('4'), category: read('report-questions') }, ALL, policy);
    expect(out.severity.value).toBe(1);
    expect(out.category?.id).toBe('performance-infrastructure');
  });

  it('may raise a global incident to Severity 1 but never lower it; unsure between 1 and 3 is never lowered', () => {
    const s = rules.suggest('we cannot post any invoices at all for the whole business, everything is stuck');
    expect(s.severity.value).toBe(2);
    expect(combine(s, { severity: read('4') }, ALL, policy).severity.value).toBe(2);
    const raised = combine(s, { severity: read('1') }, ALL, policy, "the desk's model v7");
    expect(raised.severity.value).toBe(1);
    expect(raised.severity.reason).toContain("the desk's model v7 reads Severity 1 (p 0.99)");
    const between: TriageSuggestion = {
      ...rules.suggest('I cannot log in'),
      severity: { value: 3, reason: 'outage words' },
      confidence: { value: 0.3, confident: false, between: [1, 3] },
    };
    expect(combine(between, { severity: read('4') }, ALL, policy).severity.value).toBe(3);
  });

  it('decides the category when the rules are unsure, or when its posterior reaches the sure threshold', () => {
    const unsure = rules.suggest('the zorblax for depot 77 looks wrong');
    expect(unsure.confidence.confident).toBe(false);
    const moved = combine(unsure, { category: read('report-questions', 0.6) }, ALL, policy);
    expect(moved.category).toMatchObject({ id: 'report-questions', team: 'level1', teamName: 'Level 1 Support' });
    expect(moved.category?.reason).toContain('the rules read Calculation errors');
    expect(moved.confidence.confident).toBe(false); // the card still asks Level 1, naming the model's reading
    expect(moved.confidence.unsure).toMatch(
      /two categories are close: .*; the desk's model reads Report-related questions$/,
    );

    const sure = rules.suggest('the logo on the invoice pdf is slightly off');
    expect(sure.confidence.confident).toBe(true);
    expect(combine(sure, { category: read('report-questions', 0.6) }, ALL, policy).category?.id).toBe(
      sure.category?.id,
    );
    expect(combine(sure, { category: read('report-questions', 0.95) }, ALL, policy).category?.id).toBe(
      'report-questions',
    );
  });

  it('adds a Not Supported item only to a request that reports no incident, and may take one away', () => {
    const quiet = rules.suggest('the logo on the invoice pdf is slightly off');
    const added = combine(quiet, { notSupported: read('custom-queries') }, ALL, policy);
    expect(added.notSupported).toMatchObject({ id: 'custom-queries', route: expect.any(String) });
    expect(
      combine(rules.suggest(OUTAGE), { notSupported: read('custom-queries') }, ALL, policy).notSupported,
    ).toBeUndefined();
    const ns = rules.suggest('could you build us a custom sql query for the month end extract?');
    expect(ns.notSupported?.id).toBe('custom-queries');
    expect(combine(ns, { notSupported: read('-') }, ALL, policy).notSupported).toBeUndefined();
  });

  it('takes a Not Supported item away only at its sure threshold, even when the rules are unsure of the category', () => {
    const ns = rules.suggest('Can you help with import schedule please');
    expect(ns.notSupported?.id).toBe('import-export-schedules');
    expect(ns.confidence.confident).toBe(false);
    const unsureOnly: ModelUse = { ...ALL, notSupported: { sure: null, unsure: 0.5 } };
    expect(combine(ns, { notSupported: read('-') }, unsureOnly, policy).notSupported?.id).toBe(
      'import-export-schedules',
    );
  });

  it('a head the gate did not let through changes nothing', () => {
    const s = rules.suggest('the zorblax for depot 77 looks wrong');
    const pred: Prediction = {
      severity: read('1'),
      category: read('report-questions'),
      notSupported: read('custom-queries'),
    };
    expect(combine(s, pred, { severity: null, category: null, notSupported: null }, policy)).toEqual(s);
  });
});

/** The desk corrected "zorblax" requests (its customers' word for reports) to Report questions. */
function deskExamples(): LabelledExample[] {
  const zorblax = [
    'the zorblax for store {n} looks wrong',
    'zorblax totals missing for branch {n}',
    'why is my zorblax empty for region {n}',
  ];
  return [
    ...Array.from({ length: 24 }, (_v, i) => ({
      text: zorblax[i % 3]!.replace('{n}', String(i)),
      category: 'report-questions',
      severity: 4 as const,
      notSupported: null,
    })),
    ...Array.from({ length: 12 }, (_v, i) => ({
      text: `please reset my workflow password, locked out (${i})`,
      category: 'workflow-password-resets',
      severity: 4 as const,
      notSupported: null,
    })),
  ];
}

describe('trainWithGate: used only when rules + model beat the rules', () => {
  it('lets a head through that beats the rules, and the learning triage then uses it', () => {
    const trained = trainWithGate(deskExamples(), rules, policy, { trainedAt });
    expect(trained.use.category).not.toBeNull();
    expect(trained.gate.heads.category.combined).toBeGreaterThan(trained.gate.heads.category.rules);
    expect(trained.gate).toMatchObject({ examples: 36, folds: 5 });
    expect(trained.model.alpha).toBe(trained.gate.alpha); // the smoothing the gate chose is the one stored
    expect(isUsable(trained)).toBe(true);
    const triage = createLearningTriage(rules, policy);
    expect(triage.version()).toBeNull();
    triage.load(parseLearned(JSON.parse(JSON.stringify(trained))), 3);
    expect(triage.version()).toBe(3);
    expect(triage.suggest('zorblax for depot 77 is blank').category?.id).toBe('report-questions');
    expect(triage.suggest(OUTAGE).severity.value).toBe(1);
  });

  it('stores but never uses a model that does not beat the rules', () => {
    // Labelled with the rules' own answers: the model cannot do better.
    const texts = deskExamples().map((e) => e.text);
    const agreeing = texts.map((text) => {
      const s = rules.suggest(text);
      return {
        text,
        category: s.category?.id ?? null,
        severity: s.severity.value,
        notSupported: s.notSupported?.id ?? null,
      };
    });
    const trained = trainWithGate(agreeing, rules, policy, { trainedAt });
    expect(trained.use).toEqual({ severity: null, category: null, notSupported: null });
    expect(isUsable(trained)).toBe(false);
    expect(trained.model.examples).toBe(36); // still a model, stored for the record
    const triage = createLearningTriage(rules, policy);
    triage.load(trained, 4);
    expect(triage.version()).toBeNull();
    expect(triage.suggest(texts[0]!)).toEqual(rules.suggest(texts[0]!));
  });

  it('judges nothing on fewer than the minimum examples', () => {
    const trained = trainWithGate(deskExamples().slice(0, MIN_EXAMPLES - 1), rules, policy, { trainedAt });
    expect(trained.gate.folds).toBe(0);
    expect(isUsable(trained)).toBe(false);
  });

  it('parseLearned refuses thresholds outside 0-1', () => {
    const trained = trainWithGate(deskExamples(), rules, policy, { trainedAt });
    expect(() => parseLearned({ ...trained, use: { ...trained.use, category: { sure: 7, unsure: null } } })).toThrow(
      'bad thresholds',
    );
  });
});

describe('exampleFromTicket', () => {
  const ticket = {
    title: 'Zorblax wrong',
    description: 'the zorblax for store 4 looks wrong',
    categoryId: 'report-questions',
    severity: 4 as const,
    requestType: 'troubleshooting' as const,
  };
  it('teaches the text with the category and severity the ticket ended with', () => {
    expect(exampleFromTicket(ticket)).toEqual({
      text: 'the zorblax for store 4 looks wrong',
      category: 'report-questions',
      severity: 4,
      notSupported: null,
    });
    expect(exampleFromTicket({ ...ticket, categoryId: null })).toEqual({ text: ticket.description, severity: 4 });
  });
  it('teaches nothing from spam, withdrawn or duplicate tickets', () => {
    for (const closeReason of ['spam', 'withdrawn', 'duplicate'] as const)
      expect(exampleFromTicket({ ...ticket, closeReason })).toBeNull();
    expect(exampleFromTicket({ ...ticket, closeReason: 'resolved_elsewhere' })).not.toBeNull();
  });
});
