import type { TurnContext } from 'botbuilder';
import { reportLinkFor } from '../../app/reports/access';
import type { App } from '../../bootstrap';
import type { Actor } from '../../domain/ticket/ticket';
import type { SendPersonal } from './messages';

const SENT =
  "I've sent you the reports link in our personal chat: it is yours alone, so it never goes in a shared conversation.";
const NOT_SENT =
  'The reports link is personal, so I only send it in our personal chat, and I could not reach you there just now. ' +
  'Open a chat with Helpline and send "report" there.';

const plain = (text: string) => ({ type: 'message', text, textFormat: 'plain' });

/**
 * `report` in Teams. A manager's link is single use and starts their session, so it is only ever sent in their
 * personal chat with the bot: asked there, it is the answer; asked in a channel or group chat, it goes to the
 * personal chat (the stored one, else a new one) and the channel hears only where it went.
 */
export async function answerReportCommand(
  app: App,
  ctx: TurnContext,
  actor: Actor,
  sendPersonal: SendPersonal,
): Promise<void> {
  const r = reportLinkFor(app, actor, { secret: app.reportsSecret, baseUrl: app.publicUrl() });
  if (!r.allowed || ctx.activity.conversation?.conversationType === 'personal') {
    await ctx.sendActivity(plain(r.text));
    return;
  }
  try {
    await sendPersonal(actor.userId, plain(r.text));
  } catch (err) {
    app.log.warn({ err: (err as Error).message }, 'Teams: could not send a report link to the personal chat');
    await ctx.sendActivity(plain(NOT_SENT));
    return;
  }
  await ctx.sendActivity(plain(SENT));
}
