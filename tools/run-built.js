'use strict';
// Runs a compiled entry of dist/tools with the workspace path aliases resolved inside the built
// output (the benchmarks' launchers). Build first: npx nx run-many -t build -p api board-sim
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const dist = join(__dirname, '..', 'dist', 'tools');

/** Resolves the workspace path aliases inside dist/tools (also from a worker thread of a bench). */
function registerAliases() {
  require('tsconfig-paths').register({
    baseUrl: dist,
    paths: {
      '@fabomatic/board-protocol': ['libs/shared/board-protocol/src/index.js'],
      '@fabomatic/board-sim': ['libs/board-sim/src/index.js'],
    },
    addMatchAll: false,
  });
}

module.exports = function runBuilt(entryInDist, what) {
  const entry = join(dist, ...entryInDist.split('/'));
  if (!existsSync(entry)) {
    console.error(`${what} is not built yet: run \`npx nx run board-sim:build\` first.`);
    process.exit(1);
  }
  registerAliases();
  require(entry)
    .main(process.argv.slice(2))
    .then((code) => {
      process.exitCode = code;
    });
};

module.exports.registerAliases = registerAliases;
