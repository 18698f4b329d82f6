import { Action } from '../../../src/cards/actions';
import { CLIENT_DATASET } from '../../../src/cards/teams';
import type { Policy } from '../../../src/config/policy.schema';
import {
  activityId,
  botAddedToTeam,
  cardAction,
  personalMessage,
  TEAM_ID,
  TENANT_ID,
  type TeamsUser,
  user,
} from '../../fixtures/teams/activities';
import { assertValidCard } from '../../fixtures/teams/cards';
import {
  people,
  startTeamsKit,
  TEAM_TICKETING_CHANNEL,
  type TeamsKit,
  TRIAGE_CHANNEL,
  teamsPolicy,
} from '../../fixtures/teams/kit';

/** Requesters the directory maps to a client (the policy's `clients.people`): their picks are taken. */
const ann = user('29:1acme-ann', 'Ann at ACME');
const bo = user('29:1brightwell-bo', 'Bo at Brightwell');
const nia = user('29:1northwind-nia', 'Nia at Northwind');

function policyWithClientRequesters(): Policy {
  const p = teamsPolicy();
  const person = (u: TeamsUser) => ({ name: u.name, accounts: { teams: u.id } });
  return {
    ...p,
    people: { ...p.people, 'ann.acme': person(ann), 'bo.brightwell': person(bo), 'nia.northwind': person(nia) },
    clients: {
      ...p.clients,
      people: { ...p.clients.people, 'ann.acme': 'acme', 'bo.brightwell': 'brightwell', 'nia.northwind': 'northwind' },
    },
  };
}

import { eventually } from '../../helpers/harness';

/** The plain text of every TextRun, TextBlock and fact of a card. */
function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const k of ['text', 'title', 'value']) if (typeof o[k] === 'string') out.push(o[k] as string);
      for (const x of Object.values(o)) if (typeof x === 'object') walk(x);
    }
  };
  walk(card);
  return out.join('\n');
}

