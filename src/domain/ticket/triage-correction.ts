/**
 * An agent's correction of what triage suggested. Each change of severity or category away from the previous value,
 * on a ticket that kept triage's suggestion, also records a `triage_corrected` event: `note` names the field, `from`
 * is triage's suggestion and `to` the agent's choice, so that triage accuracy in the field can be reported.
 */
import type { Ticket, TicketEvent } from './ticket';

type Field = 'severity' | 'category';

/** The suggested value of `field`, when triage recorded one. */
function suggested(ticket: Ticket, field: Field): string | number | null | undefined {
  if (!ticket.triage) return undefined;
  return field === 'severity' ? ticket.triage.severity : ticket.triage.categoryId;
}

/**
 * The `triage_corrected` event for a change of `field` from `before` to `after`, or null when triage suggested
 * nothing or the agent's choice is what triage suggested.
 */
export function triageCorrection(
  ticket: Ticket,
  field: Field,
  before: string | number | null,
  after: string | number | null,
): Pick<TicketEvent, 'type' | 'from' | 'to' | 'note'> | null {
  const suggestion = suggested(ticket, field);
  if (suggestion === undefined || before === after || after === suggestion) return null;
  return { type: 'triage_corrected', from: suggestion, to: after, note: field };
}
