import { type Block, context, section } from './blocks';
import { lineWithActions, type TicketLine, ticketLine } from './home';
import { escapeMrkdwn, userText } from './text';

/**
 * A page of search results: what was found, then each ticket as in the queue; agents get Open and Take on each line,
 * a requester (searching their own tickets) the lines alone. At most 10 tickets (two blocks each).
 */
export function searchMessage(o: { summary: string; lines: TicketLine[]; withActions: boolean; next: string | null }): {
  text: string;
  blocks: Block[];
} {
  const blocks: Block[] = [section(`:mag: ${userText(o.summary, 500)}`)];
  for (const [i, t] of o.lines.slice(0, 10).entries())
    blocks.push(...(o.withActions ? lineWithActions(t, `search|${t.number}|${i}`) : [section(ticketLine(t))]));
  if (o.next) blocks.push(context(`\`${escapeMrkdwn(o.next.slice(0, 600))}\``));
  return { text: o.summary.slice(0, 3000), blocks };
}
