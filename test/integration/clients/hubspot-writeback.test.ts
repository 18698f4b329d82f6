import { Action, View } from '../../../src/cards/actions';
import { FakeHubspotApi } from '../../fakes/hubspot-api';
import {
  allText,
  findElement,
  latestCard,
  people,
  raiseByDm,
  type SlackKit,
  startSlackKit,
} from '../../fixtures/slack/kit';
import { buttonClick, TRIAGE, viewSubmission } from '../../fixtures/slack/payloads';
import { bea, policyWithClientRequesters, seedHubspot, wile } from './fixtures';

const input = (value: string) => ({ value: { type: 'plain_text_input', value } });

describe('HubSpot write-back of admin contacts, and the client backfill after an outage (Slack)', () => {
  let kit: SlackKit;
  let hubspot: FakeHubspotApi;
  beforeAll(async () => {
    hubspot = await new FakeHubspotApi().start();
    seedHubspot(hubspot);
    kit = await startSlackKit({
      policy: policyWithClientRequesters(),
      env: { HUBSPOT_TOKEN: hubspot.token, HUBSPOT_API_URL: hubspot.url },
    });
  });
  afterAll(async () => {
    await kit.stop();
    await hubspot.stop();
  });
  afterEach(() => {
    kit.assertLimits();
    kit.slack.reset();
    hubspot.reset();
  });

  /**
   * Bea (a Brightwell requester) raises for Brightwell (no contacts in HubSpot); Lee opens "Complete client record".
   * The modal and the ticket's number.
   */
  async function openForm(): Promise<{ number: string; view: { callback_id: string; private_metadata: string } }> {
    const { number } = await raiseByDm(kit, bea, "Brightwell's import failed overnight with error 500");
    expect(await kit.helpline.app.tickets.get(number)).toMatchObject({ clientId: '1003' });
    await kit.drain();
    const card = latestCard(kit, TRIAGE, number);
    expect(card && findElement(card, Action.CompleteClient)?.element.value).toBe(number);
    await kit.interact(
      buttonClick(
        people.lee,
        { action_id: Action.CompleteClient, value: number },
        { channel: TRIAGE, ts: String(card?.response?.ts) },
      ),
    );
    const opened = await kit.waitFor('views.open', () => true, 'the client record modal');
    const view = opened.body.view as { callback_id: string; private_metadata: string; blocks: unknown[] };
    expect(view.callback_id).toBe(View.CompleteClient);
    expect(JSON.stringify(view.blocks)).toContain('client_contact_email');
    hubspot.reset();
    kit.slack.reset();
    return { number, view };
  }

  const contactFields = {
    client_contact_name: input('Pat Byrne'),
    client_contact_email: input('Pat.Byrne@brightwell.example'),
    client_contact_phone: input('+353 1 555 0100'),
    client_contact_role: input('IT lead'),
  };

  it('adds an administrative contact: created in HubSpot with its company association; the card shows it', async () => {
    const { number, view } = await openForm();
    const res = await kit.interact(viewSubmission(people.lee, view, contactFields));
    expect(res.status).toBe(200);
    const created = hubspot.calls.find((c) => c.method === 'POST' && c.path === '/crm/v3/objects/contacts');
    expect(created?.status).toBe(201);
    expect(created?.body).toEqual({
      properties: {
        firstname: 'Pat',
        lastname: 'Byrne',
        email: 'pat.byrne@brightwell.example',
        phone: '+353 1 555 0100',
        jobtitle: 'IT lead',
      },
      associations: [
        { to: { id: '1003' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 }] },
      ],
    });
    // No company properties were given: no PATCH. The cached record was dropped and read again.
    expect(hubspot.calls.some((c) => c.method === 'PATCH')).toBe(false);
    expect(hubspot.calls.some((c) => c.method === 'GET' && c.path === '/crm/v3/objects/companies/1003')).toBe(true);
    const updated = await kit.waitFor(
      'chat.update',
      (c) => c.body.channel === TRIAGE && JSON.stringify(c.body.blocks).includes('Pat Byrne'),
      'the refreshed triage card',
    );
    expect(allText(updated).join('\n')).toContain('Pat Byrne (IT lead) · pat.byrne@brightwell.example');
    expect(allText(updated).join('\n')).toMatch(/no ERP system, customisation summary/);
    expect(hubspot.companies.get('1003')?.contactIds).toHaveLength(1);
    void number;
  });

  it('HubSpot answering 500 on the first write (the contact): the modal stays open with a clear error, nothing written; a retry saves it', async () => {
    const { view } = await openForm();
    const before = hubspot.contacts.size;
    hubspot.fail({ status: 500 });
    const fields = {
      client_erp: input('Sage Intacct'),
      client_contact_name: input('Sam Kerr'),
      client_contact_email: input('sam.kerr@brightwell.example'),
    };
    const failed = await kit.interact(viewSubmission(people.lee, view, fields));
    expect(failed.status).toBe(200);
    const answer = JSON.parse(failed.text) as { response_action: string; errors: Record<string, string> };
    expect(answer.response_action).toBe('errors'); // the modal stays open with what was typed
    expect(answer.errors.client_erp).toMatch(/HubSpot did not take the change \(HubSpot answered 500\)/);
    // The contact goes first: its create cannot half-succeed, and the company is not touched when it fails.
    expect(hubspot.calls.map((c) => [c.method, c.path, c.status])).toEqual([['POST', '/crm/v3/objects/contacts', 500]]);
    expect(hubspot.contacts.size).toBe(before);
    expect(hubspot.companies.get('1003')?.properties.erp_system).toBeUndefined();

    const saved = await kit.interact(viewSubmission(people.lee, view, fields));
    expect(saved.status).toBe(200);
    expect(saved.text).not.toContain('errors');
    expect(hubspot.companies.get('1003')?.properties.erp_system).toBe('Sage Intacct');
    expect(hubspot.contacts.size).toBe(before + 1);
  });

  it('an email HubSpot already holds (409): the existing contact is associated with the company instead', async () => {
    const { view } = await openForm();
    const res = await kit.interact(
      viewSubmission(people.lee, view, {
        client_contact_name: input('Dana Whitfield'),
        client_contact_email: input('dana.whitfield@acme.example'),
      }),
    );
    expect(res.status).toBe(200);
    expect(hubspot.calls.filter((c) => c.method !== 'GET').map((c) => [c.method, c.path, c.status])).toEqual(
      expect.arrayContaining([
        ['POST', '/crm/v3/objects/contacts', 409],
        ['PUT', '/crm/v4/objects/contacts/501/associations/default/companies/1003', 200],
      ]),
    );
    expect(hubspot.companies.get('1003')?.contactIds).toContain('501');
  });

  it('writes only what the agent changed: a pre-filled ERP left as shown keeps an edit made in HubSpot meanwhile', async () => {
    const brightwell = hubspot.companies.get('1003');
    if (brightwell) brightwell.properties.erp_system = 'Sage 50';
    kit.helpline.clock.advanceMinutes(6); // past the directory's cache: the form shows what HubSpot holds
    const { view } = await openForm();
    expect(JSON.stringify(view)).toContain('"initial_value":"Sage 50"');
    if (brightwell) brightwell.properties.erp_system = 'Sage Intacct'; // edited in HubSpot while the modal is open
    const res = await kit.interact(
      viewSubmission(people.lee, view, {
        client_erp: input('Sage 50'),
        client_customisations: input('Purchase orders approved in two steps.'),
      }),
    );
    expect(res.text).not.toContain('errors');
    const patches = hubspot.calls.filter((c) => c.method === 'PATCH');
    expect(patches.map((c) => c.body)).toEqual([
      { properties: { customisation_summary: 'Purchase orders approved in two steps.' } },
    ]);
    expect(brightwell?.properties.erp_system).toBe('Sage Intacct');
    if (brightwell) {
      delete brightwell.properties.erp_system;
      delete brightwell.properties.customisation_summary;
    }
    kit.helpline.clock.advanceMinutes(6); // the next tests read Brightwell without them again
  });

  it('a half-filled contact is refused under its field, before anything reaches HubSpot', async () => {
    const { view } = await openForm();
    const res = await kit.interact(viewSubmission(people.lee, view, { client_contact_name: input('No Email') }));
    const answer = JSON.parse(res.text) as { response_action: string; errors: Record<string, string> };
    expect(answer.errors.client_contact_name).toMatch(/Administrative contact: the contact needs a valid email/);
    expect(hubspot.calls.filter((c) => c.method !== 'GET')).toHaveLength(0);
  });

  it('backfill: a ticket raised while HubSpot answered 500 gets its client id once HubSpot is back', async () => {
    hubspot.fail({ status: 500, times: 40 });
    // Wile's email is at ACME's domain: the requester mapping is trusted, once HubSpot can answer.
    const { number } = await raiseByDm(kit, wile, 'The export for ACME failed with error 500 this morning');
    const before = await kit.helpline.app.tickets.get(number);
    expect(before).toMatchObject({ clientId: null, client: 'ACME' });
    expect(before?.service ?? null).toBeNull();
    expect(before?.sla.response.targetMinutes).toBe(30);
    // Rita is mapped to no client: the name she gave is a claim, kept as free text, never made a client by the job.
    const claim = await raiseByDm(kit, people.rita, 'The export for Northwind failed with error 500 this morning');
    expect(await kit.helpline.app.tickets.get(claim.number)).toMatchObject({ clientId: null, client: 'Northwind' });
    await kit.drain();

    // Still down: the job leaves the ticket for a later run.
    await kit.helpline.scheduler.runNow(['client-backfill']);
    expect(await kit.helpline.app.tickets.get(number)).toMatchObject({ clientId: null });

    hubspot.reset(); // healthy again
    kit.slack.reset();
    // Meanwhile ACME moved up to Premium in HubSpot (the default policy's tier with tighter targets).
    const acme = hubspot.companies.get('1001');
    if (acme) acme.properties.support_tier = 'Premium';
    await kit.helpline.scheduler.runNow(['client-backfill']);
    const after = await kit.helpline.app.tickets.get(number);
    expect(after).toMatchObject({
      clientId: '1001',
      client: 'ACME Manufacturing',
      service: { tier: { id: 'premium' }, calendar: { id: 'uk-extended' } },
    });
    // Premium's Severity 3 response target, through the normal change path (retargeted clocks, an audit event).
    expect(after?.sla.response.targetMinutes).toBe(20);
    const events = await kit.helpline.app.events.listFor(number);
    expect(events.find((e) => e.type === 'client')).toMatchObject({
      actor: { userId: 'scheduler' },
      from: 'ACME',
      to: 'ACME Manufacturing',
      note: 'SLA: Premium tier · UK extended hours (Europe/London, Mon–Fri 07:00–19:00)',
    });
    // The triage card follows: the record and the tier are on it now.
    const updated = await kit.waitFor(
      'chat.update',
      (c) => c.body.channel === TRIAGE && JSON.stringify(c.body.blocks).includes('NetSuite OneWorld'),
      'the refreshed triage card',
    );
    expect(allText(updated).join('\n')).toContain('SLA: Premium tier');

    // Rita's "Northwind" (Premium in the policy) was looked up with HubSpot healthy, and left as she gave it.
    expect(
      hubspot.calls.some(
        (c) => c.path === '/crm/v3/objects/companies/search' && JSON.stringify(c.body).includes('Northwind'),
      ),
    ).toBe(true);
    const unverified = await kit.helpline.app.tickets.get(claim.number);
    expect(unverified).toMatchObject({ clientId: null, client: 'Northwind' });
    expect(unverified?.service ?? null).toBeNull();
    expect(unverified?.sla.response.targetMinutes).toBe(30);
    const claimEvents = await kit.helpline.app.events.listFor(claim.number);
    expect(claimEvents.some((e) => e.type === 'client')).toBe(false);
  });
});
