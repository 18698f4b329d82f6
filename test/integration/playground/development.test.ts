import { personalConversationId } from '../../../src/adapters/playground/directory';
import { assertValidCard } from '../../fixtures/teams/cards';
import { startTestHelpline, type TestHelpline } from '../../helpers/harness';
import { CARD, demoPolicy, MONDAY_0900_LONDON, PlaygroundClient } from './kit';

describe('Playground: a route switched, and sign-offs held by someone else', () => {
  let helpline: TestHelpline;
  let client: PlaygroundClient;
  const policy = demoPolicy();
  const TRIAGE = policy.channels.triage.id;
  const TEAM_TICKETING = policy.channels.teamTicketing.id;
  const RITA = personalConversationId('rita.requester');

  beforeAll(async () => {
    helpline = await startTestHelpline({ policy, now: MONDAY_0900_LONDON, prefix: 'playground_dev' });
    client = new PlaygroundClient(helpline);
    await client.listen();
  });
  afterAll(async () => {
    client?.close();
    await helpline?.stop();
  });
  afterEach(() => {
    for (const a of client.seen)
      for (const att of a.attachments ?? []) if (att.contentType === CARD) assertValidCard(att.content);
  });

  const ticket = async (n: string) => (await helpline.app.tickets.get(n))!;
  /** The Team Ticketing card of `number` once it shows `text`. */
  const ttCard = (number: string, text: string) =>
    client.waitFor(TEAM_TICKETING, new RegExp(`${number}[^0-9][\\s\\S]*${text}`), `${number}'s card with ${text}`);

  it('performance → code change with a reason, then the developer, the Dev Lead and QA each sign their own step', async () => {
    await client.say(
      'rita.requester',
      RITA,
      'The invoice search is slow when I filter by supplier; searching by date still works',
    );
    const form = await client.intakeForm('rita.requester', RITA);
    await client.click('rita.requester', form, 'Raise ticket');
    const number = /SR-\d+/.exec(JSON.stringify((await client.waitFor(RITA, /SR-\d+/, 'the card')).attachments))![0];
    const triage = await client.waitFor(TRIAGE, new RegExp(`${number}[^0-9]`), 'the triage card');
    await client.click('lee.level1', triage, 'Escalate to Team Ticketing');
    let card = await client.waitFor(TEAM_TICKETING, new RegExp(`${number}[^0-9]`), 'the Team Ticketing card');
    expect(await client.click('sam.level2', card, 'Escalate', { route: 'performance_infrastructure' })).toMatchObject({
      kind: 'card',
    });

    card = await ttCard(number, 'Switch route');
    expect(
      await client.click('dev.dana', card, 'Switch route', {
        route: 'code_change',
        routeReason: 'The search index needs a code change',
      }),
    ).toMatchObject({ kind: 'card' });
    expect((await ticket(number)).development?.route).toBe('code_change');
    expect((await ticket(number)).severity).toBe(3);
    await ttCard(number, 'waits for the software release, next release Thu 5 Mar');
    await ttCard(number, 'plan into a release due');
    await client.waitFor(RITA, /needs a change to the software after all/, 'Rita told what it means');
    card = await ttCard(number, 'Plan into release');
    expect(await client.click('dev.dana', card, 'Plan into release', { release: '2026-03-19' })).toMatchObject({
      kind: 'card',
    });
    await ttCard(number, 'Planned for the release of Thu 19 Mar');
    await client.waitFor(RITA, /is planned for the release of Thu 19 Mar/, 'Rita told the date');

    const move = async (who: string, devStatus: string) => {
      const c = await ttCard(number, 'Set development status');
      return client.click(who, c, 'Set development status', { devStatus });
    };
    expect(await move('dev.dana', 'dev_in_progress')).toMatchObject({ kind: 'card' });
    expect(await move('dev.dana', 'dev_done_waiting_review')).toMatchObject({ kind: 'card' });
    const own = await move('dev.dana', 'dev_done_waiting_qa');
    expect(own).toMatchObject({ kind: 'error' });
    expect(own.message).toContain('Ask Devon Lake');
    expect(await move('dev.lead', 'dev_done_waiting_qa')).toMatchObject({ kind: 'card' });
    expect(await move('dev.dana', 'qa_in_progress')).toMatchObject({ kind: 'card' });
    expect((await move('dev.lead', 'ready_for_release')).message).toContain('Only QA can move');
    expect(await move('qa.quinn', 'ready_for_release')).toMatchObject({ kind: 'card' });
    expect((await ticket(number)).development).toMatchObject({
      status: 'ready_for_release',
      doneBy: { name: 'Dana Drew' },
      reviewedBy: { name: 'Devon Lake' },
      qaBy: { name: 'Quinn Tate' },
    });
    await ttCard(number, 'approved by Quinn Tate');

    // The whole release of Thu 19 Mar goes live from Dana's chat: the notes once to Team Ticketing and to Rita.
    const DANA = personalConversationId('dev.dana');
    await client.say('dev.dana', DANA, 'releases');
    const releases = await client.waitFor(
      DANA,
      new RegExp(`Release Thu 19 Mar \\(2026-03-19\\)[\\s\\S]*${number}`),
      'the releases card',
    );
    expect(
      await client.click('dev.dana', releases, 'Release it', {
        releaseNotes_20260319: 'Supplier filter is fast again',
      }),
    ).toMatchObject({ kind: 'card' });
    expect(await ticket(number)).toMatchObject({ status: 'on_customer_test', development: { status: 'released' } });
    await client.waitFor(RITA, /The release of Thu 19 Mar is live, with the fix for your/, 'Rita told');
    await client.waitFor(TEAM_TICKETING, /The release of Thu 19 Mar is live: Supplier filter/, 'the notes posted');
  });

  it('a change request declined from the Development card: the requester told, the ticket closed', async () => {
    await client.say('rita.requester', RITA, 'Could you add a dark mode to the approvals screen please');
    const form = await client.intakeForm('rita.requester', RITA);
    await client.click('rita.requester', form, 'Raise ticket');
    await client.waitFor(RITA, /dark mode/, 'the ticket card');
    const mine = await helpline.app.tickets.listByRequester(
      { platform: 'playground', userId: 'rita.requester' },
      { openOnly: true, limit: 5 },
    );
    const number = mine.find((t) => t.title.includes('dark mode'))!.number;
    const triage = await client.waitFor(TRIAGE, new RegExp(`${number}[^0-9]`), 'the triage card');
    await client.click('lee.level1', triage, 'Escalate to Team Ticketing');
    const card = await client.waitFor(TEAM_TICKETING, new RegExp(`${number}[^0-9]`), 'the Team Ticketing card');
    await client.click('sam.level2', card, 'Escalate', { route: 'change_request' });
    const dev = await ttCard(number, 'Record roadmap decision');
    expect(
      await client.click('dev.dana', dev, 'Record roadmap decision', {
        roadmapDecision: 'declined',
        roadmapReason: 'Not on the roadmap this year',
      }),
    ).toMatchObject({ kind: 'card' });
    expect((await ticket(number)).status).toBe('closed');
    await client.waitFor(RITA, /declined it: Not on the roadmap this year/, 'Rita told');
  });

  it('a quote sent and accepted from the triage card: Work in Progress', async () => {
    await client.say('rita.requester', RITA, 'Please change the colours on our invoice template to the new brand');
    const form = await client.intakeForm('rita.requester', RITA);
    await client.click('rita.requester', form, 'Raise ticket');
    await client.waitFor(RITA, /new brand/, 'the ticket card');
    const mine = await helpline.app.tickets.listByRequester(
      { platform: 'playground', userId: 'rita.requester' },
      { openOnly: true, limit: 5 },
    );
    const number = mine.find((t) => t.title.includes('new brand'))!.number;
    for (const status of ['triage', 'quote_required']) {
      if ((await ticket(number)).status === status) continue;
      const card = await client.waitFor(TRIAGE, new RegExp(`${number}[^0-9]`), 'the triage card');
      expect(await client.click('lee.level1', card, 'Set status', { status })).toMatchObject({ kind: 'card' });
    }
    let card = await client.waitFor(TRIAGE, new RegExp(`${number}[^0-9][\\s\\S]*Record the quote`), 'Quote');
    expect(
      await client.click('lee.level1', card, 'Record the quote', {
        quoteAmount: '300',
        quoteCurrency: 'GBP',
        quoteSentTo: 'Rita Reyes',
      }),
    ).toMatchObject({ kind: 'card' });
    card = await client.waitFor(TRIAGE, new RegExp(`${number}[^0-9][\\s\\S]*Record the outcome`), 'the outcome');
    expect(
      await client.click('lee.level1', card, 'Record the outcome', {
        quoteDecision: 'accepted',
        quoteReason: 'Approved by email',
      }),
    ).toMatchObject({ kind: 'card' });
    expect(await ticket(number)).toMatchObject({ status: 'work_in_progress', quote: { amount: 300, currency: 'GBP' } });
    await client.waitFor(RITA, /is accepted \(Approved by email\)/, 'Rita told');
  });
});
