import { people, type SlackKit, startSlackKit } from '../../fixtures/slack/kit';
import { directMessage, eventEnvelope, slashCommand, TEAM } from '../../fixtures/slack/payloads';
import { formFields, signedRequest } from '../../fixtures/slack/sign';

const FOREIGN_TEAM = 'T0FOREIGN';
const REFUSAL = 'This Helpline serves another organisation.';

describe('Slack: ALLOWED_SLACK_TEAMS', () => {
  let kit: SlackKit;
  beforeAll(async () => {
    kit = await startSlackKit({ env: { ALLOWED_SLACK_TEAMS: `${TEAM.id},E0OTHERGRID` } });
  });
  afterAll(async () => {
    await kit?.stop();
  });
  afterEach(() => kit.slack.reset());

  const tickets = () => kit.helpline.app.tickets.listQueue({ now: new Date(), limit: 100 });

  /** A signed Events API request as Slack sends it for an installation in `team`. */
  async function eventFrom(team: string, event: Record<string, unknown>): Promise<number> {
    const envelope = eventEnvelope({ ...event, team });
    const body = {
      ...envelope,
      team_id: team,
      context_team_id: team,
      authorizations: envelope.authorizations.map((a) => ({ ...a, team_id: team })),
    };
    const r = signedRequest(JSON.stringify(body), 'application/json');
    return (await kit.post(r.body, r.headers)).status;
  }

  it('a DM from a workspace not listed reaches no listener: nothing saved, nothing sent', async () => {
    const foreign = directMessage(people.rita, 'Production is down for every customer since 9am, Severity 1');
    expect(await eventFrom(FOREIGN_TEAM, foreign)).toBe(200);
    // The same words from the listed workspace are answered: once that answer is out, the refused one had its turn.
    const ours = directMessage(people.rita, 'Production is down for every customer since 9am, Severity 1');
    expect(await eventFrom(TEAM.id, ours)).toBe(200);
    await kit.waitFor('chat.postMessage', (c) => c.body.thread_ts === ours.ts, 'the answer in the listed workspace');
    const touched = kit.slack.calls.filter((c) => JSON.stringify(c.body).includes(String(foreign.ts)));
    expect(touched).toEqual([]);
    expect(kit.slack.callsTo('conversations.open')).toEqual([]);
    expect(await tickets()).toEqual([]);
    expect(await kit.helpline.app.models.Conversation.collection.countDocuments({})).toBe(0);
  });

  it('a slash command from a workspace not listed is answered with the refusal, and nothing else happens', async () => {
    const command = { ...slashCommand(people.mike, 'report'), team_id: FOREIGN_TEAM, team_domain: 'elsewhere' };
    const r = signedRequest(formFields(command), 'application/x-www-form-urlencoded');
    const res = await kit.post(r.body, r.headers);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ response_type: 'ephemeral', text: REFUSAL });
    expect(kit.slack.calls).toEqual([]);
  });

  it('serves the listed workspace (the same command sends the report link in a DM)', async () => {
    const res = await kit.command(slashCommand(people.mike, 'report'));
    expect(JSON.parse(res.text).text).toMatch(/direct message/);
    await kit.waitFor(
      'chat.postMessage',
      (c) => c.body.channel === people.mike.id && /\/reports\/open\?token=/.test(String(c.body.text)),
      'the report link in a DM',
    );
  });
});
