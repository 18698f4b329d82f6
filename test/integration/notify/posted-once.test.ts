import { raiseTicket } from '../../../src/app/raise-ticket';
import { people, type SlackKit, useSlackKit } from '../../fixtures/slack/kit';

/**
 * Slack posted the triage card but its answer never came back (the replica died, or the connection dropped):
 * the retry finds the card by the outbox key in its metadata and does not post it a second time.
 */
describe('a retried delivery whose first attempt did post', () => {
  let kit: SlackKit;
  useSlackKit((k) => {
    kit = k;
  });

  it('finds the earlier post in the channel history and records it instead of posting again', async () => {
    kit.slack.failNext(1, { status: 500, afterEffect: true, method: 'chat.postMessage', channel: 'C0TRIAGE' });
    const r = await raiseTicket(kit.helpline.app, {
      requester: { platform: 'slack', userId: people.rita.id, name: people.rita.name },
      text: 'The supplier import failed this morning',
    });
    const number = r.ticket?.number as string;
    await kit.drain(); // attempt 1: posted, but the bot saw a 500
    kit.helpline.clock.advanceMinutes(10); // past the retry's backoff
    await kit.drain(); // attempt 2
    const posts = kit.slack.callsTo('chat.postMessage').filter((c) => c.body.channel === 'C0TRIAGE');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.body.metadata).toMatchObject({
      event_type: 'helpline_notice',
      event_payload: { key: expect.stringContaining(number) },
    });
    expect(kit.slack.callsTo('conversations.history')).toHaveLength(1);
    expect(kit.slack.callsTo('conversations.history')[0]?.body).toMatchObject({
      channel: 'C0TRIAGE',
      include_all_metadata: 'true',
    });
    // The card found is the one the ticket now updates in place.
    const ticket = await kit.helpline.app.tickets.get(number);
    expect(ticket?.posts.filter((p) => p.channel === 'C0TRIAGE')).toHaveLength(1);
    const outbox = await kit.helpline.app.models.Outbox.find({ ticket: number, type: 'ticket.raised' }).lean();
    expect(outbox.map((o) => [o.status, o.attempts])).toEqual([['delivered', 2]]);
  });

  it('a first attempt posts without looking (no history read on the common path)', async () => {
    await raiseTicket(kit.helpline.app, {
      requester: { platform: 'slack', userId: people.rita.id, name: people.rita.name },
      text: 'The approval workflow is broken',
    });
    await kit.drain();
    expect(kit.slack.callsTo('conversations.history')).toHaveLength(0);
    expect(kit.slack.callsTo('chat.postMessage').filter((c) => c.body.channel === 'C0TRIAGE')).toHaveLength(1);
  });
});
