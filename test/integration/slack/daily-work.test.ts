import { assignToMe } from '../../../src/app/ticket-actions';
import { Action, View } from '../../../src/cards/actions';
import type { SlackCall } from '../../fakes/slack-api';
import { pressOnCard, sentTo, settle } from '../../fixtures/slack/cards';
import {
  findElement,
  latestCard,
  people,
  raiseByDm,
  type SlackKit,
  slackPolicy,
  useSlackKit,
} from '../../fixtures/slack/kit';
import {
  chosen,
  directMessage,
  slashCommand,
  TEAM_TICKETING,
  TRIAGE,
  text,
  viewSubmission,
} from '../../fixtures/slack/payloads';
import { eventually } from '../../helpers/harness';

const amy = { id: 'U0ADMIN1', name: 'Amy Adams' };

/** Level 2 is Sam and Amy here, assigned in turn when a ticket reaches Team Ticketing. */
function policy() {
  const p = slackPolicy();
  return {
    ...p,
    teams: { ...p.teams, level2: { ...p.teams.level2!, members: ['amy.admin', 'sam.level2'] } },
    assignment: { ...p.assignment, rules: { ...p.assignment.rules, level2: 'round_robin' as const } },
  };
}

describe('Slack: assign to a person, assignment rules, away, close with a reason, plain status moves', () => {
  let kit: SlackKit;
  useSlackKit(
    (k) => {
      kit = k;
    },
    { policy: policy() },
  );
  const ticket = async (n: string) => (await kit.helpline.app.tickets.get(n))!;

  async function raised(words: string, who = people.rita) {
    const r = await raiseByDm(kit, who, words);
    await kit.drain();
    await eventually(() => latestCard(kit, TRIAGE, r.number), 5000, 'triage card');
    return r.number;
  }

  /** Open the Close form from a card and submit it with a reason. */
  async function closeFrom(channel: string, number: string, reason: string, duplicateOf?: string) {
    const before = kit.slack.callsTo('views.open').length;
    await pressOnCard(kit, people.lee, channel, number, Action.Close);
    const open: SlackCall = await eventually(
      () =>
        kit.slack
          .callsTo('views.open')
          .slice(before)
          .find((c) => (c.body.view as { callback_id?: string }).callback_id === View.Close),
      5000,
      'close form',
    );
    const { private_metadata } = open.body.view as { private_metadata: string };
    const res = await kit.interact(
      viewSubmission(
        people.lee,
        { callback_id: View.Close, private_metadata },
        {
          reason: { value: chosen(reason) },
          duplicateOf: { value: text(duplicateOf ?? null) },
          note: { value: text(null) },
        },
      ),
    );
    return res;
  }

  it('a manager assigns from the triage card; the new assignee gets the card by DM; a reassignment tells the old one', async () => {
    const number = await raised('Please reset my workflow password, I am locked out of approvals');
    expect((await ticket(number)).team).toBe('level1');
    // Level 1 may not assign someone else: only take or hand over their own.
    await pressOnCard(kit, people.lee, TRIAGE, number, Action.AssignTo, 'priya.level1');
    const refused = await kit.waitFor('chat.postEphemeral', (c) => c.body.user === people.lee.id);
    expect(String(refused.body.text)).toMatch(/Only a team lead or a manager/);
    expect((await ticket(number)).assignee).toBeNull();

    await pressOnCard(kit, people.mike, TRIAGE, number, Action.AssignTo, 'priya.level1');
    await eventually(async () => (await ticket(number)).assignee?.userId === people.priya.id, 5000, 'assigned');
    await settle(kit);
    const dm = await eventually(() => sentTo(kit, people.priya.id, 'Mike Fox assigned')[0], 5000, 'DM to Priya');
    expect(findElement(dm, Action.AssignTo)).toBeDefined();
    const card = latestCard(kit, TRIAGE, number)!;
    expect(JSON.stringify(card.body.blocks)).toContain('Mike Fox assigned it to Priya Patel');

    await pressOnCard(kit, people.mike, TRIAGE, number, Action.AssignTo, 'lee.level1');
    await eventually(async () => (await ticket(number)).assignee?.userId === people.lee.id, 5000, 'reassigned');
    await settle(kit);
    await eventually(() => sentTo(kit, people.priya.id, 'reassigned')[0], 5000, 'Priya told');
    // Lee hands his own over to nobody.
    await pressOnCard(kit, people.lee, TRIAGE, number, Action.AssignTo, 'nobody');
    await eventually(async () => (await ticket(number)).assignee === null, 5000, 'unassigned');
    const types = (await kit.helpline.app.events.listFor(number)).map((e) => e.type);
    expect(types.filter((t) => t === 'assigned')).toHaveLength(2);
    expect(types).toContain('unassigned');
  });

  it('round robin in Team Ticketing, across tickets escalated at once; someone away is skipped and the queue says so', async () => {
    const numbers = await Promise.all([
      raised('Custom report totals are wrong for Q3'),
      raised('File import failed with a mapping error'),
    ]);
    await Promise.all(numbers.map((n) => pressOnCard(kit, people.lee, TRIAGE, n, Action.EscalateTeamTicketing)));
    await eventually(
      async () => (await Promise.all(numbers.map(ticket))).every((t) => t.assignee !== null),
      5000,
      'assigned on arrival',
    );
    const assignees = (await Promise.all(numbers.map(ticket))).map((t) => t.assignee?.userId).sort();
    expect(assignees).toEqual([amy.id, people.sam.id].sort());
    const history = await kit.helpline.app.events.listFor(numbers[0]!);
    expect(history.find((e) => e.type === 'assigned')).toMatchObject({
      actor: { name: 'Helpline' },
      note: 'round robin',
    });

    // Sam is away: the next two go to Amy.
    await kit.event(directMessage(people.sam, 'away until 2026-03-09'));
    await eventually(
      async () => (await kit.helpline.app.assignments!.awayAt(kit.helpline.app.clock.now())).has('sam.level2'),
      5000,
      'Sam away',
    );
    const more = await Promise.all([
      raised('Upload of the supplier file failed'),
      raised('OCR field calculation wrong'),
    ]);
    for (const n of more) await pressOnCard(kit, people.lee, TRIAGE, n, Action.EscalateTeamTicketing);
    await eventually(
      async () => (await Promise.all(more.map(ticket))).every((t) => t.assignee?.userId === amy.id),
      5000,
      'both to Amy',
    );
    kit.slack.reset();
    await kit.command(slashCommand(people.mike, 'queue', TRIAGE));
    const queue = await kit.waitFor('chat.postEphemeral', (c) => c.body.user === people.mike.id, 'queue');
    expect(JSON.stringify(queue.body.blocks)).toContain('Away: Sam Singh until');
    // Only a manager marks someone else away.
    await kit.command(slashCommand(people.lee, 'away sam.level2 off', TRIAGE));
    const no = await kit.waitFor('chat.postEphemeral', (c) => c.body.user === people.lee.id, 'refusal');
    expect(String(no.body.text)).toMatch(/Only a manager/);
    await kit.command(slashCommand(people.mike, 'away sam.level2 off', TRIAGE));
    await eventually(
      async () => (await kit.helpline.app.assignments!.awayAt(kit.helpline.app.clock.now())).size === 0,
      5000,
      'Sam back',
    );
  });

  it('the status select offers no Escalated to Dev; the route select escalates and Development triage is told', async () => {
    const number = await raised('The pricing engine applies the wrong discount to bundles');
    await pressOnCard(kit, people.lee, TRIAGE, number, Action.EscalateTeamTicketing);
    await eventually(async () => (await ticket(number)).inTeamTicketing, 5000, 'in Team Ticketing');
    await settle(kit);
    const card = await eventually(() => latestCard(kit, TEAM_TICKETING, number), 5000, 'team ticketing card');
    const status = findElement(card, Action.ChangeStatus)!;
    const options = (status.element.options as Array<{ value: string }>).map((o) => o.value);
    expect(options).not.toContain('escalated_to_dev');
    expect(options).not.toContain('closed');
    // A tampered select is refused by the domain too.
    await pressOnCard(kit, people.sam, TEAM_TICKETING, number, Action.ChangeStatus, 'escalated_to_dev');
    const eph = await kit.waitFor('chat.postEphemeral', (c) => c.body.user === people.sam.id);
    expect(String(eph.body.text)).toMatch(/only with a development route/);
    expect((await ticket(number)).status).not.toBe('escalated_to_dev');
    await pressOnCard(kit, people.sam, TEAM_TICKETING, number, Action.EscalateDevelopment, 'code_change');
    await eventually(async () => (await ticket(number)).status === 'escalated_to_dev', 5000, 'escalated');
    await settle(kit);
    await eventually(() => latestCard(kit, 'C0DEVTRIAGE', number), 5000, 'development triage card');
  });

  it('close as a duplicate from New: linked both ways, the requester is pointed at the original and follows it; spam asks no rating', async () => {
    const original = await raised('Nobody on the finance team can export invoices to the ERP');
    const dup = await raised('Invoice export to the ERP is broken for us', people.stranger);
    expect((await closeFrom(TRIAGE, dup, 'duplicate', 'sr-999999')).text).toMatch(/does not exist/);
    expect((await ticket(dup)).status).toBe('new');
    const res = await closeFrom(TRIAGE, dup, 'duplicate', original);
    expect(res.status).toBe(200);
    await eventually(async () => (await ticket(dup)).status === 'closed', 5000, 'closed');
    expect((await ticket(dup)).closeReason).toBe('duplicate');
    expect((await ticket(original)).links).toEqual([{ kind: 'duplicated_by', ticket: dup }]);
    await settle(kit);
    await eventually(
      () => sentTo(kit, people.stranger.id, `carry on with ${original}`)[0],
      5000,
      'pointed at original',
    );
    // The duplicate's requester hears the original's updates.
    // (The latest card naming the original is now the duplicate's, so Lee takes it through the same use case.)
    await assignToMe(kit.helpline.app, {
      number: original,
      actor: { platform: 'slack', userId: people.lee.id, name: people.lee.name },
    });
    await eventually(async () => (await ticket(original)).assignee !== null, 5000, 'original assigned');
    await settle(kit);
    await eventually(() => sentTo(kit, people.stranger.id, `is looking at ${original}`)[0], 5000, 'follower told');

    const spam = await raised('buy cheap watches now');
    await closeFrom(TRIAGE, spam, 'spam');
    await eventually(async () => (await ticket(spam)).status === 'closed', 5000, 'spam closed');
    await settle(kit);
    await eventually(() => sentTo(kit, people.rita.id, 'not a support request')[0], 5000, 'requester told');
    expect(sentTo(kit, people.rita.id, `How did we do on ${spam}`)).toEqual([]);
  });
});
