import { Action, View } from '../../../src/cards/actions';
import { findElement, latestCard, people, raiseByDm, type SlackKit, useSlackKit } from '../../fixtures/slack/kit';
import {
  buttonClick,
  chosen,
  directMessage,
  selectChoice,
  TRIAGE,
  text,
  viewSubmission,
} from '../../fixtures/slack/payloads';
import { eventually } from '../../helpers/harness';

describe('Slack: knowledge answers before a ticket, and articles sent from the agent cards', () => {
  let kit: SlackKit;
  useSlackKit((k) => {
    kit = k;
  });

  const ticketsOf = (userId: string) =>
    kit.helpline.app.tickets.listByRequester({ platform: 'slack', userId }, { openOnly: false, limit: 100 });
  const deflections = async (article: string) => {
    const rows = await kit.helpline.app.deflections.countByArticle(new Date(0), new Date('2100-01-01'));
    return rows.find((r) => r.article === article)?.count ?? 0;
  };
  const replyTo = (ts: string, what: string) => kit.waitFor('chat.postMessage', (c) => c.body.thread_ts === ts, what);
  const click = (ts: string, actionId: string, msgTs: string, user = people.rita) =>
    kit.interact(buttonClick(user, { action_id: actionId, value: ts }, { channel: user.id, ts: msgTs }));
  const updated = (msgTs: string, re: RegExp, what: string) =>
    kit.waitFor('chat.update', (c) => c.body.ts === msgTs && re.test(JSON.stringify(c.body)), what);

  it('answers a password question with the article; Yes is one deflection (a second click counts nothing) and no ticket', async () => {
    const before = (await ticketsOf(people.rita.id)).length;
    const counted = await deflections('workflow-password');
    const msg = directMessage(people.rita, 'I forgot my workflow password, how do I reset it?');
    await kit.event(msg);
    const answer = await replyTo(msg.ts, 'the article');
    const blocks = JSON.stringify(answer.body.blocks);
    expect(blocks).toContain('Reset your workflow password');
    expect(blocks).toContain('Did this solve it?');
    expect(findElement(answer, Action.KnowledgeSolved)?.element.value).toBe(msg.ts);
    expect(findElement(answer, Action.KnowledgeRaise)?.element.value).toBe(msg.ts);
    expect(findElement(answer, Action.RaiseNow)).toBeUndefined();

    const msgTs = String(answer.response?.ts);
    expect((await click(msg.ts, Action.KnowledgeSolved, msgTs)).status).toBe(200);
    const thanks = await updated(msgTs, /Glad that solved it/, 'the thanks');
    // Never a dead end: raising stays one click away.
    expect(findElement(thanks, Action.KnowledgeRaise)?.element.value).toBe(msg.ts);
    expect((await click(msg.ts, Action.KnowledgeSolved, msgTs)).status).toBe(200);
    await kit.waitFor('chat.update', (c) => c.body.ts === msgTs && c !== thanks, 'the second rendering');
    expect(await deflections('workflow-password')).toBe(counted + 1);
    expect((await ticketsOf(people.rita.id)).length).toBe(before);
  });

  it('"No, raise a ticket" goes on with the same intake, and the ticket notes the article in its history', async () => {
    const msg = directMessage(people.rita, 'my workflow password expired, can you send me a reset link?');
    await kit.event(msg);
    const answer = await replyTo(msg.ts, 'the article');
    const msgTs = String(answer.response?.ts);
    expect((await click(msg.ts, Action.KnowledgeRaise, msgTs)).status).toBe(200);
    const intake = await updated(msgTs, /did not solve it/, 'the intake in place of the article');
    expect(findElement(intake, Action.RaiseNow)?.element.value).toBe(msg.ts);

    kit.slack.reset();
    expect((await click(msg.ts, Action.RaiseNow, msgTs)).status).toBe(200);
    const conf = await kit.waitFor(
      'chat.postMessage',
      (c) => c.body.thread_ts === msg.ts && /SR-\d+ raised/.test(String(c.body.text)),
      'confirmation',
    );
    const number = /SR-\d+/.exec(String(conf.body.text))?.[0] ?? '';
    const events = await kit.helpline.app.events.listFor(number);
    expect(events.find((e) => e.type === 'knowledge_not_solved')).toMatchObject({
      to: 'workflow-password',
      note: 'Reset your workflow password',
    });
    await kit.event(directMessage(people.rita, `history ${number}`));
    const history = await kit.waitFor('chat.postMessage', (c) => /History of SR-/.test(String(c.body.text)), 'history');
    expect(String(history.body.text)).toContain('Answered first with the article "Reset your workflow password"');
  });

  it('after "No", the form opened from the same draft raises with the article noted too', async () => {
    const msg = directMessage(people.rita, 'how do I reset my workflow password? it expired');
    await kit.event(msg);
    const answer = await replyTo(msg.ts, 'the article');
    const msgTs = String(answer.response?.ts);
    await click(msg.ts, Action.KnowledgeRaise, msgTs);
    await updated(msgTs, /did not solve it/, 'the intake');
    await click(msg.ts, Action.OpenForm, msgTs);
    const open = await kit.waitFor('views.open');
    const { private_metadata } = open.body.view as { private_metadata: string };
    const res = await kit.interact(
      viewSubmission(
        people.rita,
        { callback_id: View.Intake, private_metadata },
        { title: { value: text('Workflow password expired') }, severity: { value: chosen('4') } },
      ),
    );
    expect(res.status).toBe(200);
    const number = await eventually(
      async () => (await ticketsOf(people.rita.id)).find((t) => t.title === 'Workflow password expired')?.number,
      5000,
      'the ticket from the form',
    );
    const events = await kit.helpline.app.events.listFor(number);
    expect(events.find((e) => e.type === 'knowledge_not_solved')).toMatchObject({ to: 'workflow-password' });
  });

  it('a message that reports a fault is not answered with an article: the raise starts as before', async () => {
    const msg = directMessage(people.rita, 'nobody in our office can log in, the password page shows error 500');
    await kit.event(msg);
    const reply = await replyTo(msg.ts, 'the understood reply');
    expect(findElement(reply, Action.KnowledgeSolved)).toBeUndefined();
    expect(findElement(reply, Action.RaiseNow)?.element.value).toBe(msg.ts);
  });

  it('an agent sends an article from the triage card: the requester gets it on the ticket, recorded in history', async () => {
    const { number } = await raiseByDm(kit, people.rita, 'the supplier import failed overnight with a header error');
    await kit.drain();
    const card = await eventually(() => latestCard(kit, TRIAGE, number), 5000, 'triage card');
    const select = findElement(card, Action.SendArticle);
    expect(select).toBeDefined();
    kit.slack.reset();
    const res = await kit.interact(
      selectChoice(
        people.lee,
        { action_id: Action.SendArticle, block_id: select?.blockId ?? '', value: 'support-hours-contact' },
        { channel: TRIAGE, ts: String(card.response?.ts ?? '1.1') },
      ),
    );
    expect(res.status).toBe(200);
    await kit.drain();
    await kit.waitFor(
      'chat.postMessage',
      (c) => c.body.channel === people.rita.id && /Support hours and how to reach support/.test(JSON.stringify(c.body)),
      'the article in the requester DM',
    );
    const t = await kit.helpline.app.tickets.get(number);
    expect(t?.conversation.at(-1)).toMatchObject({ fromAgent: true });
    expect(t?.conversation.at(-1)?.text).toMatch(/^Support hours and how to reach support\nSupport hours: /);
    const events = await kit.helpline.app.events.listFor(number);
    expect(events.find((e) => e.type === 'knowledge_sent')).toMatchObject({ to: 'support-hours-contact' });

    // The requester cannot send articles (a tampered select from their card is refused).
    const before = (await kit.helpline.app.events.listFor(number)).length;
    await kit.interact(
      selectChoice(
        people.rita,
        { action_id: Action.SendArticle, block_id: select?.blockId ?? '', value: 'soc2-report' },
        { channel: people.rita.id, ts: '1.2' },
      ),
    );
    await kit.drain();
    expect((await kit.helpline.app.events.listFor(number)).length).toBe(before);
  });
});
