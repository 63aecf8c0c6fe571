// PGlite (PostgreSQL in WebAssembly) in its own worker thread: a module sandbox (jest's) cannot load it (it loads its
// WebAssembly with dynamic imports), and its queries then never block the local cloud's event loop.
// Messages: {id, op: 'query', text, params, tx?} | {id, op: 'begin'} | {id, op: 'end', tx, commit} | {id, op: 'close'};
// answers {id, rows} | {id, tx} | {id} | {id, error: {message, code}}.
const { parentPort, workerData } = require('node:worker_threads');
const { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { PGlite, parse, protocol } = require('@electric-sql/pglite');

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

/**
 * A statement with parameters as a named prepared statement, one per distinct text (the most recent STATEMENTS_MAX
 * kept): PGlite's `query` parses, describes and plans every call afresh as the unnamed statement, and planning an
 * update of `wishes` (its 20 declared indexes, each on expressions the planner copies and matches for every table in
 * the statement) took longer than running it (1.4 ms against 0.2–0.5). A named statement is parsed and described once
 * and, after its first five runs, PostgreSQL keeps a generic plan when it costs no more than the custom ones
 * (plan_cache_mode `auto`: https://www.postgresql.org/docs/current/sql-prepare.html, "Notes"). Then each call is Bind,
 * Execute and Sync. The messages are PGlite's own (`protocol.serialize`, `execProtocolStream`, `parse.parseResults`,
 * as its `query` uses them), run under its query lock.
 */
const STATEMENTS_MAX = 500;
const statements = new Map(); // text → { name, types, row }
let named = 0;
/** Texts run once so far: a text is prepared the second time it comes (many are one-offs: an update naming the paths
 * it changes, e.g. a figures document's delivery marks, is a text of its own). */
const seen = new Set();
const SEEN_MAX = 5000;
function worthPreparing(text) {
  if (statements.has(text) || seen.has(text)) return true;
  if (seen.size >= SEEN_MAX) seen.clear();
  seen.add(text);
  return false;
}
const S = protocol.serialize;
function prepared(db, text, params) {
  return db._runExclusiveQuery(async () => {
    const send = (m) => db.execProtocolStream(m, { syncToFs: false });
    const out = [];
    try {
      let st = statements.get(text);
      if (st) {
        statements.delete(text); // most recently used last
        statements.set(text, st);
      } else {
        const name = `lc_${++named}`;
        await send(S.parse({ name, text }));
        const described = await send(S.describe({ type: 'S', name }));
        st = { name, types: parse.parseDescribeStatementResults(described), row: described.find((m) => m.name === 'rowDescription') };
        statements.set(text, st);
        if (statements.size > STATEMENTS_MAX) {
          const [oldest, old] = statements.entries().next().value;
          statements.delete(oldest);
          await send(S.close({ type: 'S', name: old.name }));
        }
      }
      const values = params.map((v, i) => (v == null ? null : (db.serializers[st.types[i]] ?? String)(v)));
      out.push(...(await send(S.bind({ statement: st.name, values }))));
      out.push(...(await send(S.execute({}))));
      if (st.row) out.unshift(st.row);
    } finally {
      await send(S.sync());
    }
    return parse.parseResults(out, db.parsers)[0];
  });
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
      const r =
        m.params && m.params.length && worthPreparing(m.text) ? await prepared(db, m.text, m.params) : await target.query(m.text, m.params);
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
