/** A knowledge article as shown (app/knowledge `articleView`): placeholders filled, plain sentences. */
export interface ArticleView {
  id: string;
  title: string;
  answer: string;
  steps: string[];
  link?: string;
}

/** The question under an article answered before a raise, and its two answers. */
export const ARTICLE_WORDS = {
  question: 'Did this solve it?',
  solved: 'Yes, that solved it',
  raise: 'No, raise a ticket',
  thanks: 'Glad that solved it. If it comes back or you still need help, raising a ticket is one click away.',
  raiseAnyway: 'Raise a ticket anyway',
  notSolved: 'Sorry that did not solve it: let us raise a ticket.',
  intro: 'This may answer it straight away:',
} as const;
