import type { Severity } from '../../config/policy.schema';

/**
 * "How bad is it?" in the requester's words: seed 000's severity table, one wording for the Slack modal, the Teams
 * intake card and the triage card.
 */
export const REQUESTER_SEVERITY_WORDS: Readonly<Record<Severity, string>> = {
  1: 'Nobody can use the system / it is down',
  2: 'A major part of the business is blocked (e.g. cannot invoice)',
  3: 'One task or workflow is impaired, there is a workaround',
  4: 'Minor or cosmetic',
};

export const REQUESTER_SEVERITIES: readonly Severity[] = [1, 2, 3, 4];

export function isSeverity(v: unknown): v is Severity {
  return v === 1 || v === 2 || v === 3 || v === 4;
}

/**
 * The severity a ticket is raised at, given the requester's own pick (a claim, not a fact).
 * - `triage`: what triage reads in the words; `decided`: what the raise would use without the hint (the form's
 *   severity, or triage's with its unsure rule, which raises an unsure 1 at 2 so nobody is paged).
 * - Both say 1: 1, so Development triage is paged at once, as the handbook's Severity 1 rule requires.
 * - The requester says 1 and triage reads lower: never 1 on the requester's word (a form's severity of 1 against
 *   triage's reading is the same claim), so nobody is paged; the triage card shows the disagreement.
 * - Otherwise the hint changes nothing: triage's severity stands and the card notes the requester's view.
 */
export function severityWithHint(o: { triage: Severity; decided: Severity; requester?: Severity | null }): Severity {
  if (o.requester !== 1) return o.decided;
  if (o.triage === 1) return 1;
  return o.decided === 1 ? o.triage : o.decided;
}

/**
 * The triage card's line when the requester and triage disagree ("The requester says: nobody can use the system /
 * it is down (Severity 1); triage reads Severity 3"), or '' when they agree or the requester gave none.
 */
export function requesterSeverityNote(requester: Severity | null | undefined, triage: Severity): string {
  if (!requester || requester === triage) return '';
  const words = REQUESTER_SEVERITY_WORDS[requester];
  return `The requester says: ${words.charAt(0).toLowerCase()}${words.slice(1)} (Severity ${requester}); triage reads Severity ${triage}`;
}
