import { randomUUID } from 'node:crypto';
import type { App } from '../../bootstrap';
import type { PostedCard } from '../../domain/ticket/ticket';
import type { DeliveryContent, DeliveryTarget, PlatformDelivery } from '../../notify/delivery';
import { inlineImages } from '../teams/delivery';
import { noticeCard, updatedCard } from '../teams/render';
import type { ConversationLog } from './conversations';
import { type PlaygroundDirectory, personalConversationId } from './directory';

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
export const BOT = { id: 'helpline-bot', name: 'Helpline' } as const;

/**
 * Delivery for channels and people whose platform has no real connection: the notice is rendered as
 * in Teams (the same Adaptive Card builders) and posted into the playground's channel view or the
 * person's personal chat, live on every open page.
 */
export class PlaygroundDelivery implements PlatformDelivery {
  readonly platform = 'playground' as const;

  constructor(
    private readonly app: Pick<App, 'policy' | 'directory' | 'clock'>,
    private readonly dir: PlaygroundDirectory,
    private readonly log: ConversationLog,
  ) {}

  /** Where a target lands: a channel id is its own conversation; a person (by any of their ids) their chat. */
  conversationFor(target: DeliveryTarget): string {
    if (target.kind === 'channel') return target.id;
    const person = this.dir.personByAccount(target.id, 'playground');
    return personalConversationId(person?.id ?? `unknown:${target.id}`);
  }

  async post(target: DeliveryTarget, content: DeliveryContent): Promise<{ channel: string; messageId: string }> {
    const conversationId = this.conversationFor(target);
    const id = `pg-${randomUUID()}`;
    this.log.upsert({
      id,
      type: 'message',
      conversationId,
      from: { ...BOT, role: 'bot' },
      attachments: [{ contentType: ADAPTIVE_CARD, content: noticeCard(this.app, content) }, ...inlineImages(content)],
      timestamp: this.app.clock.now().toISOString(),
    });
    return { channel: conversationId, messageId: id };
  }

  async update(post: PostedCard, content: DeliveryContent): Promise<void> {
    if (!content.view) return;
    const card = updatedCard(this.app, post, { ...content, view: content.view });
    // Not found: recorded before a restart (the record is in memory only); nothing to update.
    this.log.update(
      post.channel,
      post.messageId,
      { attachments: [{ contentType: ADAPTIVE_CARD, content: card }] },
      this.app.clock.now(),
    );
  }
}
