import { raiseTicket } from '../../../src/app/raise-ticket';
import { resolve } from '../../../src/app/ticket-actions';
import { Action } from '../../../src/cards/actions';
import { findElement, people, type SlackKit, useSlackKit } from '../../fixtures/slack/kit';

/** On Customer Test is no dead end: the requester is reminded, and an unanswered ticket closes like Pending Closure. */
describe('On Customer Test: reminder and auto-close', () => {
  let kit: SlackKit;
  useSlackKit(
    (k) => {
      kit = k;
    },
    { now: new Date('2026-03-02T09:00:00Z') },
  );
  const rita = { platform: 'slack' as const, userId: people.rita.id, name: people.rita.name };
  const lee = { platform: 'slack' as const, userId: people.lee.id, name: people.lee.name };
  const run = async (iso: string) => {
    kit.helpline.clock.set(new Date(iso));
    const [report] = await kit.helpline.scheduler.runNow(['customer-test']);
    await kit.drain();
    return report;
  };
  const remindersTo = (number: string) =>
    kit.slack
      .callsTo('chat.postMessage')
      .filter((c) => c.body.channel === people.rita.id && JSON.stringify(c.body).includes(`Reminder: is ${number}`));

  it('reminds once with the Yes / No card after the policy time, then closes after its days', async () => {
    const raised = await raiseTicket(kit.helpline.app, {
      requester: rita,
      text: 'The invoice PDF shows the wrong logo',
    });
    const number = raised.ticket!.number;
    await resolve(kit.helpline.app, { number, actor: lee }, 'Logo replaced');
    await kit.drain();

    await run('2026-03-02T15:00:00Z'); // 6 business hours: too early
    expect(remindersTo(number)).toHaveLength(0);
    await run('2026-03-04T09:00:00Z'); // past 16 business hours
    const [reminder] = remindersTo(number);
    expect(reminder).toBeDefined();
    expect(findElement(reminder!, Action.FixedYes)).toBeDefined();
    expect(findElement(reminder!, Action.FixedNo)).toBeDefined();
    await run('2026-03-04T10:00:00Z');
    expect(remindersTo(number)).toHaveLength(1); // once per wait

    await run('2026-03-09T10:00:00Z'); // 7 days after it was resolved
    const t = (await kit.helpline.app.tickets.get(number))!;
    expect(t.status).toBe('closed');
    const told = kit.slack
      .callsTo('chat.postMessage')
      .find((c) => c.body.channel === people.rita.id && JSON.stringify(c.body).includes('is now closed'));
    expect(told).toBeDefined();
    // The close asks for a rating, once, with the rating buttons.
    await run('2026-03-09T10:15:00Z');
    const prompts = kit.slack
      .callsTo('chat.postMessage')
      .filter(
        (c) => c.body.channel === people.rita.id && JSON.stringify(c.body).includes(`How did we do on ${number}`),
      );
    expect(prompts).toHaveLength(1);
    expect(findElement(prompts[0]!, `${Action.Csat}:5`)).toBeDefined();
  });
});
