import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadPolicy } from '../../../../src/config/policy';
import { loadSeedModel, SEED_MODEL_FILE } from '../../../../src/config/triage-seed-model';
import { createLearningTriage, isUsable, parseLearned } from '../../../../src/domain/routing/learned-triage';
import { createTriage } from '../../../../src/domain/routing/triage';

const policy = loadPolicy();
const rules = createTriage(policy);

describe('the triage model shipped with the product', () => {
  it('is a valid, usable model that fits the default policy, trained on the tuning parts only', () => {
    const seed = loadSeedModel(policy);
    expect(seed).not.toBeNull();
    expect(isUsable(seed!)).toBe(true);
    // 235 + 320 labelled tuning requests: the held-out parts are never trained on.
    expect(seed!.model.examples).toBe(555);
    expect(seed!.use.severity).toBeNull(); // severity stays with the rules (the gate did not let it through)
  });

  it('is used while no desk model is active, and gives way to the desk model and back', () => {
    const seed = loadSeedModel(policy)!;
    const triage = createLearningTriage(rules, policy, seed);
    expect(triage.version()).toBeNull();
    const texts = ['ocr puts the vat into the net field for one supplier', 'can u send the soc 2 report'];
    const changed = (t: typeof triage) => texts.map((x) => t.suggest(x));
    const withSeed = changed(triage);
    const desk = parseLearned(JSON.parse(fs.readFileSync(SEED_MODEL_FILE, 'utf8')));
    triage.load({ ...desk, use: { severity: null, category: null, notSupported: null } }, 2);
    // A desk model its gate refused leaves the shipped model in place (not the rules alone).
    expect(changed(triage)).toEqual(withSeed);
    triage.load(desk, 3);
    expect(triage.version()).toBe(3);
    triage.load(null);
    expect(triage.version()).toBeNull();
    expect(changed(triage)).toEqual(withSeed);
  });

  it('never lowers an outage the rules read', () => {
    const triage = createLearningTriage(rules, policy, loadSeedModel(policy));
    expect(triage.suggest('nobody in the company can log in, the whole system is down').severity.value).toBe(1);
  });

  it('is not used with a catalogue that lacks its categories, nor when the file is missing or damaged', () => {
    const { 'report-a-bug': _gone, ...categories } = policy.coverage.categories;
    expect(loadSeedModel({ coverage: { ...policy.coverage, categories } })).toBeNull();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seed-'));
    expect(loadSeedModel(policy, path.join(dir, 'none.json'))).toBeNull();
    fs.writeFileSync(path.join(dir, 'bad.json'), '{"model": {}}');
    expect(loadSeedModel(policy, path.join(dir, 'bad.json'))).toBeNull();
  });
});
