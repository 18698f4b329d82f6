/**
 * The trust boundary in Slack: every ticket card action, modal submission and look-up command, sent as someone with
 * no business with the ticket (a stranger, the requester of another ticket) and as the requester on their own
 * ticket, through signed requests to /slack/events. Refused, nothing changed, and no other ticket's words in any
 * answer or anything the bot sent meanwhile. Look-ups asked in a channel are answered ephemerally.
 */
import { ACTION_ACCESS, Action, View } from '../../../src/cards/actions';
import { ACCESS, type TicketAction } from '../../../src/domain/ticket/access';
import type { Ticket } from '../../../src/domain/ticket/ticket';
import type { SlackCall } from '../../fakes/slack-api';
import { people, raiseByDm, type SlackKit, startSlackKit } from '../../fixtures/slack/kit';
import {
  appMention,
  buttonClick,
  chosen,
  directMessage,
  type SlackUser,
  selectChoice,
  slashCommand,
  TRIAGE,
  text,
  viewSubmission,
} from '../../fixtures/slack/payloads';
import { eventually } from '../../helpers/harness';

type CardActionId = keyof typeof ACTION_ACCESS;

/** How Slack sends each ticket card action: a button (value = the ticket) or a static select (the block names the ticket). */
interface Click {
  /** The card action id (ACTION_ACCESS key) it stands for. */
  id: CardActionId;
  /** The action_id as rendered (with a suffix for CSAT scores). */
  actionId: string;
  /** A select's chosen value; a button when absent. */
  select?: string;
  /** Clicking it opens a modal when allowed. */
  opensModal?: boolean;
}

/** Every ticket card action Slack renders (card.refresh is Teams only), with valid choices: only the ticket is not theirs. */
const CLICKS: Click[] = [
  { id: Action.AssignToMe, actionId: Action.AssignToMe },
  { id: Action.Take, actionId: Action.Take },
  { id: Action.AssignTo, actionId: Action.AssignTo, select: 'sam.level2' },
  { id: Action.Close, actionId: Action.Close, opensModal: true },
  { id: Action.Link, actionId: Action.Link, opensModal: true },
  { id: Action.SetSeverity, actionId: Action.SetSeverity, select: '1' },
  { id: Action.SetPriority, actionId: Action.SetPriority, select: '1' },
  { id: Action.SetCategory, actionId: Action.SetCategory, select: 'admin-error-tickets' },
  { id: Action.SetTeam, actionId: Action.SetTeam, select: 'level2' },
  { id: Action.RequestInfo, actionId: Action.RequestInfo, opensModal: true },
  { id: Action.Resolve, actionId: Action.Resolve, opensModal: true },
  { id: Action.EscalateTeamTicketing, actionId: Action.EscalateTeamTicketing },
  { id: Action.MessageRequester, actionId: Action.MessageRequester, opensModal: true },
  { id: Action.InternalNote, actionId: Action.InternalNote, opensModal: true },
  { id: Action.Reply, actionId: Action.Reply, select: 'soc2-report', opensModal: true },
  { id: Action.ChangeStatus, actionId: Action.ChangeStatus, select: 'waiting_for_customer' },
  { id: Action.EscalateDevelopment, actionId: Action.EscalateDevelopment, select: 'data_correction' },
  { id: Action.AdvanceDevelopment, actionId: Action.AdvanceDevelopment, select: 'planned' },
  // "Released" opens the release-note modal.
  { id: Action.AdvanceDevelopment, actionId: Action.AdvanceDevelopment, select: 'released', opensModal: true },
  { id: Action.SwitchRoute, actionId: Action.SwitchRoute, select: 'code_change', opensModal: true },
  { id: Action.RoadmapDecision, actionId: Action.RoadmapDecision, opensModal: true },
  { id: Action.PlanRelease, actionId: Action.PlanRelease, select: '2026-03-19' },
  { id: Action.QuoteSent, actionId: Action.QuoteSent, opensModal: true },
  { id: Action.QuoteOutcome, actionId: Action.QuoteOutcome, opensModal: true },
  { id: Action.FixedYes, actionId: Action.FixedYes },
  { id: Action.FixedNo, actionId: Action.FixedNo },
  { id: Action.Csat, actionId: `${Action.Csat}:1` },
  { id: Action.Csat, actionId: `${Action.Csat}:comment`, opensModal: true },
  { id: Action.CustomerEscalate, actionId: Action.CustomerEscalate, opensModal: true },
  { id: Action.Acknowledge, actionId: Action.Acknowledge },
  { id: Action.FollowUpCalled, actionId: Action.FollowUpCalled },
  { id: Action.FollowUpNote, actionId: Action.FollowUpNote, opensModal: true },
  { id: Action.OpenTicket, actionId: Action.OpenTicket, opensModal: true },
  { id: Action.CompleteClient, actionId: Action.CompleteClient, opensModal: true },
];

