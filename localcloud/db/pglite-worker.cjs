// PGlite (PostgreSQL in WebAssembly) in its own worker thread: a module sandbox (jest's) cannot load it (it loads its
// WebAssembly with dynamic imports), and its queries then never block the local cloud's event loop.
// Messages: {id, op: 'query', text, params, tx?} | {id, op: 'begin'} | {id, op: 'end', tx, commit} | {id, op: 'close'};
// answers {id, rows} | {id, tx} | {id} | {id, error: {message, code}}.
const { parentPort, workerData } = require('node:worker_threads');
const { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { PGlite } = require('@electric-sql/pglite');

/** A new cluster costs an initdb (15–20 s on a loaded two-core machine): the first one made is kept as a template in
 * the OS temp folder and copied into every later new data folder (a copy and an open: ~3 s). */
async function open(dir) {
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    const template = join(tmpdir(), 'microwish-pglite-template-1');
    if (!existsSync(join(template, 'PG_VERSION'))) {
      const building = `${template}.${process.pid}.${Date.now()}`;
      const t = await PGlite.create(building);
      await t.close();
      try {
        renameSync(building, template);
      } catch {
        rmSync(building, { recursive: true, force: true }); // another process made it first
      }
    }
    mkdirSync(dir, { recursive: true });
    if (readdirSync(dir).length === 0) cpSync(template, dir, { recursive: true });
  }
  return PGlite.create(dir);
}

const ready = open(workerData.dir);
const txs = new Map();
let nextTx = 1;
const fail = (id, e) => parentPort.postMessage({ id, error: { message: String((e && e.message) || e), code: e && e.code } });

parentPort.on('message', async (m) => {
  let db;
  try {
    db = await ready;
  } catch (e) {
    return fail(m.id, e);
  }
  try {
    if (m.op === 'query') {
      const target = m.tx ? txs.get(m.tx)?.t : db;
      if (m.tx && !target) throw new Error('transaction is over');
      const r = await target.query(m.text, m.params);
      parentPort.postMessage({ id: m.id, rows: r.rows });
    } else if (m.op === 'exec') {
      await db.exec(m.text);
      parentPort.postMessage({ id: m.id });
    } else if (m.op === 'begin') {
      const tx = nextTx++;
      const entry = { t: null, finish: null, result: null };
      const done = new Promise((resolve) => (entry.finish = resolve));
      txs.set(tx, entry);
      entry.result = db
        .transaction(async (t) => {
          entry.t = t;
          parentPort.postMessage({ id: m.id, tx });
          if (!(await done)) throw Object.assign(new Error('rollback'), { rollback: true });
        })
        .catch((e) => {
          if (!e.rollback) throw e;
        });
      // BEGIN itself failing: the caller is still waiting for its transaction.
      entry.result.catch((e) => entry.t === null && fail(m.id, e));
    } else if (m.op === 'end') {
      const entry = txs.get(m.tx);
      if (!entry) throw new Error('transaction is over');
      txs.delete(m.tx);
      entry.finish(m.commit);
      await entry.result; // COMMIT (or ROLLBACK) done: its error, if any, is this answer's
      parentPort.postMessage({ id: m.id });
    } else if (m.op === 'close') {
      await db.close();
      parentPort.postMessage({ id: m.id });
    }
  } catch (e) {
    fail(m.id, e);
  }
});
