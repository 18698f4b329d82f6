import { Action } from '../../../src/cards/actions';
import { cardAction, personalMessage, submitMessage } from '../../fixtures/teams/activities';
import { assertValidCard } from '../../fixtures/teams/cards';
import { people, startTeamsKit, type TeamsKit } from '../../fixtures/teams/kit';
import { eventually } from '../../helpers/harness';

type Element = Record<string, unknown>;
type Card = { body: Element[]; actions?: Element[] };
type InvokeBody = { statusCode: number; type: string; value: Card };

/** Every input's current value, as Teams sends them with an action. */
function values(card: Card): Record<string, string> {
  const out: Record<string, string> = {};
  for (const el of card.body) if (typeof el.id === 'string') out[el.id] = String(el.value ?? '');
  return out;
}
const actionOf = (card: Card, verb: string) => card.actions?.find((a) => a.verb === verb);
const dataOf = (card: Card, verb: string) => (actionOf(card, verb)?.data ?? {}) as Record<string, string>;

describe('Teams: knowledge answers before a ticket, and articles sent from the agent cards', () => {
  let kit: TeamsKit;
  beforeAll(async () => {
    kit = await startTeamsKit();
  });
  afterAll(async () => {
    await kit?.stop();
  });
  afterEach(() => {
    kit.assertRecordedCardsValid();
    kit.connector.reset();
  });

  const ticketsOf = (userId: string) =>
    kit.helpline.app.tickets.listByRequester({ platform: 'teams', userId }, { openOnly: false, limit: 100 });
  const deflections = async (article: string) => {
    const rows = await kit.helpline.app.deflections.countByArticle(new Date(0), new Date('2100-01-01'));
    return rows.find((r) => r.article === article)?.count ?? 0;
  };
  async function act(verb: string, data: Record<string, unknown>, who = people.rita): Promise<InvokeBody> {
    const res = await kit.send(cardAction(kit.connector.url, who, verb, data));
    expect(res.status).toBe(200);
    const body = res.body as InvokeBody;
    if (body.type === 'application/vnd.microsoft.card.adaptive') assertValidCard(body.value);
    return body;
  }
  async function articleCardFor(words: string): Promise<Card> {
    await kit.send(personalMessage(kit.connector.url, people.rita, words));
    return kit.connector.cards().at(-1) as Card;
  }

  it('answers an hours question with the article (hours and contact from the policy); Yes is one deflection, no ticket', async () => {
    const before = (await ticketsOf(people.rita.id)).length;
    const counted = await deflections('support-hours-contact');
    const card = await articleCardFor('What are your support hours, and what is the support phone number?');
    const text = JSON.stringify(card);
    expect(text).toContain('Support hours and how to reach support');
    expect(text).toContain('08:45');
    expect(text).toContain('0330 088 0802');
    expect(text).toContain('Did this solve it?');
    expect(actionOf(card, Action.SubmitForm)).toBeUndefined();

    const yes = await act(Action.KnowledgeSolved, dataOf(card, Action.KnowledgeSolved));
    expect(JSON.stringify(yes.value)).toContain('Glad that solved it');
    expect(actionOf(yes.value, Action.KnowledgeRaise)).toBeDefined(); // raising stays one click away
    await act(Action.KnowledgeSolved, dataOf(card, Action.KnowledgeSolved)); // a double click
    // The Action.Submit fallback of the same card counts nothing more either.
    await kit.send(
      submitMessage(kit.connector.url, people.rita, {
        ...dataOf(card, Action.KnowledgeSolved),
        verb: Action.KnowledgeSolved,
      }),
    );
    expect(await deflections('support-hours-contact')).toBe(counted + 1);
    expect((await ticketsOf(people.rita.id)).length).toBe(before);
  });

  it('"No, raise a ticket" answers with the intake form; its raise (once, however often submitted) notes the article', async () => {
    const card = await articleCardFor('I forgot my workflow password, how do I reset it?');
    expect(JSON.stringify(card)).toContain('Reset your workflow password');
    const no = await act(Action.KnowledgeRaise, dataOf(card, Action.KnowledgeRaise));
    const form = no.value;
    expect(JSON.stringify(form)).toContain('did not solve it');
    expect(values(form).description).toBe('I forgot my workflow password, how do I reset it?');
    const submit = { ...values(form), ...dataOf(form, Action.SubmitForm) };
    expect(submit.article).toBe('workflow-password');
    const before = (await ticketsOf(people.rita.id)).length;
    await act(Action.SubmitForm, submit);
    await act(Action.SubmitForm, submit);
    const mine = await ticketsOf(people.rita.id);
    expect(mine.length).toBe(before + 1);
    const number = mine[0]?.number ?? '';
    const events = await kit.helpline.app.events.listFor(number);
    expect(events.find((e) => e.type === 'knowledge_not_solved')).toMatchObject({ to: 'workflow-password' });
  });

  it('a message that reports a fault gets the intake form at once, no article', async () => {
    const card = await articleCardFor('Nobody in our office can log in, the sign-in page shows error 500');
    expect(actionOf(card, Action.SubmitForm)).toBeDefined();
    expect(actionOf(card, Action.KnowledgeSolved)).toBeUndefined();
  });

  it('an agent sends an article from the triage card; the requester gets it, and history records it', async () => {
    await act(Action.SubmitForm, {
      title: 'Supplier import failed',
      description: 'the supplier import failed overnight',
      severity: '3',
      category: 'none',
    });
    const number = (await ticketsOf(people.rita.id))[0]?.number ?? '';
    const triage = await act(Action.RefreshCard, { ticket: number, card: 'triage' }, people.lee);
    expect(JSON.stringify(triage.value)).toContain(Action.SendArticle);
    kit.connector.reset();
    await act(Action.SendArticle, { ticket: number, card: 'triage', article: 'soc2-report' }, people.lee);
    const t = await kit.helpline.app.tickets.get(number);
    expect(t?.conversation.at(-1)).toMatchObject({ fromAgent: true });
    expect(t?.conversation.at(-1)?.text).toMatch(/^Getting our SOC 2 report\n/);
    const events = await kit.helpline.app.events.listFor(number);
    expect(events.find((e) => e.type === 'knowledge_sent')).toMatchObject({ to: 'soc2-report' });
    await kit.helpline.notifier.drain();
    await eventually(
      () => kit.connector.delivered().find((c) => JSON.stringify(c.body).includes('Getting our SOC 2 report')),
      5000,
      'the article delivered to the requester',
    );
  });
});
