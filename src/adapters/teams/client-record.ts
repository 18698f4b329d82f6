import { showClientRecord } from '../../app/client-record';
import type { App } from '../../bootstrap';
import { clientRecordCard, type Json } from '../../cards/teams';
import type { Actor } from '../../domain/ticket/ticket';
import { viewOf } from './render';

/** `client SR-n`: the ticket's client record (agents only), as a card. */
export async function clientRecordCardFor(app: App, number: string, actor: Actor): Promise<Json> {
  const { ticket } = await showClientRecord(app, number, actor);
  return clientRecordCard(await viewOf(app, ticket));
}
