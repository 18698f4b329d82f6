/**
 * The production image's file set, built the way deploy/Dockerfile builds it (no Docker needed): its runtime
 * stage's COPY lines in order into an empty folder, its `npm ci --omit=dev` there, then the bot started with its
 * ENV and CMD and what production requires. Reading the Dockerfile keeps this in step with it.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeSlackApi } from '../fakes/slack-api';
import { slashCommand } from '../fixtures/slack/payloads';
import { formFields, SIGNING_SECRET, signedRequest } from '../fixtures/slack/sign';
import { freePort } from '../helpers/cluster';
import { eventually, testDatabaseUri } from '../helpers/harness';

const root = path.resolve(__dirname, '..', '..');
const DOCKERFILE = path.join(root, 'deploy', 'Dockerfile');
const MIKE = { id: 'U0TEAMLEAD', name: 'Mike Fox' }; // a manager in the seeds' policy

interface RuntimeStage {
  workdir: string;
  env: Record<string, string>;
  /** In order: a COPY (sources in the build context, or in the build stage with --from) or the npm ci to run. */
  steps: Array<{ copy: { from?: string; sources: string[]; dest: string } } | { npmCi: string[] }>;
  cmd: string[];
}

/** The last stage of the Dockerfile, as the steps that make its file set. */
function runtimeStage(text: string): RuntimeStage {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const last = lines.map((l) => /^FROM\s/i.test(l)).lastIndexOf(true);
  const stage: RuntimeStage = { workdir: '/', env: {}, steps: [], cmd: [] };
  for (const line of lines.slice(last + 1)) {
    const [instruction = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    switch (instruction.toUpperCase()) {
      case 'WORKDIR':
        stage.workdir = args;
        break;
      case 'ENV':
        for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S+)/g))
          stage.env[m[1] as string] = (m[2] as string).replace(/^"|"$/g, '');
        break;
      case 'COPY': {
        const words = args.split(/\s+/);
        const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
        const paths = words.filter((w) => !w.startsWith('--'));
        stage.steps.push({
          copy: { ...(from ? { from } : {}), sources: paths.slice(0, -1), dest: paths.at(-1) ?? '' },
        });
        break;
      }
      case 'RUN': {
        const ci = args
          .split('&&')
          .map((c) => c.trim())
          .find((c) => c.startsWith('npm ci'));
        if (ci) stage.steps.push({ npmCi: ci.split(/\s+/).slice(1) });
        break;
      }
      case 'CMD':
        stage.cmd = JSON.parse(args) as string[];
        break;
    }
  }
  return stage;
}

/** Where a path of the image's build stage is in this checkout: the build stage is this repository at /app, built. */
function inCheckout(source: string, from: string | undefined): string {
  if (from === undefined) return path.join(root, source);
  if (from !== 'build' || !source.startsWith('/app/'))
    throw new Error(`COPY --from=${from} ${source}: this test knows only the build stage's /app`);
  return path.join(root, source.slice('/app/'.length));
}

/** Docker's COPY: several sources, or a destination ending in /, go into that folder; a folder's contents are copied. */
function copyStep(dir: string, workdir: string, step: { from?: string; sources: string[]; dest: string }): void {
  const dest = path.join(dir, path.posix.isAbsolute(step.dest) ? step.dest : path.posix.join(workdir, step.dest));
  const intoFolder = step.sources.length > 1 || step.dest.endsWith('/');
  for (const source of step.sources) {
    const from = inCheckout(source, step.from);
    if (!fs.existsSync(from)) throw new Error(`COPY ${source}: ${from} does not exist (npm run build first?)`);
    const to = intoFolder ? path.join(dest, path.basename(from)) : dest;
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.cpSync(from, to, { recursive: true });
  }
}

