import { personalConversationId } from '../../../src/adapters/playground/directory';
import { Action } from '../../../src/cards/actions';
import { FakeSlackApi } from '../../fakes/slack-api';
import { startTestHelpline, type TestHelpline } from '../../helpers/harness';
import { demoPolicy, MONDAY_0900_LONDON, type PlaygroundClient, usePlayground } from './kit';

describe('Playground: a Bot Framework channel of its own', () => {
  let helpline: TestHelpline;
  let client: PlaygroundClient;
  const policy = demoPolicy();
  const TRIAGE = policy.channels.triage.id;
  const TEAM_TICKETING = policy.channels.teamTicketing.id;
  const MANAGERS = policy.channels.managers.id;
  const RITA = personalConversationId('rita.requester');
  const LEE = personalConversationId('lee.level1');

  usePlayground(policy, (h, c) => {
    helpline = h;
    client = c;
  });

  it('serves the page, its script and the adaptivecards renderer', async () => {
    const page = await fetch(`${helpline.base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('/playground/vendor/adaptivecards.min.js');
    const vendor = await fetch(`${helpline.base}/playground/vendor/adaptivecards.min.js`);
    expect(vendor.status).toBe(200);
    expect((await vendor.text()).length).toBeGreaterThan(100_000);
    expect((await fetch(`${helpline.base}/playground/static/app.js`)).status).toBe(200);
    expect((await fetch(`${helpline.base}/playground/static/..%2Fpackage.json`)).status).toBe(404);
  });

  it('lists the policy people with their roles, and the channels under their policy names', async () => {
    const s = await client.state();
    const byId = Object.fromEntries(s.people.map((p) => [p.id, p]));
    expect(byId['rita.requester']).toMatchObject({ name: 'Rita Reyes', role: 'Requester', roles: [] });
    expect(byId['lee.level1']).toMatchObject({ name: 'Lee Lewis', role: 'Level 1 Support' });
    expect(byId['sam.level2']).toMatchObject({ name: 'Sam Singh', role: 'Level 2 Support' });
    expect(byId['mike.fox']).toMatchObject({ name: 'Mike Fox', role: 'Team Lead / CSM' });
    expect(s.people[0]?.id).toBe('rita.requester');
    const channels = s.views.filter((v) => v.kind === 'channel');
    expect(channels.map((v) => [v.key, v.name, v.conversationId])).toEqual([
      ['triage', 'support-triage', TRIAGE],
      ['teamTicketing', 'Team Ticketing', TEAM_TICKETING],
      ['managers', 'support-managers', MANAGERS],
      ['developmentTriage', 'development-triage', policy.channels.developmentTriage.id],
      ['admin', 'support-admin', policy.channels.admin?.id],
      ['quotes', 'professional-services', policy.channels.quotes?.id],
    ]);
    expect(channels.every((v) => v.handledHere)).toBe(true);
    expect(s.clock).toMatchObject({ movable: true, timeZone: 'Europe/London' });
    expect(s.clock.now.slice(0, 16)).toBe(MONDAY_0900_LONDON.toISOString().slice(0, 16));
  });

  it('raise → triage → escalate → breach, through /api/messages and the connector routes', async () => {
    // Rita describes the problem in plain words; the bot answers with a pre-filled form.
    const said = await client.say(
      'rita.requester',
      RITA,
      'Invoices are not sending to customers, the export is broken',
    );
    expect(said.status).toBe(200);
    const form = await client.waitFor(RITA, /intake\.submit/, 'the intake form');
    expect(form.replyToId).toBeDefined();

    // Raise ticket (Action.Execute): the invoke response replaces the form in place.
    const raised = await client.click('rita.requester', form, 'Raise ticket');
    expect(raised).toMatchObject({ kind: 'card', status: 200 });
    const confirmation = await client.waitFor(RITA, /SR-\d+/, 'the ticket card in place of the form');
    expect(confirmation.id).toBe(form.id);
    const number = /SR-\d+/.exec(JSON.stringify(confirmation.attachments))![0];

    // The notifier posts the triage card to the triage channel (no Slack: the playground takes it).
    const triage = await client.waitFor(TRIAGE, new RegExp(`${number}[^0-9]`), 'the triage card');
    expect(JSON.stringify(triage.attachments)).toContain('Escalate to Team Ticketing');

    // Rita is not an agent: the bot refuses her "Assign to me", nothing changes.
    const refused = await client.click('rita.requester', triage, 'Assign to me');
    expect(refused.kind).toBe('error');
    expect((await helpline.app.tickets.get(number))?.assignee).toBeNull();

    // Lee (Level 1) assigns it to himself, then escalates it to Team Ticketing.
    expect(await client.click('lee.level1', triage, 'Assign to me')).toMatchObject({ kind: 'card' });
    const t = await helpline.app.tickets.get(number);
    expect(t?.assignee?.name).toBe('Lee Lewis');
    const assigned = await client.waitFor(TRIAGE, /Lee Lewis/, 'the triage card updated in place');
    expect(assigned.id).toBe(triage.id);

    expect(await client.click('lee.level1', assigned, 'Escalate to Team Ticketing')).toMatchObject({ kind: 'card' });
    const tt = await client.waitFor(TEAM_TICKETING, new RegExp(`${number}[^0-9]`), 'the Team Ticketing card');
    expect(JSON.stringify(tt.attachments)).toMatch(/Take it/);

    // The requester hears about it in her chat.
    await client.waitFor(RITA, /Lee Lewis is looking at/, 'the requester told who is on it');

    // An hour passes, as the scheduler sees it: at-risk warning to Lee, then the breach in managers.
    for (let i = 0; i < 12; i++) {
      await post(`${helpline.base}/test/clock`, { advanceMinutes: 5 });
      await post(`${helpline.base}/test/scheduler/run`, { jobs: ['sla-sweep'] });
    }
    await client.waitFor(
      LEE,
      new RegExp(`${number} \\(Severity \\d, Priority \\d\\) is at risk`),
      'the at-risk warning to Lee',
    );
    const breach = await client.waitFor(MANAGERS, /SLA BREACH/, 'the breach alert');
    expect(JSON.stringify(breach.attachments)).toContain('Acknowledge');
    expect(JSON.stringify(breach.attachments)).toContain('Mike Fox');

    // Mike Fox acknowledges from the managers channel.
    expect(await client.click('mike.fox', breach, 'Acknowledge')).toMatchObject({ kind: 'card' });
    expect((await helpline.app.tickets.get(number))?.alerting.acknowledgedBy).toBeTruthy();
  });

  it('shows an agent the queue in their chat, breached first, with Open and Take', async () => {
    expect((await client.say('lee.level1', LEE, 'queue')).status).toBe(200);
    const queue = await client.waitFor(LEE, /Queue: breached first/, 'the queue card');
    const text = JSON.stringify(queue.attachments);
    expect(text).toMatch(/SR-\d+ · BREACHED/);
    expect(text).toContain('Take it');
    expect(text).toContain('Open');
  });

  it('keeps what the page needs after a reload, and refuses unknown people and conversations', async () => {
    const s = await client.state();
    expect(Object.keys(s.conversations)).toEqual(expect.arrayContaining([RITA, TRIAGE, TEAM_TICKETING, MANAGERS]));
    expect((await client.say('nobody', RITA, 'hello')).status).toBe(400);
    expect((await client.say('rita.requester', 'C0NOPE', 'hello')).status).toBe(404);
    const bad = await fetch(`${helpline.base}/playground/api/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ as: 'rita.requester', conversationId: RITA, replyToId: 'x', action: { type: 'Nope' } }),
    });
    expect(bad.status).toBe(400);
  });

  it('help in a channel view is answered in that channel', async () => {
    await client.say('sam.level2', TEAM_TICKETING, 'help');
    await client.waitFor(TEAM_TICKETING, /my tickets|help/i, 'the help card in Team Ticketing');
  });

  it('a manager assigns from the triage card; the assignee gets it in their chat; Level 1 closes with a reason; away', async () => {
    await client.say('rita.requester', RITA, 'The workflow approval page shows the wrong approver name');
    const form = await client.waitFor(RITA, /intake\.submit/, 'the intake form');
    await client.click('rita.requester', form, 'Raise ticket');
    const number = /SR-\d+/.exec(
      JSON.stringify((await client.waitFor(RITA, /SR-\d+/, 'the ticket card')).attachments),
    )![0];
    const triage = await client.waitFor(TRIAGE, new RegExp(`${number}[^0-9]`), 'the triage card');
    const team = (await helpline.app.tickets.get(number))!.team;
    const someone = policy.teams[team]!.members[0]!;
    expect(await client.click('mike.fox', triage, 'Assign', { assignee: someone })).toMatchObject({ kind: 'card' });
    expect((await helpline.app.tickets.get(number))?.assignee?.userId).toBe(
      policy.people[someone]!.accounts.playground,
    );
    await client.waitFor(personalConversationId(someone), new RegExp(`Mike Fox assigned ${number} to you`), 'the DM');

    const updated = await client.waitFor(TRIAGE, /Mike Fox assigned it to/, 'the triage card updated');
    expect(await client.click('lee.level1', updated, `Close ${number}`, { closeReason: 'spam' })).toMatchObject({
      kind: 'card',
    });
    expect(await helpline.app.tickets.get(number)).toMatchObject({ status: 'closed', closeReason: 'spam' });
    await client.waitFor(RITA, /not a support request/, 'the requester told');

    expect((await client.say('lee.level1', LEE, 'away until 2026-03-20')).status).toBe(200);
    await client.waitFor(LEE, /You are away until/, 'away confirmed');
    expect((await helpline.app.assignments!.awayAt(helpline.app.clock.now())).has('lee.level1')).toBe(true);
  });
});

