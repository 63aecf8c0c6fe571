/** Lists: cursor pagination on (field desc, _id desc), never a deep skip. */
import { db } from './db';

export interface Page<T> {
  items: T[];
  cursor: string | null;
}

interface Cursor {
  v: string;
  id: string;
}

function decodeCursor(s: string | undefined): Cursor | null | 'bad' {
  if (!s) return null;
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Cursor;
    return typeof c.v === 'string' && typeof c.id === 'string' && c.v.length < 64 && /^[A-Za-z0-9_-]{1,64}$/.test(c.id) ? c : 'bad';
  } catch {
    return 'bad';
  }
}

export type SortKey =
  | 'createdAt'
  | 'publishedAt'
  | 'updatedAt'
  | 'boardRank'
  | 'claim.promisedBy'
  | 'reviewOn'
  | 'at'
  | 'pending.at'
  | 'name'
  // orgWishes with a period (src/core/periodLists.ts)
  | 'registeredAt'
  | 'claim.at'
  | 'fulfilment.at'
  | 'closedAt'
  // orgWishes stale queues (src/core/stockLists.ts)
  | 'statusAt';

/** The value at a dotted path ("claim.promisedBy"). */
function valueAt(doc: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), doc);
}

/** One page of `collection`, ordered by (sortBy, _id) in `order` (default desc); the cursor is the last row's key. */
export async function listDocs<T extends { _id: string }>(
  collection: string,
  filter: Record<string, unknown>,
  opts: { sortBy: SortKey; order?: 'asc' | 'desc'; cursor?: string; limit?: number; fields?: readonly string[] },
): Promise<Page<T> | 'bad-cursor'> {
  const _ = db().command;
  const limit = opts.limit ?? 20;
  const order = opts.order ?? 'desc';
  const cursor = decodeCursor(opts.cursor);
  if (cursor === 'bad') return 'bad-cursor';
  const past = order === 'desc' ? _.lt : _.gt;
  const where = cursor
    ? _.and([filter, _.or([{ [opts.sortBy]: past(cursor.v) }, { [opts.sortBy]: cursor.v, _id: past(cursor.id) }])])
    : filter;
  let q = db()
    .collection(collection)
    .where(where)
    .orderBy(opts.sortBy, order)
    .orderBy('_id', order)
    .limit(limit + 1);
  // The sort key is always fetched: the cursor is made of it.
  if (opts.fields) q = q.field(Object.fromEntries([...opts.fields, opts.sortBy].map((f) => [f, true])));
  const r = await q.get();
  const docs = r.data as T[];
  const items = docs.slice(0, limit);
  const last = items[items.length - 1];
  const more = docs.length > limit && last;
  return {
    items,
    cursor: more ? Buffer.from(JSON.stringify({ v: String(valueAt(last, opts.sortBy)), id: last._id })).toString('base64url') : null,
  };
}
