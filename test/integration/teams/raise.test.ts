import { Action } from '../../../src/cards/actions';
import {
  botAddedToTeam,
  cardAction,
  channelMention,
  messageExtensionFetchTask,
  messageExtensionSubmitAction,
  personalMessage,
  submitMessage,
  TEAM_ID,
} from '../../fixtures/teams/activities';
import { assertValidCard } from '../../fixtures/teams/cards';
import { people, startTeamsKit, type TeamsKit, TRIAGE_CHANNEL } from '../../fixtures/teams/kit';
import { eventually } from '../../helpers/harness';

type Card = { body: Array<Record<string, unknown>>; actions?: Array<Record<string, unknown>> };

function inputs(card: Card): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const el of card.body) if (typeof el.id === 'string') out[el.id] = el;
  return out;
}

describe('Teams: raising a ticket', () => {
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

  const ticketCount = async () => (await kit.helpline.app.tickets.listQueue({ now: new Date(), limit: 100 })).length;

  it('answers plain words in personal chat with what it understood and a pre-filled form', async () => {
    const msg = personalMessage(
      kit.connector.url,
      people.rita,
      "Users can't log in since 9am, invoicing is blocked for everyone",
    );
    const res = await kit.send(msg);
    expect(res.status).toBe(200);
    const reply = kit.connector.delivered()[0]!;
    expect(reply.kind).toBe('reply');
    expect(reply.activityId).toBe(msg.id);
    const card = kit.connector.cards()[0] as Card;
    const form = inputs(card);
    expect(form.title?.value).toMatch(/log in/i);
    expect(form.description?.value).toContain('invoicing is blocked');
    expect(['1', '2']).toContain(form.severity?.value);
    expect(card.actions?.[0]).toMatchObject({
      type: 'Action.Execute',
      verb: Action.SubmitForm,
      fallback: { type: 'Action.Submit' },
    });
    expect(await ticketCount()).toBe(0); // nothing is filed until the requester submits
  });

  it('a message whose work is still in progress elsewhere is answered 503, and done when sent again after', async () => {
    const msg = personalMessage(kit.connector.url, people.rita, 'The price list import stops half way');
    const key = `teams:message:${String(msg.id)}`;
    // Another replica claimed this activity and died before finishing it.
    expect(await kit.helpline.app.operations.begin(key, new Date())).toEqual({ state: 'new' });
    expect((await kit.send(msg)).status).toBe(503); // not 200: the work is not done
    expect(kit.connector.delivered()).toHaveLength(0);
    await kit.helpline.app.operations.abandon(key); // the dead replica's claim is free (45 s later in real life)
    expect((await kit.send(msg)).status).toBe(200);
    expect(kit.connector.delivered()[0]).toMatchObject({ kind: 'reply', activityId: msg.id });
  }, 20_000);

  it('keeps an image attached to the plain-words message as evidence (its link only), through the form', async () => {
    const shot = 'https://contoso.sharepoint.com/sites/x/Shared%20Documents/screenshot.png';
    const msg = {
      ...personalMessage(kit.connector.url, people.rita, 'The payment run fails with an error, see the screenshot'),
      attachments: [{ contentType: 'image/png', contentUrl: shot, name: 'screenshot.png' }],
    };
    expect((await kit.send(msg)).status).toBe(200);
    const card = kit.connector.cards().at(-1) as Card;
    const form = inputs(card);
    expect(String(form.evidence?.value)).toContain(shot);
    const data = (card.actions?.[0] as { data?: Record<string, string> } | undefined)?.data ?? {};
    const values = Object.fromEntries(Object.entries(form).map(([k, v]) => [k, String(v.value ?? '')]));
    const res = await kit.send(cardAction(kit.connector.url, people.rita, Action.SubmitForm, { ...values, ...data }));
    expect(res.status).toBe(200);
    const [t] = await kit.helpline.app.tickets.listByRequester(
      { platform: 'teams', userId: people.rita.id },
      { openOnly: true, limit: 1 },
    );
    expect(t?.evidence.map((e) => e.value)).toContain(shot);
  });

  it('creates the ticket when the form is submitted (Action.Execute) and answers with the ticket card', async () => {
    const before = await ticketCount();
    const invoke = cardAction(kit.connector.url, people.rita, Action.SubmitForm, {
      title: 'Cannot log in to the portal',
      description: 'Since 9am nobody can log in. Error: 500 Internal Server Error',
      severity: '2',
      category: 'none',
      client: 'Acme Ltd',
      businessImpact: 'Invoicing is blocked',
      evidence: 'https://example.com/screenshot.png',
    });
    const res = await kit.send(invoke);
    expect(res.status).toBe(200);
    const body = res.body as { statusCode: number; type: string; value: Card };
    expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    assertValidCard(body.value);
    expect(JSON.stringify(body.value)).toMatch(/SR-\d+ raised: Severity 2/);
    expect(await ticketCount()).toBe(before + 1);
    const [t] = await kit.helpline.app.tickets.listByRequester(
      { platform: 'teams', userId: people.rita.id },
      { openOnly: true, limit: 1 },
    );
    expect(t).toMatchObject({
      title: 'Cannot log in to the portal',
      severity: 2,
      client: 'Acme Ltd',
      businessImpact: 'Invoicing is blocked',
    });
    expect(t!.evidence.map((e) => e.value)).toContain('https://example.com/screenshot.png');

    // Teams redelivers the same invoke: still one ticket.
    const again = await kit.send(invoke);
    expect(again.status).toBe(200);
    expect(await ticketCount()).toBe(before + 1);
  });

  it('the form carries its own id: a double click on Raise ticket (two invokes) raises one ticket', async () => {
    const msg = personalMessage(kit.connector.url, people.rita, 'The supplier import failed again this morning');
    await kit.send(msg);
    const card = kit.connector.cards().at(-1) as Card;
    const data = (card.actions?.[0] as { data?: Record<string, string> } | undefined)?.data ?? {};
    expect(data.form).toMatch(/^[0-9a-f-]{36}$/);
    const before = await ticketCount();
    const fields = { ...data, title: 'Supplier import failed', description: 'Again this morning', severity: '3' };
    const [a, b] = await Promise.all([
      kit.send(cardAction(kit.connector.url, people.rita, Action.SubmitForm, fields)),
      kit.send(cardAction(kit.connector.url, people.rita, Action.SubmitForm, fields)),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await ticketCount()).toBe(before + 1);
  });

  it('creates the ticket from an Action.Submit fallback and confirms in text; a redelivery does nothing', async () => {
    const before = await ticketCount();
    const submit = submitMessage(kit.connector.url, people.otto, {
      verb: Action.SubmitForm,
      title: 'Report export is slow',
      description: 'The monthly report takes ten minutes',
      severity: '3',
      category: 'none',
    });
    expect((await kit.send(submit)).status).toBe(200);
    const reply = kit.connector.delivered()[0]!;
    expect(reply.body.text).toMatch(/^SR-\d+ raised: Severity 3 .*Expect a first response by/);
    expect(reply.body.textFormat).toBe('plain');
    expect((await kit.send(submit)).status).toBe(200);
    expect(await ticketCount()).toBe(before + 1);
    expect(kit.connector.delivered()).toHaveLength(1);
    // One claim, the raise's (keyed by the activity), with its answer recorded as told; none of the activity besides.
    const claims = kit.helpline.app.models.ProcessedEvent.collection;
    expect(submit.id).toBeTruthy();
    expect(await claims.findOne({ _id: `teams:${submit.id}` } as never)).toMatchObject({
      state: 'done',
      result: { told: true },
    });
    expect(await claims.findOne({ _id: `teams:message:${submit.id}` } as never)).toBeNull();
  });

  it('answers an @mention in a channel with the form (mention text stripped)', async () => {
    const msg = channelMention(kit.connector.url, people.otto, 'the invoice PDF shows the wrong VAT number');
    expect((await kit.send(msg)).status).toBe(200);
    const reply = kit.connector.delivered()[0]!;
    expect(reply.conversationId).toBe((msg.conversation as { id: string }).id);
    const form = inputs(kit.connector.cards()[0] as Card);
    expect(form.description?.value).toBe('the invoice PDF shows the wrong VAT number');
    expect(String(form.title?.value)).not.toContain('<at>');
  });

  it('gives help, my tickets and a ticket status', async () => {
    await kit.send(personalMessage(kit.connector.url, people.rita, 'help'));
    expect(JSON.stringify(kit.connector.cards()[0])).toContain('status SR-123');
    await kit.send(personalMessage(kit.connector.url, people.rita, 'mine'));
    expect(JSON.stringify(kit.connector.cards()[1])).toContain('Cannot log in to the portal');
    const [t] = await kit.helpline.app.tickets.listByRequester(
      { platform: 'teams', userId: people.rita.id },
      { openOnly: true, limit: 1 },
    );
    await kit.send(personalMessage(kit.connector.url, people.rita, `status ${t!.number}`));
    expect(JSON.stringify(kit.connector.cards()[2])).toContain(t!.number);
    // Someone else's ticket is not shown to a requester.
    await kit.send(personalMessage(kit.connector.url, people.otto, `status ${t!.number}`));
    expect(kit.connector.delivered()[3]!.body.text).toMatch(/does not exist/);
  });

  it('keeps user text plain and the card under the size limit', async () => {
    const nasty = `**bold** [link](https://evil.example) <at>Everyone</at> {{template}} \u0000 ${'# heading\n- item\n'.repeat(3000)}`;
    const invoke = cardAction(kit.connector.url, people.otto, Action.SubmitForm, {
      title: '**Urgent** _now_ [x](y)',
      description: nasty.slice(0, 19_000),
      severity: '3',
    });
    const res = await kit.send(invoke);
    const card = (res.body as { value: Card }).value;
    assertValidCard(card);
    const json = JSON.stringify(card);
    expect(Buffer.byteLength(json)).toBeLessThan(80_000);
    // User text only ever appears in TextRuns (never parsed as markdown) or escaped in facts.
    const textBlocks = card.body.filter((e) => e.type === 'TextBlock').map((e) => String(e.text));
    for (const t of textBlocks) expect(t).not.toContain('**bold**');
    const runs = card.body
      .filter((e) => e.type === 'RichTextBlock')
      .flatMap((e) => (e.inlines as Array<{ text: string }>).map((i) => i.text));
    expect(runs).toContain('**Urgent** _now_ [x](y)');
    expect(runs.some((r) => r.startsWith('**bold** [link](https://evil.example)') && r.endsWith('…'))).toBe(true);
  });

  it('answers a request on the not-supported list with the policy reply', async () => {
    const policy = kit.helpline.app.policy;
    const declined = Object.values(policy.coverage.notSupported ?? {}).find((n) => n.route === 'declined');
    if (!declined) return;
    const keyword = declined.keywords[0]!.replace(/\*$/, '');
    await kit.send(personalMessage(kit.connector.url, people.rita, `Can you help with ${keyword} please`));
    expect(kit.connector.delivered()[0]!.body.text).toBe(declined.reply);
  });

  it('message extension: fetchTask returns the pre-filled form, submitAction creates the ticket', async () => {
    const text = 'Payroll export fails with Error: timeout after 30s';
    const fetchTask = messageExtensionFetchTask(kit.connector.url, people.lee, people.otto, text);
    const res = await kit.send(fetchTask);
    expect(res.status).toBe(200);
    const task = (res.body as { task: { type: string; value: { card: { contentType: string; content: Card } } } }).task;
    expect(task.type).toBe('continue');
    expect(task.value.card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = task.value.card.content;
    assertValidCard(card);
    const form = inputs(card);
    expect(form.description?.value).toBe(text);
    const submitButton = card.actions?.[0] as { type: string; data: Record<string, string> };
    expect(submitButton.type).toBe('Action.Submit');
    expect(submitButton.data.sourceLink).toMatch(/^https:\/\/teams.microsoft.com\/l\/message\//);

    const before = await ticketCount();
    const data = {
      ...submitButton.data,
      title: String(form.title?.value),
      description: text,
      severity: '2',
      category: 'none',
      client: '',
      businessImpact: '',
      evidence: '',
    };
    const submit = messageExtensionSubmitAction(kit.connector.url, people.lee, people.otto, text, data);
    const done = await kit.send(submit);
    expect(done.status).toBe(200);
    expect((done.body as { task: { type: string; value: string } }).task).toMatchObject({
      type: 'message',
      value: expect.stringMatching(/^SR-\d+ raised/),
    });
    expect(await ticketCount()).toBe(before + 1);
    // Lee (an agent) raised Otto's message: Otto is the requester, Lee is recorded as who raised it.
    const number = /SR-\d+/.exec((done.body as { task: { value: string } }).task.value)?.[0] ?? '';
    const t = await kit.helpline.app.tickets.get(number);
    expect(t?.requester).toMatchObject({ platform: 'teams', userId: people.otto.aadObjectId, name: people.otto.name });
    const raised = (await kit.helpline.app.events.listFor(number)).find((e) => e.type === 'raised');
    expect(raised).toMatchObject({
      actor: { userId: people.lee.id },
      note: expect.stringContaining(`for ${people.otto.name}`),
    });
    expect((await kit.send(submit)).status).toBe(200);
    expect(await ticketCount()).toBe(before + 1);
  });

  it('posts the triage card to the Teams triage channel once the ticket is raised', async () => {
    await kit.helpline.notifier.drain();
    kit.connector.setTeamChannels(TEAM_ID, [{ id: TRIAGE_CHANNEL, name: 'support-triage' }]);
    expect((await kit.send(botAddedToTeam(kit.connector.url, people.lee))).status).toBe(200);
    kit.connector.reset();
    const invoke = cardAction(kit.connector.url, people.otto, Action.SubmitForm, {
      title: 'Printer offline',
      description: 'Office printer offline',
      severity: '4',
    });
    await kit.send(invoke);
    const post = await eventually(
      () => kit.connector.delivered().find((c) => c.kind === 'send' && c.conversationId === TRIAGE_CHANNEL),
      5000,
      'the triage post',
    );
    expect(JSON.stringify(post.body)).toContain('Printer offline');
  });
});
