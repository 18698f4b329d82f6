#!/usr/bin/env node
// Writes the role table of src/domain/ticket/access.ts (built into dist/) into README.md between its markers.
// `npm run docs:access`; test/unit/domain/access.test.ts fails when README.md and the code disagree.
const fs = require('node:fs');
const path = require('node:path');
const { accessTableMarkdown } = require('../dist/domain/ticket/access.js');

const README = path.join(__dirname, '..', 'README.md');
const START = '<!-- access-table:start (npm run docs:access) -->';
const END = '<!-- access-table:end -->';
const text = fs.readFileSync(README, 'utf8');
const from = text.indexOf(START);
const to = text.indexOf(END);
if (from < 0 || to < from) {
  console.error(`README.md has no ${START} … ${END} markers`);
  process.exit(1);
}
fs.writeFileSync(README, `${text.slice(0, from + START.length)}\n${accessTableMarkdown()}\n${text.slice(to)}`);
console.log('README.md: role table written');
