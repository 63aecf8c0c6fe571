/** What the benches share: percentiles, and a call to a function of the local cloud over HTTP as a user (or, without
 * an openid, as the platform). */
import { sqlTrace } from '../localcloud/db/sql';
import { callOf } from '../src/core/functions';
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

export type Reply = { code: number | string; data: any; message?: string };

export async function callAs(url: string, fn: string, event: object, openid: string | null): Promise<Reply> {
  const target = callOf(fn, event);
  const res = await fetch(`${url}/api/${target.name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(openid ? { 'x-wx-openid': openid } : {}) },
    body: JSON.stringify(target.data),
  });
  return (await res.json()) as Reply;
}

/** A call with the engine's SQL trace on: its time (ms), its answer, and the statements it ran (for rawTransaction). */
export async function tracedCall<T>(
  call: () => Promise<T>,
): Promise<{ ms: number; r: T; statements: Array<{ text: string; params?: unknown[] }> }> {
  sqlTrace.statements = [];
  sqlTrace.on = true;
  const t = performance.now();
  try {
    const r = await call();
    return { ms: performance.now() - t, r, statements: sqlTrace.statements };
  } finally {
    sqlTrace.on = false;
  }
}

const ROLLBACK = new Error('rollback');
/**
 * The floor of a call: the SQL statements the engine ran for it (sqlTrace), replayed in ONE transaction on the engine's
 * own driver and rolled back — no wire, no SDK, no function worker, no mingo, one BEGIN/COMMIT. The rows the call
 * inserted are deleted first in the same transaction (by their ids), so its inserts insert again. Returns ms.
 */
export async function rawTransaction(statements: ReadonlyArray<{ text: string; params?: unknown[] }>): Promise<number> {
  const driver = sqlTrace.driver;
  if (!driver) throw new Error('no database driver opened');
  const t = performance.now();
  await driver
    .tx(async (c) => {
      for (const s of statements) {
        const insert = /^INSERT INTO (\S+) \(_id, doc\) SELECT/.exec(s.text);
        if (insert) await c.query(`DELETE FROM ${insert[1]} WHERE _id = ANY($1::text[])`, [s.params![0]]);
        await c.query(s.text, s.params);
      }
      throw ROLLBACK;
    })
    .catch((e) => {
      if (e !== ROLLBACK) throw e;
    });
  return performance.now() - t;
}
