/**
 * What the desk teaches the learned model: a ticket's request text with the category, severity and Not Supported
 * verdict it ended with. A ticket teaches once an agent corrected triage on it (a `triage_corrected` event) or once
 * it was resolved; a ticket closed as spam, withdrawn or a duplicate teaches nothing (its words are not a request the
 * desk answered). The category is learned only when the ticket ended with one; a ticket that ended with a category
 * and is not a change request was a supported request (Not Supported: none). Pure.
 */
import type { Ticket } from '../ticket/ticket';
import type { LabelledExample } from './learned-model';

export type DeskTicket = Pick<Ticket, 'title' | 'description' | 'categoryId' | 'severity' | 'requestType'> & {
  closeReason?: Ticket['closeReason'];
};

const TEACHES_NOTHING = new Set(['spam', 'withdrawn', 'duplicate']);

/** The example a ticket teaches, or null when it teaches nothing. */
export function exampleFromTicket(t: DeskTicket): LabelledExample | null {
  if (t.closeReason && TEACHES_NOTHING.has(t.closeReason)) return null;
  const text = (t.description || t.title || '').trim();
  if (!text) return null;
  return {
    text,
    severity: t.severity,
    ...(t.categoryId ? { category: t.categoryId } : {}),
    ...(t.categoryId && t.requestType !== 'change_request' ? { notSupported: null } : {}),
  };
}
