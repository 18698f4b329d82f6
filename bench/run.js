#!/usr/bin/env node
// Runs the TypeScript benchmark without a build step: .ts files are compiled on require with @swc/core
// (CommonJS, ES2022, inline source maps), as jest does for the tests, and cached as JS under .cache/bench-js/.
// The benchmark process compiles src/, bench/ and test/ into that cache first, so the bot processes it starts
// load plain JS and never load the compiler (which would add tens of MB to the memory they report).
// Type checking is `npx tsc --noEmit`.

const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
// BENCH_JS_CACHE: a cache of its own (worktrees sharing one .cache would otherwise load each other's JS).
const cacheDir = process.env.BENCH_JS_CACHE || path.join(root, '.cache', 'bench-js');

function cachePath(filename) {
  return path.join(cacheDir, `${path.relative(root, filename)}.js`);
}

function compile(filename) {
  const cached = cachePath(filename);
  try {
    if (fs.statSync(cached).mtimeMs >= fs.statSync(filename).mtimeMs) return fs.readFileSync(cached, 'utf8');
  } catch {
    // not cached yet
  }
  const { transformSync } = require('@swc/core');
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    module: { type: 'commonjs' },
    jsc: { target: 'es2022', parser: { syntax: 'typescript' }, keepClassNames: true },
  });
  fs.mkdirSync(path.dirname(cached), { recursive: true });
  fs.writeFileSync(cached, code);
  return code;
}

function compileTree(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) compileTree(p);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) compile(p);
  }
}

require.extensions['.ts'] = (module, filename) => module._compile(compile(filename), filename);
process.setSourceMapsEnabled?.(true);

// `node bench/run.js [flags]` runs the benchmark; `node bench/run.js --child <file.ts> ...` runs a helper process.
const i = process.argv.indexOf('--child');
if (i >= 0) require(path.resolve(__dirname, process.argv[i + 1]));
else {
  for (const dir of ['src', 'bench', 'test/fixtures']) compileTree(path.join(root, dir));
  require('./main.ts');
}
