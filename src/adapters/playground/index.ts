import type restify from 'restify';
import type { App } from '../../bootstrap';
import type { PlatformDelivery } from '../../notify/delivery';

export interface PlaygroundAdapter {
  delivery: PlatformDelivery;
  stop(): Promise<void>;
}

/** The local playground at / (stub: implemented by the playground issue). */
export async function mountPlayground(_server: restify.Server, _app: App): Promise<PlaygroundAdapter | null> {
  return null;
}
