#!/usr/bin/env node
// History benchmark launcher (libs/board-sim/src/history): runs the compiled benchmark.
'use strict';
require('./run-built')('libs/board-sim/src/history/bench-history.js', 'the history benchmark');
