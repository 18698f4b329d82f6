import { Action } from '../../../src/cards/actions';
import type { Policy } from '../../../src/config/policy.schema';
import { people, raiseByDm, type SlackKit, slackPolicy, startSlackKit } from '../../fixtures/slack/kit';
import { buttonClick, directMessage } from '../../fixtures/slack/payloads';
import { cardAction, personalMessage } from '../../fixtures/teams/activities';
import { startTeamsKit, type TeamsKit, people as teamsPeople, teamsPolicy } from '../../fixtures/teams/kit';
import { eventually } from '../../helpers/harness';

/** A policy whose limits a test reaches: 2 raises an hour, 3 card actions a minute. */
const lowered = (p: Policy): Policy => ({
  ...p,
  limits: { ...p.limits, raisesPerPerson: { count: 2, per: 60 }, actionsPerPerson: { count: 3, per: 1 } },
});

describe('Rate limits in Slack (signed HTTP)', () => {
  let kit: SlackKit;
  beforeAll(async () => {
    kit = await startSlackKit({ policy: lowered(slackPolicy()) });
  });
  afterAll(async () => {
    await kit?.stop();
  });

  const told = (user: string, pattern: RegExp) =>
    kit.waitFor(
      'chat.postEphemeral',
      (c) => c.body.user === user && pattern.test(String(c.body.text)),
      `told ${pattern}`,
    );
  const raisedBy = async (userId: string) =>
    (await kit.helpline.app.tickets.listByRequester({ platform: 'slack', userId }, { openOnly: false, limit: 50 }))
      .length;

  it('refuses the raise over the limit with how long to wait, keeps the draft, and raises it after the window', async () => {
    const rita = people.rita;
    const first = await raiseByDm(kit, rita, 'The invoice export fails with Error 500 since this morning');
    // "Raise ticket" pressed again on the same draft (the same operation key): answered, never counted again.
    const again = buttonClick(
      rita,
      { action_id: Action.RaiseNow, value: first.threadTs },
      { channel: first.channel, ts: '1.1' },
    );
    await kit.interact(again);
    await kit.interact(again);
    await raiseByDm(kit, rita, 'The payroll report is missing totals for March');
    expect(await raisedBy(rita.id)).toBe(2);

    const msg = directMessage(rita, 'The stock report shows negative numbers for the north warehouse');
    await kit.event(msg);
    const reply = await kit.waitFor('chat.postMessage', (c) => c.body.thread_ts === msg.ts, 'understood reply');
    const raise = buttonClick(
      rita,
      { action_id: Action.RaiseNow, value: msg.ts },
      { channel: msg.channel, ts: String(reply.response?.ts) },
    );
    expect((await kit.interact(raise)).status).toBe(200);
    const refused = await told(rita.id, /You have raised 2 tickets in the last hour/);
    expect(String(refused.body.text)).toMatch(
      /Please wait 60 minutes and raise this one again: what you wrote is kept/,
    );
    expect(String(refused.body.text)).toMatch(/#support-triage/);
    expect(await raisedBy(rita.id)).toBe(2);
    // The understood reply keeps its buttons (it was not raised).
    expect(kit.slack.callsTo('chat.update').some((c) => c.body.ts === reply.response?.ts)).toBe(false);

    kit.helpline.clock.set(new Date(kit.helpline.clock.now().getTime() + 61 * 60_000));
    await kit.interact(raise);
    const confirmation = await kit.waitFor(
      'chat.postMessage',
      (c) => c.body.thread_ts === msg.ts && /SR-\d+ raised/.test(String(c.body.text)),
      'raised after the window',
    );
    const number = /SR-\d+/.exec(String(confirmation.body.text))?.[0] ?? '';
    expect((await kit.helpline.app.tickets.get(number))?.description).toContain('negative numbers');
    expect(await raisedBy(rita.id)).toBe(3);
  });

  it('refuses a card action over the limit; a redelivered click is not counted twice', async () => {
    const { number } = await raiseByDm(kit, people.stranger, 'The customer portal shows a blank page for some users');
    const click = (n: number) => {
      const c = buttonClick(
        people.lee,
        { action_id: Action.AssignToMe, value: number },
        { channel: 'C0TRIAGE', ts: '1.1' },
      );
      return { ...c, actions: [{ ...c.actions[0], action_ts: `1772445600.00${n}` }] };
    };
    await kit.interact(click(1));
    await eventually(async () => (await kit.helpline.app.tickets.get(number))?.assignee?.userId === people.lee.id);
    await kit.interact(click(1)); // the same click again: one operation
    await kit.interact(click(2));
    await kit.interact(click(3));
    await kit.interact(click(4));
    const refused = await told(people.lee.id, /You have made 3 changes to tickets in the last minute/);
    expect(String(refused.body.text)).toMatch(/Please wait \d+ seconds and try again; nothing was changed/);
    expect(
      kit.slack.callsTo('chat.postEphemeral').filter((c) => /You have made/.test(String(c.body.text))),
    ).toHaveLength(1);
  });

  // Slack caps a message at 40,000 characters (longer ones are cut by Slack), so the longest DM is used here.
  it('clips a 39 KB description to what a ticket holds and says so, and still raises it', async () => {
    const long = `The nightly sync fails for every client. ${'All rows repeat the same error line. '.repeat(1050)}`;
    expect(long.length).toBeGreaterThan(38_000);
    expect(long.length).toBeLessThan(40_000);
    const { number, threadTs } = await raiseByDm(kit, people.priya, long);
    const t = await kit.helpline.app.tickets.get(number);
    expect(t?.description.length).toBeLessThanOrEqual(20_000);
    expect(t?.description.length).toBeGreaterThan(19_900);
    const conf = kit.slack
      .callsTo('chat.postMessage')
      .find((c) => c.body.thread_ts === threadTs && /SR-\d+ raised/.test(String(c.body.text)));
    expect(String(conf?.body.text)).toMatch(
      /Your message was long \(38,\d{3} characters\): I kept the first 19,999 in the ticket/,
    );
  });

  it('forgets ended windows in housekeeping', async () => {
    const counters = kit.helpline.app.models.Ticket.db.collection('rate_counters');
    expect(await counters.countDocuments()).toBeGreaterThan(0);
    kit.helpline.clock.set(new Date(kit.helpline.clock.now().getTime() + 2 * 3600_000));
    await kit.helpline.scheduler.runNow(['housekeeping']);
    expect(await counters.countDocuments()).toBe(0);
  });
});

describe('Rate limits in Teams (activities into /api/messages)', () => {
  let kit: TeamsKit;
  beforeAll(async () => {
    kit = await startTeamsKit({ policy: lowered(teamsPolicy()) });
  });
  afterAll(async () => {
    await kit?.stop();
  });

  const form = (id: string, title: string, description = 'Nobody can log in since 9am') =>
    cardAction(kit.connector.url, teamsPeople.rita, Action.SubmitForm, {
      form: id,
      title,
      description,
      severity: '3',
      category: 'none',
    });
  const mine = async () =>
    (
      await kit.helpline.app.tickets.listByRequester(
        { platform: 'teams', userId: teamsPeople.rita.id },
        { openOnly: false, limit: 50 },
      )
    ).length;

  it('refuses the third raise in the hour with an invoke message; the same form raises after the window', async () => {
    const one = form('11111111-1111-4111-8111-111111111111', 'Portal login fails');
    expect((await kit.send(one)).status).toBe(200);
    await kit.send(one); // Teams redelivers the invoke: answered, not counted
    expect((await kit.send(form('22222222-2222-4222-8222-222222222222', 'Invoice export fails'))).status).toBe(200);
    expect(await mine()).toBe(2);

    const third = form('33333333-3333-4333-8333-333333333333', 'Stock report wrong');
    const res = await kit.send(third);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    expect(String((res.body as { value: string }).value)).toMatch(
      /You have raised 2 tickets in the last hour.*Please wait 60 minutes.*what you wrote is kept.*the support-triage channel/,
    );
    expect(await mine()).toBe(2);

    kit.helpline.clock.set(new Date(kit.helpline.clock.now().getTime() + 61 * 60_000));
    const later = await kit.send(third);
    expect(JSON.stringify(later.body)).toMatch(/SR-\d+ raised/);
    expect(await mine()).toBe(3);
  });

  it('a 50 KB message is pre-filled clipped with a note, and a 50 KB form description is raised clipped with a note', async () => {
    const long = `The nightly sync fails. ${'Every row repeats the same error line here. '.repeat(1200)}`;
    expect(long.length).toBeGreaterThan(50_000);
    kit.connector.reset();
    expect((await kit.send(personalMessage(kit.connector.url, teamsPeople.otto, long))).status).toBe(200);
    expect(JSON.stringify(kit.connector.cards().at(-1))).toMatch(
      /Your message was long \(5\d,\d{3} characters\): I kept the first 4,999 above/,
    );

    const res = await kit.send(
      cardAction(kit.connector.url, teamsPeople.otto, Action.SubmitForm, {
        form: '44444444-4444-4444-8444-444444444444',
        title: 'Nightly sync fails',
        description: long,
        severity: '3',
        category: 'none',
      }),
    );
    expect(res.status).toBe(200);
    const said = JSON.stringify(res.body);
    expect(said).toMatch(/SR-\d+ raised/);
    expect(said).toMatch(/Your message was long \(5\d,\d{3} characters\): I kept the first 19,999 in the ticket/);
    const [t] = await kit.helpline.app.tickets.listByRequester(
      { platform: 'teams', userId: teamsPeople.otto.id },
      { openOnly: false, limit: 1 },
    );
    expect(t?.description.length).toBeLessThanOrEqual(20_000);
    expect(t?.description.length).toBeGreaterThan(19_900);
  });
});
