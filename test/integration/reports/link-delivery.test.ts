import type { ConnectorCall } from '../../fakes/bot-connector';
import { people, startSlackKit } from '../../fixtures/slack/kit';
import { slashCommand } from '../../fixtures/slack/payloads';
import { channelMention, personalConversation, personalMessage, user } from '../../fixtures/teams/activities';
import { startTeamsKit, TRIAGE_CHANNEL } from '../../fixtures/teams/kit';

/**
 * A report link is single use and starts its manager's session, so it is only ever sent in a 1:1 conversation
 * with them: asked for in a channel or group chat, it goes to their DM / personal chat, and the channel hears
 * only where it went. Checked on what reached the fake Slack API and the fake Bot Connector.
 */
const LINK = /https?:\/\/\S+\/reports\/open\?token=[A-Za-z0-9._%-]+/;
const TRIAGE = 'C0TRIAGE';

describe('/ticket report in Slack', () => {
  it('in a channel: the link goes in a DM to the manager, the channel gets an ephemeral "sent you a DM"', async () => {
    const kit = await startSlackKit();
    try {
      const mike = await kit.command(slashCommand(people.mike, 'report', TRIAGE));
      expect(mike.status).toBe(200);
      const ack = JSON.parse(mike.text) as { response_type: string; text: string };
      expect(ack).toEqual({ response_type: 'ephemeral', text: expect.stringMatching(/sent you .* direct message/) });
      expect(mike.text).not.toMatch(/token=/);

      const dm = await kit.waitFor('chat.postMessage', (c) => LINK.test(String(c.body.text)), 'the DM with the link');
      expect(dm.body.channel).toBe(people.mike.id); // a user id: Slack posts it in the DM with the bot
      expect(dm.body).toMatchObject({ unfurl_links: 'false', unfurl_media: 'false' }); // form-encoded: no preview fetches it
      // Nothing with a link went anywhere else, ephemeral or not.
      const withLink = kit.slack.calls.filter((c) => JSON.stringify(c.body).includes('token='));
      expect(withLink.map((c) => [c.method, c.body.channel])).toEqual([['chat.postMessage', people.mike.id]]);
    } finally {
      await kit.stop();
    }
  });

  it('anyone else is refused, and no link is made', async () => {
    const kit = await startSlackKit();
    try {
      const rita = await kit.command(slashCommand(people.rita, 'report', TRIAGE));
      expect(JSON.parse(rita.text)).toEqual({
        response_type: 'ephemeral',
        text: expect.stringMatching(/^Sorry, the SLA and satisfaction reports are for support managers/),
      });
      expect(kit.slack.calls.filter((c) => JSON.stringify(c.body).includes('token='))).toEqual([]);
    } finally {
      await kit.stop();
    }
  });
});

describe('report in Teams', () => {
  const mike = user('29:mike-fox', 'Mike Fox');
  const james = user('29:james-goulbourne', 'James Goulbourne');
  const textOf = (c: ConnectorCall) => String(c.body.text ?? '');
  const inChannel = (c: ConnectorCall) => (c.conversationId ?? '').split(';')[0] === TRIAGE_CHANNEL;

  it('in a channel: the link goes to the personal chat, the channel hears only where it went', async () => {
    const kit = await startTeamsKit();
    try {
      // Mike has talked to the bot in his personal chat before: its reference is stored.
      expect((await kit.send(personalMessage(kit.connector.url, mike, 'help'))).status).toBe(200);
      kit.connector.reset();

      expect((await kit.send(channelMention(kit.connector.url, mike, 'report', TRIAGE_CHANNEL))).status).toBe(200);
      const delivered = kit.connector.delivered();
      const personal = String(personalConversation(mike).id);
      const dm = delivered.filter((c) => c.conversationId === personal);
      expect(dm).toHaveLength(1);
      expect(dm[0]).toMatchObject({ kind: 'send' });
      expect(textOf(dm[0] as ConnectorCall)).toMatch(LINK);

      const channel = delivered.filter(inChannel);
      expect(channel).toHaveLength(1);
      expect(textOf(channel[0] as ConnectorCall)).toMatch(/sent you the reports link in our personal chat/);
      expect(delivered.filter((c) => JSON.stringify(c.body).includes('token='))).toEqual(dm);
    } finally {
      await kit.stop();
    }
  });

  it('in a channel, with no personal chat known: a personal chat is opened for the link, never the channel', async () => {
    const kit = await startTeamsKit();
    try {
      expect((await kit.send(channelMention(kit.connector.url, james, 'report', TRIAGE_CHANNEL))).status).toBe(200);
      const delivered = kit.connector.delivered();
      expect(delivered.some((c) => c.kind === 'createConversation')).toBe(true);
      const withLink = delivered.filter((c) => JSON.stringify(c.body).includes('token='));
      expect(withLink.length).toBeGreaterThan(0);
      expect(withLink.filter(inChannel)).toEqual([]);
      const channel = delivered.filter(inChannel);
      expect(channel).toHaveLength(1);
      expect(textOf(channel[0] as ConnectorCall)).toMatch(/sent you the reports link in our personal chat/);
    } finally {
      await kit.stop();
    }
  });

  it('in a channel, when the personal chat cannot be reached: no link anywhere, and it says to message the bot', async () => {
    const kit = await startTeamsKit();
    try {
      kit.connector.failNext(5, 403);
      expect((await kit.send(channelMention(kit.connector.url, james, 'report', TRIAGE_CHANNEL))).status).toBe(200);
      const delivered = kit.connector.delivered();
      expect(delivered.filter((c) => JSON.stringify(c.body).includes('token='))).toEqual([]);
    } finally {
      await kit.stop();
    }
  });

  it('in the personal chat: the link is the answer there', async () => {
    const kit = await startTeamsKit();
    try {
      expect((await kit.send(personalMessage(kit.connector.url, mike, 'report'))).status).toBe(200);
      const withLink = kit.connector.delivered().filter((c) => LINK.test(textOf(c)));
      expect(withLink.map((c) => c.conversationId)).toEqual([String(personalConversation(mike).id)]);
    } finally {
      await kit.stop();
    }
  });
});
