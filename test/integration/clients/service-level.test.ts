import { createBusinessCalendar } from '../../../src/domain/sla/business-calendar';
import { allText, latestCard, people, raiseByDm, type SlackKit, startSlackKit } from '../../fixtures/slack/kit';
import { directMessage, TRIAGE } from '../../fixtures/slack/payloads';
import { gus, policyWithClientRequesters, wile } from './fixtures';

// Mon 7 Dec 2026 16:50 in London (GMT): 25 minutes before the policy's 17:15 closing, 2 h 10 before UK extended hours'.
const MONDAY_1650 = new Date('2026-12-07T16:50:00Z');

describe("A client's SLA tier and calendar drive the clocks (YAML directory, Slack)", () => {
  let kit: SlackKit;
  beforeAll(async () => {
    kit = await startSlackKit({ policy: policyWithClientRequesters(), now: MONDAY_1650 });
  });
  afterAll(() => kit.stop());
  afterEach(() => {
    kit.assertLimits();
    kit.slack.reset();
  });

  it('guided intake does not ask "which client?" of a requester the directory places at a client', async () => {
    const inThread = (ts: string, what: string) =>
      kit.waitFor('chat.postMessage', (c) => c.body.thread_ts === ts, what);
    const msg = directMessage(wile, 'the export to sage failed last night');
    await kit.event(msg);
    const first = await inThread(msg.ts, 'the first question');
    expect(String(first.body.text)).toMatch(/^What is the business impact/);
    expect(JSON.stringify(first.body.blocks)).toContain('ACME Manufacturing'); // understood, not asked

    kit.slack.reset();
    await kit.event(directMessage(wile, 'all of AP', { thread_ts: msg.ts, channel: msg.channel }));
    // Rita is asked "Which client or company is this for?" here (slack/guided-intake.test.ts); Wile is not.
    const second = await inThread(msg.ts, 'the second question');
    expect(String(second.body.text)).toMatch(/error message, a screenshot/);
    expect(JSON.stringify(second.body)).not.toMatch(/Which client/);
  });

  it('raised by a Northwind requester: Premium targets on UK extended hours, stored on the ticket and said on the cards', async () => {
    const { number, threadTs } = await raiseByDm(kit, gus, 'The invoice export failed again this morning, error 500');
    const t = await kit.helpline.app.tickets.get(number);
    expect(t).toMatchObject({
      clientId: 'northwind',
      severity: 3,
      service: {
        tier: { id: 'premium', name: 'Premium' },
        calendar: { id: 'uk-extended', spec: { timeZone: 'Europe/London' } },
      },
    });
    if (!t) throw new Error(`${number} was not stored`);
    // Premium's 20 minutes for Severity 3, in UK extended hours: due 17:10 the same day. (The policy's standard
    // 30 minutes on its 08:45-17:15 calendar would be due at 08:50 on Tuesday.)
    expect(t.sla.response.targetMinutes).toBe(20);
    // (The test clock runs on from 16:50 by the few seconds the test takes.)
    expect(t.sla.response.dueAt?.getTime()).toBe(t.createdAt.getTime() + 20 * 60_000);
    expect(t.sla.response.dueAt?.getTime()).toBeLessThan(new Date('2026-12-07T17:11:00Z').getTime());
    // Premium leaves Severity 3's resolution to the standard 50 hours, counted on the 12-hour days.
    const extended = createBusinessCalendar(kit.helpline.app.policy.calendars['uk-extended'] as never);
    expect(t.sla.resolution.dueAt).toEqual(extended.addBusinessMinutes(t.createdAt, 3000));
    expect(t.sla.resolution.dueAt?.toISOString().slice(0, 10)).toBe('2026-12-11'); // 2 h 10 Mon, 4 x 12 h to Fri

    const confirmation = kit.slack
      .callsTo('chat.postMessage')
      .find((c) => c.body.thread_ts === threadTs && String(c.body.text).includes(`${number} raised`));
    expect(String(confirmation?.body.text)).toMatch(
      /Premium tier\. Expect a first response by Mon 17:10 \(UK extended hours, Europe\/London\)/,
    );

    await kit.drain();
    const card = latestCard(kit, TRIAGE, number);
    if (!card) throw new Error(`no triage card for ${number}`);
    const text = allText(card).join('\n');
    expect(text).toContain('SLA: Premium tier · UK extended hours (Europe/London, Mon–Fri 07:00–19:00)');
    expect(text).toContain('Premium tier, Severity 3, business hours');
  });

  it('a requester with no client keeps the standard SLA and no SLA line, until Level 1 sets the client', async () => {
    const { number } = await raiseByDm(kit, people.rita, 'The invoice export failed again this morning, error 500');
    const t = await kit.helpline.app.tickets.get(number);
    expect(t?.service ?? null).toBeNull();
    expect(t?.sla.response.targetMinutes).toBe(30);
    await kit.drain();
    const card = latestCard(kit, TRIAGE, number);
    if (!card) throw new Error(`no triage card for ${number}`);
    expect(allText(card).join('\n')).not.toContain('SLA: ');

    // A requester cannot set the client; Level 1 can (`client SR-n Northwind`): the clocks move onto its service.
    await kit.event(directMessage(people.rita, `client ${number} Northwind`));
    await kit.waitFor('chat.postMessage', (c) => /for support agents/.test(String(c.body.text)), 'the refusal');
    expect((await kit.helpline.app.tickets.get(number))?.clientId ?? null).toBeNull();
    kit.slack.reset();
    await kit.event(directMessage(people.lee, `client ${number} Northwind`));
    const shown = await kit.waitFor(
      'chat.postMessage',
      (c) => String(c.body.text).startsWith(`Client of ${number}`),
      'the client record reply',
    );
    expect(JSON.stringify(shown.body.blocks)).toContain('Business Central');
    const after = await kit.helpline.app.tickets.get(number);
    expect(after).toMatchObject({
      clientId: 'northwind',
      client: 'Northwind Traders',
      service: { tier: { id: 'premium' }, calendar: { id: 'uk-extended' } },
    });
    expect(after?.sla.response.targetMinutes).toBe(20);
    const events = await kit.helpline.app.events.listFor(number);
    expect(events.at(-1)).toMatchObject({ type: 'client', actor: { userId: people.lee.id }, to: 'Northwind Traders' });
    await kit.drain();
    const refreshed = latestCard(kit, TRIAGE, number);
    if (!refreshed) throw new Error(`no refreshed triage card for ${number}`);
    expect(allText(refreshed).join('\n')).toContain('SLA: Premium tier · UK extended hours');
  });
});
