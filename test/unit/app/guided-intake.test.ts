import {
  answerGuided,
  answersOf,
  isRaiseAnyway,
  pendingQuestion,
  questionsFor,
  raiseFieldsOf,
  startGuided,
} from '../../../src/app/guided-intake';
import { loadPolicy } from '../../../src/config/policy';
import { clientNamed } from '../../../src/domain/routing/missing-information';
import { createTriage } from '../../../src/domain/routing/triage';

const triage = createTriage(loadPolicy());

describe('guided intake: what to ask, one question at a time', () => {
  it('asks a fault report for impact, client, evidence and steps, in that order', () => {
    const text = 'the export to sage failed last night';
    expect(questionsFor(triage.suggest(text), text)).toEqual(['businessImpact', 'client', 'evidence', 'steps']);
  });

  it('does not ask a how-to question or a change request for evidence or steps', () => {
    const howTo = 'how do I delegate my approvals?';
    expect(questionsFor(triage.suggest(howTo), howTo)).toEqual(['businessImpact', 'client']);
  });

  it('does not ask for the client when the words name one, and pre-fills it', () => {
    const text = 'invoices from Northgate Foods are on hold in the portal';
    expect(questionsFor(triage.suggest(text), text)).not.toContain('client');
    expect(answersOf(startGuided(triage.suggest(text), text))).toEqual({ client: 'Northgate Foods' });
  });

  it('records answers, skips on "skip", and ends with nothing pending', () => {
    const text = 'the export to sage failed last night';
    const s = triage.suggest(text);
    let d = startGuided(s, text);
    expect(pendingQuestion(d)).toBe('businessImpact');
    d = answerGuided(s, d, 'all of AP cannot pay');
    expect(pendingQuestion(d)).toBe('client');
    d = answerGuided(s, d, 'skip');
    expect(pendingQuestion(d)).toBe('evidence');
    d = answerGuided(s, d, 'https://example.com/shot.png');
    d = answerGuided(s, d, '1. open exports 2. press run');
    expect(pendingQuestion(d)).toBeNull();
    expect(answersOf(d)).toEqual({
      businessImpact: 'all of AP cannot pay',
      evidence: 'https://example.com/shot.png',
      steps: '1. open exports 2. press run',
    });
    const fields = raiseFieldsOf(d);
    expect(fields.businessImpact).toBe('all of AP cannot pay');
    expect(fields.client).toBeUndefined();
    expect(fields.text).toBe('the export to sage failed last night\n\nSteps: 1. open exports 2. press run');
    // The error line of the words themselves, and the link given in answer.
    expect(fields.evidence).toEqual([
      { kind: 'error', value: 'the export to sage failed last night' },
      { kind: 'link', value: 'https://example.com/shot.png' },
    ]);
  });

  it('an evidence answer without a link is kept as said', () => {
    const text = 'the export to sage failed last night';
    const s = triage.suggest(text);
    let d = startGuided(s, text);
    d = answerGuided(s, answerGuided(s, d, 'skip'), 'skip');
    d = answerGuided(s, d, 'it said invalid date format');
    expect(raiseFieldsOf(d).evidence).toContainEqual({ kind: 'error', value: 'it said invalid date format' });
  });

  it.each(['raise it anyway', 'Raise anyway!', 'just raise it', 'submit'])('"%s" raises now', (t) => {
    expect(isRaiseAnyway(t)).toBe(true);
  });
  it.each(['raise the approval limit to 10k', 'Acme', 'skip'])('"%s" does not', (t) => {
    expect(isRaiseAnyway(t)).toBe(false);
  });
});

describe('clientNamed', () => {
  it.each([
    ['invoices from Northgate Foods are on hold', 'Northgate Foods'],
    ['this is for Brightwell Supplies, urgent', 'Brightwell Supplies'],
    ['Harlow Council cannot log in', 'Harlow Council'],
    ['our client Acme needs a report', 'Acme'],
  ])('"%s" → %s', (text, name) => {
    expect(clientNamed(text)).toBe(name);
  });
  it.each(['the export to Sage failed', 'from Monday the OCR is wrong', 'at the moment nothing works'])(
    '"%s" names no client',
    (text) => {
      expect(clientNamed(text)).toBeUndefined();
    },
  );
});
