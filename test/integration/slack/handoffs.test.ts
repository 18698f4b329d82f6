import { Action, View } from '../../../src/cards/actions';
import { pressOnCard, sentTo, settle, submitModalFrom } from '../../fixtures/slack/cards';
import { findElement, latestCard, people, raiseByDm, type SlackKit, useSlackKit } from '../../fixtures/slack/kit';
import { chosen, TEAM_TICKETING, TRIAGE, viewSubmission } from '../../fixtures/slack/payloads';
import { eventually } from '../../helpers/harness';

const DEV_TRIAGE = 'C0DEVTRIAGE';
const ADMIN = 'C0ADMIN';

describe('Slack: every handoff reaches someone', () => {
  let kit: SlackKit;
  useSlackKit((k) => {
    kit = k;
  });
  const ticket = async (n: string) => (await kit.helpline.app.tickets.get(n))!;

  async function raised(words: string) {
    const r = await raiseByDm(kit, people.rita, words);
    await kit.drain();
    await eventually(() => latestCard(kit, TRIAGE, r.number), 5000, 'triage card');
    return r.number;
  }

  it('escalated to Development: a card in the development triage channel; its status changes reach the requester in plain words', async () => {
    const number = await raised('The pricing engine returns wrong discounts for bundles of three');
    await pressOnCard(kit, people.lee, TRIAGE, number, Action.EscalateTeamTicketing);
    await eventually(async () => (await ticket(number)).inTeamTicketing, 5000, 'in Team Ticketing');
    await settle(kit);
    await pressOnCard(kit, people.sam, TEAM_TICKETING, number, Action.EscalateDevelopment, 'code_change');
    await eventually(async () => (await ticket(number)).development !== null, 5000, 'escalated');
    await settle(kit);
    const devCard = await eventually(() => latestCard(kit, DEV_TRIAGE, number), 5000, 'development triage card');
    const text = JSON.stringify(devCard.body.blocks);
    expect(text).toContain(kit.helpline.app.policy.developmentRoutes.code_change.name);
    expect(text).toContain('wrong discounts');
    expect(findElement(devCard, Action.AdvanceDevelopment)).toBeDefined();

    await pressOnCard(kit, people.dana, DEV_TRIAGE, number, Action.AdvanceDevelopment, 'dev_in_progress');
    await eventually(async () => (await ticket(number)).development?.status === 'dev_in_progress', 5000, 'in dev');
    await settle(kit);
    await eventually(() => sentTo(kit, people.rita.id, 'In Development')[0], 5000, 'requester told');
    // The development card follows in place.
    const updated = latestCard(kit, DEV_TRIAGE, number)!;
    expect(updated.method).toBe('chat.update');
  });

  it('Level 2 resolves with a note from the Team Ticketing card; the requester gets the note', async () => {
    const number = await raised('Custom report shows the wrong totals for last quarter');
    await pressOnCard(kit, people.lee, TRIAGE, number, Action.EscalateTeamTicketing);
    await eventually(async () => (await ticket(number)).inTeamTicketing, 5000, 'in Team Ticketing');
    await settle(kit);
    await submitModalFrom(kit, people.sam, TEAM_TICKETING, number, Action.Resolve, View.Resolve, {
      note: 'Report filter corrected to the fiscal quarter',
    });
    await eventually(async () => (await ticket(number)).status === 'on_customer_test', 5000, 'resolved');
    await kit.drain();
    await eventually(() => sentTo(kit, people.rita.id, 'Report filter corrected')[0], 5000, 'requester told');
  });

  it('routed to Administrative Staff: the card goes to the Admin channel, where Admin can take it', async () => {
    const number = await raised('Who sent invoice INV-2231 to our accounts payable mailbox last week');
    if ((await ticket(number)).team === 'admin') {
      // Triage routed it to Admin at once.
      await eventually(() => latestCard(kit, ADMIN, number), 5000, 'admin card from triage');
    } else {
      await pressOnCard(kit, people.lee, TRIAGE, number, Action.SetTeam, 'admin');
      await eventually(async () => (await ticket(number)).team === 'admin', 5000, 'routed to admin');
      await settle(kit);
    }
    const card = await eventually(() => latestCard(kit, ADMIN, number), 5000, 'admin card');
    expect(findElement(card, Action.Take)).toBeDefined();
    await pressOnCard(kit, { id: 'U0ADMIN1', name: 'Amy Adams' }, ADMIN, number, Action.Take);
    await eventually(async () => (await ticket(number)).assignee?.userId === 'U0ADMIN1', 5000, 'taken by Admin');
  });

  it('Level 1 parks in Quote Required and closes (quote declined) from the triage card', async () => {
    const number = await raised('Please send us your latest SOC 2 report for our auditors');
    await pressOnCard(kit, people.lee, TRIAGE, number, Action.AssignToMe);
    await eventually(async () => (await ticket(number)).status === 'triage', 5000, 'assigned');
    await settle(kit);
    await pressOnCard(kit, people.lee, TRIAGE, number, Action.ChangeStatus, 'quote_required');
    await eventually(async () => (await ticket(number)).status === 'quote_required', 5000, 'parked');
    await settle(kit);
    // Quote Required reaches whoever quotes, and the requester is told where it went.
    const quote = await eventually(() => latestCard(kit, 'C0QUOTES', number), 5000, 'card for Professional Services');
    expect(JSON.stringify(quote.body.blocks)).toContain('needs a quote');
    await eventually(() => sentTo(kit, people.rita.id, 'Professional Services')[0], 5000, 'requester told');
    // Closing needs a reason: the requester declined the quote (withdrawn), from the Close form.
    await pressOnCard(kit, people.lee, TRIAGE, number, Action.Close);
    const form = await kit.waitFor(
      'views.open',
      (c) => (c.body.view as { callback_id?: string }).callback_id === View.Close,
    );
    const { private_metadata } = form.body.view as { private_metadata: string };
    await kit.interact(
      viewSubmission(
        people.lee,
        { callback_id: View.Close, private_metadata },
        { reason: { value: chosen('withdrawn') } },
      ),
    );
    await eventually(async () => (await ticket(number)).status === 'closed', 5000, 'closed');
    expect((await ticket(number)).closeReason).toBe('withdrawn');
  });
});
