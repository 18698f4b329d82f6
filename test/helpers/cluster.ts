/**
 * Clusters for the replica and fault tests: one database process (mongo-java-server's H2 backend, so its data survives being
 * stopped), three replicas of the built dist/main.js, and nginx on loopback balancing over them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import YAML from 'yaml';
import { type LocalMongo, startJavaServer } from '../../src/store/local-mongo';

export const root = path.resolve(__dirname, '..', '..');
export const main = path.join(root, 'dist', 'main.js');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The database: stopped and started again on the same port and file. */
export class Database {
  private server: LocalMongo | undefined;
  constructor(
    readonly dataDir: string,
    readonly port: number,
  ) {}
  get uri(): string {
    return `mongodb://127.0.0.1:${this.port}/`;
  }
  async start(): Promise<void> {
    this.server = await startJavaServer({ dataDir: this.dataDir, backend: 'h2', port: this.port });
  }
  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = undefined;
  }
}

/** One replica of the bot on a fixed port (so nginx finds it again after a restart). */
export class Replica {
  child: ChildProcess | undefined;
  output = '';
  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}
  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    const child = spawn(process.execPath, [main], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...this.env, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (d: Buffer) => {
      this.output = (this.output + d.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${this.name} exited (${child.exitCode}):\n${this.output}`);
      if ((await fetch(`${this.base}/readyz`).catch(() => null))?.status === 200) return;
      if (Date.now() > deadline) throw new Error(`${this.name} not ready within 60 s:\n${this.output}`);
      await sleep(100);
    }
  }
  /** SIGKILL (a crash) or SIGTERM (a graceful drain); resolves when the process is gone. */
  async stop(signal: 'SIGKILL' | 'SIGTERM'): Promise<number | null> {
    const child = this.child;
    // Gone already (exited, or killed by a signal: then exitCode stays null and 'exit' will not come again).
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill(signal);
    return exited;
  }
}

/** nginx on loopback over the replicas; a replica that refuses or fails is skipped for the next (even for POST). */
export class Nginx {
  private child: ChildProcess | undefined;
  output = '';
  constructor(
    readonly dir: string,
    readonly port: number,
    private readonly upstreams: number[],
  ) {}
  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    for (const d of ['client_body', 'proxy', 'logs']) fs.mkdirSync(path.join(this.dir, d), { recursive: true });
    const conf = path.join(this.dir, 'nginx.conf');
    fs.writeFileSync(
      conf,
      [
        'daemon off;',
        'worker_processes 1;',
        `pid ${this.dir}/nginx.pid;`,
        `error_log ${this.dir}/logs/error.log warn;`,
        'events { worker_connections 1024; }',
        'http {',
        '  access_log off;',
        `  client_body_temp_path ${this.dir}/client_body;`,
        `  proxy_temp_path ${this.dir}/proxy;`,
        '  client_max_body_size 1m;',
        '  upstream helpline {',
        ...this.upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=2s;`),
        '  }',
        '  server {',
        `    listen 127.0.0.1:${this.port};`,
        '    location / {',
        '      proxy_pass http://helpline;',
        '      proxy_http_version 1.1;',
        '      proxy_set_header Connection "";',
        // Slack and Bot Framework requests carry their own ids: a retry on another replica is de-duplicated there.
        '      proxy_next_upstream error timeout http_502 http_503 non_idempotent;',
        '      proxy_connect_timeout 1s;',
        '      proxy_read_timeout 15s;',
        '    }',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => fs.existsSync(p)) ?? 'nginx';
    this.child = spawn(nginx, ['-p', this.dir, '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stderr?.on('data', (d: Buffer) => {
      this.output += d.toString();
    });
    const deadline = Date.now() + 10_000;
    while ((await fetch(`${this.base}/healthz`).catch(() => null)) === null) {
      if (this.child.exitCode !== null || Date.now() > deadline) throw new Error(`nginx did not start: ${this.output}`);
      await sleep(100);
    }
  }
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

/** The default policy with every channel and contact in Slack: every alert is counted at one fake. */
export function writeSlackPolicy(dir: string): string {
  const policy = YAML.parse(fs.readFileSync(path.join(root, 'policy', 'default.yaml'), 'utf8'));
  policy.channels.teamTicketing = { name: 'team-ticketing', platform: 'slack', id: 'C0TEAMTICKETING' };
  for (const person of Object.values(policy.people) as Array<{ notify?: string }>)
    if (person.notify) person.notify = 'slack';
  // One Level 1 agent clicks for a whole team under load: the per-person action limit is lifted for them.
  policy.limits = { ...policy.limits, actionsPerPerson: { count: 10_000, per: '1m' } };
  const file = path.join(dir, 'policy.yaml');
  fs.writeFileSync(file, YAML.stringify(policy));
  return file;
}
