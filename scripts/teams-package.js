#!/usr/bin/env node
/**
 * Builds the Microsoft Teams app package: fills the ids in manifests/teams/manifest.json from the
 * environment, validates the manifest and icons, and writes manifests/teams/helpline-teams.zip.
 * Plain Node, no dependencies (PNG and zip written with zlib).
 *
 *   MicrosoftAppId=<bot app id> npm run teams:package
 *   node scripts/teams-package.js --out <file.zip>   # write the package elsewhere (the tests do)
 *   node scripts/teams-package.js --icons            # regenerate color.png and outline.png
 *
 * Environment (a .env file in the project root is read too; real environment variables win):
 *   MicrosoftAppId        required: the Azure Bot's Microsoft App ID (a GUID)
 *   TEAMS_APP_ID          the Teams app id (a GUID); default: MicrosoftAppId
 *   PUBLIC_URL            https URL of the bot, used for the developer links and validDomains
 *   TEAMS_DEVELOPER_NAME  shown in the Teams store listing; default "Helpline"
 *   TEAMS_APP_VERSION     default: package.json version
 */

const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const ROOT = path.resolve(__dirname, '..');
const DIR = path.join(ROOT, 'manifests', 'teams');
const OUT = path.join(DIR, 'helpline-teams.zip');
/**
 * Teams Store guidance for the color icon: 192×192, a transparent or solid background, the logo within the central
 * 120×120 "safe region" (36 px of padding) so it is not cut off where Teams crops the icon.
 * https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/apps-package#color-icon
 */
const COLOR_SIZE = 192;
const SAFE_AREA = 120;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class PackageError extends Error {}

// ---------------------------------------------------------------------------------------------
// CRC-32 (PNG chunks and zip entries)

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf) {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// ---------------------------------------------------------------------------------------------
// PNG

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** An RGBA PNG from a pixel function (x, y) => [r, g, b, a]. */
function writePng(size, pixel) {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    const row = y * (size * 4 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x, y);
      raw.set([r, g, b, a], row + 1 + x * 4);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Decode an 8-bit RGB / RGBA, non-interlaced PNG into { width, height, rgba }. */
function readPng(buf, name) {
  if (!buf.subarray(0, 8).equals(PNG_SIGNATURE)) throw new PackageError(`${name} is not a PNG file`);
  let off = 8;
  let ihdr;
  const idat = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('ascii', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (crc32(buf.subarray(off + 4, off + 8 + len)) !== buf.readUInt32BE(off + 8 + len))
      throw new PackageError(`${name}: bad CRC in ${type}`);
    if (type === 'IHDR') ihdr = data;
    if (type === 'IDAT') idat.push(data);
    off += 12 + len;
  }
  if (!ihdr) throw new PackageError(`${name}: no IHDR chunk`);
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const depth = ihdr[8];
  const colorType = ihdr[9];
  if (depth !== 8 || (colorType !== 6 && colorType !== 2) || ihdr[12] !== 0)
    throw new PackageError(`${name}: use an 8-bit RGB or RGBA non-interlaced PNG`);
  const bpp = colorType === 6 ? 4 : 3;
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? out[y * stride + i - bpp] : 0;
      const b = y > 0 ? out[(y - 1) * stride + i] : 0;
      const c = i >= bpp && y > 0 ? out[(y - 1) * stride + i - bpp] : 0;
      let v = line[i];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else if (filter !== 0) throw new PackageError(`${name}: unknown PNG filter ${filter}`);
      out[y * stride + i] = v & 0xff;
    }
  }
  const rgba = Buffer.alloc(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    rgba[p * 4] = out[p * bpp];
    rgba[p * 4 + 1] = out[p * bpp + 1];
    rgba[p * 4 + 2] = out[p * bpp + 2];
    rgba[p * 4 + 3] = bpp === 4 ? out[p * bpp + 3] : 255;
  }
  return { width, height, rgba };
}

