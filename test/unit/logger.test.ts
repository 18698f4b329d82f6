import { createLogger } from '../../src/logger';

function capture(secrets: string[] = []) {
  const lines: string[] = [];
  const log = createLogger('debug', { secrets, destination: { write: (l: string) => lines.push(l) } });
  return { log, text: () => lines.join('') };
}

describe('logger: secrets never reach the log', () => {
  it('redacts authorization headers, signatures and credential fields by path', () => {
    const { log, text } = capture();
    log.info(
      {
        req: { headers: { authorization: 'Basic c2VjcmV0LWF1dGg=', 'x-slack-signature': 'v0=feedface0123' } },
        headers: { Authorization: 'token-in-headers-1', cookie: 'sid=cookie-value-1' },
        slack: { botToken: 'bot-token-value-1', signingSecret: 'signing-secret-1', appToken: 'app-token-value-1' },
        teams: { MicrosoftAppPassword: 'teams-password-1', clientSecret: 'client-secret-1' },
        err: { config: { headers: { Authorization: 'axios-auth-value-1' } } },
        token: 'top-level-token-1',
      },
      'request',
    );
    const out = text();
    for (const secret of [
      'c2VjcmV0LWF1dGg',
      'feedface0123',
      'token-in-headers-1',
      'cookie-value-1',
      'bot-token-value-1',
      'signing-secret-1',
      'app-token-value-1',
      'teams-password-1',
      'client-secret-1',
      'axios-auth-value-1',
      'top-level-token-1',
    ])
      expect(out).not.toContain(secret);
    expect(out.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(11);
  });

  it('masks link tokens in URLs, bearer and Slack tokens in messages, and any configured secret value', () => {
    const { log, text } = capture(['configured-secret-value-42']);
    log.debug({ url: '/reports/open?token=abc.def.ghi&view=1' }, 'request');
    log.warn('calling Slack with xoxb-1111-2222-abcdef failed: Bearer eyJhbGciOiJIUzI1NiJ9.payload');
    log.error({ err: new Error('HubSpot said no to configured-secret-value-42') }, 'directory failed');
    const out = text();
    expect(out).not.toContain('abc.def.ghi');
    expect(out).toContain('/reports/open?token=[redacted]&view=1');
    expect(out).not.toContain('xoxb-1111');
    expect(out).not.toContain('eyJhbGciOiJIUzI1NiJ9');
    expect(out).not.toContain('configured-secret-value-42');
    expect(out).toContain('HubSpot said no to [redacted]');
  });
});
