import mongoose from 'mongoose';
import { raiseTicket } from '../../../src/app/raise-ticket';
import { latestCard, people, raiseByDm, type SlackKit, useSlackKit } from '../../fixtures/slack/kit';
import { TRIAGE } from '../../fixtures/slack/payloads';
import { teachZorblax } from '../../helpers/desk-corrections';
import { eventually, type TestHelpline } from '../../helpers/harness';

const lee = { platform: 'slack' as const, userId: people.lee.id, name: people.lee.name };
const rita = { platform: 'slack' as const, userId: people.rita.id, name: people.rita.name };

const at = (iso: string) => new Date(iso);

describe('the desk teaches triage (retrain job on the real database, the card in Slack)', () => {
  let kit: SlackKit;
  let h: TestHelpline;
  let conn: mongoose.Connection;
  useSlackKit(
    (k) => {
      kit = k;
      h = k.helpline;
    },
    { now: at('2026-03-02T09:00:00Z') },
  );
  beforeAll(async () => {
    conn = await mongoose.createConnection(`${process.env.MONGODB_URI}${h.dbName}`).asPromise();
  });
  afterAll(async () => {
    await conn.close();
  });
  const versions = () =>
    conn
      .collection('triage_models')
      .find({}, { projection: { model: 0 } })
      .sort({ _id: 1 })
      .toArray();
  const run = async (job: string) => {
    const [report] = await h.scheduler.runNow([job]);
    expect(report).toMatchObject({ job, failed: 0 });
    return report!;
  };

  it('corrections in, a model version stored and active, and the next suggestion uses it', async () => {
    const before = h.app.triage.suggest('the zorblax for depot 77 looks wrong');
    expect(before.category?.id).toBe('ocr-calculation-errors');
    expect(await run('triage-retrain')).toMatchObject({ processed: 0, skipped: 1 }); // nothing to learn from yet

    await teachZorblax(h.app, lee);
    const corrections = await conn.collection('ticket_events').countDocuments({ type: 'triage_corrected' });
    expect(corrections).toBe(24);

    h.clock.set(at('2026-03-03T02:41:00Z'));
    expect(await run('triage-retrain')).toMatchObject({ processed: 1 });
    const [v1] = await versions();
    expect(v1).toMatchObject({
      _id: 1,
      active: true,
      usable: true,
      examples: 36,
      trainedAt: at('2026-03-03T02:41:00Z'),
    });
    expect(h.app.triage.version()).toBe(1);

    const after = h.app.triage.suggest('the zorblax for depot 77 looks wrong');
    expect(after.category).toMatchObject({ id: 'report-questions', team: 'level1' });
    expect(after.category?.reason).toContain("the desk's model v1");
    // A raise reads the model in memory: the new ticket lands with Level 1.
    const raised = await raiseTicket(h.app, { requester: rita, text: 'zorblax for warehouse 9 is blank' });
    expect(raised.ticket).toMatchObject({ categoryId: 'report-questions', team: 'level1' });
    // Raised in Slack: the Level 1 triage card shows the model's reading and why.
    h.clock.set(at('2026-03-03T09:00:00Z'));
    const dm = await raiseByDm(kit, people.rita, 'our zorblax for the north depot shows nothing since monday');
    await kit.drain();
    const card = await eventually(() => latestCard(kit, TRIAGE, dm.number), 5000, 'triage card');
    expect(JSON.stringify(card.body.blocks)).toContain("the desk's model v1 reads Report-related questions");
    expect((await h.app.tickets.get(dm.number))?.team).toBe('level1');
    // Requests the desk never corrected keep the rules' reading.
    expect(h.app.triage.suggest('Please reset my workflow password').category?.id).toBe('workflow-password-resets');
  });

  it('two retrains at once store two versions and leave exactly the newest one active; a reload picks it up', async () => {
    h.clock.set(at('2026-03-04T02:41:00Z'));
    const reports = await Promise.all([run('triage-retrain'), run('triage-retrain')]);
    expect(reports.map((r) => r.processed + r.skipped)).toEqual([1, 1]);
    const all = await versions();
    const active = all.filter((v) => v.active);
    expect(active).toHaveLength(1);
    expect(active[0]?._id).toBe(all.at(-1)?._id);
    expect(new Set(all.map((v) => v._id)).size).toBe(all.length);

    // Another replica's view: whatever version it runs, its reload job moves it to the active one.
    h.app.triage.load(null);
    expect(await run('triage-model-reload')).toMatchObject({ processed: 1 });
    expect(h.app.triage.version()).toBe(active[0]?._id);
    expect(await run('triage-model-reload')).toMatchObject({ processed: 0, skipped: 1 }); // unchanged: nothing loaded
  });
});
