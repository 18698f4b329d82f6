import { startFakeBotConnector } from '../../fakes/bot-connector';
import { personalMessage } from '../../fixtures/teams/activities';
import { people } from '../../fixtures/teams/kit';
import { startTestHelpline } from '../../helpers/harness';

describe('Teams: authentication', () => {
  it('with MicrosoftAppId set, an activity without a valid token is refused and nothing is sent', async () => {
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined); // the SDK logs refused tokens
    const connector = await startFakeBotConnector();
    const helpline = await startTestHelpline({
      prefix: 'teamsauth',
      env: { MicrosoftAppId: '0b3c5a1e-1234-4abc-9def-0123456789ab', MicrosoftAppPassword: 'not-a-real-secret' },
    });
    try {
      const activity = personalMessage(connector.url, people.rita, 'help');
      const post = (headers: Record<string, string>) =>
        fetch(`${helpline.base}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(activity),
        });
      expect((await post({})).status).toBe(401);
      expect((await post({ authorization: 'Bearer not.a.jwt' })).status).toBe(401);
      expect(connector.calls).toHaveLength(0);
    } finally {
      await helpline.stop();
      await connector.close();
      quiet.mockRestore();
    }
  });

  it('in production without MicrosoftAppId, the unauthenticated endpoint is not mounted at all', async () => {
    const connector = await startFakeBotConnector();
    const helpline = await startTestHelpline({
      prefix: 'teamsprod',
      env: {
        NODE_ENV: 'production',
        HELPLINE_TEST_CLOCK: '0',
        HELPLINE_PLAYGROUND: '0',
        REPORTS_SECRET: 'production-reports-secret-0123456789abcdef',
        PUBLIC_URL: 'https://helpline.example.com',
      },
    });
    try {
      const activity = personalMessage(connector.url, people.rita, 'help');
      const res = await fetch(`${helpline.base}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      });
      expect(res.status).toBe(404);
      expect(connector.calls).toHaveLength(0);
      expect((await fetch(`${helpline.base}/`)).status).toBe(404); // no playground either
    } finally {
      await helpline.stop();
      await connector.close();
    }
  });
});
