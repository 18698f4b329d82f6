import { commandsFor, contactLines, type HelpAudience } from '../../../src/cards/help';
import { helpText } from '../../../src/cards/slack/help';
import { helpCard } from '../../../src/cards/teams/message-card';
import { loadPolicy } from '../../../src/config/policy';

const REQUESTER: HelpAudience = { agent: false, manager: false, reports: false };
const AGENT: HelpAudience = { agent: true, manager: false, reports: false };
const ADMIN: HelpAudience = { agent: true, manager: false, reports: true };
const MANAGER: HelpAudience = { agent: true, manager: true, reports: true };
const ids = (a: HelpAudience, platform: 'slack' | 'teams') => commandsFor(a, platform).map((c) => c.id);

describe('help: the commands of each role', () => {
  it('a requester: their own tickets, no agent, manager or report command', () => {
    expect(ids(REQUESTER, 'teams')).toEqual(['new', 'mine', 'status', 'history', 'add', 'search', 'help']);
    expect(ids(REQUESTER, 'slack')).toEqual(['new', 'words', 'mine', 'status', 'history', 'add', 'search', 'help']);
    expect(commandsFor(REQUESTER, 'teams').find((c) => c.id === 'search')?.what).toBe('find your tickets');
  });

  it('an agent adds the queue, client records and away; no reports', () => {
    const agent = ids(AGENT, 'teams');
    expect(agent).toEqual(expect.arrayContaining(['queue', 'client', 'set-client', 'away']));
    expect(agent).not.toContain('report');
    expect(agent).not.toContain('away-someone');
    expect(commandsFor(AGENT, 'teams').find((c) => c.id === 'search')?.what).toBe('find tickets');
  });

  it('Administrative Staff add the reports; a manager also marks others away', () => {
    expect(ids(ADMIN, 'teams')).toContain('report');
    expect(ids(ADMIN, 'teams')).not.toContain('away-someone');
    expect(ids(MANAGER, 'slack')).toEqual(expect.arrayContaining(['queue', 'report', 'away-someone']));
  });

  it('each platform with its own words', () => {
    const slack = commandsFor(AGENT, 'slack');
    expect(slack.find((c) => c.id === 'queue')?.words).toBe('/ticket queue [mine|team|unassigned]');
    expect(slack.find((c) => c.id === 'client')).toMatchObject({
      words: 'client SR-123',
      what: 'the ticket’s client record (DM me)',
    });
    expect(commandsFor(AGENT, 'teams').find((c) => c.id === 'queue')?.words).toBe('queue [mine|team|unassigned]');
  });
});

describe('help: contact details', () => {
  it('the default policy has the seed’s phone and portal; a missing field is not shown', () => {
    const { contact } = loadPolicy();
    expect(contactLines(contact)).toEqual([
      { kind: 'phone', label: 'Phone', value: '0330 088 0802 (Option 1)' },
      { kind: 'portal', label: 'Support Portal', value: 'https://service-geeni.atlassian.ne' },
    ]);
    expect(contactLines({ email: 'help@example.com' })).toEqual([
      { kind: 'email', label: 'Email', value: 'help@example.com' },
    ]);
    expect(contactLines({})).toEqual([]);
  });

  it('Slack and Teams render the same view: hours, contact, the role’s commands', () => {
    const view = {
      audience: REQUESTER,
      hours: 'Support hours: 08:45–17:15, Monday to Friday (UK time) — open now until 17:15',
      contact: { phone: '0330 088 0802', phoneOption: 'Option 1', email: 'help_desk@example.com' },
    };
    const text = helpText(view);
    expect(text).toContain('Support hours: 08:45–17:15, Monday to Friday (UK time) — open now until 17:15');
    expect(text).toContain('Phone: 0330 088 0802 (Option 1)');
    expect(text).toContain('Email: help_desk@example.com'); // an address stays as typed
    expect(text).toContain('`/ticket status SR-123`');
    expect(text).not.toContain('queue');
    const card = JSON.stringify(helpCard(view));
    expect(card).toContain('open now until 17:15');
    expect(card).toContain('0330 088 0802 (Option 1)');
    expect(card).toContain('**status SR-123**');
    expect(card).not.toContain('queue');
    expect(JSON.stringify(helpCard({ ...view, audience: AGENT }))).toContain('**queue [mine|team|unassigned]**');
  });
});
