import type restify from 'restify';
import type { App } from '../../bootstrap';
import type { PlatformDelivery } from '../../notify/delivery';

export interface TeamsAdapter {
  delivery: PlatformDelivery;
  stop(): Promise<void>;
}

/** Mount the Bot Framework CloudAdapter on /api/messages (stub: implemented by the Teams issue). */
export async function mountTeams(_server: restify.Server, _app: App): Promise<TeamsAdapter | null> {
  return null;
}
