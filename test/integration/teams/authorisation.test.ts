/**
 * The trust boundary in Teams: every card action and command, sent as someone with no business with the ticket
 * (a stranger, the requester of another ticket) and as the requester on their own ticket, through /api/messages.
 * Refused, nothing changed, and no other ticket's words in any answer or anything the bot sent meanwhile.
 */
import { ACTION_ACCESS } from '../../../src/cards/actions';
import { ACCESS } from '../../../src/domain/ticket/access';
import type { Ticket } from '../../../src/domain/ticket/ticket';
import {
  cardAction,
  channelMention,
  personalMessage,
  submitMessage,
  TEAM_ID,
  type TeamsUser,
  user,
} from '../../fixtures/teams/activities';
import {
  MANAGERS_CHANNEL,
  people,
  startTeamsKit,
  TEAM_TICKETING_CHANNEL,
  type TeamsKit,
  TRIAGE_CHANNEL,
} from '../../fixtures/teams/kit';
import { eventually } from '../../helpers/harness';

/** Valid data for each ticket verb (the attacker sends well-formed cards, only the ticket is not theirs). */
const DATA: Record<keyof typeof ACTION_ACCESS, Record<string, unknown>> = {
  'ticket.assign_me': {},
  'ticket.take': {},
  'ticket.assign_to': { assignee: 'sam.level2' },
  'ticket.close': { closeReason: 'spam' },
  'ticket.link': { linkKind: 'related_to', linkTo: 'SR-1' },
  'ticket.set_severity': { severity: '1' },
  'ticket.set_priority': { priority: '1' },
  'ticket.set_category': { category: 'admin-error-tickets' },
  'ticket.set_team': { team: 'level2' },
  'ticket.request_info': { question: 'Which client?' },
  'ticket.resolve': { note: 'fixed' },
  'ticket.escalate_team_ticketing': { note: 'please' },
  'ticket.message_requester': { message: 'hello from outside' },
  'ticket.internal_note': { internalNote: 'outsider note' },
  'ticket.send_article': { article: 'soc2-report' },
  'ticket.reply': { reply: 'soc2-report', message: 'hello from outside' },
  'ticket.reply_preview': { reply: 'soc2-report' },
  'ticket.change_status': { status: 'waiting_for_customer' },
  'ticket.escalate_development': { route: 'data_correction' },
  'ticket.advance_development': { devStatus: 'planned' },
  'ticket.switch_route': { route: 'code_change', routeReason: 'needs a release' },
  'ticket.roadmap_decision': { roadmapDecision: 'declined', roadmapReason: 'not on the roadmap' },
  'ticket.plan_release': { release: '2026-03-19' },
  'ticket.quote_sent': { quoteAmount: '1200', quoteCurrency: 'GBP', quoteSentTo: 'ap@example.com' },
  'ticket.quote_outcome': { quoteDecision: 'declined', quoteReason: 'too expensive' },
  'requester.fixed_yes': {},
  'requester.fixed_no': { notFixedReason: 'still broken' },
  'requester.csat': { score: '1', comment: 'bad' },
  'ticket.follow_up_called': {},
  'ticket.follow_up_note': { followUpNote: 'we fixed the export', tell: 'requester' },
  'requester.escalate': { reason: 'urgent now' },
  'alert.acknowledge': {},
  'card.refresh': {},
  'queue.open': {},
  'client.complete': { erp: 'SAP', customisations: 'none' },
};

/** Card kinds an attacker may ask for, the agents' first. */
const KINDS = ['teamTicketing', 'triage', 'alert', 'view', 'requester'] as const;

