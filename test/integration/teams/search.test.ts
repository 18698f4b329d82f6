import { raiseTicket } from '../../../src/app/raise-ticket';
import { Action } from '../../../src/cards/actions';
import type { Actor } from '../../../src/domain/ticket/ticket';
import { cardAction, channelMention, personalMessage, type TeamsUser } from '../../fixtures/teams/activities';
import { assertValidCard } from '../../fixtures/teams/cards';
import { people, startTeamsKit, type TeamsKit, TRIAGE_CHANNEL } from '../../fixtures/teams/kit';
import { eventually } from '../../helpers/harness';

type InvokeBody = { statusCode: number; type: string; value: unknown };

/** Search in a Teams chat (the playground's path too): the card, a requester's own tickets, a channel answered privately. */
describe('Teams: search', () => {
  let kit: TeamsKit;
  const n: Record<string, string> = {};
  const teamsActor = (u: TeamsUser): Actor => ({ platform: 'teams', userId: u.id, name: u.name });

  beforeAll(async () => {
    kit = await startTeamsKit();
    const raise = async (key: string, who: TeamsUser, text: string, client: string) => {
      const r = await raiseTicket(kit.helpline.app, { requester: teamsActor(who), text, client });
      n[key] = r.ticket!.number;
    };
    await raise(
      'ritaAcme',
      people.rita,
      'The monthly report export fails with error 500, we have a workaround',
      'ACME',
    );
    await raise('ritaNorthwind', people.rita, 'Invoice export to PDF is slow since the release', 'Northwind');
    await raise('ottoAcme', people.otto, 'Exporting the supplier list fails for the plant', 'ACME');
    for (let i = 1; i <= 11; i++)
      await raise(`payroll${i}`, people.otto, `Payroll batch ${i} is stuck before the export step`, 'Northwind');
  });
  afterAll(async () => {
    kit.assertRecordedCardsValid();
    await kit.stop();
  });

  const numbersIn = (card: unknown) => [...JSON.stringify(card).matchAll(/"(SR-\d+) · /g)].map((m) => m[1]);
  const lastSearchCard = () =>
    kit.connector
      .cards()
      .filter((c) => /match \\"|No tickets/.test(JSON.stringify(c)))
      .at(-1);

  it('an agent says "search export acme": a card of the ACME tickets, each with Open and Take', async () => {
    await kit.send(personalMessage(kit.connector.url, people.lee, 'search export acme'));
    const card = lastSearchCard();
    assertValidCard(card);
    expect(new Set(numbersIn(card))).toEqual(new Set([n.ritaAcme, n.ottoAcme]));
    expect(JSON.stringify(card)).toContain('2 tickets match \\"export acme\\"');
    expect(JSON.stringify(card)).toContain(Action.OpenTicket);
    expect(JSON.stringify(card)).toContain(Action.Take);
    // Open from the result: the ticket's card.
    const opened = await kit.send(
      cardAction(kit.connector.url, people.lee, Action.OpenTicket, { ticket: n.ottoAcme, card: 'view' }),
    );
    expect(JSON.stringify((opened.body as InvokeBody).value)).toContain(n.ottoAcme);
  });

  it('a requester finds only their own tickets, without Take', async () => {
    await kit.send(personalMessage(kit.connector.url, people.rita, 'search export'));
    const card = lastSearchCard();
    expect(new Set(numbersIn(card))).toEqual(new Set([n.ritaAcme, n.ritaNorthwind]));
    expect(JSON.stringify(card)).not.toContain(Action.Take);
  });

  it('pages: "search payroll page 2" shows the last one of eleven', async () => {
    await kit.send(personalMessage(kit.connector.url, people.sam, 'search payroll'));
    const first = lastSearchCard();
    expect(numbersIn(first)).toHaveLength(10);
    expect(JSON.stringify(first)).toContain('search payroll page 2');
    await kit.send(personalMessage(kit.connector.url, people.sam, 'search payroll page 2'));
    const second = numbersIn(lastSearchCard());
    expect(second).toHaveLength(1);
    expect(numbersIn(first)).not.toContain(second[0]);
  });

  it('asked in a channel: the results go to the personal chat, the channel hears only where to look', async () => {
    // The raises' triage cards go to this channel too: delivered before counting, so only the answer is counted.
    await kit.helpline.notifier.drain();
    const sent = kit.connector.calls.length;
    const res = await kit.send(channelMention(kit.connector.url, people.lee, 'search export acme', TRIAGE_CHANNEL));
    expect(res.status).toBeLessThan(300);
    await eventually(
      () => kit.connector.calls.slice(sent).some((c) => JSON.stringify(c.body).includes('personal chat')),
      5000,
      'the channel is told where to look',
    );
    const calls = kit.connector.calls.slice(sent);
    const toChannel = calls.filter((c) => String(c.conversationId ?? '').startsWith(TRIAGE_CHANNEL));
    expect(JSON.stringify(toChannel)).not.toContain(n.ritaAcme);
    const elsewhere = calls.filter((c) => !String(c.conversationId ?? '').startsWith(TRIAGE_CHANNEL));
    expect(JSON.stringify(elsewhere)).toContain(n.ritaAcme);
  });
});
