import { buildReport } from '../../../src/app/reports/figures';
import { reportTables } from '../../../src/app/reports/tables';
import { Action, View } from '../../../src/cards/actions';
import type { SlackCall } from '../../fakes/slack-api';
import { pressOnCard, sentTo, settle, submitModalFrom } from '../../fixtures/slack/cards';
import { findElement, latestCard, people, raiseByDm, type SlackKit, useSlackKit } from '../../fixtures/slack/kit';
import { chosen, TRIAGE, text, viewSubmission } from '../../fixtures/slack/payloads';
import { eventually } from '../../helpers/harness';

const MANAGERS = 'C0MANAGERS';

describe('Slack: a low rating opens a follow-up for the Team Lead, tracked until done (signed requests)', () => {
  let kit: SlackKit;
  useSlackKit(
    (k) => {
      kit = k;
    },
    { now: new Date('2026-03-02T09:00:00Z') },
  );

  const ticket = async (n: string) => (await kit.helpline.app.tickets.get(n))!;

  /** Raise, resolve from the triage card, confirm from the requester's card, then rate it `score`. */
  async function rated(words: string, score: number) {
    const { number } = await raiseByDm(kit, people.rita, words);
    await kit.drain();
    await eventually(() => latestCard(kit, TRIAGE, number), 5000, 'triage card');
    await submitModalFrom(kit, people.lee, TRIAGE, number, Action.Resolve, View.Resolve, { note: 'Cache cleared' });
    await eventually(async () => (await ticket(number)).status === 'on_customer_test', 5000, 'resolved');
    await settle(kit);
    await pressOnCard(kit, people.rita, people.rita.id, number, Action.FixedYes);
    await eventually(async () => (await ticket(number)).status === 'pending_closure', 5000, 'confirmed');
    await settle(kit);
    await pressOnCard(kit, people.rita, people.rita.id, number, `${Action.Csat}:${score}`);
    await eventually(async () => (await ticket(number)).csat?.score === score, 5000, 'rated');
    await settle(kit);
    return number;
  }
  /** The ticket's card in Mike's DM: posted to his user id, updated in place in the DM channel (D…) it landed in. */
  const mikesCard = (number: string) => latestCard(kit, people.mike.id, number);
  const mikesUpdatedCard = (number: string) => latestCard(kit, `D${people.mike.id.slice(1)}`, number);

  async function note(number: string, words: string, tell: 'team' | 'requester') {
    const before = kit.slack.callsTo('views.open').length;
    await pressOnCard(kit, people.mike, people.mike.id, number, Action.FollowUpNote);
    const open: SlackCall = await eventually(
      () =>
        kit.slack
          .callsTo('views.open')
          .slice(before)
          .find((c) => (c.body.view as { callback_id?: string }).callback_id === View.FollowUpNote),
      5000,
      'the note form',
    );
    const res = await kit.interact(
      viewSubmission(
        people.mike,
        {
          callback_id: View.FollowUpNote,
          private_metadata: (open.body.view as { private_metadata: string }).private_metadata,
        },
        { note: { value: text(words) }, tell: { value: chosen(tell) } },
      ),
    );
    expect(res.text).toBe('');
  }

  it('"you said, we did": the Team Lead notes, then tells the requester; the card follows; the reports show it', async () => {
    const number = await rated('The supplier export drops every second line for the finance team', 1);
    const t = await ticket(number);
    expect(t.csatFollowUps).toHaveLength(1);
    expect(t.csatFollowUps?.[0]).toMatchObject({ state: 'open', lead: 'mike.fox', score: 1 });
    // The Team Lead's card, and the managers channel's, carry "Called them" and "Note…".
    const card = await eventually(() => mikesCard(number), 5000, "Mike's card");
    expect(JSON.stringify(card.body)).toContain('Low CSAT');
    expect(findElement(card, Action.FollowUpCalled)).toBeDefined();
    const managers = await eventually(() => latestCard(kit, MANAGERS, number), 5000, 'the managers card');
    expect(findElement(managers, Action.FollowUpNote)).toBeDefined();

    await note(number, 'Checked the export settings with the team', 'team');
    await eventually(async () => (await ticket(number)).csatFollowUps?.[0]?.notes.length === 1, 5000, 'noted');
    expect((await ticket(number)).csatFollowUps?.[0]?.state).toBe('open');
    await settle(kit);
    expect(sentTo(kit, people.rita.id, 'Checked the export settings')).toHaveLength(0);

    await note(number, 'We added a check on the export so no line is dropped again', 'requester');
    await eventually(async () => (await ticket(number)).csatFollowUps?.[0]?.state === 'done', 5000, 'done');
    await settle(kit);
    const told = await eventually(
      () => sentTo(kit, people.rita.id, 'We did: We added a check on the export')[0],
      5000,
      'Rita told',
    );
    expect(JSON.stringify(told.body)).toContain('you said');
    // Mike's card is updated in place: the follow-up done, its buttons gone.
    await eventually(
      () => {
        const c = mikesUpdatedCard(number);
        return c && !findElement(c, Action.FollowUpCalled) && JSON.stringify(c.body).includes('done') ? c : undefined;
      },
      5000,
      "Mike's card shows it done",
    );

    const report = await buildReport(kit.helpline.app);
    expect(report.csat.followUps.lines.filter((f) => f.number === number)).toMatchObject([
      { state: 'done', lead: 'Mike Fox', doneBy: 'Mike Fox' },
    ]);
    const table = reportTables(report, { status: (s) => s, team: (s) => s, ladder: (l) => String(l) }).find(
      (x) => x.id === 'csat-follow-ups',
    );
    expect(table?.rows[0]).toEqual(
      expect.arrayContaining([
        number,
        1,
        'Mike Fox',
        'done',
        'Mike Fox',
        expect.stringContaining('told the requester'),
      ]),
    );
  });

  it('"Called them" ends it; a later low rating opens another; agents only; a high score opens none', async () => {
    const number = await rated('Invoice approvals time out for the whole AP team', 2);
    await eventually(() => mikesCard(number), 5000, "Mike's card");
    // The requester cannot close their own follow-up.
    const before = (await ticket(number)).version;
    await pressOnCard(kit, people.rita, people.mike.id, number, Action.FollowUpCalled);
    await eventually(
      () =>
        kit.slack.calls.find((c) => c.body.user === people.rita.id && /for support agents/.test(String(c.body.text))),
      5000,
      'Rita refused',
    );
    expect((await ticket(number)).version).toBe(before);

    await pressOnCard(kit, people.mike, people.mike.id, number, Action.FollowUpCalled);
    await eventually(async () => (await ticket(number)).csatFollowUps?.[0]?.state === 'done', 5000, 'called');
    expect((await ticket(number)).csatFollowUps?.[0]?.notes[0]).toMatchObject({ by: 'Mike Fox', text: 'Called them' });
    await settle(kit);

    // Rita changes her rating to 1 on her card: a new rating, a new follow-up.
    await pressOnCard(kit, people.rita, people.rita.id, number, `${Action.Csat}:1`);
    await eventually(async () => (await ticket(number)).csatFollowUps?.length === 2, 5000, 'second follow-up');
    expect((await ticket(number)).csatFollowUps?.[1]).toMatchObject({ state: 'open', score: 1 });
    // Changed again while that one is open: the same follow-up takes the new score (one per rating, not per click).
    const changed = await kit.interact(
      viewSubmission(
        people.rita,
        { callback_id: View.Csat, private_metadata: JSON.stringify({ ticket: number }) },
        { score: { value: chosen('2') }, comment: { value: text('Still slow') } },
      ),
    );
    expect(changed.text).toBe('');
    await eventually(async () => (await ticket(number)).csat?.score === 2, 5000, 'changed to 2');
    expect((await ticket(number)).csatFollowUps?.map((f) => [f.state, f.score, f.comment])).toEqual([
      ['done', 2, ''],
      ['open', 2, 'Still slow'],
    ]);

    const fine = await rated('A typo in the monthly statement footer', 5);
    expect((await ticket(fine)).csatFollowUps ?? []).toHaveLength(0);
    const report = await buildReport(kit.helpline.app);
    // Open first in the report's list, and counted.
    expect(report.csat.followUps.lines[0]).toMatchObject({ number, state: 'open', score: 2 });
    expect(report.csat.followUps.open).toBe(1);
  });
});
