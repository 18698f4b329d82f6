/**
 * The triage model shipped with the product (policy/triage-seed-model.json, built by `npm run triage:seed-model` from
 * the evaluation set's labelled tuning parts): used beside the rules until the desk's own model is active. It is used
 * only with a policy whose catalogue knows every category and Not Supported item it was trained on (a desk with its
 * own catalogue starts from the rules alone).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NONE } from '../domain/routing/learned-model';
import { type LearnedTriageModel, parseLearned } from '../domain/routing/learned-triage';
import type { Policy } from './policy.schema';

/** Works from src/ and from dist/. */
export const SEED_MODEL_FILE = path.resolve(__dirname, '..', '..', 'policy', 'triage-seed-model.json');

/** The shipped model when it fits `policy`'s catalogue, else null (also when the file is missing or damaged). */
export function loadSeedModel(
  policy: Pick<Policy, 'coverage'>,
  file: string = SEED_MODEL_FILE,
): LearnedTriageModel | null {
  let model: LearnedTriageModel;
  try {
    model = parseLearned(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return null;
  }
  const known = (ids: string[], table: Record<string, unknown>) => ids.every((id) => id === NONE || id in table);
  const fits =
    known(model.model.heads.category.classes, policy.coverage.categories) &&
    known(model.model.heads.notSupported.classes, policy.coverage.notSupported);
  return fits ? model : null;
}
