#!/usr/bin/env node
// History benchmark launcher (libs/board-sim/src/history): resolves the workspace path aliases inside
// the built output, then runs the compiled benchmark. Build first: npx nx run-many -t build -p api board-sim
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const dist = join(root, 'dist', 'tools');
const entry = join(dist, 'libs', 'board-sim', 'src', 'history', 'bench-history.js');
if (!existsSync(entry)) {
  console.error('the history benchmark is not built yet: run `npx nx run board-sim:build` first.');
  process.exit(1);
}
require('tsconfig-paths').register({
  baseUrl: dist,
  paths: {
    '@fabomatic/board-protocol': ['libs/shared/board-protocol/src/index.js'],
    '@fabomatic/board-sim': ['libs/board-sim/src/index.js'],
  },
  addMatchAll: false,
});
require(entry)
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
