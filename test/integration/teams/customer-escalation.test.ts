import { Action } from '../../../src/cards/actions';
import type { Ticket } from '../../../src/domain/ticket/ticket';
import { cardAction, type TeamsUser } from '../../fixtures/teams/activities';
import { assertValidCard } from '../../fixtures/teams/cards';
import { people, startTeamsKit, type TeamsKit } from '../../fixtures/teams/kit';

type InvokeBody = { statusCode: number; type: string; value: unknown };
type Json = Record<string, unknown>;

/** Every Action.Execute in a card (show cards and action sets included), with the inputs of the card holding it. */
function executes(card: unknown): Array<{ action: Json; inputs: Json[] }> {
  const out: Array<{ action: Json; inputs: Json[] }> = [];
  const walk = (c: Json) => {
    const inputs = ((c.body as Json[] | undefined) ?? []).filter((e) => String(e.type).startsWith('Input.'));
    const visit = (a: Json) => {
      if (a.type === 'Action.Execute') out.push({ action: a, inputs });
      if (a.type === 'Action.ShowCard') walk(a.card as Json);
    };
    for (const a of (c.actions as Json[] | undefined) ?? []) visit(a);
    for (const e of (c.body as Json[] | undefined) ?? [])
      if (e.type === 'ActionSet') for (const a of (e.actions as Json[]) ?? []) visit(a);
  };
  walk(card as Json);
  return out;
}

describe('Teams: an agent records a customer escalation that came by phone or email, from the agent cards', () => {
  let kit: TeamsKit;

  async function act(who: TeamsUser, verb: string, data: Record<string, unknown>) {
    const res = await kit.send(cardAction(kit.connector.url, who, verb, data));
    const body = res.body as InvokeBody;
    if (body?.type === 'application/vnd.microsoft.card.adaptive') assertValidCard(body.value);
    return body;
  }
  const get = async (n: string): Promise<Ticket> => (await kit.helpline.app.tickets.get(n))!;

  beforeAll(async () => {
    kit = await startTeamsKit();
  });
  afterAll(async () => {
    await kit?.stop();
  });

  async function raise(title: string): Promise<string> {
    const r = await act(people.rita, Action.SubmitForm, { title, description: title, severity: '3', category: 'none' });
    expect(r.statusCode).toBe(200);
    return (
      await kit.helpline.app.tickets.listByRequester(
        { platform: 'teams', userId: people.rita.id },
        { openOnly: true, limit: 1 },
      )
    )[0]!.number;
  }

  it('"Customer escalation…" on the triage and Team Ticketing cards: reason, impact and the phone / email choice', async () => {
    const number = await raise('The payroll export fails for every store since this morning');
    for (const kind of ['triage', 'teamTicketing'] as const) {
      const card = await act(people.lee, Action.RefreshCard, { ticket: number, card: kind });
      const esc = executes(card.value).find((e) => e.action.verb === Action.CustomerEscalate);
      expect(esc).toBeDefined();
      expect(esc!.inputs.map((i) => i.id)).toEqual(['reason', 'impact', 'escalationPriority', 'via']);
      const via = esc!.inputs.find((i) => i.id === 'via') as { choices: Array<{ value: string }> };
      expect(via.choices.map((c) => c.value)).toEqual(['phone', 'email', 'self']);
      expect(esc!.action.data).toMatchObject({ ticket: number, card: kind });
    }
    // The requester's own card has no such choice.
    const own = await act(people.rita, Action.RefreshCard, { ticket: number, card: 'requester' });
    const mine = executes(own.value).find((e) => e.action.verb === Action.CustomerEscalate);
    expect(mine!.inputs.map((i) => i.id)).not.toContain('via');

    // Lee records Rita's phone call, with a higher impact.
    const r = await act(people.lee, Action.CustomerEscalate, {
      ticket: number,
      card: 'triage',
      reason: 'Rita called: payroll runs tonight',
      impact: 'No store can pay its staff',
      escalationPriority: '1',
      via: 'phone',
    });
    expect(r.statusCode).toBe(200);
    const t = await get(number);
    expect(t.escalationLevel).toBe(1);
    expect(t.priority).toBe(1);
    const events = await kit.helpline.app.events.listFor(number);
    expect(JSON.stringify(events.filter((e) => e.type === 'customer_escalation'))).toContain('phone');
    // Still an agent's card after it, with the next step offered.
    expect(JSON.stringify(r.value)).toContain(Action.CustomerEscalate);
  });

  it('the requester cannot claim it came by phone; a step recorded by email starts their cooldown', async () => {
    const number = await raise('Supplier invoices stopped importing overnight');
    const byRita = await act(people.rita, Action.CustomerEscalate, {
      ticket: number,
      card: 'requester',
      reason: 'Urgent',
      impact: 'Month end is blocked',
      via: 'phone',
    });
    expect(JSON.stringify(byRita.value)).toMatch(/Only an agent records/);
    expect((await get(number)).escalationLevel).toBe(0);

    const recorded = await act(people.lee, Action.CustomerEscalate, {
      ticket: number,
      card: 'triage',
      reason: 'Rita emailed: month end is blocked',
      impact: 'AP cannot close the month',
      via: 'email',
    });
    expect(recorded.statusCode).toBe(200);
    expect((await get(number)).escalationLevel).toBe(1);
    // Rita's own next step waits for the cooldown, counted from the step she asked for by email.
    const again = await act(people.rita, Action.CustomerEscalate, {
      ticket: number,
      card: 'requester',
      reason: 'Still blocked',
      impact: 'AP cannot close the month',
    });
    expect(JSON.stringify(again.value)).toMatch(/You can escalate it again from/);
    expect((await get(number)).escalationLevel).toBe(1);
  });
});
