import { Action } from '../../../src/cards/actions';
import { cardAction, personalMessage, submitMessage } from '../../fixtures/teams/activities';
import { assertValidCard } from '../../fixtures/teams/cards';
import { people, startTeamsKit, type TeamsKit } from '../../fixtures/teams/kit';

type Element = Record<string, unknown>;
type Card = { body: Element[]; actions?: Element[] };
type InvokeBody = { statusCode: number; type: string; value: Card };

/** Every input's current value, as Teams sends them with an action. */
function values(card: Card): Record<string, string> {
  const out: Record<string, string> = {};
  for (const el of card.body) if (typeof el.id === 'string') out[el.id] = String(el.value ?? '');
  return out;
}

/** The data of the button titled `title` in the card's body (the question's Answer / Skip). */
function buttonData(card: Card, title: string): Record<string, string> {
  for (const el of card.body) {
    if (el.type !== 'ActionSet') continue;
    const found = (el.actions as Element[]).find((a) => a.title === title);
    if (found) return found.data as Record<string, string>;
  }
  throw new Error(`no ${title} button`);
}

const question = (card: Card) => card.body.find((el) => el.type === 'TextBlock' && /\?$/.test(String(el.text)))?.text;

describe('Teams: guided intake asks for what is missing, one question at a time, above the form', () => {
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

  async function answer(card: Card, button: 'Answer' | 'Skip', words = ''): Promise<Card> {
    const data = { ...values(card), ...buttonData(card, button), answer: words };
    const res = await kit.send(cardAction(kit.connector.url, people.rita, Action.AnswerQuestion, data));
    const body = res.body as InvokeBody;
    expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    assertValidCard(body.value);
    return body.value;
  }

  it('asks, puts each answer in its field, skips on Skip, and the form raises with the answers', async () => {
    await kit.send(personalMessage(kit.connector.url, people.rita, 'the export to sage failed last night'));
    let card = kit.connector.cards()[0] as Card;
    expect(question(card)).toMatch(/^What is the business impact/);
    expect(card.actions?.[0]).toMatchObject({ verb: Action.SubmitForm }); // "Raise ticket" is there all along

    card = await answer(card, 'Answer', 'all of AP, payments due friday');
    expect(values(card).businessImpact).toBe('all of AP, payments due friday');
    expect(question(card)).toMatch(/^Which client/);

    card = await answer(card, 'Skip');
    expect(values(card).client).toBe('');
    expect(question(card)).toMatch(/error message, a screenshot/);

    card = await answer(card, 'Answer', 'https://example.com/shot.png');
    expect(values(card).evidence).toBe('https://example.com/shot.png');
    card = await answer(card, 'Answer', 'open exports, press run');
    expect(values(card).description).toContain('Steps: open exports, press run');
    expect(question(card)).toBeUndefined(); // nothing left to ask

    const submit = { ...values(card), ...(card.actions?.[0]?.data as Record<string, string>) };
    const res = await kit.send(cardAction(kit.connector.url, people.rita, Action.SubmitForm, submit));
    expect((res.body as InvokeBody).statusCode).toBe(200);
    const [t] = await kit.helpline.app.tickets.listByRequester(
      { platform: 'teams', userId: people.rita.id },
      { openOnly: true, limit: 1 },
    );
    expect(t).toMatchObject({ businessImpact: 'all of AP, payments due friday', client: '' });
    expect(t?.evidence).toContainEqual({ kind: 'link', value: 'https://example.com/shot.png' });
  });

  it('recognises the client named in the words and does not ask for it', async () => {
    await kit.send(
      personalMessage(kit.connector.url, people.rita, 'invoices from Northgate Foods are on hold in the portal'),
    );
    const card = kit.connector.cards()[0] as Card;
    expect(values(card).client).toBe('Northgate Foods');
    const next = await answer(card, 'Answer', 'AP cannot pay 40 suppliers');
    expect(question(next)).not.toMatch(/Which client/);
  });

  it('the Action.Submit fallback of Answer updates the card in place', async () => {
    await kit.send(personalMessage(kit.connector.url, people.rita, 'the approve button does nothing'));
    const card = kit.connector.cards()[0] as Card;
    const sent = kit.connector.delivered()[0]!;
    kit.connector.reset();
    const value = { ...values(card), ...buttonData(card, 'Answer'), verb: Action.AnswerQuestion, answer: 'only me' };
    await kit.send(submitMessage(kit.connector.url, people.rita, value, String(sent.body.id ?? 'x')));
    const updated = kit.connector.delivered()[0]!;
    expect(updated.kind).toBe('update');
    expect(JSON.stringify(updated.body)).toContain('only me');
  });

  it('a tampered answer is refused with a 400 and a clear message', async () => {
    const res = await kit.send(
      cardAction(kit.connector.url, people.rita, Action.AnswerQuestion, { question: 'salary', asked: '' }),
    );
    expect(res.body).toMatchObject({ statusCode: 400 });
  });
});
