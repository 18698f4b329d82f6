import { raiseTicket } from '../../../src/app/raise-ticket';
import { assignToMe, confirmFixed, recordCsat, resolve } from '../../../src/app/ticket-actions';
import type { Severity, TeamId } from '../../../src/config/policy.schema';
import type { TestHelpline } from '../../helpers/harness';

export const rita = { platform: 'slack' as const, userId: 'U0REQUESTER', name: 'Rita Reyes' };
export const lee = { platform: 'slack' as const, userId: 'U0LEVEL1', name: 'Lee Lewis' };
export const sam = { platform: 'slack' as const, userId: 'U0LEVEL2', name: 'Sam Singh' };
export const amy = { platform: 'slack' as const, userId: 'U0ADMIN1', name: 'Amy Adams' };

/** When the seeded data set is looked at: Monday 9 March 2026, 14:00 in London (GMT). */
export const SEEDED_NOW = new Date('2026-03-09T14:00:00Z');

const at = (iso: string) => new Date(`${iso}Z`);

/**
 * Five tickets made with the use cases on the movable clock (London is on GMT in early March; business hours
 * 08:45-17:15 Mon-Fri; every target 30 business minutes to respond, 50 business hours to resolve):
 *
 * | ticket | raised | client | sev | team | first response | resolved | CSAT |
 * | T1 | Mon 2 Mar 09:00 | Acme | 3 | Level 1 | Lee 09:20 (20 min, met) | Lee 11:00 (120 min) | 5 "Quick and clear" |
 * | T2 | Mon 2 Mar 10:00 | Bravo | 2 | Level 2 | Sam 11:00 (60 min, breached) | Sam Tue 10:00 (435 + 75 = 510 min) | 2 "Too slow to answer" |
 * | T3 | Mon 9 Mar 09:00 | Acme | 4 | Admin | Amy 09:10 (10 min, met) | Amy 09:40 (40 min) | 1 "Still broken for us" |
 * | T4 | Mon 9 Mar 13:00 | Bravo | 3 | Level 1 | none: at 14:00, 60 min used, breached | open | |
 * | T5 | Mon 9 Mar 13:35 | Acme | 4 | Level 1 | none: at 14:00, 25 min used (≥ 75 % of 30), at risk | open | |
 */
export async function seedReportData(h: TestHelpline): Promise<Record<'t1' | 't2' | 't3' | 't4' | 't5', string>> {
  // Each step at its exact instant, however long the step takes on a busy machine (the figures are by hand).
  h.clock.pause();
  try {
    return await seed(h);
  } finally {
    h.clock.resume();
  }
}

async function seed(h: TestHelpline): Promise<Record<'t1' | 't2' | 't3' | 't4' | 't5', string>> {
  const raise = async (when: string, client: string, severity: Severity, team: TeamId, title: string) => {
    h.clock.set(at(when));
    // Raised by Level 1 for Rita: an agent's naming of the client is trusted (a requester's alone is a claim).
    const r = await raiseTicket(h.app, {
      requester: rita,
      raisedBy: lee,
      title,
      description: `${title} (seeded for the reports)`,
      client,
      severity,
      team,
      categoryId: null,
      requestType: 'resolving_issue',
    });
    if (!r.ticket) throw new Error(`not raised: ${title}`);
    return r.ticket.number;
  };
  const act = async (when: string, work: () => Promise<unknown>) => {
    h.clock.set(at(when));
    await work();
  };
  const done = async (
    number: string,
    agent: typeof lee,
    times: [string, string, string, string],
    csat: [number, string],
  ) => {
    await act(times[0], () => assignToMe(h.app, { number, actor: agent }));
    await act(times[1], () => resolve(h.app, { number, actor: agent }, 'Fixed'));
    await act(times[2], () => confirmFixed(h.app, { number, actor: rita }));
    await act(times[3], () => recordCsat(h.app, { number, actor: rita }, { score: csat[0], comment: csat[1] }));
  };

  const t1 = await raise('2026-03-02T09:00:00', 'Acme', 3, 'level1', 'Export file missing columns');
  const t2 = await raise('2026-03-02T10:00:00', 'Bravo', 2, 'level2', 'Invoices stuck in approval');
  await done(
    t1,
    lee,
    ['2026-03-02T09:20:00', '2026-03-02T11:00:00', '2026-03-02T11:30:00', '2026-03-02T11:40:00'],
    [5, 'Quick and clear'],
  );
  await done(
    t2,
    sam,
    ['2026-03-02T11:00:00', '2026-03-03T10:00:00', '2026-03-03T10:20:00', '2026-03-03T10:30:00'],
    [2, 'Too slow to answer'],
  );
  const t3 = await raise('2026-03-09T09:00:00', 'Acme', 4, 'admin', 'Archive last month invoices');
  await done(
    t3,
    amy,
    ['2026-03-09T09:10:00', '2026-03-09T09:40:00', '2026-03-09T09:50:00', '2026-03-09T10:00:00'],
    [1, 'Still broken for us'],
  );
  const t4 = await raise('2026-03-09T13:00:00', 'Bravo', 3, 'level1', 'Supplier portal slow');
  const t5 = await raise('2026-03-09T13:35:00', 'Acme', 4, 'level1', 'Logo misaligned on PDF');
  h.clock.set(SEEDED_NOW);
  return { t1, t2, t3, t4, t5 };
}
