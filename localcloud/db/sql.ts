/**
 * The two ways the engine reaches PostgreSQL: PGlite (Postgres compiled to WebAssembly, in this process, data in a
 * folder; no install step) by default, or the `pg` driver against a PostgreSQL server when DATABASE_URL is set.
 * Both offer the same three things: a query, a transaction on one connection, and close.
 */
const { openPgliteDriver } = require('./pglite-driver.cjs') as { openPgliteDriver: (dir: string) => Promise<unknown> };

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

/** PGlite in `dir` (pglite-driver.cjs: its worker thread, the turns its one session takes, its checkpoints). */
export async function openPglite(dir: string): Promise<Driver> {
  return traced((await openPgliteDriver(dir)) as Driver);
}

/**
 * A database opened by someone else and shared (a test environment's one PGlite per worker process: see
 * tests/node-environment.js): the engine keeps its own schema on it and never closes it. Its errors come from another
 * realm (the environment's), so they are made again here with their code (pgCode), as this realm's Errors.
 */
export function adopt(shared: Driver): Driver {
  const local = (e: unknown) => {
    throw Object.assign(new Error(String((e as Error)?.message ?? e)), { code: pgCode(e) });
  };
  const conn = (c: Conn): Conn => ({ query: (text, params) => c.query(text, params).catch(local) as never });
  return traced({
    kind: shared.kind,
    ...conn(shared),
    exec: (sql) => shared.exec(sql).catch(local),
    tx: (fn, opts) => shared.tx((c) => fn(conn(c)), opts).catch(local),
    close: async () => undefined,
  });
}
