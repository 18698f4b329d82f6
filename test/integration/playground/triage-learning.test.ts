import { personalConversationId } from '../../../src/adapters/playground/directory';
import { teachZorblax } from '../../helpers/desk-corrections';
import type { TestHelpline } from '../../helpers/harness';
import { demoPolicy, type PlaygroundClient, usePlayground } from './kit';

/** The desk's learned model in the playground: a request raised there after a retrain, its triage card. */
describe('Playground: the triage card after the desk taught triage', () => {
  let helpline: TestHelpline;
  let client: PlaygroundClient;
  const policy = demoPolicy();
  const RITA = personalConversationId('rita.requester');

  usePlayground(policy, (h, c) => {
    helpline = h;
    client = c;
  });

  it("shows the category the desk's model reads, with the reason", async () => {
    const lee = { platform: 'playground' as const, userId: 'lee.level1', name: 'Lee Lewis' };
    await teachZorblax(helpline.app, lee);
    helpline.clock.set(new Date('2026-03-03T02:41:00Z'));
    expect((await helpline.scheduler.runNow(['triage-retrain']))[0]).toMatchObject({ processed: 1, failed: 0 });

    helpline.clock.set(new Date('2026-03-03T09:00:00Z'));
    expect((await client.say('rita.requester', RITA, 'our zorblax for the north depot shows nothing')).status).toBe(
      200,
    );
    const form = await client.waitFor(RITA, /intake\.submit/, 'the intake form');
    expect(await client.click('rita.requester', form, 'Raise ticket')).toMatchObject({ kind: 'card', status: 200 });
    const confirmation = await client.waitFor(RITA, /SR-\d+/, 'the ticket card in place of the form');
    const number = /SR-\d+/.exec(JSON.stringify(confirmation.attachments))![0];
    await client.waitFor(
      policy.channels.triage.id,
      new RegExp(`${number}[^0-9].*the desk's model v1 reads Report-related questions`),
      'the triage card with the model reading',
    );
    expect((await helpline.app.tickets.get(number))?.team).toBe('level1');
  });
});
