import { Action, View } from '../../../src/cards/actions';
import { parentOf, partsOf } from '../../../src/domain/ticket/ticket';
import { pressOnCard, sentTo, settle, submitModalFrom } from '../../fixtures/slack/cards';
import { latestCard, people, raiseByDm, type SlackKit, slackPolicy, startSlackKit } from '../../fixtures/slack/kit';
import {
  buttonClick,
  chosen,
  directMessage,
  slashCommand,
  TRIAGE,
  text,
  viewSubmission,
} from '../../fixtures/slack/payloads';
import { eventually } from '../../helpers/harness';

const MANAGERS = 'C0MANAGERS';
const carl = { id: 'U0REQCARL', name: 'Carl Cole' };
const OUTAGE = 'The whole platform is down, nobody in our company can log in since 8am';

describe('Slack: one outage, many reporters, run as one incident', () => {
  let kit: SlackKit;

  beforeEach(async () => {
    const policy = slackPolicy();
    const everyoneInSlack = Object.fromEntries(
      Object.entries(policy.people).map(([id, p]) => [id, { ...p, notify: 'slack' as const }]),
    );
    kit = await startSlackKit({
      now: new Date('2026-03-02T09:00:00Z'),
      policy: { ...policy, people: everyoneInSlack },
    });
  });
  afterEach(async () => {
    kit.assertLimits();
    await kit.stop();
  });

  const ticket = async (n: string) => (await kit.helpline.app.tickets.get(n))!;
  const cardOf = (n: string) => latestCard(kit, TRIAGE, n);
  /** Messages posted to a person's DM whose own text says `text` (a card refreshed in place is not a message). */
  const postedTo = (userId: string, text: string) =>
    sentTo(kit, userId, text).filter((c) => c.method === 'chat.postMessage' && String(c.body.text).includes(text));

  it('an agent links the reporters to one incident; a breach pages once; the fix reaches every reporter once', async () => {
    const parent = (await raiseByDm(kit, people.rita, OUTAGE)).number;
    const a = (await raiseByDm(kit, people.stranger, OUTAGE)).number;
    const b = (await raiseByDm(kit, carl, `${OUTAGE}, please help`)).number;
    await kit.drain();
    await eventually(() => latestCard(kit, TRIAGE, b), 5000, 'triage cards');

    // Lee links both by command in his DM with Helpline.
    await kit.event(directMessage(people.lee, `${a} part of ${parent}`));
    await kit.event(directMessage(people.lee, `link ${b} part of incident ${parent}`));
    await eventually(async () => parentOf(await ticket(b)) === parent, 5000, 'linked');
    expect(parentOf(await ticket(a))).toBe(parent);
    expect(partsOf(await ticket(parent)).map((l) => l.ticket)).toEqual([a, b]);
    const history = await kit.helpline.app.events.listFor(parent);
    expect(history.find((e) => e.type === 'incident_part_added')).toMatchObject({ actor: { name: 'Lee Lewis' } });
    await settle(kit);
    // Each reporter is told once that theirs is part of the incident; the incident's card shows its parts.
    for (const who of [people.stranger, carl]) expect(postedTo(who.id, `part of incident ${parent}`)).toHaveLength(1);
    expect(JSON.stringify(cardOf(parent)?.body.blocks)).toContain('2 linked');
    expect(JSON.stringify(cardOf(a)?.body.blocks)).toContain('Part of incident');

    // The queue lists the incident once, with its count; its children are not listed.
    const before = kit.slack.callsTo('chat.postEphemeral').length;
    expect((await kit.command(slashCommand(people.lee, 'queue', TRIAGE))).status).toBe(200);
    const queue = await eventually(() => kit.slack.callsTo('chat.postEphemeral')[before], 5000, 'the queue');
    const shown = JSON.stringify(queue.body.blocks);
    expect(shown).toContain(`*${parent}*`);
    expect(shown).toContain('Incident, 2 linked');
    expect(shown).not.toContain(`*${a}*`);
    expect(shown).not.toContain(`*${b}*`);

    // Lee takes the incident (its at-risk warnings now reach him, not the triage channel).
    await pressOnCard(kit, people.lee, TRIAGE, parent, Action.AssignToMe);
    await eventually(async () => (await ticket(parent)).assignee?.userId === people.lee.id, 5000, 'assigned');
    await settle(kit);

    // Hours later it is still not fixed: the incident breaches and pages; its children do not.
    kit.helpline.clock.set(new Date('2026-03-02T13:30:00Z'));
    await kit.helpline.scheduler.runNow(['sla-sweep']);
    await kit.drain();
    const breaches = kit.slack
      .callsTo('chat.postMessage')
      .filter((c) => c.body.channel === MANAGERS && JSON.stringify(c.body).includes('SLA BREACH'));
    const about = (n: string) => breaches.filter((c) => JSON.stringify(c.body).includes(`${n} (`));
    expect(about(parent).length).toBeGreaterThan(0);
    expect(about(a)).toHaveLength(0);
    expect(about(b)).toHaveLength(0);
    expect((await ticket(a)).alerting.breachedAt).toBeNull();

    // Support's update on the incident reaches every reporter once.
    await submitModalFrom(kit, people.lee, TRIAGE, parent, Action.MessageRequester, View.MessageRequester, {
      message: 'We found the cause and are rolling back',
    });
    await eventually(async () => (await ticket(parent)).conversation.length === 1, 5000, 'message recorded');
    await settle(kit);
    for (const who of [people.rita, people.stranger, carl])
      await eventually(() => postedTo(who.id, 'rolling back')[0], 5000, `update to ${who.name}`);

    // The fix: the incident is resolved, and so is each child; every reporter is asked once.
    await submitModalFrom(kit, people.lee, TRIAGE, parent, Action.Resolve, View.Resolve, { note: 'Rolled back' });
    await eventually(async () => (await ticket(b)).status === 'on_customer_test', 5000, 'children resolved');
    expect((await ticket(a)).status).toBe('on_customer_test');
    await settle(kit);
    await settle(kit); // a second drain sends nothing again
    for (const who of [people.rita, people.stranger, carl]) {
      await eventually(() => postedTo(who.id, 'Rolled back')[0], 5000, `fix to ${who.name}`);
      expect(postedTo(who.id, 'rolling back')).toHaveLength(1);
      expect(postedTo(who.id, 'Rolled back')).toHaveLength(1);
    }
    // Each child's requester is asked on their own ticket.
    expect(JSON.stringify(postedTo(carl.id, 'Rolled back')[0]?.body)).toContain(b);
  });

  it('a reporter of an outage already being worked is offered "Add me to SR-n": raised part of it, pages nobody', async () => {
    const parent = (await raiseByDm(kit, people.rita, OUTAGE)).number;
    await kit.drain();
    const msg = directMessage(carl, 'Helpline is down for us too, nobody can log in');
    await kit.event(msg);
    const reply = await kit.waitFor('chat.postMessage', (c) => c.body.thread_ts === msg.ts, 'understood reply');
    const offer = JSON.stringify(reply.body.blocks);
    expect(offer).toContain(`the outage we are working on (*${parent}*)`);
    expect(offer).toContain(Action.JoinIncident);
    const pagesBefore = kit.slack.calls.filter((c) => JSON.stringify(c.body).includes('Immediate escalation')).length;
    await kit.interact(
      buttonClick(
        carl,
        { action_id: Action.JoinIncident, value: msg.ts },
        { channel: msg.channel, ts: String(reply.response?.ts) },
      ),
    );
    const conf = await kit.waitFor(
      'chat.postMessage',
      (c) => c.body.thread_ts === msg.ts && /SR-\d+ raised and added/.test(String(c.body.text)),
      'confirmation',
    );
    const child = /SR-\d+/.exec(String(conf.body.text))?.[0] ?? '';
    expect(String(conf.body.text)).toContain(`added to incident ${parent}`);
    expect(parentOf(await ticket(child))).toBe(parent);
    expect(partsOf(await ticket(parent)).map((l) => l.ticket)).toEqual([child]);
    expect((await ticket(child)).nextCheckAt).toBeNull();
    await settle(kit);
    // The child paged nobody (the incident did, once, when it was raised).
    const pages = kit.slack.calls.filter((c) => JSON.stringify(c.body).includes('Immediate escalation'));
    expect(pages.filter((c) => JSON.stringify(c.body).includes(child))).toHaveLength(0);
    expect(pages.length).toBe(pagesBefore);
    // The incident's update reaches the new reporter.
    await submitModalFrom(kit, people.lee, TRIAGE, parent, Action.MessageRequester, View.MessageRequester, {
      message: 'Rolling back the release now',
    });
    await settle(kit);
    await eventually(() => postedTo(carl.id, 'Rolling back the release')[0], 5000, 'update to Carl');

    // A second click on the same reply raises nothing more.
    await kit.interact(
      buttonClick(
        carl,
        { action_id: Action.JoinIncident, value: msg.ts },
        { channel: msg.channel, ts: String(reply.response?.ts) },
      ),
    );
    await settle(kit);
    expect(partsOf(await ticket(parent))).toHaveLength(1);
  });

  it('a request unlike any open incident is not offered one', async () => {
    await raiseByDm(kit, people.rita, OUTAGE);
    await kit.drain();
    const msg = directMessage(carl, 'Could you change the logo on our invoice template please');
    await kit.event(msg);
    const reply = await kit.waitFor('chat.postMessage', (c) => c.body.thread_ts === msg.ts, 'understood reply');
    expect(JSON.stringify(reply.body.blocks)).not.toContain(Action.JoinIncident);
  });

  it('an unlinked child gets its own clocks back: the sweep looks after it again', async () => {
    const parent = (await raiseByDm(kit, people.rita, OUTAGE)).number;
    const a = (await raiseByDm(kit, people.stranger, 'Our invoices do not export to the ERP')).number;
    await kit.drain();
    expect((await kit.command(slashCommand(people.lee, `link ${a} part of ${parent}`, TRIAGE))).status).toBe(200);
    await eventually(async () => parentOf(await ticket(a)) === parent, 5000, 'linked');
    expect((await ticket(a)).nextCheckAt).toBeNull();
    kit.helpline.clock.set(new Date('2026-03-02T09:10:00Z'));
    await kit.event(directMessage(people.lee, `unlink ${a}`));
    await eventually(async () => parentOf(await ticket(a)) === null, 5000, 'unlinked');
    expect(partsOf(await ticket(parent))).toEqual([]);
    expect((await ticket(a)).sla.response.state).toBe('running');
    expect((await ticket(a)).nextCheckAt).not.toBeNull();
  });

  it('from the card: the Link form makes it part of an incident, or related; its own child as its incident is refused', async () => {
    const parent = (await raiseByDm(kit, people.rita, OUTAGE)).number;
    const a = (await raiseByDm(kit, people.stranger, OUTAGE)).number;
    const c = (await raiseByDm(kit, carl, 'Our invoices do not export to the ERP')).number;
    await kit.drain();
    await eventually(() => latestCard(kit, TRIAGE, c), 5000, 'triage cards');
    const linkFrom = async (number: string, kind: string, to: string) => {
      const before = kit.slack.callsTo('views.open').length;
      await pressOnCard(kit, people.lee, TRIAGE, number, Action.Link);
      const open = await eventually(
        () =>
          kit.slack
            .callsTo('views.open')
            .slice(before)
            .find((x) => (x.body.view as { callback_id?: string }).callback_id === View.Link),
        5000,
        'link form',
      );
      const { private_metadata } = open.body.view as { private_metadata: string };
      return kit.interact(
        viewSubmission(
          people.lee,
          { callback_id: View.Link, private_metadata },
          { kind: { value: chosen(kind) }, to: { value: text(to) } },
        ),
      );
    };
    expect((await linkFrom(a, 'part_of', parent)).status).toBe(200);
    await eventually(async () => parentOf(await ticket(a)) === parent, 5000, 'part of');
    expect((await linkFrom(c, 'related_to', parent)).status).toBe(200);
    await eventually(
      async () => (await ticket(parent)).links?.some((l) => l.kind === 'related_to' && l.ticket === c),
      5000,
      'related',
    );
    expect((await ticket(c)).links).toEqual([{ kind: 'related_to', ticket: parent }]);
    // A ticket cannot be part of its own child: the form says why and nothing changes.
    const refused = await linkFrom(parent, 'part_of', a);
    expect(refused.text).toMatch(/is part of|itself part of/);
    expect(parentOf(await ticket(parent))).toBeNull();
  });

  it('the triage card of a new report of an open outage suggests "part of SR-n?"; one click links it', async () => {
    const parent = (await raiseByDm(kit, people.rita, OUTAGE)).number;
    const a = (await raiseByDm(kit, carl, 'Nobody can log in, the site is down')).number;
    await kit.drain();
    const card = await eventually(() => latestCard(kit, TRIAGE, a), 5000, 'triage card');
    expect(JSON.stringify(card.body.blocks)).toContain(`Looks like incident *${parent}*`);
    expect(JSON.stringify(latestCard(kit, TRIAGE, parent)?.body.blocks)).not.toContain('Looks like incident');
    await pressOnCard(kit, people.lee, TRIAGE, a, `${Action.Link}:suggested`);
    await eventually(async () => parentOf(await ticket(a)) === parent, 5000, 'linked');
    await settle(kit);
    expect(JSON.stringify(latestCard(kit, TRIAGE, a)?.body.blocks)).not.toContain('Looks like incident');
    // A requester cannot press it for themselves.
    const b = (await raiseByDm(kit, people.stranger, 'Platform down for everyone here')).number;
    await kit.drain();
    await eventually(() => latestCard(kit, TRIAGE, b), 5000, 'triage card');
    await pressOnCard(kit, people.stranger, TRIAGE, b, `${Action.Link}:suggested`);
    await new Promise((r) => setTimeout(r, 200));
    expect(parentOf(await ticket(b))).toBeNull();
  });
});
