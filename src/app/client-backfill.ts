/**
 * The client backfill: a ticket raised while the client directory was down (HubSpot 429, 500 or a timeout) kept
 * the client's name as free text and no client id. Once the directory answers again, this job recognises the
 * client as intake would have, and sets it through the normal change path (audit event, clocks retargeted to the
 * client's tier and calendar, cards refreshed).
 */
import * as op from '../domain/ticket/operations';
import { type ClientDeps, clientChoice, recogniseClient } from './client-context';
import { opContext } from './context';
import { eachTicket, type JobDeps, type JobReport, systemActor } from './scheduled-jobs';

/** How far back the job looks: tickets older than this keep what they have. */
const LOOK_BACK_MINUTES = 3 * 24 * 60;
/** Tickets looked at per run (oldest first). */
const PER_RUN = 200;

export async function backfillClients(deps: JobDeps & { clients?: ClientDeps['clients'] }): Promise<JobReport> {
  const report: JobReport = { job: 'client-backfill', processed: 0, skipped: 0, failed: 0 };
  if (!deps.clients) return report;
  const now = deps.clock.now();
  const since = new Date(now.getTime() - LOOK_BACK_MINUTES * 60_000);
  const candidates = (await deps.tickets.findWithoutClientSince(since, PER_RUN)).filter(
    // Only tickets that say who the client may be: a name given, or a requester whose email can tell.
    (t) => t.client.trim() !== '' || !!t.requester.email || !!deps.directory.personOf(t.requester)?.person.email,
  );
  return eachTicket(deps, report.job, candidates, async (t) => {
    const found = await recogniseClient(deps, {
      client: t.client || undefined,
      text: `${t.title}\n${t.description}`,
      requester: t.requester,
      // The name on the ticket is what the requester said unless they are an agent: it never picks another client.
      trusted: deps.directory.isAgent(t.requester),
    });
    // Still unavailable, or not in the directory: left for a later run.
    if (!found.clientId || !found.record) return false;
    const r = op.setClient(t, clientChoice(deps.policy, found, t.client), opContext(deps, systemActor));
    await deps.tickets.save(r, t.version);
    return true;
  });
}
