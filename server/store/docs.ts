/** Reads shared by several collections: documents by _id, and a whole collection a page at a time. */
import { db } from './db';

/** The database's refusal of an insert whose _id exists (a repeated create, delivery or window). */
export const isDuplicate = (e: unknown) => (e as { code?: string }).code === 'DATABASE_DUPLICATE_WRITE';

/** The documents with these ids (one request, at most 1000), whole. */
export async function docsByIds<T extends { _id: string }>(collection: string, ids: readonly string[]): Promise<T[]> {
  if (!ids.length) return [];
  const r = await db()
    .collection(collection)
    .where({ _id: db().command.in([...ids]) })
    .limit(1000)
    .get();
  return r.data as T[];
}

/** The documents with these ids, only these fields, by id (one request per 1000 ids; none for no ids). */
export async function fieldsByIds<T extends { _id: string }>(
  collection: string,
  ids: readonly string[],
  fields: Record<string, true>,
): Promise<Map<string, T>> {
  const found = new Map<string, T>();
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    const r = await db()
      .collection(collection)
      .where({ _id: db().command.in(chunk) })
      .field(fields)
      .limit(chunk.length)
      .get();
    for (const d of r.data as T[]) found.set(d._id, d);
  }
  return found;
}

const PAGE = 1000;

/** Inserts `doc`; false when a document with its _id already exists. */
export async function insertNew(collection: string, doc: { _id: string }): Promise<boolean> {
  try {
    await db().collection(collection).add(doc);
    return true;
  } catch (e) {
    if (isDuplicate(e)) return false;
    throw e;
  }
}

/** One document by _id, or undefined. */
export async function docById<T>(collection: string, id: string): Promise<T | undefined> {
  return (await db().collection(collection).doc(id).get()).data[0] as T | undefined;
}

/** Every document of `collection` matching `where` (with these fields and _id), paged by _id, optionally only ids in
 * (after, before): a job's read, never a function's page. */
export async function pageAll<T extends { _id: string }>(
  collection: string,
  where: Record<string, unknown> = {},
  fields?: string[],
  range: { after?: string; before?: string } = {},
): Promise<T[]> {
  const _ = db().command;
  const out: T[] = [];
  let after = range.after ?? '';
  for (;;) {
    let q = db()
      .collection(collection)
      .where({ ...where, _id: range.before ? _.and(_.gt(after), _.lt(range.before)) : _.gt(after) })
      .orderBy('_id', 'asc')
      .limit(PAGE);
    if (fields) q = q.field(Object.fromEntries([...fields, '_id'].map((f) => [f, true])));
    const page = (await q.get()).data as T[];
    out.push(...page);
    if (page.length < PAGE) return out;
    after = page[page.length - 1]!._id;
  }
}
