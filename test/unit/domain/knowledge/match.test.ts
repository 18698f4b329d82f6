import { loadPolicy } from '../../../../src/config/policy';
import { createKnowledge } from '../../../../src/domain/knowledge/match';

describe('knowledge matcher (the triage retrieval over the policy articles)', () => {
  const knowledge = createKnowledge(loadPolicy().knowledge);

  it.each([
    ['I have forgotten my workflow password, how do I reset it?', 'workflow-password'],
    ['What are your support hours, and is there a phone number?', 'support-hours-contact'],
    ['Our auditors would like a copy of your SOC 2 report please', 'soc2-report'],
    ['Who sent us invoice 4471? We do not recognise the sender', 'invoice-sender'],
    ['What does Not Supported mean, is it chargeable and how is it quoted?', 'not-supported-quotes'],
    ['How do I approve an invoice in Nimbello? Is there a guide?', 'product-usage'],
  ])('offers an article for a question it answers: %s', (text, id) => {
    const s = knowledge.suggest(text);
    expect(s.best?.id).toBe(id);
    expect(s.best?.score).toBeGreaterThan(0);
    expect(s.offer).toBe(true);
    expect(s.fault).toBeUndefined();
  });

  it.each([
    ['nobody in the company can log in, the system is down', /system is down|more than one person/],
    ['the password reset page throws an error 500 when I submit it', /broken or wrong/],
    ['I get access denied when I open the invoice history', /access denied/],
    [
      'The supplier portal login page is blank for everyone in finance',
      /the system is down \('portal log in page is blank'\)/,
    ],
    ['you sent the SOC 2 report last week but it has another client on the cover', /follow-up/],
    ['please reset my OCR password, I cannot log in to the OCR', /not for this article \('ocr'\)/],
  ])('never offers one for a fault, a follow-up or what the article excludes: %s', (text, why) => {
    const s = knowledge.suggest(text);
    expect(s.offer).toBe(false);
    expect(s.fault).toMatch(why);
  });

  it('offers nothing below the threshold, and nothing for text no article shares a word with', () => {
    const strict = createKnowledge(loadPolicy().knowledge, { threshold: 10_000 });
    expect(strict.suggest('I forgot my workflow password').offer).toBe(false);
    expect(knowledge.suggest('')).toEqual({ best: null, offer: false });
    expect(knowledge.suggest('zzz qqq').offer).toBe(false);
  });

  it('a disclaimed clause is not read ("not about my password")', () => {
    const s = knowledge.suggest('this is not about my password: the export to Sage failed with error 500');
    expect(s.offer).toBe(false);
  });

  it('is deterministic and never throws on odd input', () => {
    const text = 'forgot my password '.repeat(5000);
    expect(knowledge.suggest(text)).toEqual(knowledge.suggest(text));
    expect(() => knowledge.suggest(undefined as unknown as string)).not.toThrow();
  });
});
