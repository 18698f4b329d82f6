import { Action, View } from '../../../src/cards/actions';
import { pressOnCard, sentTo, settle, submitModalFrom } from '../../fixtures/slack/cards';
import { advanceDevelopment, withDevelopment as withDev } from '../../fixtures/slack/development';
import { latestCard, people, raiseByDm, type SlackKit, useSlackKit } from '../../fixtures/slack/kit';
import { chosen, TEAM_TICKETING, TRIAGE, text, viewSubmission } from '../../fixtures/slack/payloads';
import { eventually } from '../../helpers/harness';

describe('Slack: development routes that can change, and sign-offs held by someone else', () => {
  let kit: SlackKit;
  useSlackKit((k) => {
    kit = k;
  });

  const ticket = async (n: string) => (await kit.helpline.app.tickets.get(n))!;
  /** The test clock and scheduler routes, as the fault suite drives them. */
  async function testRoute(path: string, body: unknown) {
    const res = await fetch(`${kit.helpline.base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
  }
  const card = (n: string) => JSON.stringify(latestCard(kit, TEAM_TICKETING, n)?.body.blocks ?? '');
  /** Wait until the Team Ticketing card shows `text` (the notifier refreshes it after each change). */
  const cardShows = (n: string, text: string) => eventually(() => card(n).includes(text), 5000, `card shows ${text}`);

  const withDevelopment = (words: string, route: string) => withDev(kit, words, route);
  const advance = (who: { id: string; name: string }, number: string, to: string) =>
    advanceDevelopment(kit, who, number, to);

  /** The ephemeral answer `who` got in Team Ticketing that contains `text`. */
  const toldInChannel = (who: { id: string }, text: string) =>
    eventually(
      () =>
        kit.slack
          .callsTo('chat.postEphemeral')
          .find((c) => c.body.user === who.id && String(c.body.text).includes(text)),
      5000,
      `ephemeral "${text}"`,
    );

  it('a performance ticket switched to a code change with a reason: on the card, in the history, the requester told', async () => {
    const number = await withDevelopment(
      'The invoice search is very slow for everyone since Monday, pages time out',
      'performance_infrastructure',
    );
    await cardShows(number, 'Switch route');
    await submitModalFrom(
      kit,
      people.dana,
      TEAM_TICKETING,
      number,
      Action.SwitchRoute,
      View.SwitchRoute,
      { reason: 'The slow query needs an index that ships in a release' },
      'code_change',
    );
    await eventually(async () => (await ticket(number)).development?.route === 'code_change', 5000, 'switched');
    expect((await ticket(number)).development?.routeChanges).toMatchObject([
      { from: 'performance_infrastructure', to: 'code_change', by: { userId: people.dana.id } },
    ]);
    await settle(kit);
    // The route stays on the card through development, with the switch and its reason.
    await cardShows(number, 'Route switched');
    expect(card(number)).toContain('Code change / bug fix');
    expect(card(number)).toContain('The slow query needs an index that ships in a release');
    // Development's own targets: taken up by the switch, a release to be chosen within 16 business hours.
    expect(card(number)).toMatch(/Development targets.*take up met .*plan into a release due /);
    const history = await kit.helpline.app.events.listFor(number);
    expect(history.find((e) => e.type === 'route_changed')).toMatchObject({
      from: 'performance_infrastructure',
      to: 'code_change',
    });
    await eventually(
      () => sentTo(kit, people.rita.id, 'needs a change to the software after all').length === 1,
      5000,
      'Rita told what the switch means',
    );
    // Now a code change of Severity 3: its resolution clock waits for the fortnightly release instead of breaching.
    expect((await ticket(number)).sla.resolution).toMatchObject({
      state: 'paused',
      pausedBy: 'waiting for the software release',
    });
    await cardShows(number, 'Resolution: waits for the software release, next release Thu 5 Mar');
    await testRoute('/test/clock', { now: '2026-03-18T10:00:00Z' }); // 60 business hours on: past the 50h target
    await testRoute('/test/scheduler/run', { jobs: ['sla-sweep'] });
    const events = await kit.helpline.app.events.listFor(number);
    expect(events.filter((e) => e.type === 'sla.breach')).toEqual([]);
    expect((await ticket(number)).alerting.breachedAt).toBeNull();
    // Not planned into a release in time: the Dev Lead hears of it once, in a DM, not the managers.
    await kit.drain();
    await eventually(
      () => sentTo(kit, people.devon.id, 'DEVELOPMENT TARGET MISSED').length === 1,
      5000,
      'the Dev Lead told of the missed allocation',
    );
    expect(sentTo(kit, 'C0MANAGERS', number)).toEqual([]);
    await testRoute('/test/clock', { now: '2026-03-02T11:00:00Z' });
    // Level 1 may not switch routes (the policy names Development, Level 2 and managers): the form says so.
    const opened = kit.slack.callsTo('views.open').length;
    await pressOnCard(kit, people.lee, TEAM_TICKETING, number, Action.SwitchRoute, 'change_request');
    const form = await eventually(() => kit.slack.callsTo('views.open')[opened], 5000, 'the switch form');
    const { private_metadata } = form.body.view as { private_metadata: string };
    const refused = await kit.interact(
      viewSubmission(people.lee, { callback_id: View.SwitchRoute, private_metadata }, { reason: { value: text('x') } }),
    );
    expect(refused.text).toContain('Only Product / Development / IT, Level 2 or a manager can switch');
    expect((await ticket(number)).development?.route).toBe('code_change');
  });

  it('a developer cannot sign off their own change; the Dev Lead does, then only QA approves it', async () => {
    const number = await withDevelopment('Credit notes show the wrong VAT rate on the PDF', 'code_change');
    // Scheduled into a release: the requester is told the expected date, the card and the waiting clock show it.
    await cardShows(number, 'Plan into release');
    await pressOnCard(kit, people.dana, TEAM_TICKETING, number, Action.PlanRelease, '2026-03-19');
    await eventually(async () => (await ticket(number)).development?.release === '2026-03-19', 5000, 'planned');
    await kit.drain();
    await cardShows(number, 'Planned for the release of Thu 19 Mar');
    expect(card(number)).toContain('Resolution: waits for the software release, planned for Thu 19 Mar');
    await eventually(
      () => sentTo(kit, people.rita.id, 'is planned for the release of Thu 19 Mar').length === 1,
      5000,
      'Rita told the date',
    );
    await advance(people.dana, number, 'dev_in_progress');
    await advance(people.dana, number, 'dev_done_waiting_review');
    // Dana made the change: her sign-off is refused, and she is told who can.
    await pressOnCard(kit, people.dana, TEAM_TICKETING, number, Action.AdvanceDevelopment, 'dev_done_waiting_qa');
    await toldInChannel(people.dana, 'Ask Devon Lake');
    expect((await ticket(number)).development?.status).toBe('dev_done_waiting_review');
    await advance(people.devon, number, 'dev_done_waiting_qa');
    await advance(people.dana, number, 'qa_in_progress');
    // Only QA approves it for release.
    await pressOnCard(kit, people.devon, TEAM_TICKETING, number, Action.AdvanceDevelopment, 'ready_for_release');
    await toldInChannel(people.devon, 'Only QA can move');
    expect((await ticket(number)).development?.status).toBe('qa_in_progress');
    await advance(people.quinn, number, 'ready_for_release');
    expect((await ticket(number)).development).toMatchObject({
      doneBy: { name: 'Dana Drew' },
      reviewedBy: { name: 'Devon Lake' },
      qaBy: { name: 'Quinn Tate' },
    });
    await settle(kit);
    await cardShows(number, 'Change by Dana Drew · reviewed by Devon Lake (Dev Lead)');
    expect(card(number)).toContain('approved by Quinn Tate (QA)');
  });

  it('a change request declined by Product: the reason on record, the requester told, the ticket closed', async () => {
    const number = await withDevelopment('Please add a dark mode to the approvals screen', 'change_request');
    await cardShows(number, 'Roadmap decision');
    const opened = kit.slack.callsTo('views.open').length;
    await pressOnCard(kit, people.dana, TEAM_TICKETING, number, Action.RoadmapDecision);
    const form = await eventually(() => kit.slack.callsTo('views.open')[opened], 5000, 'the roadmap form');
    expect(JSON.stringify(form.body.view)).toContain('Release of Thu 5 Mar');
    const { private_metadata } = form.body.view as { private_metadata: string };
    const res = await kit.interact(
      viewSubmission(
        people.dana,
        { callback_id: View.RoadmapDecision, private_metadata },
        { decision: { value: chosen('declined') }, reason: { value: text('Not in line with the product roadmap') } },
      ),
    );
    expect(res.status).toBe(200);
    await eventually(async () => (await ticket(number)).status === 'closed', 5000, 'closed');
    expect((await ticket(number)).development?.roadmap).toMatchObject({
      decision: 'declined',
      reason: 'Not in line with the product roadmap',
      by: { name: 'Dana Drew' },
    });
    await kit.drain();
    await eventually(
      () => sentTo(kit, people.rita.id, 'declined it: Not in line with the product roadmap').length === 1,
      5000,
      'Rita told once',
    );
    await cardShows(number, 'Declined by Dana Drew: Not in line with the product roadmap');
  });

  it('a quote sent and accepted: amount, currency and recipient on record, the requester told, Work in Progress', async () => {
    const { number } = await raiseByDm(kit, people.rita, 'Please rebrand our invoice PDF template with the new logo');
    await kit.drain();
    await eventually(() => latestCard(kit, TRIAGE, number), 5000, 'triage card');
    for (const status of ['triage', 'quote_required']) {
      if ((await ticket(number)).status === status) continue;
      await pressOnCard(kit, people.lee, TRIAGE, number, Action.ChangeStatus, status);
      await eventually(async () => (await ticket(number)).status === status, 5000, status);
    }
    await kit.drain();
    await eventually(
      () => JSON.stringify(latestCard(kit, TRIAGE, number)?.body.blocks).includes(Action.QuoteSent),
      5000,
      'Quote sent… on the card',
    );
    await submitModalFrom(kit, people.sam, TRIAGE, number, Action.QuoteSent, View.QuoteSent, {
      amount: '1,200',
      currency: 'gbp',
      sentTo: 'ap@acme.example',
    });
    await eventually(async () => (await ticket(number)).quote?.amount === 1200, 5000, 'quote recorded');
    expect((await ticket(number)).quote).toMatchObject({
      currency: 'GBP',
      sentTo: 'ap@acme.example',
      sentBy: { name: 'Sam Singh' },
    });
    await kit.drain();
    await eventually(
      () => sentTo(kit, people.rita.id, 'has been sent to ap@acme.example: 1,200.00 GBP').length === 1,
      5000,
      'Rita told the quote',
    );
    await eventually(
      () => JSON.stringify(latestCard(kit, TRIAGE, number)?.body.blocks).includes(Action.QuoteOutcome),
      5000,
      'Quote outcome… on the card',
    );
    const opened = kit.slack.callsTo('views.open').length;
    await pressOnCard(kit, people.sam, TRIAGE, number, Action.QuoteOutcome);
    const form = await eventually(() => kit.slack.callsTo('views.open')[opened], 5000, 'the outcome form');
    const { private_metadata } = form.body.view as { private_metadata: string };
    await kit.interact(
      viewSubmission(
        people.sam,
        { callback_id: View.QuoteOutcome, private_metadata },
        { decision: { value: chosen('accepted') }, reason: { value: text('PO 4471 raised') } },
      ),
    );
    await eventually(async () => (await ticket(number)).status === 'work_in_progress', 5000, 'Work in Progress');
    expect((await ticket(number)).quote?.outcome).toMatchObject({ decision: 'accepted', reason: 'PO 4471 raised' });
    await kit.drain();
    await eventually(
      () =>
        JSON.stringify(latestCard(kit, TRIAGE, number)?.body.blocks).includes('accepted by Sam Singh: PO 4471 raised'),
      5000,
      'the quote on the card',
    );
  });
});
