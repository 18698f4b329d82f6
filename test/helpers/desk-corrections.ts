import { raiseTicket } from '../../src/app/raise-ticket';
import { resolve, setCategory } from '../../src/app/ticket-actions';
import type { App } from '../../src/bootstrap';
import type { Platform } from '../../src/config/vocabulary';

/** "Zorblax" is this desk's customers' word for their reports: the rules read it elsewhere. */
const ZORBLAX = [
  'Our zorblax sync tile shows a wrong zorblax total for store {n}',
  'the zorblax for region {n} is missing the last column',
  'zorblax totals do not match the ledger for cost centre {n}',
  'can someone explain the zorblax figures for branch {n}?',
  'why does my zorblax show {n} rows fewer than last month',
  'zorblax export for team {n} has the wrong totals in it',
];

type Person = { platform: Platform; userId: string; name: string };

/**
 * What a desk teaches triage, through the real use cases: 24 "zorblax" requests an agent moved to Report-related
 * questions (24 `triage_corrected` events) and 12 password resets resolved as triage read them. By default each
 * request comes from its own requester (raises are rate limited per person).
 */
export async function teachZorblax(
  app: App,
  agent: Person,
  requester: (i: number) => Person = (i) => ({
    platform: agent.platform,
    userId: `U0CUSTOMER${i}`,
    name: `Customer ${i}`,
  }),
): Promise<void> {
  for (let i = 0; i < 24; i++) {
    const text = ZORBLAX[i % ZORBLAX.length]!.replace('{n}', String(i + 3));
    const raised = await raiseTicket(app, { requester: requester(i), text });
    if (raised.ticket?.categoryId === 'report-questions') throw new Error(`the rules already read: ${text}`);
    await setCategory(app, { number: raised.ticket!.number, actor: agent }, { categoryId: 'report-questions' });
  }
  for (let i = 0; i < 12; i++) {
    const text = `Please reset my workflow password, locked out (${i})`;
    const raised = await raiseTicket(app, { requester: requester(100 + i), text });
    await resolve(app, { number: raised.ticket!.number, actor: agent }, 'Reset sent');
  }
}
