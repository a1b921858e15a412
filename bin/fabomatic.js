#!/usr/bin/env node
// Operator CLI entry: resolves the workspace path aliases inside the built output, then runs the CLI.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

// The backend is meant for small boxes (a Raspberry Pi): cap V8's young generation, which otherwise
// keeps ~60 MB reserved after start-up for nothing (idle RSS ~150 MB → ~140 MB; throughput unchanged
// within noise, see docs/performance.md), and let the old generation grow by at most 30 % over what
// the last full GC kept: by default V8 lets it grow up to 4× on a box with memory to spare, so the
// garbage a long export promotes (rows alive across a scavenge) grew RSS by 100 – 200 MB before V8
// collected it. glibc's malloc gets two arenas instead of eight per core (MALLOC_ARENA_MAX): the
// threads (libuv's pool, reader and writer threads) otherwise each leave an arena's fragments
// mapped (idle RSS with 200 boards on PostgreSQL 151 → 146 MB). Flags and a MALLOC_ARENA_MAX already
// given (execArgv, NODE_OPTIONS, the environment) win. Re-executes this process in place (same PID)
// with what is missing.
const NODE_FLAGS = ['--max-semi-space-size=4', '--heap-growing-percent=30'];
const givenFlags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
const missingFlags = NODE_FLAGS.filter(
  (flag) => !givenFlags.some((arg) => arg.startsWith(flag.slice(0, flag.indexOf('=')))),
);
if (
  typeof process.execve === 'function' &&
  !process.env.FABOMATIC_NODE_FLAGS_APPLIED &&
  (missingFlags.length > 0 || process.env.MALLOC_ARENA_MAX === undefined)
) {
  process.execve(
    process.execPath,
    [process.execPath, ...missingFlags, ...process.execArgv, __filename, ...process.argv.slice(2)],
    { MALLOC_ARENA_MAX: '2', ...process.env, FABOMATIC_NODE_FLAGS_APPLIED: '1' },
  );
}

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

// class-validator requires libphonenumber-js's metadata at start-up for `@IsPhoneNumber`, which no
// DTO uses: ~1.7 MB of heap held for nothing on a box where idle RSS is counted. Its exports are
// loaded on first use instead (a proxy in the module cache; the real module replaces it then).
deferModule('libphonenumber-js/max', require.resolve('class-validator'));
// prom-client's CPU metric requires OpenTelemetry's API (51 modules) for exemplars, which we never
// enable: it loads if one is ever asked for.
deferModule('@opentelemetry/api', require.resolve('prom-client'));

// mqtt-packet (the embedded broker's and mqtt.js' codec) logs through `debug` a dozen times a packet,
// each call gathering its arguments and asking whether it is on (~3 % of the board path's CPU on the
// embedded broker). When DEBUG asks for no library's log, `debug`'s loggers are no-ops.
if (!process.env.DEBUG) silenceDebug(require.resolve('mqtt-packet'));

// TypeORM's driver factory requires every driver it knows (MySQL, Oracle, SAP, Spanner, SQL Server…)
// and with each its query runner: ~2.4 MB of heap (source text, code) for two drivers in use. Each
// is loaded when the factory first names it, that is only for the database configured.
for (const driver of [
  'aurora-mysql/AuroraMysqlDriver',
  'aurora-postgres/AuroraPostgresDriver',
  'capacitor/CapacitorDriver',
  'cockroachdb/CockroachDriver',
  'cordova/CordovaDriver',
  'expo/ExpoDriver',
  'mongodb/MongoDriver',
  'mysql/MysqlDriver',
  'nativescript/NativescriptDriver',
  'oracle/OracleDriver',
  'postgres/PostgresDriver',
  'react-native/ReactNativeDriver',
  'sap/SapDriver',
  'spanner/SpannerDriver',
  'sqljs/SqljsDriver',
  'sqlserver/SqlServerDriver',
])
  deferModule(`typeorm/driver/${driver}`, require.resolve('typeorm'));

function silenceDebug(requester) {
  let file;
  try {
    file = require.resolve('debug', { paths: [requester] });
  } catch {
    return;
  }
  const real = require(file);
  const silent = (namespace) =>
    Object.assign(() => undefined, {
      namespace,
      enabled: false,
      useColors: false,
      diff: 0,
      log: real.log,
      destroy: () => false,
      extend: (sub, delimiter = ':') => silent(`${namespace}${delimiter}${sub}`),
    });
  Object.assign(silent, real, { debug: silent, default: silent });
  require.cache[file].exports = silent;
}

function deferModule(request, requester) {
  let file;
  try {
    file = require.resolve(request, { paths: [requester] });
  } catch {
    return; // not installed where the requester looks: nothing to defer
  }
  const Module = require('node:module');
  let real = null;
  const load = () => {
    if (real === null) {
      delete require.cache[file];
      real = require(file);
    }
    return real;
  };
  const stub = new Module(file);
  stub.filename = file;
  stub.loaded = true;
  stub.exports = new Proxy(
    {},
    {
      get: (_target, key) => load()[key],
      has: (_target, key) => key in load(),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_target, key) => {
        const descriptor = Object.getOwnPropertyDescriptor(load(), key);
        return descriptor && { ...descriptor, configurable: true };
      },
    },
  );
  require.cache[file] = stub;
}
// Node's `http` module has lazy getters (WebSocket, CloseEvent, MessageEvent) that load undici, ~2 MB
// of heap. NestJS's core is an ES module importing `node:http`, and Node builds that import by reading
// every export once: undici would load though nothing here uses them. They are plain undefined while
// the app's modules load, then the getters are put back for any later `require('http')` reader.
const http = require('node:http');
const lazyHttpExports = ['WebSocket', 'CloseEvent', 'MessageEvent']
  .map((name) => [name, Object.getOwnPropertyDescriptor(http, name)])
  .filter(([, descriptor]) => descriptor && descriptor.get && descriptor.configurable);
for (const [name, descriptor] of lazyHttpExports)
  Object.defineProperty(http, name, {
    value: undefined,
    writable: true,
    configurable: true,
    enumerable: descriptor.enumerable,
  });
const cli = require(entry);
for (const [name, descriptor] of lazyHttpExports) Object.defineProperty(http, name, descriptor);

cli.runCli(process.argv.slice(2)).then((code) => {
  if (typeof code === 'number') process.exitCode = code;
});