describe('Playground: a canned reply from the triage card, and a low rating followed up', () => {
  let helpline: TestHelpline;
  let client: PlaygroundClient;
  const policy = demoPolicy();
  const TRIAGE = policy.channels.triage.id;
  const RITA = personalConversationId('rita.requester');
  usePlayground(policy, (h, c) => {
    helpline = h;
    client = c;
  });

  it('Lee picks "Sent the SOC 2 report", sees it filled in place of the card, sends it; Rita gets it', async () => {
    await client.say('rita.requester', RITA, 'Please send us your SOC 2 report for our auditors');
    // The SOC 2 article comes first; Rita still wants it sent to her, so she raises a ticket.
    const form = await client.intakeForm('rita.requester', RITA);
    await client.click('rita.requester', form, 'Raise ticket');
    const number = /SR-\d+/.exec(
      JSON.stringify((await client.waitFor(RITA, /SR-\d+/, 'the ticket card')).attachments),
    )![0];
    const triage = await client.waitFor(TRIAGE, new RegExp(`${number}[^0-9]`), 'the triage card');
    expect(await client.click('lee.level1', triage, 'Preview reply', { reply: 'soc2-report' })).toMatchObject({
      kind: 'card',
    });
    const preview = await client.waitFor(TRIAGE, /Canned reply for/, 'the preview in place of the card');
    expect(JSON.stringify(preview.attachments)).toContain(`as requested on ${number}`);
    expect(await client.click('lee.level1', preview, 'Send')).toMatchObject({ kind: 'card' });
    expect((await helpline.app.tickets.get(number))?.status).toBe('on_customer_test');
    await client.waitFor(RITA, /here is our current SOC 2 report/, "the reply in Rita's chat");
  });

  it('a low rating: the managers card carries the follow-up; "you said, we did" reaches Rita', async () => {
    const MANAGERS = policy.channels.managers.id;
    await client.say('rita.requester', RITA, 'The approval emails arrive two hours late');
    const form = await client.waitFor(RITA, /intake\.submit/, 'the intake form');
    await client.click('rita.requester', form, 'Raise ticket');
    const raised = await client.waitFor(TRIAGE, /The approval emails arrive/, 'the triage card');
    const number = /"text":"(SR-\d+) · "/.exec(JSON.stringify(raised.attachments))![1]!;
    const triage = await client.waitFor(TRIAGE, new RegExp(`${number}[^0-9]`), 'the triage card');
    await client.click('lee.level1', triage, 'Resolve (On Customer Test)', { note: 'Mail queue cleared' });
    // Rita's card about this ticket (the first test's is in her chat too).
    const about = (verb: string) => new RegExp(`"${number} · "[\\s\\S]*${verb.replace('.', '\\.')}`);
    const fixed = await client.waitFor(RITA, about(Action.FixedYes), 'is it fixed?');
    await client.click('rita.requester', fixed, 'Yes, it is fixed');
    const rate = await client.waitFor(RITA, about(Action.Csat), 'the rating card');
    await client.click('rita.requester', rate, 'Send rating', { score: '1', comment: 'Far too slow' });
    const card = await client.waitFor(MANAGERS, /Low CSAT follow-up/, 'the follow-up on the managers card');
    expect(JSON.stringify(card.attachments)).toContain('Called them');
    expect(
      await client.click('mike.fox', card, 'Add note', {
        followUpNote: 'We moved approvals to the fast mail queue',
        tell: 'requester',
      }),
    ).toMatchObject({ kind: 'card' });
    expect((await helpline.app.tickets.get(number))?.csatFollowUps?.[0]?.state).toBe('done');
    await client.waitFor(RITA, /We did: We moved approvals/, "Rita's chat told");
  });
});