/**
 * A lifebuoy: a ring with four bands, anti-aliased by 4×4 supersampling. Returns coverage 0..1. `outer` is the
 * ring's outer radius as a fraction of the icon's width (0.4: 154 of 192 px; 0.3: 115 px, inside the safe area).
 */
function lifebuoy(size, x, y, outer = 0.4) {
  const k = outer / 0.4;
  let hits = 0;
  for (let sy = 0; sy < 4; sy++) {
    for (let sx = 0; sx < 4; sx++) {
      const dx = (x + (sx + 0.5) / 4) / size - 0.5;
      const dy = (y + (sy + 0.5) / 4) / size - 0.5;
      const r = Math.hypot(dx, dy);
      const onRing = r <= 0.4 * k && r >= 0.22 * k;
      const band = Math.abs((Math.abs(Math.atan2(dy, dx)) % (Math.PI / 2)) - Math.PI / 4) > Math.PI / 4 - 0.2;
      if (onRing && !band) hits++;
      else if (onRing && band && (r > 0.37 * k || r < 0.25 * k)) hits++; // keep the ring's rim across the bands
    }
  }
  return hits / 16;
}

function generateIcons() {
  // Solid accent-colour background; the white lifebuoy spans 115 px, inside the central 120×120.
  const color = writePng(COLOR_SIZE, (x, y) => {
    const c = lifebuoy(COLOR_SIZE, x, y, 0.3);
    const blue = [0x2e, 0x5b, 0xff];
    return [
      Math.round(blue[0] + (255 - blue[0]) * c),
      Math.round(blue[1] + (255 - blue[1]) * c),
      Math.round(blue[2] + (255 - blue[2]) * c),
      255,
    ];
  });
  const outline = writePng(32, (x, y) => {
    const c = lifebuoy(32, x, y);
    return c > 0 ? [255, 255, 255, Math.round(255 * c)] : [0, 0, 0, 0];
  });
  fs.writeFileSync(path.join(DIR, 'color.png'), color);
  fs.writeFileSync(path.join(DIR, 'outline.png'), outline);
  console.log('wrote manifests/teams/color.png (192×192) and outline.png (32×32)');
}

/**
 * The box the color icon's logo covers: every pixel that differs from the background (the corner pixel: solid or
 * transparent). Null when the icon is one colour.
 */
function logoBounds(png) {
  const at = (x, y) => png.rgba.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 4);
  const bg = at(0, 0);
  const same = (p) => (bg[3] === 0 && p[3] === 0) || p.every((v, i) => Math.abs(v - bg[i]) <= 8);
  let box = null;
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      if (same(at(x, y))) continue;
      box = box ?? { left: x, top: y, right: x, bottom: y };
      box.left = Math.min(box.left, x);
      box.top = Math.min(box.top, y);
      box.right = Math.max(box.right, x);
      box.bottom = Math.max(box.bottom, y);
    }
  }
  return box;
}

function checkIcons() {
  const color = readPng(fs.readFileSync(path.join(DIR, 'color.png')), 'color.png');
  if (color.width !== COLOR_SIZE || color.height !== COLOR_SIZE)
    throw new PackageError(`color.png must be 192×192 pixels (it is ${color.width}×${color.height})`);
  const logo = logoBounds(color);
  const margin = (COLOR_SIZE - SAFE_AREA) / 2;
  if (!logo) throw new PackageError('color.png needs a logo on its background');
  if (
    logo.left < margin ||
    logo.top < margin ||
    logo.right >= COLOR_SIZE - margin ||
    logo.bottom >= COLOR_SIZE - margin
  )
    throw new PackageError(
      `color.png: the logo spans x ${logo.left}-${logo.right}, y ${logo.top}-${logo.bottom}; keep it within the central ${SAFE_AREA}×${SAFE_AREA} (${margin}-${COLOR_SIZE - margin - 1})`,
    );
  const outline = readPng(fs.readFileSync(path.join(DIR, 'outline.png')), 'outline.png');
  if (outline.width !== 32 || outline.height !== 32)
    throw new PackageError(`outline.png must be 32×32 pixels (it is ${outline.width}×${outline.height})`);
  let visible = 0;
  for (let p = 0; p < 32 * 32; p++) {
    const [r, g, b, a] = outline.rgba.subarray(p * 4, p * 4 + 4);
    if (a === 0) continue;
    visible++;
    if (r !== 255 || g !== 255 || b !== 255)
      throw new PackageError('outline.png must be white on a transparent background');
  }
  if (visible === 0 || visible === 32 * 32)
    throw new PackageError('outline.png needs a white shape on a transparent background');
}

