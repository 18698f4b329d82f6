import { Action, View } from '../../../src/cards/actions';
import type { SlackCall } from '../../fakes/slack-api';
import { findElement, latestCard, people, raiseByDm, type SlackKit, useSlackKit } from '../../fixtures/slack/kit';
import {
  buttonClick,
  chosen,
  directMessage,
  selectChoice,
  slashCommand,
  TEAM_TICKETING,
  TRIAGE,
  text,
  viewSubmission,
} from '../../fixtures/slack/payloads';
import { eventually } from '../../helpers/harness';

describe('Slack: the triage card, Team Ticketing and the requester loop', () => {
  let kit: SlackKit;
  useSlackKit((k) => {
    kit = k;
  });

  const ticket = async (n: string) => {
    const t = await kit.helpline.app.tickets.get(n);
    if (!t) throw new Error(`${n} is missing`);
    return t;
  };

  /** Raise, deliver, and return the triage card as posted. */
  async function raisedWithCard(words: string) {
    const r = await raiseByDm(kit, people.rita, words);
    await kit.drain();
    const card = await eventually(() => latestCard(kit, TRIAGE, r.number), 5000, 'triage card');
    return { ...r, card };
  }

  /** Submit the modal `opened` (a recorded views.open) as `user`, with these input values. */
  function submitView(
    user: { id: string; name: string },
    callbackId: string,
    opened: SlackCall,
    values: Parameters<typeof viewSubmission>[2],
  ) {
    const { private_metadata } = opened.body.view as { private_metadata: string };
    return kit.interact(viewSubmission(user, { callback_id: callbackId, private_metadata }, values));
  }

  /** Click a button or choose in a select on the latest rendering of a card. */
  async function press(
    user: { id: string; name: string },
    channel: string,
    number: string,
    actionId: string,
    choice?: string,
  ) {
    const card = latestCard(kit, channel, number);
    if (!card) throw new Error(`no card for ${number} in ${channel}`);
    const found = findElement(card, actionId);
    if (!found) throw new Error(`no ${actionId} on the card for ${number}`);
    const where = { channel, ts: String(card.body.ts ?? card.response?.ts ?? '1.1') };
    const payload =
      choice === undefined
        ? buttonClick(
            user,
            { action_id: String(found.element.action_id), value: found.element.value, block_id: found.blockId },
            where,
          )
        : selectChoice(user, { action_id: actionId, block_id: found.blockId, value: choice }, where);
    expect((await kit.interact(payload)).status).toBe(200);
    return payload;
  }

  const settle = async () => {
    await new Promise((r) => setTimeout(r, 250));
    await kit.drain();
  };

  it('Level 1 assigns to self; the card is updated in place showing who did it and the SLA', async () => {
    const { number, card } = await raisedWithCard('The customer portal shows a blank page for some users');
    expect(JSON.stringify(card.body.blocks)).toMatch(/First response|response/i);
    const posted = kit.slack.callsTo('chat.postMessage').find((c) => c.body.channel === TRIAGE)!;
    await press(people.lee, TRIAGE, number, Action.AssignToMe);
    await eventually(async () => (await ticket(number)).assignee?.userId === people.lee.id, 5000, 'assigned');
    await kit.drain();
    const update = await kit.waitFor(
      'chat.update',
      (c) => c.body.channel === TRIAGE && JSON.stringify(c.body.blocks).includes('Lee Lewis'),
    );
    expect(JSON.stringify(update.body.blocks)).toMatch(/Last: /);
    expect(update.body.ts).toBeDefined();
    expect((await ticket(number)).posts.map((p) => p.messageId)).toContain(update.body.ts);
    void posted;
  });

  it('a double click acts once', async () => {
    const { number } = await raisedWithCard('Emails to customers are not being sent');
    const card = latestCard(kit, TRIAGE, number)!;
    const found = findElement(card, Action.AssignToMe)!;
    const click = buttonClick(
      people.lee,
      { action_id: Action.AssignToMe, value: number, block_id: found.blockId },
      { channel: TRIAGE, ts: '1.1' },
    );
    const second = {
      ...click,
      trigger_id: `${click.trigger_id}x`,
      actions: [{ ...click.actions[0], action_ts: `${Date.now() / 1000 + 0.2}` }],
    };
    await Promise.all([kit.interact(click), kit.interact(second)]);
    await settle();
    const history = await kit.helpline.app.events.listFor(number);
    expect(history.filter((e) => e.type === 'assigned')).toHaveLength(1);
  });

  it('a requester pressing an agent button is told only agents can, and nothing changes', async () => {
    const { number } = await raisedWithCard('The stock report totals look off');
    const before = await ticket(number);
    await press(people.rita, TRIAGE, number, Action.AssignToMe);
    const eph = await kit.waitFor('chat.postEphemeral', (c) => c.body.user === people.rita.id);
    expect(String(eph.body.text)).toMatch(/^That is for support agents: only they can /);
    await settle();
    const after = await ticket(number);
    expect(after.version).toBe(before.version);
    expect(after.assignee).toBeNull();
  });

  it('tampered values get a clear error and change nothing', async () => {
    const { number } = await raisedWithCard('Supplier invoices are missing from the list');
    const before = await ticket(number);
    const sev = findElement(latestCard(kit, TRIAGE, number)!, Action.SetSeverity)!;
    for (const value of [{ $gt: '' }, '{"$gt": ""}', 'SR-999999', ['SR-1'], 42, null]) {
      kit.slack.reset();
      await kit.interact(
        buttonClick(
          people.lee,
          { action_id: Action.AssignToMe, value, block_id: `x${Math.random()}` },
          { channel: TRIAGE, ts: '1.1' },
        ),
      );
      const eph = await kit.waitFor('chat.postEphemeral', () => true, `error for ${JSON.stringify(value)}`);
      expect(String(eph.body.text)).toMatch(/Invalid button value|does not exist/);
    }
    // A select with a value that is not one of ours.
    kit.slack.reset();
    await kit.interact(
      selectChoice(
        people.lee,
        { action_id: Action.SetSeverity, block_id: sev.blockId, value: '9' },
        { channel: TRIAGE, ts: '1.1' },
      ),
    );
    expect(String((await kit.waitFor('chat.postEphemeral')).body.text)).toMatch(/Invalid severity/);
    kit.slack.reset();
    await kit.interact(
      selectChoice(
        people.lee,
        { action_id: Action.SetSeverity, block_id: 'triage|SR-999999|0000abcd|1', value: '1' },
        { channel: TRIAGE, ts: '1.1' },
      ),
    );
    expect(String((await kit.waitFor('chat.postEphemeral')).body.text)).toMatch(/does not exist/);
    // A modal whose metadata names another shape.
    const res = await kit.interact(
      viewSubmission(
        people.lee,
        { callback_id: View.Resolve, private_metadata: '{"ticket":{"$gt":""}}' },
        { note: { value: text('x') } },
      ),
    );
    expect(JSON.parse(res.text)).toMatchObject({
      response_action: 'errors',
      errors: { note: expect.stringMatching(/Invalid form/) },
    });
    await settle();
    expect((await ticket(number)).version).toBe(before.version);
  });

  it('severity, category and team selects change the ticket', async () => {
    const { number } = await raisedWithCard('Reports are slow to load in the afternoon');
    await press(people.lee, TRIAGE, number, Action.SetSeverity, '2');
    await eventually(async () => (await ticket(number)).severity === 2, 5000, 'severity');
    await settle();
    const cat = Object.keys(kit.helpline.app.policy.coverage.categories)[0]!;
    await press(people.lee, TRIAGE, number, Action.SetCategory, cat);
    await eventually(async () => (await ticket(number)).categoryId === cat, 5000, 'category');
    await settle();
    await press(people.lee, TRIAGE, number, Action.SetTeam, 'level2');
    await eventually(async () => (await ticket(number)).team === 'level2', 5000, 'team');
  });

  it("the triage card shows triage's reasons beside severity and category; a correction is recorded with before and after", async () => {
    const { number, card } = await raisedWithCard('nobody here can log in since 9, the login page just spins');
    const t = await ticket(number);
    expect(t.severity).toBe(1);
    expect(t.triage).toMatchObject({ severity: 1, categoryId: 'performance-infrastructure', team: 'development' });
    const blocks = JSON.stringify(card.body.blocks);
    expect(blocks).toContain('everyone is affected');
    expect(blocks).toContain('no access / system down');
    expect(blocks).toContain('an outage');
    await press(people.lee, TRIAGE, number, Action.SetSeverity, '2');
    await eventually(async () => (await ticket(number)).severity === 2, 5000, 'severity');
    const corrected = await eventually(
      async () => (await kit.helpline.app.events.listFor(number)).find((e) => e.type === 'triage_corrected'),
      5000,
      'triage_corrected event',
    );
    expect(corrected).toMatchObject({ from: 1, to: 2, note: 'severity', actor: { userId: people.lee.id } });
    await settle();
    // The card now says what triage had suggested, beside the agent's choice.
    expect(JSON.stringify(latestCard(kit, TRIAGE, number)!.body.blocks)).toContain('triage suggested 1');
  });

  it('"we can\'t log in" (a group, the system not named): the card asks whether it is 1, raised at 2 until Level 1 sets 1', async () => {
    const { number, card } = await raisedWithCard("we can't log in since 9 this morning, please help");
    const t = await ticket(number);
    expect(t.triage).toMatchObject({ severity: 1 });
    expect(t.severity).toBe(2);
    const blocks = JSON.stringify(card.body.blocks);
    expect(blocks).toContain('Triage is unsure');
    expect(blocks).toContain('Severity 1 or 3?');
    await press(people.lee, TRIAGE, number, Action.SetSeverity, '1');
    await eventually(async () => (await ticket(number)).severity === 1, 5000, 'severity 1 confirmed');
  });

  it('request info: modal → Waiting for Customer, the requester is asked; their thread reply → Customer Responded', async () => {
    const { number, channel, threadTs } = await raisedWithCard('Cannot approve purchase orders over 10k');
    await press(people.lee, TRIAGE, number, Action.RequestInfo);
    const open = await kit.waitFor('views.open');
    const view = open.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(View.RequestInfo);
    const res = await kit.interact(
      viewSubmission(
        people.lee,
        { callback_id: View.RequestInfo, private_metadata: view.private_metadata },
        { question: { value: text('Which supplier?') } },
      ),
    );
    expect(res.status).toBe(200);
    await eventually(async () => (await ticket(number)).status === 'waiting_for_customer', 5000, 'waiting');
    await kit.drain();
    await kit.waitFor(
      'chat.postMessage',
      (c) => c.body.channel === people.rita.id && String(JSON.stringify(c.body)).includes('Which supplier?'),
    );
    await kit.event(directMessage(people.rita, 'Supplier ACME-42', { thread_ts: threadTs, channel }));
    await eventually(async () => (await ticket(number)).status === 'customer_responded', 5000, 'customer responded');
    // Asked again: this time a plain top-level DM answers (the only ticket waiting for Rita).
    await settle();
    await press(people.lee, TRIAGE, number, Action.RequestInfo);
    const again = await kit.waitFor('views.open', (c) => c !== open);
    await submitView(people.lee, View.RequestInfo, again, { question: { value: text('And the PO number?') } });
    await eventually(async () => (await ticket(number)).status === 'waiting_for_customer', 5000, 'waiting again');
    await kit.drain();
    const asked = await kit.waitFor(
      'chat.postMessage',
      (c) => c.body.channel === people.rita.id && JSON.stringify(c.body).includes('PO number'),
    );
    await kit.event(directMessage(people.rita, 'PO-7781'));
    await eventually(
      async () => (await ticket(number)).status === 'customer_responded',
      5000,
      'answered by a plain DM',
    );
    expect((await ticket(number)).conversation.map((m) => m.text)).toContain('PO-7781');
    // And a reply in the thread of the question DM is added as well.
    const dmChannel = String(asked.response?.channel);
    await kit.event(
      directMessage(people.rita, 'It is urgent', { thread_ts: String(asked.response?.ts), channel: dmChannel }),
    );
    await eventually(
      async () => (await ticket(number)).conversation.some((m) => m.text === 'It is urgent'),
      5000,
      'thread reply to the DM',
    );
  });

  it('escalate to Team Ticketing → full post there; take, status, development route and release', async () => {
    const { number } = await raisedWithCard('The pricing engine returns wrong discounts for bundles');
    await press(people.lee, TRIAGE, number, Action.EscalateTeamTicketing);
    await eventually(async () => (await ticket(number)).inTeamTicketing, 5000, 'in team ticketing');
    await kit.drain();
    const post = await eventually(() => latestCard(kit, TEAM_TICKETING, number), 5000, 'team ticketing post');
    expect(JSON.stringify(post.body.blocks)).toMatch(/History/);
    expect(findElement(post, Action.Take)).toBeDefined();
    // The triage card no longer offers the escalation.
    await kit.waitFor('chat.update', (c) => c.body.channel === TRIAGE && !findElement(c, Action.EscalateTeamTicketing));
    await press(people.sam, TEAM_TICKETING, number, Action.Take);
    await eventually(async () => (await ticket(number)).assignee?.userId === people.sam.id, 5000, 'taken');
    await settle();
    const routes = Object.keys(kit.helpline.app.policy.developmentRoutes);
    await press(people.sam, TEAM_TICKETING, number, Action.EscalateDevelopment, routes[3] ?? routes[0]!);
    await eventually(async () => (await ticket(number)).development !== null, 5000, 'escalated to development');
    await settle();
    // Walk the development statuses the card offers until Released (which asks for a release note).
    for (let i = 0; i < 10; i++) {
      const card = latestCard(kit, TEAM_TICKETING, number)!;
      const sel = findElement(card, Action.AdvanceDevelopment);
      if (!sel) break;
      const options = (sel.element.options as Array<{ value: string }>).map((o) => o.value);
      const current = (await ticket(number)).development?.status;
      if (options.includes('released') && current === 'ready_for_release') {
        await press(people.dana, TEAM_TICKETING, number, Action.AdvanceDevelopment, 'released');
        const open = await kit.waitFor(
          'views.open',
          (c) => (c.body.view as { callback_id: string }).callback_id === View.ReleaseNote,
        );
        const meta = (open.body.view as { private_metadata: string }).private_metadata;
        await kit.interact(
          viewSubmission(
            people.dana,
            { callback_id: View.ReleaseNote, private_metadata: meta },
            { note: { value: text('Fixed in 2.4.1') } },
          ),
        );
        await eventually(async () => (await ticket(number)).development?.status === 'released', 5000, 'released');
        break;
      }
      const order = [
        'planned',
        'dev_in_progress',
        'dev_done_waiting_review',
        'dev_done_waiting_qa',
        'qa_in_progress',
        'ready_for_release',
      ];
      const next =
        order.find((s) => options.includes(s) && order.indexOf(s) > order.indexOf(current ?? '')) ??
        options.find((o) => o !== 'released');
      if (!next) break;
      // The review is the Dev Lead's sign-off, the approval QA's: someone other than the developer.
      const who =
        next === 'dev_done_waiting_qa' ? people.devon : next === 'ready_for_release' ? people.quinn : people.dana;
      await press(who, TEAM_TICKETING, number, Action.AdvanceDevelopment, next);
      await eventually(async () => (await ticket(number)).development?.status === next, 5000, `dev ${next}`);
      await settle();
    }
    expect((await ticket(number)).development?.status).toBe('released');
    expect((await ticket(number)).development?.releaseNote).toBe('Fixed in 2.4.1');
  });

  it('resolve → "is it fixed?" → yes → CSAT; escalate with a reason; requester card updates in place', async () => {
    const { number } = await raisedWithCard('Timesheets are not saving for the night shift');
    await press(people.lee, TRIAGE, number, Action.AssignToMe);
    await eventually(async () => (await ticket(number)).assignee !== null, 5000, 'assigned');
    await settle();
    await press(people.lee, TRIAGE, number, Action.Resolve);
    const open = await kit.waitFor(
      'views.open',
      (c) => (c.body.view as { callback_id: string }).callback_id === View.Resolve,
    );
    await submitView(people.lee, View.Resolve, open, { note: { value: text('Cache cleared') } });
    await eventually(async () => (await ticket(number)).status === 'on_customer_test', 5000, 'on customer test');
    await kit.drain();
    const fixedCard = await kit.waitFor(
      'chat.postMessage',
      (c) => c.body.channel === people.rita.id && !!findElement(c, Action.FixedYes),
      'is it fixed card',
    );
    const dm = 'D0REQUESTER';
    const yes = findElement(fixedCard, Action.FixedYes)!;
    await kit.interact(
      buttonClick(
        people.rita,
        { action_id: Action.FixedYes, value: number, block_id: yes.blockId },
        { channel: dm, ts: '9.1' },
      ),
    );
    await eventually(async () => (await ticket(number)).status === 'pending_closure', 5000, 'pending closure');
    await kit.waitFor('chat.update', (c) => c.body.channel === dm && c.body.ts === '9.1', 'requester card updated');
    // The CSAT card (sent now, or by the scheduler's prompt).
    await kit.drain();
    let csat = kit.slack.calls.find((c) => c.body.channel === people.rita.id && !!findElement(c, Action.Csat));
    if (!csat) {
      await fetch(`${kit.helpline.base}/test/scheduler/run`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"jobs":["csat-prompt"]}',
      });
      csat = kit.slack.calls.find((c) => c.body.channel === people.rita.id && !!findElement(c, Action.Csat));
    }
    const update = kit.slack.calls.filter((c) => c.method === 'chat.update' && c.body.ts === '9.1').at(-1)!;
    const four = findElement(csat ?? update, `${Action.Csat}:4`)!;
    expect(four).toBeDefined();
    await kit.interact(
      buttonClick(
        people.rita,
        { action_id: `${Action.Csat}:4`, value: number, block_id: four.blockId },
        { channel: dm, ts: '9.1' },
      ),
    );
    await eventually(async () => (await ticket(number)).csat?.score === 4, 5000, 'csat');
    // Escalate (customer escalation) from the requester card.
    const esc = findElement(update, Action.CustomerEscalate)!;
    await kit.interact(
      buttonClick(
        people.rita,
        { action_id: Action.CustomerEscalate, value: number, block_id: esc.blockId },
        { channel: dm, ts: '9.1' },
      ),
    );
    const form = await kit.waitFor(
      'views.open',
      (c) => (c.body.view as { callback_id: string }).callback_id === View.CustomerEscalate,
    );
    const res = await submitView(people.rita, View.CustomerEscalate, form, {
      reason: { value: text('Payroll run is tomorrow') },
      impact: { value: text('200 staff unpaid') },
    });
    // Pending Closure may refuse an escalation: either it rose, or the form says why.
    const t = await ticket(number);
    if (res.text) expect(JSON.parse(res.text)).toMatchObject({ response_action: 'errors' });
    else expect(t.escalationLevel).toBeGreaterThan(0);
  });

  it('Team Ticketing: change status from the select; requester says not fixed (reopens); CSAT with a comment', async () => {
    const { number } = await raisedWithCard('Batch labels print in the wrong order');
    await press(people.lee, TRIAGE, number, Action.EscalateTeamTicketing);
    await eventually(async () => (await ticket(number)).inTeamTicketing, 5000, 'in team ticketing');
    await kit.drain();
    await eventually(() => latestCard(kit, TEAM_TICKETING, number), 5000, 'team ticketing post');
    await press(people.sam, TEAM_TICKETING, number, Action.Take);
    await eventually(async () => (await ticket(number)).assignee?.userId === people.sam.id, 5000, 'taken');
    await settle();
    const status = findElement(latestCard(kit, TEAM_TICKETING, number)!, Action.ChangeStatus)!;
    const options = (status.element.options as Array<{ value: string }>).map((o) => o.value);
    expect(options).toContain('on_customer_test');
    await press(people.sam, TEAM_TICKETING, number, Action.ChangeStatus, 'on_customer_test');
    await eventually(async () => (await ticket(number)).status === 'on_customer_test', 5000, 'on customer test');
    await kit.drain();
    const fixedCard = await kit.waitFor(
      'chat.postMessage',
      (c) => c.body.channel === people.rita.id && !!findElement(c, Action.FixedNo),
      'is it fixed card',
    );
    const no = findElement(fixedCard, Action.FixedNo)!;
    await kit.interact(
      buttonClick(
        people.rita,
        { action_id: Action.FixedNo, value: number, block_id: no.blockId },
        { channel: 'D0REQUESTER', ts: '8.1' },
      ),
    );
    await eventually(async () => (await ticket(number)).status !== 'on_customer_test', 5000, 'reopened');
    expect((await kit.helpline.app.events.listFor(number)).some((e) => e.type === 'reopened')).toBe(true);
    // Resolve again, the requester confirms, then rates with a comment through the modal.
    await settle();
    await press(people.sam, TEAM_TICKETING, number, Action.ChangeStatus, 'on_customer_test');
    await eventually(async () => (await ticket(number)).status === 'on_customer_test', 5000, 'on customer test again');
    await kit.drain();
    const again = kit.slack.calls
      .filter((c) => c.body.channel === people.rita.id && !!findElement(c, Action.FixedYes))
      .at(-1)!;
    const yes = findElement(again, Action.FixedYes)!;
    await kit.interact(
      buttonClick(
        people.rita,
        { action_id: Action.FixedYes, value: number, block_id: yes.blockId },
        { channel: 'D0REQUESTER', ts: '8.2' },
      ),
    );
    await eventually(async () => (await ticket(number)).status === 'pending_closure', 5000, 'pending closure');
    const updated = await kit.waitFor(
      'chat.update',
      (c) => c.body.ts === '8.2' && !!findElement(c, `${Action.Csat}:comment`),
    );
    const comment = findElement(updated, `${Action.Csat}:comment`)!;
    await kit.interact(
      buttonClick(
        people.rita,
        { action_id: `${Action.Csat}:comment`, value: number, block_id: comment.blockId },
        { channel: 'D0REQUESTER', ts: '8.2' },
      ),
    );
    const form = await kit.waitFor(
      'views.open',
      (c) => (c.body.view as { callback_id: string }).callback_id === View.Csat,
    );
    await submitView(people.rita, View.Csat, form, {
      score: { value: chosen('5') },
      comment: { value: text('Quick and clear, thanks') },
    });
    await eventually(async () => (await ticket(number)).csat?.score === 5, 5000, 'csat 5');
    expect((await ticket(number)).csat?.comment).toBe('Quick and clear, thanks');
  });

  it('the requester escalates an open ticket from /ticket status (customer escalation with reason and impact)', async () => {
    const { number } = await raisedWithCard('Month-end close is blocked by the ledger sync');
    await kit.command(slashCommand(people.rita, `status ${number}`));
    const status = await kit.waitFor('chat.postEphemeral', (c) => !!findElement(c, Action.CustomerEscalate));
    const esc = findElement(status, Action.CustomerEscalate)!;
    expect(findElement(status, Action.AssignToMe)).toBeUndefined(); // the requester's view has no agent buttons
    await kit.interact(
      buttonClick(
        people.rita,
        { action_id: Action.CustomerEscalate, value: number, block_id: esc.blockId },
        { channel: 'D0REQUESTER', ts: '6.1', ephemeral: true },
      ),
    );
    const form = await kit.waitFor(
      'views.open',
      (c) => (c.body.view as { callback_id: string }).callback_id === View.CustomerEscalate,
    );
    // "The impact has increased": the form offers the priorities above the ticket's.
    const before = await ticket(number);
    expect(JSON.stringify(form.body.view)).toContain('Impact on you now');
    const res = await submitView(people.rita, View.CustomerEscalate, form, {
      reason: { value: text('Close deadline is tomorrow') },
      impact: { value: text('Finance cannot report') },
      priority: { value: chosen('1') },
    });
    expect(res.text).toBe('');
    await eventually(async () => (await ticket(number)).escalationLevel === 1, 5000, 'escalated to level 1');
    expect(before.priority).toBeGreaterThan(1);
    const after = await ticket(number);
    expect(after.priority).toBe(1);
    expect(after.sla.resolution.targetMinutes).toBe(after.severity === 1 ? 240 : after.severity === 2 ? 960 : 3000);
    // A reason is required: an empty one is refused in the form.
    const empty = await submitView(people.rita, View.CustomerEscalate, form, { reason: { value: text('') } });
    expect(JSON.parse(empty.text)).toMatchObject({
      response_action: 'errors',
      errors: { reason: expect.stringMatching(/required/) },
    });
  });

  it('an SLA breach alert mentions the contact and is acknowledged with its button', async () => {
    const { number } = await raisedWithCard('Nobody can log in to the system, it is down for everyone');
    kit.helpline.clock.advanceMinutes(60 * 24 * 3);
    await fetch(`${kit.helpline.base}/test/scheduler/run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"jobs":["sla-sweep"]}',
    });
    await kit.drain();
    const alert = await kit.waitFor(
      'chat.postMessage',
      (c) => !!findElement(c, Action.Acknowledge) && JSON.stringify(c.body.blocks).includes(number),
      'alert',
    );
    expect(JSON.stringify(alert.body.blocks)).toMatch(/<@U0[A-Z0-9]+>/);
    const ack = findElement(alert, Action.Acknowledge)!;
    await kit.interact(
      buttonClick(
        people.mike,
        { action_id: Action.Acknowledge, value: number, block_id: ack.blockId },
        { channel: String(alert.body.channel), ts: '7.1' },
      ),
    );
    await eventually(
      async () => (await ticket(number)).alerting.acknowledgedBy?.userId === people.mike.id,
      5000,
      'acknowledged',
    );
  });
});
