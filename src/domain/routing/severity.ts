/**
 * The seed's severity guide as reasoning over the impact facts of a request (see `severity-facts.ts`):
 *
 * - **1** no access or the system is down, for more than one person ("nobody can log in", "is the portal down?");
 * - **2** invoicing or transacting blocked for everyone, or a global issue (everyone affected, or the platform slow for all);
 * - **3** a task or module impaired, or a workaround exists (a workaround caps anything below 1 at 3);
 * - **4** cosmetic or minor, or a request / question with nothing lost.
 *
 * When the text shows no loss the matched catalogue item's default severity applies (a how-to question is 4, a
 * failed import 3); a Not Supported request is 4; with nothing at all, 3. The reason says which facts decided.
 */
import type { Severity } from '../../config/policy.schema';
import type { ImpactFacts } from './severity-facts';

/** A suggested severity with its reason in words. */
export interface SeverityVerdict {
  value: Severity;
  reason: string;
}

/** What the decision may fall back on when the text shows no loss. */
export interface SeverityContext {
  /** Default severity of the matched category and its name. */
  category?: { severity: Severity; name: string };
  /** The request is on the Not Supported list: a request for work, nothing is lost. */
  notSupported?: boolean;
  /** The most severe policy signal phrase found in the asserted text, if any. */
  signal?: { severity: Severity; phrase: string };
}

const q = (words: string) => `'${words}'`;

/** Access lost by logging in, not one screen that will not open ("can not use the coding screen"). */
const LOG_IN_LOST =
  /(?<![^ ])(?:log in|sign in|log on|sign on|get in|get into|access|locked out|no access|lost access|connect|reach|nobody|no one|anmelden|einloggen|entrar|acceder|connecter)(?![^ ])/;

const SCOPE_WORDS = { everyone: 'everyone is affected', group: 'a group is affected', one: 'one person is affected' };

/** Decide the severity of a request from its impact facts; `label(s)` names a level ("Severity 1 (Critical Incident)"). */
export function decideSeverity(
  facts: ImpactFacts,
  context: SeverityContext,
  label: (s: Severity) => string,
): SeverityVerdict {
  const { scope, loss } = facts;
  const scopeText = scope ? `${SCOPE_WORDS[scope.value]} (${q(scope.words)})` : '';
  const verdict = (value: Severity, why: string): SeverityVerdict => ({ value, reason: `${why} → ${label(value)}` });
  const capped = (v: SeverityVerdict): SeverityVerdict =>
    facts.workaround && v.value < 3
      ? verdict(3, `${v.reason.split(' → ')[0]}, but a workaround exists (${q(facts.workaround)})`)
      : v;

  if (loss?.value === 'access') {
    // "Everything has stopped", "we can not work": the whole service is unusable, whoever said it (not one person).
    const many =
      scope?.value === 'everyone' ||
      (scope?.value === 'group' && (facts.systemWide || facts.total)) ||
      (facts.total !== undefined && scope?.value !== 'one') ||
      (facts.symptom !== undefined && scope?.value === 'group');
    const wholeSystem = facts.systemWide && scope?.value !== 'one';
    if (many || (wholeSystem && loss.words === facts.systemWide)) {
      const who = scopeText || `the whole system (${q(facts.systemWide ?? loss.words)})`;
      if (facts.partial) {
        const partial = verdict(2, `${who} + ${q(loss.words)}, but not completely down (${q(facts.partial)})`);
        // "the rest of the portal works" is what is left, not a workaround for what is down.
        return facts.workaround && facts.partial.includes(facts.workaround) ? partial : capped(partial);
      }
      return verdict(1, `${who} + no access / system down (${q(loss.words)})`);
    }
    // "We can't log in", "our team is locked out": users cannot log in (the seed's own Severity 1 example), though
    // no system is named; the card asks Level 1 to confirm before Development triage is paged (`triage.ts`).
    if (scope?.value === 'group' && LOG_IN_LOST.test(loss.words) && !facts.single && !facts.screen)
      return verdict(1, `${scopeText} + no access (${q(loss.words)}): users cannot log in`);
    if (facts.symptom && scope?.value !== 'one')
      return verdict(3, `an outage's symptom (${q(facts.symptom)}) but not who is affected`);
    if (scope?.value === 'one' || !facts.systemWide)
      return verdict(4, `${scopeText || 'one person or account'} + access lost (${q(loss.words)}): not an outage`);
    return capped(verdict(3, `${scopeText || 'part of the system'} + access lost (${q(loss.words)})`));
  }
  if (facts.total && scope?.value === 'everyone' && loss?.value !== 'cosmetic' && !facts.slow && !facts.partial)
    return capped(verdict(1, `${scopeText} + the whole service is unusable (${q(facts.total)})`));
  if (loss?.value === 'transacting' && scope?.value === 'everyone')
    return capped(verdict(2, `${scopeText} + invoicing or transacting blocked (${q(loss.words)})`));
  if (facts.slow && scope?.value === 'everyone')
    return capped(verdict(2, `${scopeText} + the platform is slow (${q(facts.slow)})`));
  if (scope?.value === 'everyone' && (loss?.value === 'impaired' || loss?.value === 'transacting') && !facts.hedge)
    return capped(verdict(2, `${scopeText} + functionality impaired (${q(loss.words)}): a global issue`));
  if (facts.mass && loss && loss.value !== 'cosmetic' && !facts.hedge)
    return capped(
      verdict(2, `work in bulk is affected (${q(facts.mass)}) + ${q(loss.words)}: significant business impact`),
    );
  if (loss?.value === 'cosmetic') return verdict(4, `cosmetic or minor (${q(loss.words)})`);
  if (facts.hedge && !loss) return verdict(4, `played down by the requester (${q(facts.hedge)})`);
  if (context.notSupported) return verdict(4, 'a request for work that is not an incident: nothing is lost');
  if (!loss && context.category)
    return verdict(4, `a question or request: nothing is reported broken (${context.category.name})`);
  if (loss && facts.single && !facts.workaround)
    return verdict(4, `one item affected (${q(facts.single)}): ${q(loss.words)} is minor`);
  if (loss && facts.workaround && !facts.hedge)
    return verdict(3, `a task impaired (${q(loss.words)}), a workaround exists (${q(facts.workaround)})`);
  if (context.category) {
    const workaround = facts.workaround ? `, a workaround exists (${q(facts.workaround)})` : '';
    const why = `no outage or global impact found; default for ${context.category.name}${workaround}`;
    if (loss?.value === 'transacting' || (loss?.value === 'impaired' && context.category.severity === 4))
      return verdict(context.category.severity, `${why} (${q(loss.words)} is limited to one task)`);
    return verdict(context.category.severity, why);
  }
  if (loss)
    return verdict(
      3,
      `a task impaired (${q(loss.words)})${facts.workaround ? `, workaround ${q(facts.workaround)}` : ''}`,
    );
  if (context.signal) return capped(verdict(context.signal.severity, `matched ${q(context.signal.phrase)}`));
  return verdict(3, 'nothing says what is lost or who is affected: default');
}
