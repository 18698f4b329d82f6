import { Action } from '../../../src/cards/actions';
import { botAddedToTeam, cardAction, personalMessage, TEAM_ID, type TeamsUser } from '../../fixtures/teams/activities';
import { assertValidCard } from '../../fixtures/teams/cards';
import { people, startTeamsKit, TEAM_TICKETING_CHANNEL, type TeamsKit } from '../../fixtures/teams/kit';
import { eventually } from '../../helpers/harness';

type InvokeBody = { statusCode: number; type: string; value: unknown };

describe('Teams: development routes that can change, and sign-offs held by someone else', () => {
  let kit: TeamsKit;
  beforeAll(async () => {
    kit = await startTeamsKit();
  });
  afterAll(async () => {
    await kit?.stop();
  });
  afterEach(() => {
    kit.assertRecordedCardsValid();
  });

  const ticket = async (n: string) => (await kit.helpline.app.tickets.get(n))!;
  async function act(who: TeamsUser, verb: string, data: Record<string, unknown>): Promise<InvokeBody> {
    const res = await kit.send(cardAction(kit.connector.url, who, verb, { card: 'teamTicketing', ...data }));
    const body = res.body as InvokeBody;
    if (body?.type === 'application/vnd.microsoft.card.adaptive') assertValidCard(body.value);
    return body;
  }

  /** Raised by Rita from the Teams form, escalated to Team Ticketing by Lee and to Development by Sam on `route`. */
  async function withDevelopment(title: string, route: string, requester = people.rita): Promise<string> {
    const raised = await kit.send(
      cardAction(kit.connector.url, requester, Action.SubmitForm, {
        title,
        description: `${title}, since this morning`,
        severity: '3',
        category: 'none',
      }),
    );
    expect(raised.status).toBe(200);
    const mine = await kit.helpline.app.tickets.listByRequester(
      { platform: 'teams', userId: requester.id },
      { openOnly: true, limit: 1 },
    );
    const number = mine[0]!.number;
    expect((await act(people.lee, Action.EscalateTeamTicketing, { ticket: number, card: 'triage' })).statusCode).toBe(
      200,
    );
    expect((await act(people.sam, Action.EscalateDevelopment, { ticket: number, route })).statusCode).toBe(200);
    return number;
  }

  it('a data correction switched to a code change: the card shows it, the requester is told, Level 1 is refused', async () => {
    const number = await withDevelopment('Supplier balances are wrong after the import', 'data_correction');
    const refused = await act(people.lee, Action.SwitchRoute, {
      ticket: number,
      route: 'code_change',
      routeReason: 'bug',
    });
    expect(refused.statusCode).toBe(403);
    expect(JSON.stringify(refused.value)).toContain('Level 2 or a manager can switch');
    const r = await act(people.sam, Action.SwitchRoute, {
      ticket: number,
      route: 'code_change',
      routeReason: 'The import writes the bad rows: it needs a fix',
    });
    expect(r.statusCode).toBe(200);
    expect((await ticket(number)).development).toMatchObject({
      route: 'code_change',
      routeChanges: [
        { from: 'data_correction', to: 'code_change', reason: 'The import writes the bad rows: it needs a fix' },
      ],
    });
    const card = JSON.stringify(r.value);
    expect(card).toContain('Route switched');
    expect(card).toContain('Code change / bug fix');
    // A Severity 3 code change waits for the fortnightly release: the card says when, not a countdown to a breach.
    expect(card).toContain('Resolution: waits for the software release, next release Thu 5 Mar');
    expect(card).toMatch(/Development targets.*take up met .*plan into a release due /);
    expect((await ticket(number)).sla.resolution.state).toBe('paused');
    // A code change may still become a change request: the card offers that switch, with a reason.
    expect(card).toContain('Switch route');
    expect(card).toContain('Change / feature request');
    await kit.helpline.notifier.drain();
    await eventually(
      () =>
        kit.connector
          .delivered()
          .some((c) => JSON.stringify(c.body).includes('needs a change to the software after all')),
      5000,
      'Rita told what the switch means',
    );
  });

  it('the developer cannot sign off their own change; the Dev Lead can; only QA approves the release', async () => {
    const number = await withDevelopment('Payment run exports the wrong IBAN field', 'code_change');
    const dev = (who: TeamsUser, devStatus: string) =>
      act(who, Action.AdvanceDevelopment, { ticket: number, devStatus });
    const planned = await act(people.dana, Action.PlanRelease, { ticket: number, release: '2026-03-19' });
    expect(planned.statusCode).toBe(200);
    expect(JSON.stringify(planned.value)).toContain('Planned for the release of Thu 19 Mar');
    expect((await ticket(number)).development?.release).toBe('2026-03-19');
    expect((await dev(people.dana, 'dev_in_progress')).statusCode).toBe(200);
    expect((await dev(people.dana, 'dev_done_waiting_review')).statusCode).toBe(200);
    const own = await dev(people.dana, 'dev_done_waiting_qa');
    expect(own.statusCode).toBe(403);
    expect(JSON.stringify(own.value)).toContain('signed off by another Dev Lead, not by you. Ask Devon Lake.');
    expect((await ticket(number)).development?.status).toBe('dev_done_waiting_review');
    expect((await dev(people.devon, 'dev_done_waiting_qa')).statusCode).toBe(200);
    expect((await dev(people.dana, 'qa_in_progress')).statusCode).toBe(200);
    const notQa = await dev(people.devon, 'ready_for_release');
    expect(notQa.statusCode).toBe(403);
    expect(JSON.stringify(notQa.value)).toContain('Only QA can move');
    const ok = await dev(people.quinn, 'ready_for_release');
    expect(ok.statusCode).toBe(200);
    expect(JSON.stringify(ok.value)).toContain(
      'Change by Dana Drew · reviewed by Devon Lake (Dev Lead) · approved by Quinn Tate (QA)',
    );
  });

  it('a release moved as one from Teams chat: QA, ready, released; the notes once per person, a retry sends nothing', async () => {
    // The bot in the support team, so the Team Ticketing channel has its conversation reference.
    kit.connector.setTeamChannels(TEAM_ID, [{ id: TEAM_TICKETING_CHANNEL, name: 'Team Ticketing' }]);
    expect((await kit.send(botAddedToTeam(kit.connector.url, people.lee))).status).toBe(200);
    const a = await withDevelopment('Bank import skips the last statement line', 'code_change');
    const b = await withDevelopment('Remittance emails show the wrong due date', 'code_change', people.otto);
    const chat = async (who: TeamsUser, text: string) => {
      const before = kit.connector.delivered().length;
      expect((await kit.send(personalMessage(kit.connector.url, who, text))).status).toBeLessThan(300);
      return kit.connector
        .delivered()
        .slice(before)
        .map((c) => JSON.stringify(c.body))
        .join('\n');
    };
    for (const n of [a, b]) {
      expect((await act(people.dana, Action.PlanRelease, { ticket: n, release: '2026-03-05' })).statusCode).toBe(200);
      for (const [who, devStatus] of [
        [people.dana, 'dev_in_progress'],
        [people.dana, 'dev_done_waiting_review'],
        [people.devon, 'dev_done_waiting_qa'],
      ] as const)
        expect((await act(who, Action.AdvanceDevelopment, { ticket: n, devStatus })).statusCode).toBe(200);
    }
    expect(await chat(people.dana, 'releases')).toContain(`${b} Remittance emails show the wrong due date`);
    expect(await chat(people.rita, 'releases')).toContain('Only');
    // QA in progress from the releases card's control: one click moves both tickets; the card comes back refreshed.
    const qa = await kit.send(
      cardAction(kit.connector.url, people.dana, Action.ReleaseMove, { day: '2026-03-05', move: 'qa' }),
    );
    const qaCard = (qa.body as InvokeBody).value;
    assertValidCard(qaCard);
    expect(JSON.stringify(qaCard)).toContain('is in QA: 2 tickets moved');
    expect(JSON.stringify(qaCard)).toContain('QA in Progress');
    expect(await chat(people.devon, 'release next ready')).toContain('Only QA can move');
    expect(await chat(people.quinn, 'release next ready')).toContain('is ready for release: 2 tickets moved');
    expect(await chat(people.dana, 'release 2026-03-05 released Bank import and remittance dates fixed')).toContain(
      'is released: 2 tickets moved',
    );
    for (const n of [a, b]) expect((await ticket(n)).status).toBe('on_customer_test');
    await kit.helpline.notifier.drain();
    const told = (text: string) =>
      kit.connector.delivered().filter((c) => JSON.stringify(c.body).includes(text)).length;
    await eventually(() => told(`with the fix for your ${a}: Bank import`) === 1, 5000, 'Rita told once');
    await eventually(() => told(`with the fix for your ${b}: Bank import`) === 1, 5000, 'Otto told once');
    await eventually(() => told('is live: Bank import and remittance dates fixed') === 1, 5000, 'Team Ticketing');
    expect(await chat(people.dana, 'release 2026-03-05 released Bank import and remittance dates fixed')).toContain(
      `Already moved: ${a}, ${b}`,
    );
    await kit.helpline.notifier.drain();
    expect(told(`with the fix for your ${a}: Bank import`)).toBe(1);
    expect(told('is live: Bank import and remittance dates fixed')).toBe(1);
  });

  it('a change request accepted for a release: Planned, on the card with its release, its clock waiting', async () => {
    const number = await withDevelopment('Allow bulk approval of invoices from the inbox', 'change_request');
    const refused = await act(people.sam, Action.RoadmapDecision, {
      ticket: number,
      roadmapDecision: 'accepted',
      roadmapReason: 'ok',
    });
    expect(refused.statusCode).toBe(403);
    const r = await act(people.dana, Action.RoadmapDecision, {
      ticket: number,
      roadmapDecision: 'accepted',
      roadmapTarget: '2026-03-19',
      roadmapReason: 'Fits the inbox work already planned',
    });
    expect(r.statusCode).toBe(200);
    expect((await ticket(number)).development).toMatchObject({
      status: 'planned',
      roadmap: { decision: 'accepted', target: '2026-03-19' },
    });
    expect((await ticket(number)).sla.resolution.state).toBe('paused');
    const card = JSON.stringify(r.value);
    expect(card).toContain('Accepted for the release of Thu 19 Mar by Dana Drew: Fits the inbox work already planned');
    expect(card).not.toContain('Record roadmap decision');
  });

  it('a quote sent and declined: recorded on the card, the ticket closed with the reason', async () => {
    const raised = await kit.send(
      cardAction(kit.connector.url, people.rita, Action.SubmitForm, {
        title: 'Add our new logo to the invoice PDF',
        description: 'Branding change',
        severity: '4',
        category: 'none',
      }),
    );
    expect(raised.status).toBe(200);
    const number = (
      await kit.helpline.app.tickets.listByRequester(
        { platform: 'teams', userId: people.rita.id },
        { openOnly: true, limit: 1 },
      )
    )[0]!.number;
    const tri = (data: Record<string, unknown>) => ({ ticket: number, card: 'triage', ...data });
    for (const status of ['triage', 'quote_required'])
      if ((await ticket(number)).status !== status)
        expect((await act(people.lee, Action.ChangeStatus, tri({ status }))).statusCode).toBe(200);
    const early = await act(people.lee, Action.QuoteOutcome, tri({ quoteDecision: 'declined', quoteReason: 'x' }));
    expect(JSON.stringify(early.value)).toContain('no quote sent yet');
    const sent = await act(
      people.lee,
      Action.QuoteSent,
      tri({ quoteAmount: '450', quoteCurrency: 'EUR', quoteSentTo: 'Carla Finance' }),
    );
    expect(sent.statusCode).toBe(200);
    expect(JSON.stringify(sent.value)).toContain('EUR sent to Carla Finance (Mon 10:00, Lee Lewis)');
    expect(JSON.stringify(sent.value)).toContain('Quote outcome');
    const declined = await act(
      people.lee,
      Action.QuoteOutcome,
      tri({ quoteDecision: 'declined', quoteReason: 'Over this year budget' }),
    );
    expect(declined.statusCode).toBe(200);
    expect(await ticket(number)).toMatchObject({
      status: 'closed',
      quote: { amount: 450, currency: 'EUR', outcome: { decision: 'declined', reason: 'Over this year budget' } },
    });
  });
});
