import { View } from '../../../src/cards/actions';
import { slackChoices } from '../../../src/cards/slack/choices';
import { intakeModal } from '../../../src/cards/slack/intake';
import { allText, latestCard, people, type SlackKit, useSlackKit } from '../../fixtures/slack/kit';
import { chosen, TRIAGE, text, viewSubmission } from '../../fixtures/slack/payloads';
import { eventually } from '../../helpers/harness';

const DEV_TRIAGE = 'C0DEVTRIAGE';

describe('Slack: "How bad is it?" on the intake modal is a hint', () => {
  let kit: SlackKit;
  useSlackKit((k) => {
    kit = k;
  });

  async function submit(title: string, howBad: string | null, severity?: string) {
    const res = await kit.interact(
      viewSubmission(
        people.rita,
        { callback_id: View.Intake, private_metadata: '{}' },
        {
          title: { value: text(title) },
          description: { value: text(title) },
          ...(howBad ? { how_bad: { value: chosen(howBad) } } : {}),
          ...(severity ? { severity: { value: chosen(severity) } } : {}),
        },
      ),
    );
    expect(res.status).toBe(200);
    const dm = await kit.waitFor(
      'chat.postMessage',
      (c) => c.body.channel === people.rita.id && String(c.body.text).includes('raised'),
    );
    const number = /SR-\d+/.exec(String(dm.body.text))?.[0] ?? '';
    await kit.drain();
    const card = await eventually(() => latestCard(kit, TRIAGE, number), 5000, 'triage card');
    const ticket = await kit.helpline.app.tickets.get(number);
    if (!ticket) throw new Error(`${number} is missing`);
    return { number, card, ticket };
  }

  it('offers the choice in the requester’s words, unset', () => {
    // The modal is the one the form opens; its block is built from one wording for both platforms.
    const view = JSON.stringify(
      intakeModal({ title: '', description: '', severity: 3, categoryId: null }, slackChoices(kit.helpline.app.policy)),
    );
    expect(view).toContain('How bad is it?');
    expect(view).toContain('Nobody can use the system / it is down');
    const blocks = (JSON.parse(view) as { blocks: Array<{ block_id?: string; element?: object }> }).blocks;
    expect(blocks.find((b) => b.block_id === 'how_bad')?.element).not.toHaveProperty('initial_option');
  });

  it('the requester says nobody can use the system, triage reads it as minor: not Severity 1, nobody paged, the card shows both', async () => {
    const { number, card, ticket } = await submit('The logo on the invoice PDF is slightly blurry, just cosmetic', '1');
    expect(ticket.severity).not.toBe(1);
    expect(ticket.requesterSeverity).toBe(1);
    expect(
      kit.slack.calls.filter((c) => c.body.channel === DEV_TRIAGE && JSON.stringify(c.body).includes(number)),
    ).toHaveLength(0);
    const words = allText(card).join('\n');
    expect(words).toContain('The requester says: nobody can use the system / it is down (Severity 1)');
    expect(words).toContain(`triage reads Severity ${ticket.triage?.severity}`);
    const events = await kit.helpline.app.events.listFor(number);
    expect(events.find((e) => e.type === 'raised')?.note).toContain('the requester says Severity 1');
  });

  it('both say Severity 1: raised at 1 and Development triage is paged at once', async () => {
    const { number, ticket } = await submit('Nobody here can log in, the whole system is down for everyone', '1');
    expect(ticket.severity).toBe(1);
    await eventually(
      () => kit.slack.calls.find((c) => c.body.channel === DEV_TRIAGE && JSON.stringify(c.body).includes(number)),
      5000,
      'development triage paged',
    );
  });

  it("a requester's own Severity 1 in the form's severity field is the same claim: nobody paged, the card shows both", async () => {
    const { number, card, ticket } = await submit(
      'A typo in the footer of the invoice PDF, purely cosmetic',
      null,
      '1',
    );
    expect(ticket.severity).not.toBe(1);
    expect(ticket.requesterSeverity).toBe(1);
    expect(
      kit.slack.calls.filter((c) => c.body.channel === DEV_TRIAGE && JSON.stringify(c.body).includes(number)),
    ).toHaveLength(0);
    expect(allText(card).join('\n')).toContain(
      'The requester says: nobody can use the system / it is down (Severity 1)',
    );
  });
});
