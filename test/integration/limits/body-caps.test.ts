import { CONNECTOR_PATH } from '../../../src/adapters/playground/index';
import { MAX_BODY_BYTES } from '../../../src/web/server';
import { type SlackKit, startSlackKit } from '../../fixtures/slack/kit';

/** Every route that reads a body answers an oversized one with 413 and changes nothing. */
describe('Request body caps', () => {
  let kit: SlackKit;
  beforeAll(async () => {
    // Slack configured, no Teams app (so the playground is mounted too), the test clock routes on.
    kit = await startSlackKit();
  });
  afterAll(async () => {
    await kit?.stop();
  });

  const huge = (bytes: number) => JSON.stringify({ type: 'message', text: 'x'.repeat(bytes) });
  const post = async (path: string, body: string, method = 'POST') => {
    const res = await fetch(`${kit.helpline.base}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body,
    });
    await res.arrayBuffer();
    return res.status;
  };

  it.each([
    ['/api/messages', 'POST'],
    ['/slack/events', 'POST'],
    ['/playground/api/messages', 'POST'],
    ['/playground/api/actions', 'POST'],
    [`${CONNECTOR_PATH}v3/conversations`, 'POST'],
    [`${CONNECTOR_PATH}v3/conversations/c1/activities`, 'POST'],
    [`${CONNECTOR_PATH}v3/conversations/c1/activities/a1`, 'PUT'],
  ])('%s (%s) answers a body over the cap with 413', async (path, method) => {
    expect(await post(path, huge(MAX_BODY_BYTES + 1000), method)).toBe(413);
  });

  it('the test routes take a small body only: 413 over 10 KB, and the clock does not move', async () => {
    const body = JSON.stringify({ now: '2030-01-01T00:00:00Z', pad: 'x'.repeat(20_000) });
    expect(await post('/test/clock', body)).toBe(413);
    expect(await post('/test/scheduler/run', body)).toBe(413);
    expect(kit.helpline.clock.now().getUTCFullYear()).toBe(2026); // not moved to 2030
  });

  it('a body under the cap is still read (the cap is not a blanket refusal)', async () => {
    expect(await post('/playground/api/messages', huge(MAX_BODY_BYTES - 10_000))).not.toBe(413);
    expect(await post('/test/clock', JSON.stringify({ advanceMinutes: 1 }))).toBe(200);
  });

  it('files no ticket from any of the refused bodies', async () => {
    expect(await kit.helpline.app.tickets.listQueue({ now: kit.helpline.clock.now(), limit: 10 })).toHaveLength(0);
  });
});
