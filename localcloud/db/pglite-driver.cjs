// The PGlite driver (localcloud/db/sql.ts openPglite): PGlite in its own worker thread (pglite-worker.cjs), one
// session that every statement and transaction takes turns on, and a periodic CHECKPOINT. Plain JavaScript, so that a
// test runner's environment can load it outside its per-file module sandbox and share one database between files
// (tests/node-environment.js); the local cloud loads it like any module.
'use strict';
const { join } = require('node:path');
const { Worker } = require('node:worker_threads');

/** How often PGlite checkpoints when something was written (PGLITE_CHECKPOINT_MS overrides, read at open; tests). */
const CHECKPOINT_MS = 60_000;
const READS = /^\s*(SELECT|EXPLAIN|SHOW)\b/i;

/** PGlite in `dir`: { kind, query, exec, tx, close } (sql.ts Driver). `unref`: the worker does not keep the process alive. */
async function openPgliteDriver(dir, opts = {}) {
  const worker = new Worker(join(__dirname, 'pglite-worker.cjs'), { workerData: { dir } });
  const waiting = new Map();
  let next = 1;
  let dead = null;
  worker.on('message', (a) => {
    const w = waiting.get(a.id);
    if (!w) return;
    waiting.delete(a.id);
    idle();
    if (a.error) w.reject(Object.assign(new Error(a.error.message), { code: a.error.code }));
    else w.resolve(a);
  });
  const stop = (e) => {
    dead = e;
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };
  worker.on('error', stop);
  worker.on('exit', () => stop(new Error('the database worker has stopped')));
  // `unref`: the worker keeps the process alive only while a request waits for its answer. (Set after the listeners:
  // attaching a 'message' listener refs the worker's port again.)
  const idle = () => {
    if (opts.unref && waiting.size === 0) worker.unref();
  };
  idle();
  const ask = (m) =>
    new Promise((resolve, reject) => {
      if (dead) return reject(dead);
      const id = next++;
      if (opts.unref && waiting.size === 0) worker.ref();
      waiting.set(id, { resolve, reject });
      worker.postMessage({ ...m, id });
    });
  const query = (tx) => async (text, params) => ({ rows: (await ask({ op: 'query', text, params, tx })).rows });
  await query()('SELECT 1'); // opened (or failed to)
  // PGlite is one connection, one session: two transactions begun at once would share it (a second BEGIN is only a
  // warning), and both claimers of a wish would read it before either wrote. So everything takes turns here: a
  // transaction from its BEGIN to its COMMIT, and every statement outside one.
  let turn = Promise.resolve();
  const exclusive = (fn) => {
    const run = turn.then(fn, fn);
    turn = run.catch(() => undefined);
    return run;
  };
  // PGlite runs PostgreSQL in single-user mode: there is no checkpointer, so without a CHECKPOINT the write-ahead log
  // only grows (3.5 GB of it after a 300k-wish fill, past max_wal_size's 1 GB) and an unclean stop replays all of it
  // at the next start. So every CHECKPOINT_MS, if anything was written since the last one, a CHECKPOINT takes its
  // turn like any statement; the segments before it are then recycled or removed as on a server.
  let written = false;
  const checkpoints = setInterval(
    () => {
      if (!written || dead) return;
      written = false;
      void exclusive(() => ask({ op: 'exec', text: 'CHECKPOINT' })).catch(() => undefined);
    },
    Number(process.env.PGLITE_CHECKPOINT_MS) || CHECKPOINT_MS,
  );
  checkpoints.unref();
  return {
    kind: 'pglite',
    query: (text, params) => {
      if (!READS.test(text)) written = true;
      return exclusive(() => query()(text, params));
    },
    exec: (sql) =>
      exclusive(async () => {
        written = true;
        await ask({ op: 'exec', text: sql });
      }),
    tx: (fn, opts) =>
      exclusive(async () => {
        if (!(opts && opts.snapshot)) written = true;
        const { tx } = await ask({ op: 'begin' });
        let out;
        try {
          out = await fn({ query: query(tx) });
        } catch (e) {
          await ask({ op: 'end', tx, commit: false }).catch(() => undefined);
          throw e;
        }
        await ask({ op: 'end', tx, commit: true });
        return out;
      }),
    async close() {
      clearInterval(checkpoints);
      await ask({ op: 'close' }).catch(() => undefined);
      await worker.terminate();
    },
  };
}

module.exports = { openPgliteDriver };
