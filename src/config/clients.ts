import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { type ClientsPolicy, clientsSchema } from './clients.schema';
import { PolicyError } from './policy';
import { formatIssues, type Policy } from './policy.schema';
import { serviceNameIssues } from './service.schema';

/**
 * Read CLIENTS_FILE: a YAML file whose `clients:` section has the policy's shape (it replaces the policy's). Its
 * clients' tiers and calendars must be ones the policy defines.
 */
export function loadClientsFile(file: string, policy?: Pick<Policy, 'tiers' | 'calendars'>): ClientsPolicy {
  let raw: unknown;
  try {
    raw = YAML.parse(readFileSync(file, 'utf8'), { prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new PolicyError(
      code
        ? `CLIENTS_FILE ${file} cannot be read (${code}); set CLIENTS_FILE to a readable YAML file`
        : `CLIENTS_FILE ${file} is not valid YAML: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  const section = (raw as { clients?: unknown } | null)?.clients;
  const result = clientsSchema.safeParse(section ?? {});
  if (!result.success)
    throw new PolicyError(
      `CLIENTS_FILE ${file} is invalid: ${formatIssues(result.error.issues)
        .map((l) => `clients.${l}`)
        .join('; ')}`,
    );
  const unknown = policy ? serviceNameIssues({ ...policy, clients: result.data }) : [];
  if (unknown.length)
    throw new PolicyError(
      `CLIENTS_FILE ${file} is invalid: ${unknown.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return result.data;
}
