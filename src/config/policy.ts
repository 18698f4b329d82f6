import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { formatIssues, type Policy, policySchema } from './policy.schema';

export class PolicyError extends Error {
  override name = 'PolicyError';
}

/** The seeds' policy shipped with the code (works from src/ and from dist/). */
export const DEFAULT_POLICY_FILE = path.resolve(__dirname, '..', '..', 'policy', 'default.yaml');

/** Parse and validate policy text; `source` names the file in errors. */
export function parsePolicy(text: string, source = 'policy'): Policy {
  let raw: unknown;
  try {
    raw = YAML.parse(text, { prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    throw new PolicyError(`${source} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const result = policySchema.safeParse(raw);
  if (!result.success) {
    throw new PolicyError(`${source} is invalid: ${formatIssues(result.error.issues).join('; ')}`);
  }
  return result.data;
}

/** Read and validate the policy file (default: policy/default.yaml). */
export function loadPolicy(file: string = DEFAULT_POLICY_FILE): Policy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new PolicyError(
      `POLICY_FILE ${file} cannot be read (${(err as NodeJS.ErrnoException).code}); set POLICY_FILE to a readable YAML policy`,
    );
  }
  return parsePolicy(text, file);
}
