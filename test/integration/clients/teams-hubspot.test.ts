import { Action } from '../../../src/cards/actions';
import { FakeHubspotApi } from '../../fakes/hubspot-api';
import { botAddedToTeam, cardAction, TEAM_ID } from '../../fixtures/teams/activities';
import { people, startTeamsKit, type TeamsKit, TRIAGE_CHANNEL } from '../../fixtures/teams/kit';
import { eventually } from '../../helpers/harness';
import { seedHubspot } from './fixtures';

describe('Client context from HubSpot, in Teams: completing a record from the triage card', () => {
  let kit: TeamsKit;
  let hubspot: FakeHubspotApi;
  beforeAll(async () => {
    hubspot = await new FakeHubspotApi().start();
    seedHubspot(hubspot);
    kit = await startTeamsKit({ env: { HUBSPOT_TOKEN: hubspot.token, HUBSPOT_API_URL: hubspot.url } });
    kit.connector.setTeamChannels(TEAM_ID, [{ id: TRIAGE_CHANNEL, name: 'support-triage' }]);
    await kit.send(botAddedToTeam(kit.connector.url, people.lee));
  });
  afterAll(async () => {
    await kit.stop();
    await hubspot.stop();
  });
  afterEach(() => kit.assertRecordedCardsValid());

  it('Level 1 fills the ERP from the card; HubSpot is written and the card shows it; a requester cannot', async () => {
    const raised = await kit.send(
      cardAction(kit.connector.url, people.rita, Action.SubmitForm, {
        title: 'Import failed',
        description: 'Invoices did not import',
        client: 'Brightwell',
      }),
    );
    const number = /SR-\d+/.exec(JSON.stringify(raised.body))?.[0] ?? '';
    const post = await eventually(
      () =>
        kit.connector
          .delivered()
          .find((c) => c.conversationId === TRIAGE_CHANNEL && JSON.stringify(c.body).includes(number)),
      5000,
      'the triage card',
    );
    const shown = JSON.stringify(post.body);
    expect(shown).toContain('Client record incomplete');
    expect(shown).toContain(Action.CompleteClient);

    const refused = await kit.send(
      cardAction(kit.connector.url, people.rita, Action.CompleteClient, { ticket: number, card: 'triage', erp: 'SAP' }),
    );
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(hubspot.calls.filter((c) => c.method === 'PATCH')).toHaveLength(0);

    const saved = await kit.send(
      cardAction(kit.connector.url, people.lee, Action.CompleteClient, {
        ticket: number,
        card: 'triage',
        erp: 'Sage Intacct',
        customisations: '',
      }),
    );
    expect(saved.status).toBe(200);
    expect(hubspot.calls.find((c) => c.method === 'PATCH')?.body).toEqual({
      properties: { erp_system: 'Sage Intacct' },
    });
    const card = JSON.stringify(saved.body);
    expect(card).toContain('Saved to HubSpot');
    expect(card).toContain('Sage Intacct');
    expect(card).toMatch(/no administrative contacts, customisation summary/);
  });

  it('Level 1 adds an administrative contact from the card: HubSpot creates and associates it; the card lists it', async () => {
    const raised = await kit.send(
      cardAction(kit.connector.url, people.rita, Action.SubmitForm, {
        title: 'Import failed again',
        description: 'Invoices did not import',
        client: 'Brightwell',
      }),
    );
    const number = /SR-\d+/.exec(JSON.stringify(raised.body))?.[0] ?? '';
    const post = await eventually(
      () =>
        kit.connector
          .delivered()
          .find((c) => c.conversationId === TRIAGE_CHANNEL && JSON.stringify(c.body).includes(number)),
      5000,
      'the triage card',
    );
    expect(JSON.stringify(post.body)).toContain('"id":"contactEmail"');
    hubspot.reset();
    const saved = await kit.send(
      cardAction(kit.connector.url, people.lee, Action.CompleteClient, {
        ticket: number,
        card: 'triage',
        contactName: 'Niamh Walsh',
        contactEmail: 'niamh.walsh@brightwell.example',
        contactRole: 'Payroll admin',
      }),
    );
    expect(saved.status).toBe(200);
    expect(hubspot.calls.find((c) => c.method === 'POST' && c.path === '/crm/v3/objects/contacts')?.body).toEqual({
      properties: {
        firstname: 'Niamh',
        lastname: 'Walsh',
        email: 'niamh.walsh@brightwell.example',
        jobtitle: 'Payroll admin',
      },
      associations: [
        { to: { id: '1003' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 }] },
      ],
    });
    expect(JSON.stringify(saved.body)).toContain('Niamh Walsh (Payroll admin) · niamh.walsh@brightwell.example');
  });
});
