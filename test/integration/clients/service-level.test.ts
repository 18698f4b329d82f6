import type { Policy } from '../../../src/config/policy.schema';
import { createBusinessCalendar } from '../../../src/domain/sla/business-calendar';
import {
  allText,
  latestCard,
  people,
  raiseByDm,
  type SlackKit,
  slackPolicy,
  startSlackKit,
} from '../../fixtures/slack/kit';
import { directMessage, TRIAGE } from '../../fixtures/slack/payloads';

/** A requester whose policy email is at ACME's domain (ACME: Gold tier, US Central calendar in the default policy). */
const wile = { id: 'U0ACMEUSER', name: 'Wile Coyote' };

function policyWithAcmeRequester(): Policy {
  const p = slackPolicy();
  return {
    ...p,
    people: {
      ...p.people,
      'wile.coyote': { name: wile.name, email: 'wile@acme.example', accounts: { slack: wile.id } },
    },
  };
}

// Mon 7 Dec 2026 16:50 in London (GMT) = 10:50 in Chicago: 25 minutes before London closes, 7 h 10 before Chicago does.
const MONDAY_1650 = new Date('2026-12-07T16:50:00Z');

describe("A client's SLA tier and calendar drive the clocks (YAML directory, Slack)", () => {
  let kit: SlackKit;
  beforeAll(async () => {
    kit = await startSlackKit({ policy: policyWithAcmeRequester(), now: MONDAY_1650 });
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

  it('raised by an ACME requester: Gold targets on the US Central calendar, stored on the ticket and said on the cards', async () => {
    const { number, threadTs } = await raiseByDm(kit, wile, 'The invoice export failed again this morning, error 500');
    const t = await kit.helpline.app.tickets.get(number);
    expect(t).toMatchObject({
      clientId: 'acme',
      severity: 3,
      service: {
        tier: { id: 'gold', name: 'Gold' },
        calendar: { id: 'us-central', spec: { timeZone: 'America/Chicago' } },
      },
    });
    // Gold's 20 minutes for Severity 3, counted in Chicago's hours: due 11:10 Chicago the same day. (The policy's
    // standard 30 minutes on the London calendar would be due at 08:50 on Tuesday.)
    if (!t) throw new Error(`${number} was not stored`);
    expect(t.sla.response.targetMinutes).toBe(20);
    // (The test clock runs on from 16:50 by the few seconds the test takes.)
    const raisedAt = t.createdAt.getTime();
    expect(t.sla.response.dueAt?.getTime()).toBe(raisedAt + 20 * 60_000);
    expect(t.sla.response.dueAt?.getTime()).toBeLessThan(new Date('2026-12-07T17:11:00Z').getTime());
    // Gold leaves Severity 3's resolution to the standard 50 hours, on the client's calendar.
    const chicago = createBusinessCalendar(kit.helpline.app.policy.calendars['us-central'] as never);
    expect(t.sla.resolution.dueAt).toEqual(chicago.addBusinessMinutes(t.createdAt, 3000));
    expect(t.sla.resolution.dueAt?.toISOString().slice(0, 10)).toBe('2026-12-14'); // 7 h 10 Mon, 4 x 10 h, 2 h 50 Mon

    const confirmation = kit.slack
      .callsTo('chat.postMessage')
      .find((c) => c.body.thread_ts === threadTs && String(c.body.text).includes(`${number} raised`));
    expect(String(confirmation?.body.text)).toMatch(
      /Gold tier\. Expect a first response by Mon 11:10 \(US Central calendar, America\/Chicago\)/,
    );

    await kit.drain();
    const card = latestCard(kit, TRIAGE, number);
    if (!card) throw new Error(`no triage card for ${number}`);
    const text = allText(card).join('\n');
    expect(text).toContain('SLA: Gold tier · US Central calendar (America/Chicago, Mon–Fri 08:00–18:00)');
    expect(text).toContain('Gold tier, Severity 3, business hours');
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

    // A requester cannot set the client; Level 1 can (`client SR-n ACME`): the clocks move onto ACME's service.
    await kit.event(directMessage(people.rita, `client ${number} ACME`));
    await kit.waitFor('chat.postMessage', (c) => /for support agents/.test(String(c.body.text)), 'the refusal');
    expect((await kit.helpline.app.tickets.get(number))?.clientId ?? null).toBeNull();
    kit.slack.reset();
    await kit.event(directMessage(people.lee, `client ${number} ACME`));
    const shown = await kit.waitFor(
      'chat.postMessage',
      (c) => String(c.body.text).startsWith(`Client of ${number}`),
      'the client record reply',
    );
    expect(JSON.stringify(shown.body.blocks)).toContain('NetSuite OneWorld');
    const after = await kit.helpline.app.tickets.get(number);
    expect(after).toMatchObject({
      clientId: 'acme',
      client: 'ACME Manufacturing',
      service: { tier: { id: 'gold' }, calendar: { id: 'us-central' } },
    });
    expect(after?.sla.response.targetMinutes).toBe(20);
    const events = await kit.helpline.app.events.listFor(number);
    expect(events.at(-1)).toMatchObject({ type: 'client', actor: { userId: people.lee.id }, to: 'ACME Manufacturing' });
    await kit.drain();
    const refreshed = latestCard(kit, TRIAGE, number);
    if (!refreshed) throw new Error(`no refreshed triage card for ${number}`);
    expect(allText(refreshed).join('\n')).toContain('SLA: Gold tier · US Central calendar');
  });
});