describe('Client context from the YAML directory, in Teams', () => {
  let kit: TeamsKit;
  beforeAll(async () => {
    kit = await startTeamsKit({ policy: policyWithClientRequesters() });
    kit.connector.setTeamChannels(TEAM_ID, [
      { id: TRIAGE_CHANNEL, name: 'support-triage' },
      { id: TEAM_TICKETING_CHANNEL, name: 'Team Ticketing' },
    ]);
    await kit.send(botAddedToTeam(kit.connector.url, people.lee));
  });
  afterAll(() => kit.stop());
  afterEach(() => {
    kit.assertRecordedCardsValid();
    kit.connector.reset();
  });

  const postedTo = (channel: string, number: string) =>
    eventually(
      () =>
        kit.connector
          .delivered()
          .filter((c) => c.conversationId === channel && JSON.stringify(c.body).includes(number))
          .at(-1),
      5000,
      `a card about ${number} in ${channel}`,
    );

  async function raise(fields: Record<string, string>, who: TeamsUser = people.rita): Promise<string> {
    const res = await kit.send(cardAction(kit.connector.url, who, Action.SubmitForm, fields));
    expect(res.status).toBe(200);
    const number = /SR-\d+/.exec(JSON.stringify(res.body))?.[0];
    if (!number) throw new Error('no ticket number in the answer');
    return number;
  }

  it('a client picked in the form: the triage and Team Ticketing cards show its contacts, ERP and customisations', async () => {
    const number = await raise(
      {
        title: 'Export to ERP failed',
        description: 'The nightly export failed',
        severity: '3',
        clientId: 'acme',
      },
      ann,
    );
    expect(await kit.helpline.app.tickets.get(number)).toMatchObject({
      clientId: 'acme',
      client: 'ACME Manufacturing',
    });
    const triage = await postedTo(TRIAGE_CHANNEL, number);
    const text = cardText(triage.body);
    expect(text).toContain('NetSuite OneWorld');
    expect(text).toContain('Dana Whitfield (Finance systems admin) · dana.whitfield@acme.example');
    expect(text).toMatch(/Two-step invoice approval/);
    expect(text).not.toMatch(/record incomplete/);

    const esc = await kit.send(
      cardAction(kit.connector.url, people.lee, Action.EscalateTeamTicketing, { ticket: number, card: 'triage' }),
    );
    expect(esc.status).toBe(200);
    await kit.helpline.notifier.drain();
    const tt = await postedTo(TEAM_TICKETING_CHANNEL, number);
    expect(cardText(tt.body)).toContain('NetSuite OneWorld');
    expect(cardText(tt.body)).toContain('Omar Haddad (AP manager)');
    // ACME's tier (the default policy's Gold: standard targets and calendar) on both agent cards.
    const sla = 'SLA: Gold tier';
    expect(text).toContain(sla);
    expect(cardText(tt.body)).toContain(sla);
  });

  it('an incomplete record: the triage card says what is missing and that the YAML directory is read-only', async () => {
    const number = await raise(
      {
        title: 'Import failed',
        description: 'Invoices did not import',
        client: 'Brightwell',
      },
      bo,
    );
    expect(await kit.helpline.app.tickets.get(number)).toMatchObject({
      clientId: 'brightwell',
      client: 'Brightwell Foods Ltd',
    });
    const text = cardText((await postedTo(TRIAGE_CHANNEL, number)).body);
    expect(text).toMatch(/Client record incomplete: no administrative contacts, ERP system, customisation summary/);
    expect(text).toMatch(/read-only/);
  });

  it('a client the directory does not hold stays free text, said as not in the directory', async () => {
    const number = await raise({
      title: 'Import failed',
      description: 'Invoices did not import',
      client: 'Globex <b>Corp</b>',
    });
    expect(await kit.helpline.app.tickets.get(number)).toMatchObject({ clientId: null, client: 'Globex <b>Corp</b>' });
    expect(cardText((await postedTo(TRIAGE_CHANNEL, number)).body)).toContain(
      'Globex <b>Corp</b> (not in the client directory)',
    );
  });

  it('"client SR-n" shows an agent the whole record; a requester is told it is for agents', async () => {
    const number = await raise({ title: 'Export failed', description: 'x', clientId: 'northwind' }, nia);
    kit.connector.reset();
    await kit.send(personalMessage(kit.connector.url, people.lee, `client ${number}`));
    const reply = await eventually(() =>
      kit.connector.delivered().find((c) => c.kind === 'reply' || c.kind === 'send'),
    );
    const cards = kit.connector.cards();
    expect(cards.length).toBeGreaterThan(0);
    const text = cardText(cards.at(-1));
    expect(text).toContain('Microsoft Dynamics 365 Business Central');
    expect(text).toContain('Grace Liu (Finance director)');
    expect(text).toContain('northwind.example');
    void reply;
    kit.connector.reset();
    await kit.send(personalMessage(kit.connector.url, nia, `client ${number}`));
    const refusal = await eventually(() => kit.connector.delivered().at(-1));
    expect(JSON.stringify(refusal.body)).toMatch(/for support agents/);
  });

  it('the form offers a client typeahead (Data.Query) served by an application/search invoke', async () => {
    const search = (who: TeamsUser, queryText: string) =>
      kit.send({
        type: 'invoke',
        name: 'application/search',
        id: activityId(),
        channelId: 'msteams',
        serviceUrl: kit.connector.url,
        from: { id: who.id, name: who.name },
        recipient: { id: '28:c9e8c047-2a74-40a2-b28a-b162d5f5327c', name: 'Helpline' },
        conversation: { id: `a:${who.id}`, conversationType: 'personal', tenantId: TENANT_ID },
        channelData: { tenant: { id: TENANT_ID } },
        value: { queryText, dataset: CLIENT_DATASET, queryOptions: { skip: 0, top: 15 } },
      });
    const results = (res: { body: unknown }) => (res.body as { value: { results: unknown[] } }).value.results;
    // A requester is offered only the client the directory maps them to.
    const mine = await search(nia, 'north');
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.search.searchResponse',
      value: { results: [{ title: 'Northwind Traders', value: 'northwind' }] },
    });
    expect(results(await search(nia, 'acme'))).toEqual([]);
    expect(results(await search(people.rita, 'north'))).toEqual([]);
    // An agent searches the whole directory.
    expect(results(await search(people.lee, 'north'))).toEqual([{ title: 'Northwind Traders', value: 'northwind' }]);
    const form = await kit.send(personalMessage(kit.connector.url, people.rita, 'new'));
    expect(form.status).toBe(200);
    const card = await eventually(() => kit.connector.cards().find((c) => JSON.stringify(c).includes(CLIENT_DATASET)));
    assertValidCard(card);
  });

  it("a requester's pick of another client is what they said: their ticket gets their own client and tier", async () => {
    const number = await raise({ title: 'Export failed', description: 'x', clientId: 'northwind' }, ann);
    expect(await kit.helpline.app.tickets.get(number)).toMatchObject({
      clientId: 'acme',
      client: 'ACME Manufacturing',
    });
    const raised = (await kit.helpline.app.events.listFor(number)).find((e) => e.type === 'raised');
    expect(raised?.note).toMatch(/named the client "Northwind Traders" \(not verified\)/);
  });
});