const label = (c: Click) => `${c.actionId}${c.select ? ` (${c.select})` : ''}`;

/** Card kinds an attacker may name in a block id, the agents' first. */
const KINDS = ['teamTicketing', 'triage', 'alert', 'view', 'requester'] as const;

/** Every ticket modal, with valid inputs: only the ticket in its metadata is not theirs. */
interface Submission {
  callbackId: string;
  action: TicketAction;
  metadata?: Record<string, string>;
  values: Parameters<typeof viewSubmission>[2];
}
const SUBMISSIONS: Submission[] = [
  { callbackId: View.RequestInfo, action: 'requestInfo', values: { question: { value: text('Which client?') } } },
  { callbackId: View.Resolve, action: 'resolve', values: { note: { value: text('fixed it') } } },
  {
    callbackId: View.CustomerEscalate,
    action: 'customerEscalation',
    values: { reason: { value: text('urgent now') }, impact: { value: text('payroll stops') } },
  },
  {
    callbackId: View.Csat,
    action: 'csat',
    values: { score: { value: chosen('1') }, comment: { value: text('bad') } },
  },
  {
    callbackId: View.ReleaseNote,
    action: 'advanceDevelopment',
    metadata: { to: 'released' },
    values: { note: { value: text('shipped') } },
  },
  {
    callbackId: View.QuoteSent,
    action: 'changeStatus',
    values: { amount: { value: text('1200') }, currency: { value: text('GBP') }, sentTo: { value: text('ap@x.com') } },
  },
  {
    callbackId: View.QuoteOutcome,
    action: 'changeStatus',
    values: { decision: { value: chosen('declined') }, reason: { value: text('too expensive') } },
  },
  {
    callbackId: View.RoadmapDecision,
    action: 'advanceDevelopment',
    values: { decision: { value: chosen('declined') }, reason: { value: text('not on the roadmap') } },
  },
  {
    callbackId: View.SwitchRoute,
    action: 'escalateDevelopment',
    metadata: { to: 'code_change' },
    values: { reason: { value: text('needs a release') } },
  },
  {
    callbackId: View.CompleteClient,
    action: 'completeClientRecord',
    values: { client_erp: { value: text('SAP') }, client_customisations: { value: text('none') } },
  },
  {
    callbackId: View.Link,
    action: 'link',
    values: { kind: { value: chosen('related_to') }, to: { value: text('SR-1') } },
  },
  {
    callbackId: View.MessageRequester,
    action: 'message',
    values: { message: { value: text('hello from outside') } },
  },
  { callbackId: View.InternalNote, action: 'internalNote', values: { note: { value: text('outsider note') } } },
  {
    callbackId: View.Reply,
    action: 'reply',
    metadata: { reply: 'soc2-report' },
    values: { message: { value: text('hello from outside') } },
  },
  { callbackId: View.Close, action: 'close', values: { reason: { value: chosen('spam') } } },
  {
    callbackId: View.FollowUpNote,
    action: 'followUp',
    values: { note: { value: text('we fixed it') }, tell: { value: chosen('requester') } },
  },
];

