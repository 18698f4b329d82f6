import { slackTeamAllowed, teamsActivityAllowed, tenantOf } from '../../../src/adapters/allow-list';
import { parseEnv } from '../../../src/config/env';

const TEAMS = { MicrosoftAppId: 'app-id', MicrosoftAppPassword: 'pw' };
const fromTenant = (id: string) => ({ channelId: 'msteams', channelData: { tenant: { id } } });

describe('Teams tenant allow-list', () => {
  it('serves any tenant when ALLOWED_TEAMS_TENANTS is unset', () => {
    expect(teamsActivityAllowed(parseEnv(TEAMS), fromTenant('anyone'))).toBe(true);
  });

  it('serves only the listed tenants (case-insensitive ids), from channelData or the conversation', () => {
    const env = parseEnv({ ...TEAMS, ALLOWED_TEAMS_TENANTS: 'AAAA-1,bbbb-2' });
    expect(teamsActivityAllowed(env, fromTenant('aaaa-1'))).toBe(true);
    expect(teamsActivityAllowed(env, { channelId: 'msteams', conversation: { tenantId: 'bbbb-2' } } as never)).toBe(
      true,
    );
    expect(teamsActivityAllowed(env, fromTenant('cccc-3'))).toBe(false);
    expect(teamsActivityAllowed(env, { channelId: 'msteams' })).toBe(false);
  });

  it('adds a SingleTenant bot its own tenant', () => {
    const env = parseEnv({
      ...TEAMS,
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: 'own-tenant',
      ALLOWED_TEAMS_TENANTS: 'partner-tenant',
    });
    expect(teamsActivityAllowed(env, fromTenant('own-tenant'))).toBe(true);
    expect(teamsActivityAllowed(env, fromTenant('partner-tenant'))).toBe(true);
    expect(teamsActivityAllowed(env, fromTenant('stranger'))).toBe(false);
  });

  it('lets the playground (no tenant) through only in playground mode', () => {
    const list = { ALLOWED_TEAMS_TENANTS: 'aaaa-1' };
    expect(teamsActivityAllowed(parseEnv({ ...list, HELPLINE_PLAYGROUND: '1' }), { channelId: 'playground' })).toBe(
      true,
    );
    expect(teamsActivityAllowed(parseEnv({ ...list, ...TEAMS }), { channelId: 'playground' })).toBe(false);
  });

  it('reads the tenant from channelData first', () => {
    expect(tenantOf({ channelData: { tenant: { id: 'a' } }, conversation: { tenantId: 'b' } } as never)).toBe('a');
    expect(tenantOf({})).toBeUndefined();
  });
});

describe('Slack workspace allow-list', () => {
  const env = parseEnv({ ALLOWED_SLACK_TEAMS: 'T0ACME,E0GRID' });
  it('serves any workspace when ALLOWED_SLACK_TEAMS is unset', () => {
    expect(slackTeamAllowed(parseEnv({}), { teamId: 'T0ANY' })).toBe(true);
  });
  it('serves a listed workspace, or any workspace of a listed Enterprise Grid org', () => {
    expect(slackTeamAllowed(env, { teamId: 'T0ACME' })).toBe(true);
    expect(slackTeamAllowed(env, { teamId: 'T0GRIDMEMBER', enterpriseId: 'E0GRID' })).toBe(true);
    expect(slackTeamAllowed(env, { enterpriseId: 'E0GRID' })).toBe(true);
  });
  it('refuses any other, and a request naming no team', () => {
    expect(slackTeamAllowed(env, { teamId: 'T0OTHER' })).toBe(false);
    expect(slackTeamAllowed(env, { teamId: 'T0OTHER', enterpriseId: 'E0OTHER' })).toBe(false);
    expect(slackTeamAllowed(env, {})).toBe(false);
  });
});
