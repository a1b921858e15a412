'use strict';
// Preload for `npm run bench -- --sql-profile` (node --require): times every better-sqlite3
// statement run on the app's main thread (the board path's SQL, its group COMMITs) and writes the
// totals as JSON to $FABOMATIC_SQL_PROFILE every 2 s and at exit. Measurement only: never loaded by
// the app otherwise. Reader and checkpoint threads are left alone (they do not hold up the boards).
const { isMainThread } = require('node:worker_threads');
const target = process.env.FABOMATIC_SQL_PROFILE;
if (isMainThread && target) {
  const Module = require('node:module');
  const { writeFileSync } = require('node:fs');
  /** SQL text and method → { calls, ns }. */
  const totals = new Map();
  const record = (key, started) => {
    const ns = Number(process.hrtime.bigint() - started);
    const entry = totals.get(key);
    if (entry) {
      entry.calls += 1;
      entry.ns += ns;
    } else totals.set(key, { calls: 1, ns });
  };
  const timed = (key, run) =>
    function (...args) {
      const started = process.hrtime.bigint();
      try {
        return run.apply(this, args);
      } finally {
        record(key, started);
      }
    };
  let patched = false;
  const load = Module._load;
  Module._load = function (request, ...rest) {
    const loaded = load.call(this, request, ...rest);
    if (!patched && request === 'better-sqlite3') {
      patched = true;
      const proto = loaded.prototype;
      const prepare = proto.prepare;
      proto.prepare = function (sql, ...more) {
        const statement = prepare.call(this, sql, ...more);
        const text = String(sql).replace(/\s+/g, ' ').trim();
        for (const method of ['run', 'get', 'all'])
          statement[method] = timed(`${method} ${text}`, statement[method]);
        return statement;
      };
      const exec = proto.exec;
      proto.exec = function (sql) {
        const started = process.hrtime.bigint();
        try {
          return exec.call(this, sql);
        } finally {
          record(`exec ${String(sql).replace(/\s+/g, ' ').trim()}`, started);
        }
      };
    }
    return loaded;
  };
  const dump = () => {
    const statements = [...totals].map(([sql, t]) => ({ sql, calls: t.calls, ms: t.ns / 1e6 }));
    writeFileSync(target, JSON.stringify({ statements }));
  };
  setInterval(dump, 2000).unref();
  process.on('exit', dump);
}
