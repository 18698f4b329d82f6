import { z } from 'zod';

/**
 * The policy's `knowledge:` section: short articles the bot answers with before a ticket is raised ("Did this solve
 * it?"), and the score a request must reach to be answered with one. Articles are plain sentences: they are shown in
 * Slack mrkdwn and Teams markdown alike, so the characters either reads as markup are refused here, and the renderers
 * escape the rest.
 */

/** Characters Slack mrkdwn or Teams markdown would read as markup or links. */
const MARKUP = /[<>*_~`[\]|#\\]/;
const plainText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max, { error: `at most ${max} characters` })
    .refine((s) => !MARKUP.test(s), {
      error: 'write plain sentences: no < > * _ ~ ` [ ] | # or \\ (they are markup in Slack or Teams)',
    });

/** `{supportHours}` and `{contact}` in an answer or step are filled from `calendar` and `contact` when shown. */
export const KNOWLEDGE_PLACEHOLDERS = ['supportHours', 'contact'] as const;

const article = z.strictObject({
  title: plainText(120),
  /** The answer, a few sentences; `{supportHours}` and `{contact}` are filled from the policy. */
  answer: plainText(1200),
  /** Optional numbered steps. */
  steps: z.array(plainText(300)).max(10).default([]),
  /** Optional link to read more (http or https). */
  link: z
    .url({ protocol: /^https?$/, error: 'expected a web address like https://support.example.com/kb/1' })
    .optional(),
  /** Requests as people would write them: the matcher finds the article from these (and the title and answer). */
  examples: z.array(z.string().trim().min(3).max(300)).min(1, { error: 'give at least one example phrasing' }),
  /** Phrases typical of the article; a phrase found whole in a request adds to the article's score. */
  keywords: z.array(z.string().trim().min(2).max(80)).default([]),
  /** Phrases that mean a request is not for this article (seed 004: an OCR password is not the workflow password). */
  excludes: z.array(z.string().trim().min(2).max(80)).default([]),
});

export const knowledgeSchema = z.strictObject({
  /**
   * The retrieval score a request must reach for the bot to answer with an article first (chosen on the eval set,
   * see `npm run eval:triage`); a request that reports a fault is never answered with one, whatever its score.
   */
  threshold: z.number().min(0).max(1000).default(25.4),
  /** Articles by id (lower-case like "workflow-password"). */
  articles: z
    .record(z.string().regex(/^[a-z0-9-]+$/, 'article ids are lower-case like "workflow-password"'), article)
    .default({}),
});

export type KnowledgePolicy = z.output<typeof knowledgeSchema>;
export type KnowledgeArticle = KnowledgePolicy['articles'][string];
export const EMPTY_KNOWLEDGE: KnowledgePolicy = { threshold: 25.4, articles: {} };
