/**
 * The two ways the engine reaches PostgreSQL: PGlite (Postgres compiled to WebAssembly, in this process, data in a
 * folder; no install step) by default, or the `pg` driver against a PostgreSQL server when DATABASE_URL is set.
 * Both offer the same three things: a query, a transaction on one connection, and close.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

export interface Conn {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
}
export interface Driver extends Conn {
  /** Runs `fn` in one transaction (READ COMMITTED; `snapshot`: REPEATABLE READ, read only). */
  tx<T>(fn: (c: Conn) => Promise<T>, opts?: { snapshot?: boolean }): Promise<T>;
  /** Statements without parameters, `;`-separated, in one round trip. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
  readonly kind: 'pglite' | 'postgres';
}

/** A PostgreSQL error code (23505 unique violation, 40P01 deadlock …), from either driver. */
export const pgCode = (e: unknown): string | undefined =>
  e && typeof e === 'object' ? ((e as { code?: string }).code ?? undefined) : undefined;

/** The statements the engine runs, recorded while `on` (the bench's "claim as one raw transaction" row replays a
 * claim's statements in one transaction), and the last driver opened in this process (the bench's own cloud). */
export const sqlTrace: { on: boolean; statements: Array<{ text: string; params?: unknown[] }>; driver: Driver | null } = {
  on: false,
  statements: [],
  driver: null,
};

function traced(d: Driver): Driver {
  const rec = (c: Conn): Conn => ({
    query: (text, params) => {
      if (sqlTrace.on) sqlTrace.statements.push({ text, params });
      return c.query(text, params);
    },
  });
  const out: Driver = { ...d, ...rec(d), tx: (fn, opts) => d.tx((c) => fn(rec(c)), opts), kind: d.kind };
  sqlTrace.driver = out;
  return out;
}

export async function openPg(url: string): Promise<Driver> {
  const { Pool } = await import('pg');
  const pool = new Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL ?? 8) });
  pool.on('error', () => undefined); // an idle client's error (server restart) is reported by the next query
  return traced({
    kind: 'postgres',
    query: (text, params) => pool.query(text, params) as never,
    exec: async (sql) => {
      await pool.query(sql); // no parameters: the simple protocol, which takes several statements
    },
    async tx(fn, opts) {
      const client = await pool.connect();
      try {
        await client.query(opts?.snapshot ? 'BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY' : 'BEGIN');
        const out = await fn({ query: (text, params) => client.query(text, params) as never });
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  });
}

/** How often PGlite checkpoints when something was written (PGLITE_CHECKPOINT_MS overrides, read at open; tests). */
const CHECKPOINT_MS = 60_000;

/** PGlite in `dir` (see pglite-worker.cjs: it runs in its own worker thread). */
export async function openPglite(dir: string): Promise<Driver> {
  const worker = new Worker(join(__dirname, 'pglite-worker.cjs'), { workerData: { dir } });
  const waiting = new Map<number, { resolve: (v: Answer) => void; reject: (e: Error) => void }>();
  let next = 1;
  let dead: Error | null = null;
  interface Answer {
    rows?: unknown[];
    tx?: number;
    error?: { message: string; code?: string };
  }
  worker.on('message', (a: Answer & { id: number }) => {
    const w = waiting.get(a.id);
    if (!w) return;
    waiting.delete(a.id);
    if (a.error) w.reject(Object.assign(new Error(a.error.message), { code: a.error.code }));
    else w.resolve(a);
  });
  const stop = (e: Error) => {
    dead = e;
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };
  worker.on('error', stop);
  worker.on('exit', () => stop(new Error('the database worker has stopped')));
  const ask = (m: Record<string, unknown>) =>
    new Promise<Answer>((resolve, reject) => {
      if (dead) return reject(dead);
      const id = next++;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ ...m, id });
    });
  const query = (tx?: number) => async (text: string, params?: unknown[]) => ({
    rows: (await ask({ op: 'query', text, params, tx })).rows as never[],
  });
  await query()('SELECT 1'); // opened (or failed to)
  // PGlite is one connection, one session: two transactions begun at once would share it (a second BEGIN is only a
  // warning), and both claimers of a wish would read it before either wrote. So everything takes turns here: a
  // transaction from its BEGIN to its COMMIT, and every statement outside one.
  let turn: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
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
  const reads = /^\s*(SELECT|EXPLAIN|SHOW)\b/i;
  return traced({
    kind: 'pglite',
    query: (text, params) => {
      if (!reads.test(text)) written = true;
      return exclusive(() => query()(text, params));
    },
    exec: (sql) =>
      exclusive(async () => {
        written = true;
        await ask({ op: 'exec', text: sql });
      }),
    tx: (fn, opts) =>
      exclusive(async () => {
        if (!opts?.snapshot) written = true;
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
  });
}
