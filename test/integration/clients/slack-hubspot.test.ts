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
import { bea, gus, policyWithClientRequesters, seedHubspot, wile } from './fixtures';

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

  it('an agent raises "the export for ACME failed": the ticket stores the HubSpot id and name; the triage card shows ERP, contacts, customisations', async () => {
    // An agent naming the client is trusted: the name in the text is looked up in HubSpot.
    const { number } = await raiseByDm(kit, people.lee, 'The export for ACME failed with error 500 this morning');
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
    // Bea's email is at Brightwell's domain: naming Brightwell is naming her own client.
    const { number } = await raiseByDm(kit, bea, "Brightwell's import failed overnight with error 500");
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
    const { number } = await raiseByDm(kit, gus, 'The export for Northwind failed with error 500');
    expect(await kit.helpline.app.tickets.get(number)).toMatchObject({ clientId: '1002' });
    // Even the requester of a ticket of their own client cannot edit the client's record.
    await kit.interact(
      buttonClick(gus, { action_id: Action.CompleteClient, value: number }, { channel: TRIAGE, ts: '1.2' }),
    );
    const told = await kit.waitFor('chat.postEphemeral', (c) => c.body.user === gus.id, 'refusal');
    expect(String(told.body.text)).toMatch(/for support agents/);
    expect(kit.slack.callsTo('views.open')).toHaveLength(0);
  });

  /** The intake form's client typeahead as `user` types `value` (block_suggestion → options). */
  async function suggest(user: { id: string; name: string }, value: string): Promise<unknown> {
    const res = await kit.interact({
      type: 'block_suggestion',
      user: { id: user.id, name: user.name },
      team: { id: 'T0HELPLINE', domain: 'helpline' },
      api_app_id: 'A0HELPLINE',
      token: 'legacy-verification-token',
      container: { type: 'view', view_id: 'V0INTAKE' },
      view: { id: 'V0INTAKE', type: 'modal', callback_id: View.Intake },
      block_id: 'client_pick',
      action_id: Action.PickClient,
      value,
    });
    expect(res.status).toBe(200);
    return JSON.parse(res.text);
  }
  const northwind = { options: [{ text: { type: 'plain_text', text: 'Northwind Traders' }, value: '1002' }] };

  it('the intake typeahead is served from HubSpot: an agent searches the directory', async () => {
    expect(await suggest(people.lee, 'north')).toEqual(northwind);
    expect(hubspot.calls.some((c) => c.path === '/crm/v3/objects/companies/search')).toBe(true);
    expect(await suggest(people.lee, 'acme')).toEqual({
      options: [{ text: { type: 'plain_text', text: 'ACME Manufacturing' }, value: '1001' }],
    });
  });

  it('the intake typeahead offers a requester only their own client', async () => {
    expect(await suggest(gus, 'north')).toEqual(northwind);
    expect(await suggest(gus, '')).toEqual(northwind);
    // Another client's name finds nothing for them, and a requester mapped to no client is offered none.
    expect(await suggest(gus, 'acme')).toEqual({ options: [] });
    expect(await suggest(people.rita, 'north')).toEqual({ options: [] });
  });

  it('a requester naming a client the directory does not map them to: their own client, the claim on the record', async () => {
    const { number } = await raiseByDm(kit, gus, 'The export for ACME failed with error 500 this morning');
    expect(await kit.helpline.app.tickets.get(number)).toMatchObject({
      clientId: '1002',
      client: 'Northwind Traders',
      service: { tier: { id: 'silver' } }, // Northwind's tier in HubSpot, not ACME's Gold
    });
    const text = await triageCardText(kit, number);
    expect(text).toContain('Microsoft Dynamics 365 Business Central');
    expect(text).not.toContain('NetSuite OneWorld');
  });

  it('a requester picking another client in the intake form (an id the typeahead never offered them): their own client, the claim noted', async () => {
    await kit.interact(
      viewSubmission(
        gus,
        { callback_id: View.Intake, private_metadata: '{}' },
        {
          title: { value: { type: 'plain_text_input', value: 'Export failed' } },
          description: { value: { type: 'plain_text_input', value: 'The export failed with error 500 this morning' } },
          client_pick: {
            [Action.PickClient]: {
              type: 'external_select',
              selected_option: { text: { type: 'plain_text', text: 'ACME Manufacturing' }, value: '1001' },
            },
          },
        },
      ),
    );
    const dm = await kit.waitFor(
      'chat.postMessage',
      (c) => c.body.channel === gus.id && /SR-\d+/.test(String(c.body.text)),
    );
    const number = /SR-\d+/.exec(String(dm.body.text))?.[0] ?? '';
    expect(await kit.helpline.app.tickets.get(number)).toMatchObject({ clientId: '1002', client: 'Northwind Traders' });
    const raised = (await kit.helpline.app.events.listFor(number)).find((e) => e.type === 'raised');
    expect(raised?.note).toContain('the requester named the client "ACME Manufacturing" (not verified)');
    await kit.drain();
  });

  it('a requester mapped to no client naming one: the name stays free text, with no client id and no tier', async () => {
    const { number } = await raiseByDm(kit, people.rita, 'The export for ACME failed with error 500 this morning');
    const ticket = await kit.helpline.app.tickets.get(number);
    expect(ticket).toMatchObject({ clientId: null, client: 'ACME' });
    expect(ticket?.service ?? null).toBeNull();
    const raised = (await kit.helpline.app.events.listFor(number)).find((e) => e.type === 'raised');
    expect(raised?.note).toContain('the requester named the client "ACME" (not verified)');
    // The agents' card still looks the name up in the directory, for them to confirm.
    expect(await triageCardText(kit, number)).toContain('NetSuite OneWorld');
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
