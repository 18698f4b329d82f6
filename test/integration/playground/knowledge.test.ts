import { personalConversationId } from '../../../src/adapters/playground/directory';
import { assertValidCard } from '../../fixtures/teams/cards';
import { startTestHelpline, type TestHelpline } from '../../helpers/harness';
import { CARD, demoPolicy, MONDAY_0900_LONDON, PlaygroundClient } from './kit';

describe('Playground: knowledge answers before a ticket', () => {
  let helpline: TestHelpline;
  let client: PlaygroundClient;
  const RITA = personalConversationId('rita.requester');

  beforeAll(async () => {
    helpline = await startTestHelpline({ policy: demoPolicy(), now: MONDAY_0900_LONDON, prefix: 'playground-kb' });
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

  const ticketsOfRita = async () => {
    const rita = (await client.state()).people.find((p) => p.id === 'rita.requester');
    return helpline.app.tickets.listByRequester(
      { platform: 'playground', userId: rita?.accountId ?? '' },
      { openOnly: false, limit: 100 },
    );
  };

  it('Yes on the article: no ticket, one deflection; No on another: the form, and the ticket notes the article', async () => {
    const before = (await ticketsOfRita()).length;
    expect((await client.say('rita.requester', RITA, 'Our auditors need a copy of your SOC 2 report')).status).toBe(
      200,
    );
    const article = await client.waitFor(RITA, /Did this solve it/, 'the article');
    expect(JSON.stringify(article.attachments)).toContain('Getting our SOC 2 report');
    expect(await client.click('rita.requester', article, 'Yes, that solved it')).toMatchObject({ kind: 'card' });
    await client.waitFor(RITA, /Glad that solved it/, 'the thanks in place of the article');
    const rows = await helpline.app.deflections.countByArticle(new Date(0), new Date('2100-01-01'));
    expect(rows).toContainEqual({ article: 'soc2-report', count: 1 });
    expect((await ticketsOfRita()).length).toBe(before);

    await client.say('rita.requester', RITA, 'I forgot my workflow password, how do I reset it?');
    const second = await client.waitFor(RITA, /Reset your workflow password/, 'the password article');
    expect(await client.click('rita.requester', second, 'No, raise a ticket')).toMatchObject({ kind: 'card' });
    const form = await client.waitFor(RITA, /did not solve it/, 'the intake form in place of the article');
    expect(await client.click('rita.requester', form, 'Raise ticket')).toMatchObject({ kind: 'card', status: 200 });
    const raised = await client.waitFor(RITA, /SR-\d+/, 'the ticket card');
    const number = /SR-\d+/.exec(JSON.stringify(raised.attachments))?.[0] ?? '';
    const events = await helpline.app.events.listFor(number);
    expect(events.find((e) => e.type === 'knowledge_not_solved')).toMatchObject({ to: 'workflow-password' });
  });
});
