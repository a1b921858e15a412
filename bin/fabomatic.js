#!/usr/bin/env node
// Operator CLI entry: resolves the workspace path aliases inside the built output, then runs the CLI.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const dist = join(root, 'dist', 'apps', 'api');
const entry = join(dist, 'apps', 'api', 'src', 'cli', 'main.js');
if (!existsSync(entry)) {
  console.error('fabomatic is not built yet: run `npx nx run api:build` (or `npm start`) first.');
  process.exit(1);
}
const { compilerOptions } = require(join(root, 'tsconfig.base.json'));
const paths = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [alias, [target.replace(/\.ts$/, '.js')]]),
);
require('tsconfig-paths').register({ baseUrl: dist, paths, addMatchAll: false });
require(entry)
  .runCli(process.argv.slice(2))
  .then((code) => {
    if (typeof code === 'number') process.exitCode = code;
  });