describe('Slack: who may see and do what is decided from who the person is', () => {
  let kit: SlackKit;
  let ritas: string;
  let ottos: string;
  const SECRET = 'Zanzibar-ledger-7781';
  const INTERNAL = 'Internal-note-Quokka-42';
  const otto: SlackUser = { id: 'U0OTTOOTHER', name: 'Otto Other' }; // requester of another ticket, not in the policy
  const sid: SlackUser = people.stranger; // nobody in the policy, no ticket

  const ticket = async (n: string): Promise<Ticket> => (await kit.helpline.app.tickets.get(n))!;
  const eventsOf = async (n: string) => (await kit.helpline.app.events.listFor(n)).length;
  const since = (sent: number): SlackCall[] => kit.slack.calls.slice(sent);
  const leaks = (calls: SlackCall[]) => {
    const all = JSON.stringify(calls);
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(INTERNAL);
  };
  /** The person was told privately (an ephemeral in the channel, or a DM reply) something matching `said`. */
  const told = (sent: number, who: SlackUser, said: RegExp, what: string) =>
    eventually(
      () =>
        since(sent).find(
          (c) =>
            ((c.method === 'chat.postEphemeral' && c.body.user === who.id) ||
              (c.method === 'chat.postMessage' &&
                (c.body.channel === who.id || c.body.channel === `D${who.id.slice(1)}`))) &&
            said.test(String(c.body.text)),
        ),
      5000,
      what,
    );

  function clickPayload(who: SlackUser, c: Click, number: string, kind: string) {
    const where = { channel: TRIAGE, ts: '1760000000.000001' };
    const block_id = `${kind}|${number}|0badc0de|0`;
    return c.select === undefined
      ? buttonClick(who, { action_id: c.actionId, value: number, block_id }, where)
      : selectChoice(who, { action_id: c.actionId, block_id, value: c.select }, where);
  }

  function submitPayload(who: SlackUser, s: Submission, number: string) {
    return viewSubmission(
      who,
      { callback_id: s.callbackId, private_metadata: JSON.stringify({ ticket: number, ...(s.metadata ?? {}) }) },
      s.values,
    );
  }

  beforeAll(async () => {
    kit = await startSlackKit();
    ritas = (await raiseByDm(kit, people.rita, `The ${SECRET} export fails for our finance team every morning`)).number;
    ottos = (await raiseByDm(kit, otto, 'The office printer jams on every second page since Monday')).number;
    expect(JSON.stringify(await ticket(ritas))).toContain(SECRET);
    expect((await ticket(ottos)).requester.userId).toBe(otto.id);
    // A Level 1 agent's internal note: for agents' eyes only.
    const note = await kit.interact(
      viewSubmission(
        people.lee,
        { callback_id: View.InternalNote, private_metadata: JSON.stringify({ ticket: ritas }) },
        { note: { value: text(INTERNAL) } },
      ),
    );
    expect(note.status).toBe(200);
    await eventually(async () => JSON.stringify(await ticket(ritas)).includes(INTERNAL), 5000, 'the note is saved');
    // Everything due is delivered now: what the bot sends later is what the tests cause.
    await eventually(async () => (await kit.drain()) === 0, 10_000, 'nothing left to deliver');
  });
  afterAll(async () => {
    await kit?.stop();
  });

  const outsiders: Array<[string, () => SlackUser]> = [
    ['a stranger', () => sid],
    ['the requester of another ticket', () => otto],
  ];

  describe.each(outsiders)('as %s', (_who, whoOf) => {
    it.each(CLICKS.map((c) => [label(c), c] as const))(
      '%s on the ticket is refused, changes nothing and shows nothing',
      async (_label, c) => {
        const who = whoOf();
        const before = await ticket(ritas);
        const beforeEvents = await eventsOf(ritas);
        const start = kit.slack.calls.length;
        for (const kind of KINDS) {
          const sent = kit.slack.calls.length;
          const res = await kit.interact(clickPayload(who, c, ritas, kind));
          expect(res.status).toBe(200);
          expect(res.text).not.toContain(SECRET);
          await told(sent, who, /does not exist|for support agents/, `${label(c)} (${kind}) answered`);
          if (c.opensModal) expect(since(sent).filter((x) => x.method === 'views.open')).toEqual([]);
          leaks(since(sent));
        }
        const after = await ticket(ritas);
        expect(after.version).toBe(before.version);
        expect(await eventsOf(ritas)).toBe(beforeEvents);
        leaks(since(start));
      },
    );

    it.each(SUBMISSIONS.map((s) => [s.callbackId, s] as const))(
      'the %s form naming the ticket is refused and changes nothing',
      async (_id, s) => {
        const who = whoOf();
        const before = await ticket(ritas);
        const beforeEvents = await eventsOf(ritas);
        const sent = kit.slack.calls.length;
        const res = await kit.interact(submitPayload(who, s, ritas));
        expect(res.status).toBe(200);
        expect(res.text).toMatch(/does not exist/);
        expect(res.text).not.toContain(SECRET);
        expect(res.text).not.toContain(INTERNAL);
        expect((await ticket(ritas)).version).toBe(before.version);
        expect(await eventsOf(ritas)).toBe(beforeEvents);
        leaks(since(sent));
      },
    );

    it.each([
      ['status', (n: string) => `status ${n}`],
      ['history', (n: string) => `history ${n}`],
      ['client record', (n: string) => `client ${n}`],
      ['set the client', (n: string) => `client ${n} ACME`],
    ])('the %s command by DM is refused, changes nothing and shows nothing', async (_name, command) => {
      const who = whoOf();
      const before = await ticket(ritas);
      const beforeEvents = await eventsOf(ritas);
      const sent = kit.slack.calls.length;
      const r = await kit.event(directMessage(who, command(ritas)));
      expect(r.status).toBe(200);
      await told(sent, who, /does not exist/, 'the bot answered');
      leaks(since(sent));
      expect((await ticket(ritas)).version).toBe(before.version);
      expect(await eventsOf(ritas)).toBe(beforeEvents);
    });

    it.each([
      ['status', (n: string) => `status ${n}`],
      ['history', (n: string) => `history ${n}`],
    ])('/ticket %s is refused, changes nothing and shows nothing', async (_name, command) => {
      const who = whoOf();
      const before = await ticket(ritas);
      const beforeEvents = await eventsOf(ritas);
      const sent = kit.slack.calls.length;
      const r = await kit.command(slashCommand(who, command(ritas)));
      expect(r.status).toBe(200);
      expect(r.text).not.toContain(SECRET);
      await told(sent, who, /does not exist/, 'the bot answered');
      leaks(since(sent));
      expect((await ticket(ritas)).version).toBe(before.version);
      expect(await eventsOf(ritas)).toBe(beforeEvents);
    });

    it('a DM starting with the ticket number is not added to it', async () => {
      const who = whoOf();
      const before = await ticket(ritas);
      const beforeEvents = await eventsOf(ritas);
      const sent = kit.slack.calls.length;
      const msg = directMessage(who, `${ritas}: let me in please, I need to see it`);
      expect((await kit.event(msg)).status).toBe(200);
      await eventually(
        () => since(sent).find((c) => c.method === 'chat.postMessage' && c.body.thread_ts === msg.ts),
        5000,
        'the bot answered',
      );
      expect(JSON.stringify(since(sent))).not.toContain(`Added to ${ritas}`);
      leaks(since(sent));
      expect((await ticket(ritas)).version).toBe(before.version);
      expect(await eventsOf(ritas)).toBe(beforeEvents);
    });
  });

  describe('as the requester on their own ticket', () => {
    const agentOnly = CLICKS.filter((c) => !ACCESS[ACTION_ACCESS[c.id]].includes('requester'));
    const agentOnlyForms = SUBMISSIONS.filter((s) => !ACCESS[s.action].includes('requester'));

    it('the table leaves agents actions the requester may not take', () => {
      expect(agentOnly.length).toBeGreaterThan(10);
      expect(agentOnlyForms.map((s) => s.callbackId)).toEqual(
        expect.arrayContaining([View.RequestInfo, View.Resolve, View.InternalNote, View.ReleaseNote]),
      );
    });

    it.each(agentOnly.map((c) => [label(c), c] as const))(
      '%s (an agent action) is refused and changes nothing',
      async (_label, c) => {
        const before = await ticket(ritas);
        const beforeEvents = await eventsOf(ritas);
        const sent = kit.slack.calls.length;
        const res = await kit.interact(clickPayload(people.rita, c, ritas, 'teamTicketing'));
        expect(res.status).toBe(200);
        await told(sent, people.rita, /for support agents/, `${label(c)} refused`);
        expect(since(sent).filter((x) => x.method === 'views.open')).toEqual([]);
        expect(JSON.stringify(since(sent))).not.toContain(INTERNAL);
        expect((await ticket(ritas)).version).toBe(before.version);
        expect(await eventsOf(ritas)).toBe(beforeEvents);
      },
    );

    it.each(agentOnlyForms.map((s) => [s.callbackId, s] as const))(
      'the %s form (an agent action) is refused and changes nothing',
      async (_id, s) => {
        const before = await ticket(ritas);
        const beforeEvents = await eventsOf(ritas);
        const sent = kit.slack.calls.length;
        const res = await kit.interact(submitPayload(people.rita, s, ritas));
        expect(res.status).toBe(200);
        expect(res.text).toMatch(/for support agents/);
        expect(res.text).not.toContain(INTERNAL);
        expect(JSON.stringify(since(sent))).not.toContain(INTERNAL);
        expect((await ticket(ritas)).version).toBe(before.version);
        expect(await eventsOf(ritas)).toBe(beforeEvents);
      },
    );

    it('`status` shows their ticket without the internal note or agent actions', async () => {
      const sent = kit.slack.calls.length;
      const msg = directMessage(people.rita, `status ${ritas}`);
      expect((await kit.event(msg)).status).toBe(200);
      const reply = await eventually(
        () =>
          since(sent).find(
            (c) => c.method === 'chat.postMessage' && c.body.thread_ts === msg.ts && c.body.blocks !== undefined,
          ),
        5000,
        'the status card',
      );
      const body = JSON.stringify(reply.body);
      expect(body).toContain(ritas);
      expect(body).toContain(SECRET); // their own words: the leak checks above look for something real
      expect(body).not.toContain(INTERNAL);
      for (const c of agentOnly) expect(body).not.toContain(`"action_id":"${c.actionId}"`);
      expect(JSON.stringify(since(sent))).not.toContain(INTERNAL);
    });

    it("cannot see another person's ticket by naming it", async () => {
      const sent = kit.slack.calls.length;
      expect((await kit.event(directMessage(people.rita, `status ${ottos}`))).status).toBe(200);
      await told(sent, people.rita, /does not exist/, 'the bot answered');
      expect(JSON.stringify(since(sent))).not.toMatch(/printer jams/i);
    });
  });

  describe('look-ups asked in a channel are answered to the asker alone', () => {
    it.each([
      ['status', (n: string) => `status ${n}`],
      ['history', (n: string) => `history ${n}`],
    ])('%s by an agent @mentioning the bot in a channel: an ephemeral answer', async (_name, command) => {
      const sent = kit.slack.calls.length;
      expect((await kit.event(appMention(people.lee, TRIAGE, command(ritas)))).status).toBe(200);
      const answer = await kit.waitFor(
        'chat.postEphemeral',
        (c) =>
          kit.slack.calls.indexOf(c) >= sent &&
          c.body.channel === TRIAGE &&
          c.body.user === people.lee.id &&
          JSON.stringify(c.body).includes(ritas),
        'the ephemeral answer',
      );
      expect(answer.body.user).toBe(people.lee.id);
      // The agent's answer does carry the note the outsiders' answers must not.
      expect(JSON.stringify(answer.body)).toContain(INTERNAL);
      const toChannel = since(sent).filter((c) => c.method === 'chat.postMessage' && c.body.channel === TRIAGE);
      expect(JSON.stringify(toChannel)).not.toContain(SECRET);
      expect(JSON.stringify(toChannel)).not.toContain(INTERNAL);
    });
  });
});
