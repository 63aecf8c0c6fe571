/**
 * What delivering effects writes (server/effects.ts): inserts under deterministic ids, the figures' marked increments,
 * the counter log's times, and pulling delivered effects out of the documents that held them.
 */
import { COUNTERS, FIGURES } from './collections';
import { db } from './db';
import { fieldsByIds, insertNew, isDuplicate } from './docs';

/** Inserts `docs` (each with its own _id) in one request; where some exist already (a repeated delivery), one by
 * one, skipping those. Returns the ids this call stored. */
export async function insertOnce<T extends { _id: string }>(collection: string, docs: readonly T[]): Promise<string[]> {
  if (!docs.length) return [];
  const col = db().collection(collection);
  try {
    await col.add([...docs]);
    return docs.map((d) => d._id);
  } catch (e) {
    if (!isDuplicate(e)) throw e;
  }
  const stored = await Promise.all(
    docs.map(async (d) => {
      try {
        await col.add(d);
        return d._id;
      } catch (e) {
        if (isDuplicate(e)) return null;
        throw e;
      }
    }),
  );
  return stored.filter((id): id is string => id !== null);
}

/** Which of these figures documents exist (one request per 1000 ids; none for no ids). */
export async function existingFigureIds(ids: readonly string[]): Promise<Set<string>> {
  return new Set((await fieldsByIds(FIGURES, ids, { _id: true })).keys());
}

/** Delivery marks of a figures document: `e.h<hour>.<source>: true`. */
export type FigureMarks = Record<string, Record<string, boolean>>;

/**
 * One update of the figures documents `ids` that hold none of `sources`' marks in hour `hour` or the one before:
 * adds `inc` to their figures (`f.<k>`), marks the sources in `hour` and drops the marks of hours `hour − 2` …
 * `hour − 7`. Returns how many documents it updated.
 */
export async function incFiguresUnmarked(
  ids: readonly string[],
  sources: readonly string[],
  inc: Record<string, number>,
  hour: number,
): Promise<number> {
  const _ = db().command;
  const where: Record<string, unknown> = { _id: ids.length === 1 ? ids[0] : _.in([...ids]) };
  const patch: Record<string, unknown> = Object.fromEntries(Object.entries(inc).map(([k, n]) => [`f.${k}`, _.inc(n)]));
  for (const s of sources) {
    where[`e.h${hour}.${s}`] = _.exists(false);
    where[`e.h${hour - 1}.${s}`] = _.exists(false);
    patch[`e.h${hour}.${s}`] = true;
  }
  for (let k = 2; k <= 7; k++) patch[`e.h${hour - k}`] = _.remove();
  const r = await db().collection(FIGURES).where(where).update(patch);
  return Number(r.updated ?? 0);
}

/** The delivery marks of these figures documents that exist (one request per 1000 ids). */
export const figureMarks = (ids: readonly string[]) => fieldsByIds<{ _id: string; e?: FigureMarks }>(FIGURES, ids, { _id: true, e: true });

/** Creates a figures document; false when it exists already (another delivery created it first). */
export const insertFigures = (doc: { _id: string; orgId: string; period: string; f: Record<string, number>; e: FigureMarks }) =>
  insertNew(FIGURES, doc);

/** The times (`at`) of these counter-log entries that exist (one request per 1000 ids). */
export async function counterTimes(ids: readonly string[]): Promise<Map<string, string | undefined>> {
  const found = await fieldsByIds<{ _id: string; at?: string }>(COUNTERS, ids, { _id: true, at: true });
  return new Map([...found].map(([id, d]) => [id, d.at]));
}

/** Pulls the effects `effectIds` out of the list `field` of the documents `ids` of `collection` (one request). */
export async function pullDelivered(
  collection: string,
  field: string,
  ids: readonly string[],
  effectIds: readonly string[],
): Promise<void> {
  const _ = db().command;
  await db()
    .collection(collection)
    .where({ _id: ids.length === 1 ? ids[0] : _.in([...ids]) })
    .update({ [field]: _.pull({ id: _.in([...effectIds]) }) });
}
