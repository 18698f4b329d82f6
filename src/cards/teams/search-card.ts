import { type QueueLine, queueLineContainer } from './queue-card';
import { adaptiveCard, type CardElement, type Json, plain } from './text';

/**
 * A page of search results as an Adaptive Card: what was found, then each ticket as a queue line; agents get Open and
 * Take on each, a requester (searching their own tickets) the lines alone. At most 10 tickets.
 */
export function searchCard(o: {
  summary: string;
  lines: QueueLine[];
  withActions: boolean;
  next: string | null;
}): Json {
  const body: CardElement[] = [plain(o.summary, 500, { weight: 'Bolder', size: 'Medium' })];
  for (const t of o.lines.slice(0, 10)) body.push(queueLineContainer(t, o.withActions));
  if (o.next) body.push(plain(o.next, 600, { isSubtle: true }));
  return adaptiveCard(body);
}