describe('the production image (deploy/Dockerfile) runs what it ships', () => {
  let dir: string;
  let child: ChildProcess | undefined;
  let slack: FakeSlackApi | undefined;
  let output = '';
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child?.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await slack?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves /healthz and /reports (page and assets) with NODE_ENV=production, and no playground or test routes', async () => {
    const stage = runtimeStage(fs.readFileSync(DOCKERFILE, 'utf8'));
    expect(stage.workdir).toBe('/app');
    expect(stage.env.NODE_ENV).toBe('production');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpline-image-'));
    const app = path.join(dir, 'app');
    fs.mkdirSync(app, { recursive: true });
    for (const step of stage.steps) {
      if ('copy' in step) {
        copyStep(dir, stage.workdir, step.copy);
        continue;
      }
      const args = ['ci', ...step.npmCi.filter((a) => a !== 'ci'), '--prefer-offline'];
      const npm = spawnSync('npm', args, { cwd: app, encoding: 'utf8', timeout: 240_000, env: process.env });
      if (npm.status !== 0)
        throw new Error(
          `npm ${args.join(' ')} failed in ${app} (is the npm registry or its cache reachable?):\n${npm.error?.message ?? ''}${npm.stderr.slice(-2000)}`,
        );
    }
    expect(stage.steps.some((s) => 'npmCi' in s && s.npmCi.includes('--omit=dev'))).toBe(true);
    expect(fs.existsSync(path.join(app, 'node_modules', 'typescript'))).toBe(false); // dev dependencies left out

    slack = await new FakeSlackApi().start();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const [command = '', ...cmdArgs] = stage.cmd;
    expect(command).toBe('node');
    child = spawn(process.execPath, cmdArgs, {
      cwd: app,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...stage.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        MONGODB_URI: testDatabaseUri('image').uri,
        PUBLIC_URL: 'https://helpline.example.com',
        REPORTS_SECRET: 'image-test-reports-secret-0123456789abcdef',
        SLACK_BOT_TOKEN: 'xoxb-image-test-token',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.url,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (d: Buffer) => {
      output += d.toString();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    await eventually(
      async () => {
        if (child?.exitCode !== null) throw new Error(`the bot exited (${child?.exitCode}):\n${output}`);
        return (await fetch(`${base}/readyz`).catch(() => null))?.status === 200;
      },
      60_000,
      'the bot to be ready',
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${output}`);
    });

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { ok: boolean }).ok).toBe(true);

    // A manager asks for a link in Slack, opens it, and reads the dashboard.
    const r = signedRequest(formFields(slashCommand(MIKE, 'report')), 'application/x-www-form-urlencoded');
    const answer = await fetch(`${base}/slack/events`, { method: 'POST', headers: r.headers, body: r.body });
    const { text } = (await answer.json()) as { text: string };
    expect(text).toMatch(/direct message/);
    // The link itself goes only to the manager's DM; the page's button (a POST) starts the session.
    const dm = await eventually(
      () => slack?.callsTo('chat.postMessage').find((c) => c.body.channel === MIKE.id),
      30_000,
      'the report link in a DM',
    );
    const token = /\/reports\/open\?token=([^\s>|]+)/.exec(String(dm.body.text))?.[1];
    if (!token) throw new Error(`no report link in the DM: ${String(dm.body.text)}`);
    const opened = await fetch(`${base}/reports/open`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: decodeURIComponent(token) }).toString(),
    });
    expect(opened.status).toBe(303);
    const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const pages = ['/reports', '/reports/static/app.js', '/reports/static/app.css', '/reports/vendor/chart.umd.min.js'];
    for (const page of pages) {
      const res = await fetch(`${base}${page}`, { headers: { cookie } });
      const body = await res.text();
      expect({ page, status: res.status }).toEqual({ page, status: 200 });
      expect(body).not.toContain(dir);
      expect(body).not.toMatch(/ENOENT|no such file/);
    }

    // Production: no playground, no test routes, no unauthenticated /api/messages.
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/test/clock`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await fetch(`${base}/api/messages`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect(output).not.toMatch(/PLAYGROUND IS ON|HELPLINE_TEST_CLOCK is on/);
  }, 300_000);
});
