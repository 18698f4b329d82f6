import {
  compileModel,
  featuresOf,
  type LabelledExample,
  MODEL_FORMAT_VERSION,
  NONE,
  parseModel,
  trainModel,
} from '../../../../src/domain/routing/learned-model';

const trainedAt = new Date('2026-12-07T00:00:00Z');

/** Two kinds of request the model should tell apart, with a severity and a Not Supported item. */
const EXAMPLES: LabelledExample[] = [
  ...Array.from({ length: 10 }, (_v, i) => ({
    text: `the zorblax report for store ${i} shows wrong totals`,
    category: 'report-questions',
    severity: 4 as const,
    notSupported: null,
  })),
  ...Array.from({ length: 10 }, (_v, i) => ({
    text: `please reset my workflow password, locked out again (${i})`,
    category: 'workflow-password-resets',
    severity: 3 as const,
    notSupported: null,
  })),
  ...Array.from({ length: 5 }, (_v, i) => ({
    text: `could you write the sql query for our month end extract ${i}`,
    severity: 4 as const,
    notSupported: 'custom-queries',
  })),
];

describe('featuresOf', () => {
  it('makes stems and neighbouring-stem bigrams, once each, keeping the words that say how bad it is', () => {
    const f = featuresOf('Nobody can log in, nobody! All invoices are not posting');
    expect(f).toEqual(
      expect.arrayContaining(['nobodi', 'login', 'can_login', 'invoic', 'post', 'not', 'all', 'not_post']),
    );
    expect(f.filter((t) => t === 'nobodi')).toHaveLength(1);
    expect(f).not.toContain('the');
  });
});

describe('trainModel / compileModel', () => {
  it('learns each head from the examples that carry its label', () => {
    const model = trainModel(EXAMPLES, { trainedAt });
    expect(model).toMatchObject({
      formatVersion: MODEL_FORMAT_VERSION,
      trainedAt: trainedAt.toISOString(),
      examples: 25,
    });
    expect(model.heads.category.classes).toEqual(['report-questions', 'workflow-password-resets']); // NS items carry none
    expect(model.heads.notSupported.classes).toEqual([NONE, 'custom-queries']);
    expect(model.heads.severity.docs).toEqual([10, 15]);
    const read = compileModel(model).predict('zorblax totals wrong for store 99');
    expect(read.category).toMatchObject({ label: 'report-questions' });
    expect(read.category!.p).toBeGreaterThan(0.9);
    expect(read.category!.margin).toBeGreaterThan(0.8);
    expect(compileModel(model).predict('need an sql query written for us').notSupported?.label).toBe('custom-queries');
  });

  it('is deterministic and keeps the vocabulary within its bound', () => {
    expect(trainModel(EXAMPLES, { trainedAt })).toEqual(trainModel(EXAMPLES, { trainedAt }));
    const small = trainModel(EXAMPLES, { trainedAt, maxVocabulary: 10 });
    expect(small.vocabulary).toHaveLength(10);
    for (const counts of small.heads.category.counts) for (const [at] of counts) expect(at).toBeLessThan(10);
  });

  it('a head with one class reads nothing', () => {
    const model = compileModel(trainModel(EXAMPLES.slice(0, 10), { trainedAt }));
    expect(model.predict('zorblax').category).toBeUndefined();
  });
});

describe('serialisation', () => {
  it('round-trips through JSON with the same readings', () => {
    const model = trainModel(EXAMPLES, { trainedAt });
    const back = parseModel(JSON.stringify(model));
    expect(back).toEqual(model);
    const text = 'my workflow password expired';
    expect(compileModel(back).predict(text)).toEqual(compileModel(model).predict(text));
  });

  it('refuses another format, another version, or a damaged model', () => {
    const model = trainModel(EXAMPLES, { trainedAt });
    expect(() => parseModel({ ...model, format: 'other' })).toThrow('not a triage model');
    expect(() => parseModel({ ...model, formatVersion: 99 })).toThrow('format 99 not supported');
    const damaged = { ...model, heads: { ...model.heads, severity: { ...model.heads.severity, docs: [1] } } };
    expect(() => parseModel(damaged)).toThrow('bad severity head');
    const outOfRange = {
      ...model,
      heads: { ...model.heads, category: { ...model.heads.category, counts: [[[99_999, 1]], []] } },
    };
    expect(() => parseModel(outOfRange)).toThrow('bad category head');
    expect(() => parseModel({ ...model, alpha: 0 })).toThrow('bad header');
    expect(() => parseModel(null)).toThrow();
  });
});