describe('Playground: only in playground mode, with Bot Framework authentication off, never in production', () => {
  it('is off by default with Slack credentials, and Teams with it (no unauthenticated /api/messages)', async () => {
    const slack = await new FakeSlackApi().start();
    const h = await startTestHelpline({
      prefix: 'playground_slack',
      env: {
        HELPLINE_PLAYGROUND: '', // not opted in
        SLACK_BOT_TOKEN: 'xoxb-playground-test',
        SLACK_SIGNING_SECRET: 'secret',
        SLACK_API_URL: slack.url,
      },
    });
    try {
      expect((await fetch(`${h.base}/`)).status).toBe(404);
      expect((await fetch(`${h.base}/playground/api/state`)).status).toBe(404);
      const res = await fetch(`${h.base}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', text: 'report', channelId: 'playground' }),
      });
      expect(res.status).toBe(404);
    } finally {
      await h.stop();
      await slack.stop();
    }
  });

  it('is off with a MicrosoftAppId', async () => {
    const h = await startTestHelpline({
      prefix: 'playground_off',
      env: { MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'secret' },
    });
    try {
      expect((await fetch(`${h.base}/playground/api/state`)).status).toBe(404);
      expect((await fetch(`${h.base}/`)).status).toBe(404);
    } finally {
      await h.stop();
    }
  });

  it('is off in production', async () => {
    const h = await startTestHelpline({
      prefix: 'playground_prod',
      env: {
        NODE_ENV: 'production',
        HELPLINE_TEST_CLOCK: '0',
        HELPLINE_PLAYGROUND: '0',
        REPORTS_SECRET: 'production-reports-secret-0123456789abcdef',
        PUBLIC_URL: 'https://helpline.example.com',
      },
    });
    try {
      expect((await fetch(`${h.base}/playground/api/state`)).status).toBe(404);
    } finally {
      await h.stop();
    }
  });
});

async function post(url: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return res.json();
}
