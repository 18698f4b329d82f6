import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { type ClientsPolicy, clientsSchema } from './clients.schema';
import { PolicyError } from './policy';
import { formatIssues } from './policy.schema';

/** Read CLIENTS_FILE: a YAML file whose `clients:` section has the policy's shape (it replaces the policy's). */
export function loadClientsFile(file: string): ClientsPolicy {
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
  return result.data;
}
