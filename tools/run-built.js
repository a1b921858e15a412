'use strict';
// Runs a compiled entry of dist/tools with the workspace path aliases resolved inside the built
// output (the benchmarks' launchers). Build first: npx nx run-many -t build -p api board-sim
const { existsSync } = require('node:fs');
const { join } = require('node:path');

module.exports = function runBuilt(entryInDist, what) {
  const dist = join(__dirname, '..', 'dist', 'tools');
  const entry = join(dist, ...entryInDist.split('/'));
  if (!existsSync(entry)) {
    console.error(`${what} is not built yet: run \`npx nx run board-sim:build\` first.`);
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
};
