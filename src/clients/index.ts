import type { ClientDirectory } from '../app/clients';
import type { ClientsPolicy } from '../config/clients.schema';
import type { Env } from '../config/env';
import type * as Hubspot from './hubspot-directory';
import { createYamlClientDirectory } from './yaml-directory';

/** The directory the configuration names: HubSpot with a HUBSPOT_TOKEN (or CLIENT_DIRECTORY=hubspot), else YAML. */
export function createClientDirectory(
  env: Pick<Env, 'CLIENT_DIRECTORY' | 'HUBSPOT_TOKEN' | 'HUBSPOT_API_URL'>,
  clients: ClientsPolicy,
  deps: { now: () => number; warn: (fields: Record<string, unknown>, msg: string) => void },
): ClientDirectory {
  const source = env.CLIENT_DIRECTORY ?? (env.HUBSPOT_TOKEN ? 'hubspot' : 'yaml');
  if (source === 'hubspot' && env.HUBSPOT_TOKEN) {
    // Loaded only when used: the HubSpot client is about 14 MB of resident memory a YAML directory does not need.
    const { createHubspotClientDirectory } = require('./hubspot-directory') as typeof Hubspot;
    return createHubspotClientDirectory({
      accessToken: env.HUBSPOT_TOKEN,
      basePath: env.HUBSPOT_API_URL,
      mapping: clients.hubspot,
      ...deps,
    });
  }
  return createYamlClientDirectory(clients);
}
