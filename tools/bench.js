#!/usr/bin/env node
// Board load benchmark launcher (libs/board-sim): runs the compiled bench.
'use strict';
require('./run-built')('libs/board-sim/src/bench.js', 'the bench');
