import { raiseTicket } from '../../../src/app/raise-ticket';
import { Action } from '../../../src/cards/actions';
import { cardAction } from '../../fixtures/teams/activities';
import { assertValidCard } from '../../fixtures/teams/cards';
import { people, startTeamsKit, type TeamsKit, teamsPolicy } from '../../fixtures/teams/kit';
import { teachZorblax } from '../../helpers/desk-corrections';

/** The desk's learned model in Teams: after a retrain, the Level 1 triage card shows the model's reading and why. */
describe('Teams: the triage card after the desk taught triage', () => {
  let kit: TeamsKit;
  beforeAll(async () => {
    // One requester raises every request the desk corrects (Teams reaches only people it has talked to).
    const policy = teamsPolicy();
    kit = await startTeamsKit({
      now: new Date('2026-03-02T09:00:00Z'),
      policy: { ...policy, limits: { ...policy.limits, raisesPerPerson: { count: 100, per: 60 } } },
    });
  });
  afterAll(async () => {
    await kit.stop();
  });

  it("shows the category the desk's model reads, with the reason, on the Level 1 card", async () => {
    const lee = { platform: 'teams' as const, userId: people.lee.id, name: people.lee.name };
    const rita = { platform: 'teams' as const, userId: people.rita.id, name: people.rita.name };
    await teachZorblax(kit.helpline.app, lee, () => rita);
    kit.helpline.clock.set(new Date('2026-03-03T02:41:00Z'));
    const [report] = await kit.helpline.scheduler.runNow(['triage-retrain']);
    expect(report).toMatchObject({ processed: 1, failed: 0 });

    kit.helpline.clock.set(new Date('2026-03-03T09:00:00Z'));
    const raised = await raiseTicket(kit.helpline.app, {
      requester: rita,
      text: 'our zorblax for the north depot shows nothing since monday',
    });
    expect(raised.ticket).toMatchObject({ categoryId: 'report-questions', team: 'level1' });
    // Level 1 works the card in Teams: the card it answers with gives the model's reading as the category's reason.
    const res = await kit.send(
      cardAction(kit.connector.url, people.lee, Action.AssignToMe, { ticket: raised.ticket!.number, card: 'triage' }),
    );
    const body = res.body as { statusCode: number; value: unknown };
    expect(body.statusCode).toBe(200);
    assertValidCard(body.value);
    expect(JSON.stringify(body.value)).toContain("the desk's model v1 reads Report-related questions");
  });
});
