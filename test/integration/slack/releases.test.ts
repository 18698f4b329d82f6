import { opContext } from '../../../src/app/context';
import { Action } from '../../../src/cards/actions';
import * as op from '../../../src/domain/ticket/operations';
import { pressOnCard, sentTo, settle } from '../../fixtures/slack/cards';
import { advanceDevelopment, setClock, withDevelopment } from '../../fixtures/slack/development';
import { people, type SlackKit, useSlackKit } from '../../fixtures/slack/kit';
import { buttonClick, slashCommand, TEAM_TICKETING, text, viewSubmission } from '../../fixtures/slack/payloads';
import { eventually } from '../../helpers/harness';

describe('Slack: a release moved as one, its notes once per person, the QA cutoff', () => {
  let kit: SlackKit;
  useSlackKit((k) => {
    kit = k;
  });
  const olga = { id: 'U0OLGA', name: 'Olga Ortiz' };
  const ticket = async (n: string) => (await kit.helpline.app.tickets.get(n))!;
  /** `/ticket <text>` by `who`; answers what they were told (ephemeral). */
  async function command(who: { id: string; name: string }, text: string, expect: string): Promise<string> {
    const before = kit.slack.callsTo('chat.postEphemeral').length;
    const r = await kit.command(slashCommand(who, text));
    if (r.status !== 200) throw new Error(`status ${r.status}`);
    const said = await eventually(
      () =>
        kit.slack
          .callsTo('chat.postEphemeral')
          .slice(before)
          .find((c) => c.body.user === who.id && JSON.stringify(c.body).includes(expect)),
      5000,
      `told "${expect}"`,
    );
    return JSON.stringify(said.body);
  }
  async function plan(number: string, day: string) {
    await pressOnCard(kit, people.dana, TEAM_TICKETING, number, Action.PlanRelease, day);
    await eventually(async () => (await ticket(number)).development?.release === day, 5000, `${number} planned`);
  }
  /** Dana's change, reviewed by Devon (the Dev Lead). */
  async function toReview(number: string) {
    await advanceDevelopment(kit, people.dana, number, 'dev_in_progress');
    await advanceDevelopment(kit, people.dana, number, 'dev_done_waiting_review');
    await advanceDevelopment(kit, people.devon, number, 'dev_done_waiting_qa');
  }

  it('three tickets (two of Rita’s) moved to QA, ready and released with one action each; each person told once', async () => {
    const a = await withDevelopment(kit, 'Credit notes show the wrong VAT rate on the PDF', 'code_change');
    const b = await withDevelopment(kit, 'The supplier export drops the last row of the file', 'code_change');
    const c = await withDevelopment(kit, 'Purchase orders print the wrong delivery address', 'code_change', olga);
    const d = await withDevelopment(
      kit,
      'VAT on credit notes is wrong for our branch too',
      'code_change',
      people.stranger,
    );
    // Stan's ticket is in the release too but not ready for QA yet; it is related to Rita's first.
    await command(people.sam, `link ${a} to ${d}`, 'related');
    for (const n of [a, b, c, d]) await plan(n, '2026-03-05');
    for (const n of [a, b, c]) await toReview(n);
    expect(await command(people.dana, 'releases', 'Release Thu 5 Mar* (2026-03-05)')).toContain(a);

    // QA in progress with the releases message's button: one click; Stan's ticket cannot move (still Planned) and
    // is reported, not skipped.
    const before = kit.slack.callsTo('chat.postEphemeral').length;
    const click = buttonClick(
      people.dana,
      { action_id: `${Action.ReleaseMove}:qa`, value: '2026-03-05|qa', block_id: 'release:2026-03-05' },
      { channel: `D${people.dana.id.slice(1)}`, ts: '1.1' },
    );
    expect((await kit.interact(click)).status).toBe(200);
    const qaCall = await eventually(
      () =>
        kit.slack
          .callsTo('chat.postEphemeral')
          .slice(before)
          .find((c) => JSON.stringify(c.body).includes('is in QA')),
      5000,
      'the QA move answered',
    );
    const qa = JSON.stringify(qaCall.body);
    expect(qa).toContain('3 tickets moved');
    expect(qa).toContain(`${d} could not move`);
    for (const n of [a, b, c]) expect((await ticket(n)).development?.status).toBe('qa_in_progress');
    // Ready: only QA approves it, per ticket, through the domain's sign-off check.
    expect(await command(people.dana, 'release next ready', 'is ready for release')).toContain('Only QA can move');
    expect((await ticket(a)).development?.status).toBe('qa_in_progress');
    expect(await command(people.quinn, 'release next ready', 'is ready for release')).toContain('3 tickets moved');

    // Released with its notes: every ticket On Customer Test, the notes posted once to Team Ticketing.
    const notes = 'VAT rates, supplier export and delivery addresses fixed';
    // A replica that crashed mid-release had moved Rita's first ticket (quietly: the notes come with the release).
    const app = kit.helpline.app;
    const danaActor = { platform: 'slack' as const, userId: people.dana.id, name: people.dana.name };
    const first = await ticket(a);
    await app.tickets.save(
      op.moveInRelease(first, 'released', '2026-03-05', notes, opContext(app, danaActor))!,
      first.version,
    );
    // Released… asks for the notes in a form; submitted, the whole release goes live: the rest move, none twice.
    const opened = kit.slack.callsTo('views.open').length;
    await kit.interact(
      buttonClick(
        people.dana,
        { action_id: `${Action.ReleaseMove}:released`, value: '2026-03-05|released', block_id: 'release:2026-03-05' },
        { channel: `D${people.dana.id.slice(1)}`, ts: '1.1' },
      ),
    );
    const form = await eventually(() => kit.slack.callsTo('views.open')[opened], 5000, 'the notes form');
    const view = form.body.view as { callback_id: string; private_metadata: string };
    expect(view.private_metadata).toBe('2026-03-05');
    await kit.interact(viewSubmission(people.dana, view, { notes: { value: text(notes) } }));
    await eventually(
      () => sentTo(kit, people.dana.id, `is released: 2 tickets moved (${b}, ${c})`).length === 1,
      5000,
      'Dana told what the release did',
    );
    expect(sentTo(kit, people.dana.id, `Already moved: ${a}`)).toHaveLength(1);
    for (const n of [a, b, c]) expect((await ticket(n)).status).toBe('on_customer_test');
    // The resolution clock waited for the release; On Customer Test it is no longer held for one.
    expect((await ticket(a)).sla.resolution.pausedBy).not.toBe('waiting for the software release');
    await settle(kit);
    const live = 'The release of Thu 5 Mar is live';
    await eventually(() => sentTo(kit, TEAM_TICKETING, live).length === 1, 5000, 'the notes in Team Ticketing');
    await eventually(() => sentTo(kit, people.rita.id, live).length === 1, 5000, 'Rita told once');
    expect(sentTo(kit, people.rita.id, live)[0]!.body.text).toContain(`${a}, ${b}`);
    await eventually(() => sentTo(kit, olga.id, live).length === 1, 5000, 'Olga told once');
    // Stan's ticket stays Planned, but it is linked to a released one: he hears of the release once, on his ticket.
    await eventually(
      () => sentTo(kit, people.stranger.id, `with the fix for ${a}, which your ${d} is linked to`).length === 1,
      5000,
      'Stan told once',
    );
    expect(sentTo(kit, people.stranger.id, live)).toHaveLength(1);

    // A retry of the same move finishes nothing twice and sends nothing twice.
    const again = await command(people.dana, `release 2026-03-05 released ${notes}`, 'is released: 0 tickets moved');
    expect(again).toContain(`Already moved: ${a}, ${b}, ${c}`);
    await settle(kit);
    expect(sentTo(kit, TEAM_TICKETING, live)).toHaveLength(1);
    expect(sentTo(kit, people.rita.id, live)).toHaveLength(1);
    expect(sentTo(kit, olga.id, live)).toHaveLength(1);
    expect(sentTo(kit, people.stranger.id, live)).toHaveLength(1);
    const history = await kit.helpline.app.events.listFor(a);
    expect(history.filter((e) => e.type === 'development' && e.to === 'released')).toHaveLength(1);
    // No support breach while it waited.
    expect((await ticket(a)).alerting.breachedAt).toBeNull();
  });

  it('a release slipped to the next cycle, the requester told the new date once; planning past the QA cutoff refused', async () => {
    const n = await withDevelopment(kit, 'Remittance advice emails go out twice', 'code_change');
    await plan(n, '2026-03-19');
    await command(people.dana, 'release 2026-03-19 slip', 'slipped to the next cycle: 1 ticket moved');
    expect((await ticket(n)).development?.release).toBe('2026-04-02');
    await settle(kit);
    await eventually(
      () => sentTo(kit, people.rita.id, 'has moved to the release of Thu 2 Apr').length === 1,
      5000,
      'Rita told the new date',
    );
    // A retry slips nothing further.
    await command(people.dana, 'release 2026-03-19 slip', '0 tickets moved');
    expect((await ticket(n)).development?.release).toBe('2026-04-02');
    // Level 1 does not move releases.
    await command(people.lee, 'release 2026-04-02 qa', 'Only');
    // Wednesday 4 March: the release of Thursday 5 March is past its QA cutoff (2 business days before it).
    await setClock(kit, '2026-03-04T10:00:00Z');
    try {
      await pressOnCard(kit, people.dana, TEAM_TICKETING, n, Action.PlanRelease, '2026-03-05');
      await eventually(
        () =>
          kit.slack
            .callsTo('chat.postEphemeral')
            .find((c) => c.body.user === people.dana.id && String(c.body.text).includes('past its QA cutoff')),
        5000,
        'the cutoff refusal',
      ).then((c) => expect(String(c.body.text)).toContain('the next release that can take it is Thu 19 Mar'));
      expect((await ticket(n)).development?.release).toBe('2026-04-02');
      expect(await command(people.dana, 'releases', 'Release Thu 5 Mar')).toContain('past its QA cutoff');
    } finally {
      await setClock(kit, '2026-03-02T10:00:00Z');
    }
  });
});