// ---------------------------------------------------------------------------------------------
// Manifest

function readDotEnv() {
  const file = path.join(ROOT, '.env');
  if (!fs.existsSync(file)) return {};
  const out = {};
  for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
}

function values(env) {
  const appId = (env.MicrosoftAppId || '').trim();
  if (!appId) {
    throw new PackageError(
      "MicrosoftAppId is not set. Set it to your Azure Bot's Microsoft App ID (Azure portal → your Azure Bot → Configuration → Microsoft App ID), e.g.\n  MicrosoftAppId=00000000-0000-0000-0000-000000000000 npm run teams:package",
    );
  }
  if (!GUID.test(appId))
    throw new PackageError(`MicrosoftAppId "${appId}" is not a GUID like 00000000-0000-0000-0000-000000000000`);
  const teamsAppId = (env.TEAMS_APP_ID || appId).trim();
  if (!GUID.test(teamsAppId)) throw new PackageError(`TEAMS_APP_ID "${teamsAppId}" is not a GUID`);
  let publicUrl = (env.PUBLIC_URL || '').trim().replace(/\/+$/, '');
  if (publicUrl && !/^https:\/\//.test(publicUrl))
    throw new PackageError(`PUBLIC_URL "${publicUrl}" must be an https URL for Teams`);
  if (!publicUrl) {
    console.warn(
      'PUBLIC_URL is not set: the developer links point to https://example.com (set PUBLIC_URL before publishing)',
    );
    publicUrl = 'https://example.com';
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  return {
    MicrosoftAppId: appId,
    TeamsAppId: teamsAppId,
    PublicUrl: publicUrl,
    DeveloperName: (env.TEAMS_DEVELOPER_NAME || 'Helpline').trim(),
    AppVersion: (env.TEAMS_APP_VERSION || pkg.version || '1.0.0').trim(),
  };
}

function fill(template, vals) {
  const text = template.replace(/\{\{(\w+)\}\}/g, (whole, key) => {
    if (!(key in vals)) throw new PackageError(`manifest.json uses an unknown placeholder ${whole}`);
    return JSON.stringify(vals[key]).slice(1, -1);
  });
  const manifest = JSON.parse(text);
  if (vals.PublicUrl !== 'https://example.com') manifest.validDomains = [new URL(vals.PublicUrl).host];
  return manifest;
}

function validate(m) {
  const problems = [];
  const need = (cond, msg) => {
    if (!cond) problems.push(msg);
  };
  const len = (v, max, what) =>
    need(typeof v === 'string' && v.length > 0 && v.length <= max, `${what} must be 1-${max} characters`);
  need(m.manifestVersion === '1.16' || Number(m.manifestVersion) >= 1.16, 'manifestVersion must be 1.16 or later');
  need(/^\d+\.\d+\.\d+$/.test(m.version || ''), 'version must look like 1.0.0');
  need(GUID.test(m.id || ''), 'id must be a GUID');
  for (const k of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl'])
    need(/^https:\/\//.test(m.developer?.[k] || ''), `developer.${k} must be an https URL`);
  len(m.developer?.name, 32, 'developer.name');
  len(m.name?.short, 30, 'name.short');
  len(m.name?.full, 100, 'name.full');
  len(m.description?.short, 80, 'description.short');
  len(m.description?.full, 4000, 'description.full');
  need(/^#[0-9A-Fa-f]{6}$/.test(m.accentColor || ''), 'accentColor must be #RRGGBB');
  need(m.icons?.color === 'color.png' && m.icons?.outline === 'outline.png', 'icons must be color.png and outline.png');
  const bot = m.bots?.[0];
  need(bot && GUID.test(bot.botId || ''), 'bots[0].botId must be a GUID');
  for (const scope of ['personal', 'team', 'groupChat'])
    need(bot?.scopes?.includes(scope), `the bot must be in the ${scope} scope`);
  // "A separate command list should be used for each scope" (the manifest schema's commandLists).
  const listScopes = (bot?.commandLists ?? []).flatMap((l) => l.scopes ?? []);
  for (const scope of bot?.scopes ?? [])
    need(listScopes.filter((s) => s === scope).length === 1, `the bot needs one command list for the ${scope} scope`);
  for (const list of bot?.commandLists ?? []) {
    need(list.scopes?.length === 1, 'a command list is for one scope');
    need(list.commands.length <= 10, 'a command list has at most 10 commands');
    for (const c of list.commands) {
      len(c.title, 32, `command "${c.title}" title`);
      len(c.description, 128, `command "${c.title}" description`);
    }
  }
  for (const list of bot?.commandLists ?? []) {
    const titles = list.commands.map((c) => c.title);
    for (const t of ['new', 'status', 'mine', 'help'])
      need(titles.includes(t), `the ${list.scopes?.join(', ')} command list needs "${t}"`);
  }
  const ext = m.composeExtensions?.[0];
  need(ext && ext.botId === bot?.botId, 'composeExtensions[0].botId must be the bot id');
  const raise = ext?.commands?.find((c) => c.id === 'raiseFromMessage');
  need(
    raise && raise.type === 'action' && raise.fetchTask === true && raise.context?.includes('message'),
    'composeExtensions needs the action command raiseFromMessage (context message, fetchTask true)',
  );
  need(!JSON.stringify(m).includes('{{'), 'a {{placeholder}} was left unfilled');
  if (problems.length > 0) throw new PackageError(`manifest.json is invalid:\n  - ${problems.join('\n  - ')}`);
}

// ---------------------------------------------------------------------------------------------
// Zip (deflate, no directories)

function dosDateTime(d) {
  const time = (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1);
  const date = ((d.getFullYear() - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate();
  return { time, date };
}

function zip(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  const { time, date } = dosDateTime(new Date());
  for (const { name, data } of files) {
    const nameBuf = Buffer.from(name, 'utf8');
    const compressed = zlib.deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, nameBuf, compressed);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // version made by
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBuf);
    offset += local.length + nameBuf.length + compressed.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

// ---------------------------------------------------------------------------------------------

function main() {
  if (process.argv.includes('--icons')) {
    generateIcons();
    return;
  }
  const env = { ...readDotEnv(), ...process.env };
  const manifest = fill(fs.readFileSync(path.join(DIR, 'manifest.json'), 'utf8'), values(env));
  validate(manifest);
  checkIcons();
  const files = [
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') },
    { name: 'color.png', data: fs.readFileSync(path.join(DIR, 'color.png')) },
    { name: 'outline.png', data: fs.readFileSync(path.join(DIR, 'outline.png')) },
  ];
  const outArg = process.argv.indexOf('--out');
  const out = outArg > 0 && process.argv[outArg + 1] ? path.resolve(process.argv[outArg + 1]) : OUT;
  fs.writeFileSync(out, zip(files));
  console.log(
    `wrote ${path.relative(ROOT, out)} (bot ${manifest.bots[0].botId}, app ${manifest.id}, version ${manifest.version})`,
  );
}

// Run as a command; required (by the tests), it only lends its PNG and manifest helpers.
if (require.main === module) {
  try {
    main();
  } catch (err) {
    if (err instanceof PackageError) {
      console.error(`teams:package: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}

module.exports = { crc32, readPng, writePng, zip, fill, validate, logoBounds };
