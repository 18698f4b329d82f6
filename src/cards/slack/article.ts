import { Action } from '../actions';
import type { ArticleView } from '../article';
import { ARTICLE_WORDS } from '../article';
import { actions, type Block, button, context, type SlackMessage, section } from './blocks';
import { escapeMrkdwn, userText } from './text';

/** The article's own blocks: title, answer, numbered steps, link. */
function articleBlocks(v: ArticleView): Block[] {
  const blocks: Block[] = [section(`*${userText(v.title, 150)}*\n${userText(v.answer, 2500)}`)];
  if (v.steps.length) blocks.push(section(v.steps.map((s, i) => `${i + 1}. ${userText(s, 300)}`).join('\n')));
  if (v.link) blocks.push(context(`More: ${escapeMrkdwn(v.link)}`));
  return blocks;
}

/** The answer to a request before it is raised: the article and "Did this solve it?" (values: the draft id). */
export function articleMessage(v: ArticleView, draftId: string): SlackMessage {
  return {
    text: `${ARTICLE_WORDS.intro} ${userText(v.title, 150)}. ${ARTICLE_WORDS.question}`,
    blocks: [
      context(ARTICLE_WORDS.intro),
      ...articleBlocks(v),
      section(`*${ARTICLE_WORDS.question}*`),
      actions([
        button(ARTICLE_WORDS.solved, Action.KnowledgeSolved, draftId, { style: 'primary' }),
        button(ARTICLE_WORDS.raise, Action.KnowledgeRaise, draftId),
      ]),
    ],
  };
}

/** After "Yes, that solved it": the article stays, with raising still one click away. */
export function articleSolvedMessage(v: ArticleView, draftId: string): SlackMessage {
  return {
    text: ARTICLE_WORDS.thanks,
    blocks: [
      ...articleBlocks(v),
      section(`✓ ${ARTICLE_WORDS.thanks}`),
      actions([button(ARTICLE_WORDS.raiseAnyway, Action.KnowledgeRaise, draftId)]),
    ],
  };
}

/** "No, raise a ticket": the intake goes on in the same message, under a line naming the article. */
export function articleDeclined(v: ArticleView, intake: { text: string; blocks?: unknown[] }): SlackMessage {
  return {
    text: `${ARTICLE_WORDS.notSolved} ${intake.text}`,
    blocks: [context(`${ARTICLE_WORDS.notSolved} (${userText(v.title, 150)})`), ...((intake.blocks ?? []) as Block[])],
  };
}