describe('Teams: who may see and do what is decided from who the person is', () => {
  let kit: TeamsKit;
  let ritas: string;
  let ottos: string;
  const SECRET = 'Zanzibar-ledger-7781';
  const INTERNAL = 'Internal-note-Quokka-42';
  const sid = user('29:1stranger-sid', 'Sid Stranger'); // nobody in the policy, no ticket

  const ticket = async (n: string): Promise<Ticket> => (await kit.helpline.app.tickets.get(n))!;
  const eventsOf = async (n: string) => (await kit.helpline.app.events.listFor(n)).length;

  async function raise(who: TeamsUser, title: string): Promise<string> {
    const r = await kit.send(
      cardAction(kit.connector.url, who, 'intake.submit', {
        title,
        description: `${title}: the ${SECRET} export fails for our finance team`,
        severity: '3',
        category: 'none',
      }),
    );
    expect(r.status).toBe(200);
    const mine = await kit.helpline.app.tickets.listByRequester(
      { platform: 'teams', userId: who.id },
      { openOnly: true, limit: 1 },
    );
    return mine[0]!.number;
  }

  beforeAll(async () => {
    kit = await startTeamsKit();
    kit.connector.setTeamChannels(TEAM_ID, [
      { id: TRIAGE_CHANNEL, name: 'support-triage' },
      { id: TEAM_TICKETING_CHANNEL, name: 'Team Ticketing' },
      { id: MANAGERS_CHANNEL, name: 'support-managers' },
    ]);
    ritas = await raise(people.rita, 'Ledger export broken');
    const o = await kit.send(
      cardAction(kit.connector.url, people.otto, 'intake.submit', {
        title: 'Printer jams',
        description: 'the printer jams',
        severity: '4',
        category: 'none',
      }),
    );
    expect(o.status).toBe(200);
    ottos = (
      await kit.helpline.app.tickets.listByRequester(
        { platform: 'teams', userId: people.otto.id },
        { openOnly: true, limit: 1 },
      )
    )[0]!.number;
    // An agent's internal note: on agents' cards only.
    const note = await kit.send(
      cardAction(kit.connector.url, people.lee, 'ticket.internal_note', { ticket: ritas, internalNote: INTERNAL }),
    );
    expect(note.status).toBe(200);
    await eventually(async () => (await ticket(ritas)).conversation.length === 1, 5000, 'the note is saved');
  });
  afterAll(async () => {
    await kit?.stop();
  });

  const outsiders: Array<[string, () => TeamsUser]> = [
    ['a stranger', () => sid],
    ['the requester of another ticket', () => people.otto],
  ];

  describe.each(outsiders)('as %s', (_who, whoOf) => {
    it.each(Object.keys(DATA))('%s on the ticket is refused, changes nothing and shows nothing', async (verb) => {
      const who = whoOf();
      const before = await ticket(ritas);
      const beforeEvents = await eventsOf(ritas);
      const sent = kit.connector.calls.length;
      for (const card of KINDS) {
        const res = await kit.send(
          cardAction(kit.connector.url, who, verb, { ...DATA[verb as keyof typeof DATA], ticket: ritas, card }),
        );
        const body = JSON.stringify(res.body);
        expect(body).not.toContain(SECRET);
        expect(body).not.toContain(INTERNAL);
        expect(body).toMatch(/does not exist|BadRequest/);
      }
      const after = await ticket(ritas);
      expect(after.version).toBe(before.version);
      expect(await eventsOf(ritas)).toBe(beforeEvents);
      expect(JSON.stringify(kit.connector.calls.slice(sent))).not.toContain(SECRET);
    });

    it.each([
      ['status', (n: string) => `status ${n}`],
      ['history', (n: string) => `history ${n}`],
      ['client record', (n: string) => `client ${n}`],
      ['set the client', (n: string) => `client ${n} ACME`],
      ['write on it', (n: string) => `${n}: let me in`],
    ])('the %s command is refused, changes nothing and shows nothing', async (_name, command) => {
      const who = whoOf();
      const before = await ticket(ritas);
      const beforeEvents = await eventsOf(ritas);
      const sent = kit.connector.calls.length;
      const res = await kit.send(personalMessage(kit.connector.url, who, command(ritas)));
      expect(res.status).toBeLessThan(300);
      await eventually(() => kit.connector.calls.length > sent, 5000, 'the bot answered');
      const answer = JSON.stringify(kit.connector.calls.slice(sent));
      expect(answer).not.toContain(SECRET);
      expect(answer).not.toContain(INTERNAL);
      expect(answer).toMatch(/does not exist|for support agents/);
      expect((await ticket(ritas)).version).toBe(before.version);
      expect(await eventsOf(ritas)).toBe(beforeEvents);
    });
  });

  describe('as the requester on their own ticket', () => {
    const agentOnly = (Object.keys(DATA) as Array<keyof typeof DATA>).filter(
      (verb) => !ACCESS[ACTION_ACCESS[verb]].includes('requester'),
    );

    it.each(agentOnly)('%s (an agent action) is refused and changes nothing', async (verb) => {
      const before = await ticket(ritas);
      const beforeEvents = await eventsOf(ritas);
      const res = await kit.send(
        cardAction(kit.connector.url, people.rita, verb, { ...DATA[verb], ticket: ritas, card: 'teamTicketing' }),
      );
      const body = JSON.stringify(res.body);
      expect(body).toMatch(/Forbidden|for support agents/);
      expect(body).not.toContain(INTERNAL);
      expect((await ticket(ritas)).version).toBe(before.version);
      expect(await eventsOf(ritas)).toBe(beforeEvents);
    });

    it.each(KINDS)(
      'a refresh asking for the %s card gets the requester card: no internal note, no agent actions',
      async (card) => {
        const res = await kit.send(cardAction(kit.connector.url, people.rita, 'card.refresh', { ticket: ritas, card }));
        expect(res.status).toBe(200);
        const body = JSON.stringify(res.body);
        expect(body).toContain(ritas);
        expect(body).not.toContain(INTERNAL);
        for (const verb of agentOnly) expect(body).not.toContain(`"verb":"${verb}"`);
      },
    );

    it("cannot act on another person's ticket by naming it, and sees nothing of it", async () => {
      const res = await kit.send(
        cardAction(kit.connector.url, people.rita, 'card.refresh', { ticket: ottos, card: 'triage' }),
      );
      expect(JSON.stringify(res.body)).toMatch(/does not exist/);
      expect(JSON.stringify(res.body)).not.toContain('printer jams');
    });

    it("an Action.Submit naming a channel card's id never overwrites that card", async () => {
      const sent = kit.connector.calls.length;
      const submit = submitMessage(
        kit.connector.url,
        people.rita,
        { verb: 'card.refresh', ticket: ritas, card: 'triage' },
        'triage-card-activity-id',
      );
      // Sent from the triage channel (a member of that team), naming the channel card's id.
      submit.conversation = { isGroup: true, conversationType: 'channel', id: TRIAGE_CHANNEL };
      const res = await kit.send(submit);
      expect(res.status).toBeLessThan(300);
      await eventually(() => kit.connector.calls.length > sent, 5000, 'the bot answered');
      const calls = kit.connector.calls.slice(sent);
      expect(calls.some((c) => c.kind === 'update')).toBe(false);
      const inChannel = calls.filter((c) => c.conversationId === TRIAGE_CHANNEL);
      expect(JSON.stringify(inChannel)).not.toContain(SECRET);
    });
  });

  describe('look-ups asked in a channel are answered in the personal chat', () => {
    it.each([
      ['status', (n: string) => `status ${n}`],
      ['history', (n: string) => `history ${n}`],
    ])('%s by an agent in a channel: the channel hears only where to look', async (_name, command) => {
      const sent = kit.connector.calls.length;
      const res = await kit.send(channelMention(kit.connector.url, people.lee, command(ritas), TRIAGE_CHANNEL));
      expect(res.status).toBeLessThan(300);
      await eventually(
        () => kit.connector.calls.slice(sent).some((c) => JSON.stringify(c.body).includes('personal chat')),
        5000,
        'the channel is told where to look',
      );
      const calls = kit.connector.calls.slice(sent);
      const toChannel = calls.filter((c) => String(c.conversationId ?? '').startsWith(TRIAGE_CHANNEL));
      expect(JSON.stringify(toChannel)).not.toContain(SECRET);
      expect(JSON.stringify(toChannel)).not.toContain(INTERNAL);
    });
  });
});
