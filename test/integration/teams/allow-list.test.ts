import { Action } from '../../../src/cards/actions';
import { type Activity, cardAction, personalMessage, TENANT_ID } from '../../fixtures/teams/activities';
import { people, startTeamsKit, type TeamsKit } from '../../fixtures/teams/kit';

const FOREIGN_TENANT = '0badc0de-0000-4000-8000-000000000001';
const REFUSAL = 'This Helpline serves another organisation.';

/** The same activity as if sent from another tenant (Teams names it in channelData and on the conversation). */
function fromTenant(activity: Activity, tenant: string): Activity {
  const channelData = (activity.channelData ?? {}) as Record<string, unknown>;
  const conversation = (activity.conversation ?? {}) as Record<string, unknown>;
  return {
    ...activity,
    channelData: { ...channelData, tenant: { id: tenant } },
    conversation: { ...conversation, tenantId: tenant },
  };
}

/** A Severity 1 form: raised, it alerts the managers. */
const SEVERE_FORM = {
  title: 'Production is down for every customer',
  description: 'Nothing loads since 9am, every customer is affected',
  severity: '1',
  category: 'none',
  client: 'Acme Ltd',
  businessImpact: 'All invoicing is stopped',
  evidence: 'https://example.com/screenshot.png',
};

describe('Teams: ALLOWED_TEAMS_TENANTS', () => {
  let kit: TeamsKit;
  beforeAll(async () => {
    kit = await startTeamsKit({ env: { ALLOWED_TEAMS_TENANTS: `${TENANT_ID},another-tenant` } });
  });
  afterAll(async () => {
    await kit?.stop();
  });
  afterEach(() => kit.connector.reset());

  const tickets = () => kit.helpline.app.tickets.listQueue({ now: new Date(), limit: 100 });
  const references = () => kit.helpline.app.models.Conversation.collection.countDocuments({});

  it('answers a message from a tenant not listed with a polite refusal, and stores nothing', async () => {
    const msg = fromTenant(personalMessage(kit.connector.url, people.rita, 'Production is down, help'), FOREIGN_TENANT);
    expect((await kit.send(msg)).status).toBe(200);
    const sent = kit.connector.delivered();
    expect(sent.map((c) => [c.kind, c.body.text])).toEqual([['reply', REFUSAL]]);
    expect(kit.connector.cards()).toEqual([]);
    expect(await references()).toBe(0);
    expect(await tickets()).toEqual([]);
  });

  it('refuses a Severity 1 form from a tenant not listed with a 403: no ticket, no conversation opened with managers', async () => {
    const invoke = fromTenant(
      cardAction(kit.connector.url, people.rita, Action.SubmitForm, SEVERE_FORM),
      FOREIGN_TENANT,
    );
    const res = await kit.send(invoke);
    expect(res.body).toMatchObject({
      statusCode: 403,
      type: 'application/vnd.microsoft.error',
      value: { message: REFUSAL },
    });
    await kit.helpline.notifier.drain();
    expect(await tickets()).toEqual([]);
    expect(kit.connector.calls).toEqual([]);
    expect(await references()).toBe(0);
  });

  it('serves the listed tenant as before (the same form raises the ticket)', async () => {
    const res = await kit.send(cardAction(kit.connector.url, people.rita, Action.SubmitForm, SEVERE_FORM));
    expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect((await tickets()).map((t) => t.title)).toEqual([SEVERE_FORM.title]);
    expect(await references()).toBeGreaterThan(0);
  });
});
