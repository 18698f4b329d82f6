/**
 * The zip `npm run teams:package` builds, against Microsoft's Teams manifest schema (v1.16, vendored in
 * manifests/schemas/teams) and the Store's icon guidance: color.png 192×192 with the logo inside the central
 * 120×120, outline.png 32×32 white on transparent.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { SchemaSet } from '../../helpers/json-schema';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'teams-package.js');
const SCHEMA = 'MicrosoftTeams.v1.16.schema.json';
const schemas = new SchemaSet([path.join(ROOT, 'manifests', 'schemas', 'teams', SCHEMA)]);
const APP_ID = '3f0c2a4e-9b1d-4c6e-8f7a-1b2c3d4e5f60';

/** The entries of a zip (deflate or stored), read from its central directory. */
function unzip(buf: Buffer): Map<string, Buffer> {
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLength = buf.readUInt16LE(at + 28);
    const extra = buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(dataAt, dataAt + size);
    out.set(name, method === 8 ? zlib.inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLength + extra;
  }
  return out;
}

interface Png {
  width: number;
  height: number;
  rgba: Buffer;
}
/** The package script's own PNG helpers (it only runs as a command when started directly). */
const script = require(SCRIPT) as {
  readPng(buf: Buffer, name: string): Png;
  writePng(size: number, pixel: (x: number, y: number) => number[]): Buffer;
  logoBounds(p: Png): { left: number; top: number; right: number; bottom: number } | null;
};
const png = (buf: Buffer) => script.readPng(buf, 'icon');

describe('the Teams app package (npm run teams:package)', () => {
  let dir: string;
  let files: Map<string, Buffer>;
  let manifest: Record<string, unknown> & {
    bots: Array<{ scopes: string[]; commandLists: Array<{ scopes: string[]; commands: Array<{ title: string }> }> }>;
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teams-package-'));
    const out = path.join(dir, 'helpline-teams.zip');
    await promisify(execFile)(process.execPath, [SCRIPT, '--out', out], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, MicrosoftAppId: APP_ID, PUBLIC_URL: 'https://helpline.example.com' },
    });
    files = unzip(fs.readFileSync(out));
    manifest = JSON.parse(files.get('manifest.json')?.toString('utf8') ?? '{}');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('holds manifest.json and the two icons, and nothing else', () => {
    expect([...files.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
  });

  it("passes Microsoft's Teams manifest schema for the version it declares", () => {
    expect(manifest.manifestVersion).toBe('1.16');
    expect(manifest.$schema).toBe(
      'https://developer.microsoft.com/en-us/json-schemas/teams/v1.16/MicrosoftTeams.schema.json',
    );
    expect(schemas.validate(SCHEMA, manifest)).toEqual([]);
    expect(manifest.validDomains).toEqual(['helpline.example.com']);
  });

  it('is refused by that schema where it breaks it (a command title over 32 characters)', () => {
    const broken = structuredClone(manifest);
    const first = broken.bots[0]?.commandLists[0]?.commands[0];
    if (first) first.title = 'a command title that is far too long';
    expect(schemas.validate(SCHEMA, broken)).toEqual([
      { path: '/bots/0/commandLists/0/commands/0/title', message: expect.stringMatching(/at most 32 characters/) },
    ]);
  });

  it('has one command list per bot scope, as the reference asks', () => {
    const bot = manifest.bots[0];
    expect(bot?.commandLists.map((l) => l.scopes)).toEqual(bot?.scopes.map((s) => [s]));
    for (const list of bot?.commandLists ?? [])
      expect(list.commands.map((c) => c.title)).toEqual(expect.arrayContaining(['new', 'status', 'mine', 'help']));
  });

  it('has a 192×192 color icon whose logo lies within the central 120×120, on a solid background', () => {
    const color = png(files.get('color.png') as Buffer);
    expect([color.width, color.height]).toEqual([192, 192]);
    const box = script.logoBounds(color);
    expect(box).not.toBeNull();
    expect(box?.left).toBeGreaterThanOrEqual(36);
    expect(box?.top).toBeGreaterThanOrEqual(36);
    expect(box?.right).toBeLessThanOrEqual(155);
    expect(box?.bottom).toBeLessThanOrEqual(155);
    // Solid: every corner pixel is the same opaque colour.
    const corner = (x: number, y: number) => [...color.rgba.subarray((y * 192 + x) * 4, (y * 192 + x) * 4 + 4)];
    expect(corner(0, 0)[3]).toBe(255);
    expect([corner(191, 0), corner(0, 191), corner(191, 191)]).toEqual([corner(0, 0), corner(0, 0), corner(0, 0)]);
  });

  it('has a 32×32 outline icon, white on transparent', () => {
    const outline = png(files.get('outline.png') as Buffer);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    const alphas = new Set<number>();
    for (let p = 0; p < 32 * 32; p++) {
      const [r, g, b, a] = outline.rgba.subarray(p * 4, p * 4 + 4);
      alphas.add(a as number);
      if ((a as number) > 0) expect([r, g, b]).toEqual([255, 255, 255]);
    }
    expect(alphas.has(0)).toBe(true);
    expect(alphas.size).toBeGreaterThan(1);
  });

  it('refuses to package a color icon whose logo reaches past the safe area', async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'teams-icon-'));
    try {
      // A copy of the project's package layout with the old 154 px logo.
      fs.mkdirSync(path.join(work, 'scripts'));
      fs.mkdirSync(path.join(work, 'manifests', 'teams'), { recursive: true });
      fs.copyFileSync(SCRIPT, path.join(work, 'scripts', 'teams-package.js'));
      fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(work, 'package.json'));
      for (const f of ['manifest.json', 'outline.png'])
        fs.copyFileSync(path.join(ROOT, 'manifests', 'teams', f), path.join(work, 'manifests', 'teams', f));
      const wide = script.writePng(192, (x, y) =>
        Math.hypot(x - 96, y - 96) < 77 ? [255, 255, 255, 255] : [46, 91, 255, 255],
      );
      fs.writeFileSync(path.join(work, 'manifests', 'teams', 'color.png'), wide);
      const run = promisify(execFile)(process.execPath, [path.join(work, 'scripts', 'teams-package.js')], {
        cwd: work,
        env: { PATH: process.env.PATH, MicrosoftAppId: APP_ID },
      });
      await expect(run).rejects.toMatchObject({ stderr: expect.stringMatching(/keep it within the central 120×120/) });
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});
