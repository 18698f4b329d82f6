import { raiseTicket } from '../../../src/app/raise-ticket';
import { addMessage, requestInfo } from '../../../src/app/ticket-actions';
import { Action } from '../../../src/cards/actions';
import type { SlackCall } from '../../fakes/slack-api';
import { pressOnCard } from '../../fixtures/slack/cards';
import { findElement, people, type SlackKit, useSlackKit } from '../../fixtures/slack/kit';
import { eventually } from '../../helpers/harness';

/**
 * Waiting for Customer is not a dead end either: the scheduler closes a ticket left unanswered for
 * sla.waitingCloseAfter of business time, tells the requester and asks for a rating once, whichever of several
 * replicas runs the job; the rating buttons work for csat.rateWithin after the close and then say it has closed.
 */
describe('Waiting for Customer: closed when unanswered, one rating prompt', () => {
  let kit: SlackKit;
  useSlackKit(
    (k) => {
      kit = k;
    },
    { now: new Date('2026-03-02T10:00:00Z') },
  );
  const rita = { platform: 'slack' as const, userId: people.rita.id, name: people.rita.name };
  const lee = { platform: 'slack' as const, userId: people.lee.id, name: people.lee.name };
  /** Run the job as `replicas` schedulers would at the same instant, then deliver what they queued. */
  const run = async (iso: string, replicas = 1) => {
    kit.helpline.clock.set(new Date(iso));
    const reports = await Promise.all(
      Array.from({ length: replicas }, () => kit.helpline.scheduler.runNow(['waiting-reminder'])),
    );
    await kit.drain();
    return reports.flat();
  };
  const toRita = (has: string): SlackCall[] =>
    kit.slack
      .callsTo('chat.postMessage')
      .filter((c) => c.body.channel === people.rita.id && JSON.stringify(c.body).includes(has));
  const waiting = async (text: string) => {
    const raised = await raiseTicket(kit.helpline.app, { requester: rita, text });
    const number = raised.ticket!.number;
    await requestInfo(kit.helpline.app, { number, actor: lee }, 'Which company file is it?');
    await kit.drain();
    return number;
  };
  const status = async (number: string) => (await kit.helpline.app.tickets.get(number))?.status;

  it('closes after five business days, once across replicas, telling the requester and asking for a rating once', async () => {
    kit.helpline.clock.set(new Date('2026-03-02T10:00:00Z'));
    const number = await waiting('The VAT report totals do not match the ledger');

    await run('2026-03-06T17:00:00Z'); // Friday: the reminder (16 business hours), not the close
    expect(await status(number)).toBe('waiting_for_customer');
    expect(toRita(`Reminder: we are waiting for your answer on ${number}`)).toHaveLength(1);
    // The test clock runs on from where it is set: the question was asked a moment after Mon 10:00.
    await run('2026-03-09T09:59:00Z'); // a minute short of 2550 business minutes (Mon 10:00 to Mon 10:00)
    expect(await status(number)).toBe('waiting_for_customer');

    // Three replicas run the job at the same instant: one closes, the others lose the version race.
    const reports = await run('2026-03-09T10:01:00Z', 3);
    expect(reports.map((r) => r.failed)).toEqual([0, 0, 0]);
    expect(reports.reduce((n, r) => n + r.processed, 0)).toBe(1);
    const t = (await kit.helpline.app.tickets.get(number))!;
    expect(t.status).toBe('closed');
    expect(t.closedAt!.getTime() - Date.parse('2026-03-09T10:01:00Z')).toBeLessThan(60_000);
    await run('2026-03-09T10:15:00Z'); // and later runs find nothing to do

    const closed = toRita(`${number} (The VAT report totals do not match the ledger) is now closed`);
    expect(closed).toHaveLength(1);
    const said = JSON.stringify(closed[0]!.body);
    expect(said).toContain('Which company file is it?');
    expect(said).toContain('If you still need help, just write to me here');
    const prompts = toRita(`How did we do on ${number}`);
    expect(prompts).toHaveLength(1);
    expect(findElement(prompts[0]!, `${Action.Csat}:4`)).toBeDefined();
    const events = await kit.helpline.app.events.listFor(number);
    expect(events.filter((e) => e.type === 'closed')).toHaveLength(1);

    // Within csat.rateWithin the requester rates from the prompt, and may change it.
    kit.helpline.clock.set(new Date('2026-03-12T10:00:00Z'));
    await pressOnCard(kit, people.rita, people.rita.id, number, `${Action.Csat}:2`);
    await eventually(async () => (await kit.helpline.app.tickets.get(number))?.csat?.score === 2, 5000, 'rated');
    await pressOnCard(kit, people.rita, people.rita.id, number, `${Action.Csat}:4`);
    await eventually(async () => (await kit.helpline.app.tickets.get(number))?.csat?.score === 4, 5000, 'changed');

    // Seven days after the close, the button answers that rating has closed, and nothing changes.
    kit.helpline.clock.set(new Date('2026-03-16T10:05:00Z'));
    await pressOnCard(kit, people.rita, people.rita.id, number, `${Action.Csat}:1`);
    await eventually(
      () =>
        kit.slack.calls.find(
          (c) =>
            (c.method === 'chat.postEphemeral' || c.method === 'chat.postMessage') &&
            String(c.body.text).includes(`Thank you for wanting to rate ${number}. Rating it closed on`),
        ),
      5000,
      'told rating has closed',
    );
    expect((await kit.helpline.app.tickets.get(number))?.csat?.score).toBe(4);
  });

  it('a requester who answered is not closed', async () => {
    kit.helpline.clock.set(new Date('2026-03-02T10:00:00Z'));
    const number = await waiting('Purchase orders will not print');
    await addMessage(kit.helpline.app, { number, actor: rita }, 'The UK company file');
    await run('2026-03-10T10:00:00Z');
    expect(await status(number)).toBe('customer_responded');
    expect(toRita(`How did we do on ${number}`)).toHaveLength(0);
  });
});
