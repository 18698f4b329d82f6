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
import { policyWithClientRequesters, seedHubspot, wile } from './fixtures';

/** The triage card of `number` as posted (after the notifier ran), all its text joined. */
async function triageCardText(kit: SlackKit, number: string): Promise<string> {
  await kit.drain();
  const card = latestCard(kit, TRIAGE, number);
  if (!card) throw new Error(`no triage card for ${number}`);
  return allText(card).join('\n');
}

describe('Client context from HubSpot, in Slack', () => {
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

  it('"the export for ACME failed": the ticket stores the HubSpot id and name; the triage card shows ERP, contacts, customisations', async () => {
    const { number } = await raiseByDm(kit, people.rita, 'The export for ACME failed with error 500 this morning');
    const ticket = await kit.helpline.app.tickets.get(number);
    expect(ticket).toMatchObject({ clientId: '1001', client: 'ACME Manufacturing' });
    const text = await triageCardText(kit, number);
    expect(text).toContain('NetSuite OneWorld');
    expect(text).toContain('Dana Whitfield (Finance systems admin)');
    expect(text).toContain('dana.whitfield@acme.example');
    expect(text).toMatch(/Two-step invoice approval/);
    expect(text).toContain('Gold support');
    expect(text).not.toMatch(/record incomplete|unavailable/);
    expect(hubspot.calls.some((c) => c.path === '/crm/v3/objects/companies/search')).toBe(true);
  });

  it('a requester at ACME (their email domain) raises without naming the client: it is still ACME', async () => {
    const { number } = await raiseByDm(kit, wile, 'The invoice export failed again this morning, error 500');
    expect(await kit.helpline.app.tickets.get(number)).toMatchObject({
      clientId: '1001',
      client: 'ACME Manufacturing',
    });
    const search = hubspot.calls.find((c) => c.path === '/crm/v3/objects/companies/search');
    expect(JSON.stringify(search?.body)).toContain('acme.example');
    expect(await triageCardText(kit, number)).toContain('NetSuite OneWorld');
  });

  it('an incomplete record: the triage card says what is missing; Level 1 completes it and HubSpot is written', async () => {
    const { number } = await raiseByDm(kit, people.rita, "Brightwell's import failed overnight with error 500");
    expect(await kit.helpline.app.tickets.get(number)).toMatchObject({
      clientId: '1003',
      client: 'Brightwell Foods Ltd',
    });
    const text = await triageCardText(kit, number);
    expect(text).toMatch(/Client record incomplete: no administrative contacts, ERP system, customisation summary/);
    const card = latestCard(kit, TRIAGE, number);
    const button = card && findElement(card, Action.CompleteClient);
    expect(button?.element.value).toBe(number);

    await kit.interact(
      buttonClick(
        people.lee,
        { action_id: Action.CompleteClient, value: number },
        { channel: TRIAGE, ts: String(card?.response?.ts) },
      ),
    );
    const opened = await kit.waitFor('views.open', () => true, 'the client record modal');
    const view = opened.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(View.CompleteClient);
    const res = await kit.interact(
      viewSubmission(people.lee, view, {
        client_erp: { value: { type: 'plain_text_input', value: 'Sage Intacct' } },
        client_customisations: { value: { type: 'plain_text_input', value: 'Dual currency <EUR/GBP> *bold*' } },
      }),
    );
    expect(res.status).toBe(200);
    const patch = hubspot.calls.find((c) => c.method === 'PATCH');
    expect(patch?.path).toBe('/crm/v3/objects/companies/1003');
    expect(patch?.body).toEqual({
      properties: { erp_system: 'Sage Intacct', customisation_summary: 'Dual currency <EUR/GBP> *bold*' },
    });
    const updated = await kit.waitFor(
      'chat.update',
      (c) => c.body.channel === TRIAGE && JSON.stringify(c.body.blocks).includes('Sage Intacct'),
    );
    const shown = allText(updated).join('\n');
    expect(shown).toContain('&lt;EUR/GBP&gt;'); // user text escaped
    expect(shown).not.toContain('*bold*');
  });

  it('only agents open the client record form', async () => {
    const { number } = await raiseByDm(kit, people.rita, 'The export for Northwind failed with error 500');
    await kit.interact(
      buttonClick(people.rita, { action_id: Action.CompleteClient, value: number }, { channel: TRIAGE, ts: '1.2' }),
    );
    const told = await kit.waitFor('chat.postEphemeral', (c) => c.body.user === people.rita.id, 'refusal');
    expect(String(told.body.text)).toMatch(/for support agents/);
    expect(kit.slack.callsTo('views.open')).toHaveLength(0);
  });

  it('the intake typeahead is served from HubSpot (block_suggestion → options)', async () => {
    const res = await kit.interact({
      type: 'block_suggestion',
      user: { id: people.rita.id, name: 'rita' },
      team: { id: 'T0HELPLINE', domain: 'helpline' },
      api_app_id: 'A0HELPLINE',
      token: 'legacy-verification-token',
      container: { type: 'view', view_id: 'V0INTAKE' },
      view: { id: 'V0INTAKE', type: 'modal', callback_id: View.Intake },
      block_id: 'client_pick',
      action_id: Action.PickClient,
      value: 'north',
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({
      options: [{ text: { type: 'plain_text', text: 'Northwind Traders' }, value: '1002' }],
    });
  });

  it('HubSpot answering 429: the ticket is raised all the same; the card says the record is unavailable', async () => {
    hubspot.fail({ status: 429, retryAfter: 60, times: 5 });
    const msg = 'The export for Globex failed with error 500 this morning';
    const { number } = await raiseByDm(kit, people.rita, msg);
    const ticket = await kit.helpline.app.tickets.get(number);
    expect(ticket).toMatchObject({ clientId: null, client: 'Globex' });
    const text = await triageCardText(kit, number);
    expect(text).toMatch(/client record unavailable \(HubSpot rate limit \(per 10 seconds\)\)/);
    expect(hubspot.calls.map((c) => c.status)).toEqual([429]); // then held back until Retry-After
    kit.helpline.clock.advanceMinutes(2); // past Retry-After, for the tests that follow
  });

  it('HubSpot answering 500: the ticket is raised; the card says the record is unavailable', async () => {
    // Down for the guided intake's look-up, the raise's and the card's.
    hubspot.fail({ status: 500, times: 3 });
    const { number } = await raiseByDm(kit, people.rita, 'The export for Initech failed with error 500 today');
    expect(await kit.helpline.app.tickets.get(number)).toMatchObject({ clientId: null, client: 'Initech' });
    expect(await triageCardText(kit, number)).toMatch(/client record unavailable \(HubSpot answered 500\)/);
  });

  it('a client HubSpot does not hold stays free text, and nothing is said to be unavailable', async () => {
    const { number } = await raiseByDm(kit, people.rita, 'The export for Umbrella failed with error 500 today');
    expect(await kit.helpline.app.tickets.get(number)).toMatchObject({ clientId: null, client: 'Umbrella' });
    const text = await triageCardText(kit, number);
    expect(text).toMatch(/Umbrella .*not in the client directory/);
    expect(text).not.toMatch(/unavailable/);
  });
});
