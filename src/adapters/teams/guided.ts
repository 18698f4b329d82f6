import { z } from 'zod';
import { type IntakeQuestion, QUESTION_TEXT, questionsFor } from '../../app/guided-intake';
import { offeredArticle } from '../../app/knowledge';
import type { App } from '../../bootstrap';
import { choicesFromPolicy, intakeFormCard, type Json } from '../../cards/teams';
import { BadActionError } from './errors';
import { prefillFrom } from './intake';

const QUESTIONS = Object.keys(QUESTION_TEXT) as [IntakeQuestion, ...IntakeQuestion[]];

const text = (max: number) => z.string().max(max).optional();

/** An answer from the intake card: the question, the ids asked so far, the answer, and the form's current inputs. */
const answerSchema = z.object({
  question: z.enum(QUESTIONS),
  asked: z
    .string()
    .max(200)
    .regex(/^[a-zA-Z,]*$/),
  skip: z.literal('1').optional(),
  answer: text(2000),
  form: text(100),
  sourceLink: text(1000),
  title: text(200),
  description: text(20_000),
  severity: z.enum(['1', '2', '3', '4']).optional(),
  category: text(100),
  client: text(2000),
  businessImpact: text(2000),
  evidence: text(2000),
  incident: z
    .string()
    .regex(/^SR-[1-9]\d{0,9}$/)
    .optional(),
  article: text(100),
});

/** Where an answer goes in the form. */
function withAnswer(f: z.output<typeof answerSchema>, answer: string): z.output<typeof answerSchema> {
  switch (f.question) {
    case 'businessImpact':
      return { ...f, businessImpact: answer };
    case 'client':
      return { ...f, client: answer };
    case 'evidence':
      return { ...f, evidence: [f.evidence, answer].filter(Boolean).join('\n') };
    default:
      return { ...f, description: `${f.description ?? ''}\n\nSteps: ${answer}`.trim() };
  }
}

/**
 * Guided intake in Teams: the intake card asks one question at a time above the form; "Answer" puts the answer in
 * its field and asks the next question, "Skip" moves on, and "Raise ticket" raises at any time. The card carries
 * the whole state (its inputs and the ids asked), so any replica can answer and nothing is lost on a restart.
 */
export function answerQuestion(app: Pick<App, 'policy' | 'triage'>, data: unknown): Json {
  const parsed = answerSchema.safeParse(data ?? {});
  if (!parsed.success) throw new BadActionError('Invalid answer: please use the form on the card.');
  let f = parsed.data;
  const answer = f.answer?.trim() ?? '';
  if (!f.skip && answer) f = withAnswer(f, answer);
  const description = f.description ?? '';
  const asked = new Set(f.asked.split(',').filter(Boolean));
  asked.add(f.question);
  const base = prefillFrom(app, description || f.title || '', f.sourceLink ?? null);
  if ('notSupported' in base) throw new BadActionError(base.notSupported);
  const filled: Record<IntakeQuestion, boolean> = {
    businessImpact: !!f.businessImpact?.trim(),
    client: !!f.client?.trim(),
    evidence: !!f.evidence?.trim(),
    steps: /\bSteps:/.test(description),
  };
  const next = questionsFor(app.triage.suggest(description), description).find((q) => !asked.has(q) && !filled[q]);
  const { question: _first, ...rest } = base;
  return intakeFormCard(
    {
      ...rest,
      title: f.title ?? base.title,
      description,
      severity: f.severity ? Number(f.severity) : base.severity,
      categoryId: f.category && f.category !== 'none' ? f.category : base.categoryId,
      ...(f.client ? { client: f.client } : {}),
      ...(f.businessImpact ? { businessImpact: f.businessImpact } : {}),
      ...(f.evidence ? { evidence: f.evidence } : {}),
      ...(f.form ? { formId: f.form } : {}),
      ...(f.incident ? { incident: f.incident } : {}),
      ...(declinedArticle(app, f.article) ?? {}),
      missing: base.missing.filter((m) => !filled[m as IntakeQuestion]),
      ...(next ? { question: { id: next, text: QUESTION_TEXT[next], asked: [...asked, next].join(',') } } : {}),
    },
    choicesFromPolicy(app.policy),
    'chat',
  );
}

/** The article an answered card carries on (an id of the policy; anything else is dropped). */
function declinedArticle(
  app: Pick<App, 'policy'>,
  id: unknown,
): { article: { id: string; title: string } } | undefined {
  const article = offeredArticle(app.policy, id);
  return article ? { article } : undefined;
}
