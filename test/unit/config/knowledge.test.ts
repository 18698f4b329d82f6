import fs from 'node:fs';
import { knowledgeSchema } from '../../../src/config/knowledge.schema';
import { DEFAULT_POLICY_FILE, loadPolicy, PolicyError, parsePolicy } from '../../../src/config/policy';

const article = {
  title: 'Reset your password',
  answer: 'Choose Forgot password on the sign-in page.',
  examples: ['I forgot my password'],
};

describe('policy knowledge: section', () => {
  it('the default policy ships the six articles written from the seeds, with a threshold', () => {
    const { knowledge } = loadPolicy();
    expect(Object.keys(knowledge.articles).sort()).toEqual([
      'invoice-sender',
      'not-supported-quotes',
      'product-usage',
      'soc2-report',
      'support-hours-contact',
      'workflow-password',
    ]);
    expect(knowledge.threshold).toBeGreaterThan(0);
    for (const a of Object.values(knowledge.articles)) expect(a.examples.length).toBeGreaterThan(0);
  });

  it('defaults: no articles, steps, keywords and excludes empty', () => {
    expect(knowledgeSchema.parse({})).toEqual({ threshold: 25.4, articles: {} });
    expect(knowledgeSchema.parse({ articles: { a: article } }).articles.a).toEqual({
      ...article,
      steps: [],
      keywords: [],
      excludes: [],
    });
  });

  it.each([
    ['markup in the answer', { ...article, answer: 'See <https://x|here>' }, 'answer'],
    ['bold in a step', { ...article, steps: ['Click *Save*'] }, 'steps'],
    ['no example phrasings', { ...article, examples: [] }, 'examples'],
    ['a link that is not http(s)', { ...article, link: 'javascript:alert(1)' }, 'link'],
    ['an unknown key', { ...article, body: 'x' }, ''],
  ])('refuses %s', (_what, a, key) => {
    const r = knowledgeSchema.safeParse({ articles: { a } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path.join('.')).toContain(key);
  });

  it('refuses an article id that is not lower-case, naming the path', () => {
    const yaml = fs
      .readFileSync(DEFAULT_POLICY_FILE, 'utf8')
      .replace('    workflow-password:\n', '    Workflow_Password:\n');
    expect(() => parsePolicy(yaml)).toThrow(PolicyError);
    expect(() => parsePolicy(yaml)).toThrow(/knowledge\.articles\.Workflow_Password/);
  });
});
