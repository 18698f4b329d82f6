import type restify from 'restify';
import type { App } from '../../bootstrap';
import type { PlatformDelivery } from '../../notify/delivery';

export interface SlackAdapter {
  delivery: PlatformDelivery;
  stop(): Promise<void>;
}

/** Mount Bolt on /slack/events of the shared server (stub: implemented by the Slack issue). */
export async function mountSlack(_server: restify.Server, _app: App): Promise<SlackAdapter | null> {
  return null;
}
