import { showClientRecord } from '../../app/client-record';
import type { App } from '../../bootstrap';
import { clientRecordBlocks, type SlackMessage } from '../../cards/slack';
import type { Actor } from '../../domain/ticket/ticket';
import { viewOf } from './render';

/** `client SR-n`: the ticket's client record (agents only), as a message. */
export async function clientRecordReply(app: App, number: string, actor: Actor): Promise<SlackMessage> {
  const { ticket } = await showClientRecord(app, number, actor);
  const view = await viewOf(app, ticket);
  const name = view.clientContext?.state === 'found' ? view.clientContext.record.name : view.client || 'no client';
  return { text: `Client of ${ticket.number}: ${name}`.slice(0, 300), blocks: clientRecordBlocks(view) };
}
