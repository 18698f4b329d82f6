import {
  clip,
  escapeMrkdwn,
  homeView,
  intakeModal,
  queueMessage,
  slackChoices,
  ticketCard,
  understoodMessage,
  userText,
} from '../../../src/cards/slack';
import type { TicketView } from '../../../src/cards/ticket-view';
import type { SlackCall } from '../../fakes/slack-api';
import { slackPolicy } from '../../fixtures/slack/kit';
import { blockKitViolations } from '../../fixtures/slack/limits';

/** The builders alone (pure: view model in, Block Kit out), on inputs at and past every limit. */
describe('Slack Block Kit builders', () => {
  const policy = slackPolicy();
  const choices = slackChoices(policy);
  const asMessage = (m: { text: string; blocks: unknown[] }): SlackCall => ({
    method: 'chat.postMessage',
    body: { channel: 'C1', text: m.text, blocks: m.blocks },
    token: null,
    at: 0,
  });
  const asView = (view: unknown): SlackCall => ({ method: 'views.open', body: { view }, token: null, at: 0 });

  it('escapeMrkdwn makes mentions, links and formatting inert', () => {
    const out = escapeMrkdwn('<!channel> <!here> <@U123> <http://x.example|y> *b* _i_ ~s~ `c` & done');
    expect(out).not.toMatch(/<[!@#]|<http/);
    expect(out).toContain('&lt;!channel&gt;');
    expect(out).toContain('&amp; done');
    expect(out).not.toMatch(/\*b\*|_i_|~s~|`c`/);
    expect(out.replace(/\u200b/g, '')).toBe(
      '&lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; &lt;http://x.example|y&gt; *b* _i_ ~s~ `c` &amp; done',
    );
  });

  it('clips with an ellipsis, never inside an entity', () => {
    expect(clip('abcdef', 4)).toBe('abc…');
    const t = userText('<'.repeat(100), 20);
    expect([...t].length).toBeLessThanOrEqual(20);
    expect(t).toMatch(/^(&lt;)+…$/);
  });

  it('a ticket with every field at its longest stays within the limits on every card kind', () => {
    const huge = (n: number) => '<!channel> *x* '.repeat(Math.ceil(n / 15)).slice(0, n);
    const view: TicketView = {
      number: 'SR-1234567890',
      version: 99,
      title: huge(500),
      description: huge(50_000),
      client: huge(3000),
      businessImpact: huge(5000),
      severity: { value: 1, name: 'Critical', description: huge(500) },
      priority: { value: 1, name: huge(300) },
      status: { id: 'new' as const, name: 'New' },
      team: { id: 'level1', name: 'Level 1 Support' },
      category: { id: 'c', name: huge(300) },
      requester: { name: huge(300), platform: 'slack', userId: 'U0REQUESTER' },
      assignee: { name: huge(300), platform: 'slack', userId: 'U0LEVEL1' },
      escalation: { level: 2, name: 'Support Manager' },
      requestType: 'Troubleshooting',
      condition: 'breached' as const,
      sla: [huge(400), huge(400)],
      evidence: Array.from({ length: 40 }, () => huge(600)),
      conversation: Array.from({ length: 5 }, (_, i) => ({
        at: 'Mon 10:00',
        author: huge(200),
        text: huge(3000),
        internal: i % 2 === 0,
      })),
      history: Array.from({ length: 8 }, () => huge(600)),
      lastAction: huge(1000),
      publicHistory: Array.from({ length: 8 }, () => huge(600)),
      publicLastAction: huge(1000),
      development: {
        route: huge(300),
        status: 'Planned',
        releaseNote: huge(4000),
        routeChanges: Array.from({ length: 5 }, () => huge(3000)),
        signOffs: huge(1000),
        routeSwitches: Array.from({ length: 4 }, (_, i) => ({ id: `r${i}`, name: huge(300) })),
        roadmap: huge(3000),
        release: huge(300),
        releaseChoices: Array.from({ length: 6 }, (_, i) => ({ id: `d${i}`, name: huge(300) })),
        roadmapTargets: Array.from({ length: 7 }, (_, i) => ({ id: `t${i}`, name: huge(300) })),
        targets: huge(1000),
      },
      inTeamTicketing: false,
      closed: false,
      sourceLink: `https://x.example/${'a'.repeat(3000)}`,
      alert: { breachedAt: 'Mon 10:00', acknowledgedBy: null, acknowledgedAt: null, settled: false },
      nextStatuses: Array.from({ length: 150 }, (_, i) => ({ id: 'triage' as const, name: `${huge(100)}${i}` })),
      nextDevelopmentStatuses: [{ id: 'dev_in_progress' as const, name: huge(200) }],
      followUp: {
        open: true,
        score: 1,
        comment: huge(2000),
        lead: huge(300),
        lines: Array.from({ length: 20 }, () => huge(600)),
      },
      replies: Array.from({ length: 150 }, (_, i) => ({ id: `r${i}`, label: huge(200) })),
      triage: { severity: huge(3000), category: huge(3000) },
      teamPeople: Array.from({ length: 150 }, (_, i) => ({
        id: `p${i}`,
        name: huge(300),
        away: i % 2 ? 'Mon 10:00' : null,
      })),
      closeReason: null,
      links: Array.from({ length: 40 }, (_, i) => ({ kind: 'duplicated_by' as const, ticket: `SR-${i + 1}` })),
      rateable: false,
    };
    for (const kind of ['triage', 'teamTicketing', 'requester', 'alert', 'view'] as const) {
      for (const v of [
        view,
        {
          ...view,
          inTeamTicketing: true,
          development: null,
          status: { id: 'on_customer_test' as const, name: 'On Customer Test' },
        },
      ]) {
        const msg = ticketCard(v, {
          kind,
          choices,
          headline: huge(5000),
          mentionUserId: 'U0TEAMLEAD',
          viewer: 'agent',
        });
        expect(blockKitViolations(asMessage(msg))).toEqual([]);
        expect(JSON.stringify(msg)).not.toContain('<!channel>');
      }
    }
    const understood = understoodMessage(
      {
        summary: huge(500),
        category: { name: huge(200), teamName: huge(200), reason: huge(2000) },
        severity: { value: 1, name: huge(100), reason: huge(2000) },
        missing: ['businessImpact', 'client', 'evidence', 'steps'],
        note: huge(5000),
      },
      '1760000000.000001',
    );
    expect(blockKitViolations(asMessage(understood))).toEqual([]);
    const modal = intakeModal(
      {
        title: huge(500),
        description: huge(50_000),
        businessImpact: huge(5000),
        client: huge(500),
        severity: 2,
        categoryId: null,
        links: huge(5000),
      },
      choices,
      { sourceLink: `https://x.example/${'b'.repeat(900)}`, channel: 'D1', threadTs: '1.2', draftId: '1.2' },
    );
    expect(blockKitViolations(asView(modal))).toEqual([]);
    const lines = Array.from({ length: 300 }, (_, i) => ({
      number: `SR-${i + 1}`,
      title: huge(400),
      severity: 2,
      priority: 1,
      status: 'New',
      condition: 'at_risk' as const,
      team: 'Level 1',
      assignee: huge(300),
    }));
    expect(
      blockKitViolations({
        method: 'views.publish',
        body: {
          view: homeView({
            mine: lines,
            queue: lines,
            scope: 'unassigned',
            help: {
              audience: { agent: true, manager: true, reports: true },
              hours: `Support hours: ${huge(400)}`,
              contact: { ...policy.contact, email: 'support@example.com' },
            },
          }),
        },
        token: null,
        at: 0,
      }),
    ).toEqual([]);
    const queue = queueMessage(lines, 'mine');
    expect(
      blockKitViolations({ method: 'chat.postMessage', body: { channel: 'C1', ...queue }, token: null, at: 0 }),
    ).toEqual([]);
  });
});
