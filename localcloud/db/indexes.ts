/**
 * The declared collections and indexes (database/collections.json), and the question the local cloud's
 * strict mode asks of every query a function makes: does a declared index serve this filter + sort?
 *
 * A query is served when it is by `_id` (a value, or a range sorted by `_id` only), or when some index's leading fields are fixed by equalities
 * (a value, `$eq`, or `$in`), followed optionally by one range field, and the sort's keys (less any fixed
 * by an equality, and a trailing `_id`, which breaks ties of every index) continue the index in order, all
 * in the index's direction or all against it. The index must narrow the query: its first field is
 * constrained by the filter. Other filter fields are checked on the rows the index yields (residual).
 * An `$or` is residual when the rest of the filter is served; otherwise each branch, with the rest, must be.
 * This is MongoDB's rule for an index that serves both filter and sort (equality, sort, range).
 */
import declaration from '../../database/collections.json';

export type IndexField = [path: string, direction: 1 | -1];
export interface IndexDecl {
  fields: IndexField[];
  unique?: boolean;
  serves?: string;
}
export interface CollectionDecl {
  name: string;
  indexes: IndexDecl[];
}

export const COLLECTIONS: CollectionDecl[] = (
  declaration.collections as Array<{ name: string; indexes: Array<{ fields: unknown[] }> }>
).map((c) => ({ name: c.name, indexes: c.indexes.map((i) => ({ ...(i as IndexDecl), fields: i.fields as IndexField[] })) }));

/** MongoDB's default name for an index: orgId_1_status_1_boardRank_-1 (dots become underscores for CloudBase). */
export function indexName(index: IndexDecl): string {
  return index.fields.map(([f, d]) => `${f.replace(/\./g, '_')}_${d}`).join('_');
}

/** The fields each collection's embedded store indexes (its engine has single-field indexes: every index's first field). */
export function leadingFields(name: string): string[] {
  const c = COLLECTIONS.find((x) => x.name === name);
  return [...new Set((c?.indexes ?? []).map((i) => i.fields[0]![0]))];
}

type Query = Record<string, unknown>;
type Kind = 'eq' | 'range' | 'residual';
interface Shape {
  fields: Map<string, Kind>;
  ors: Query[][];
}

const RANGE_OPS = new Set(['$gt', '$gte', '$lt', '$lte']);
const RANK: Record<Kind, number> = { eq: 2, range: 1, residual: 0 };

function kindOf(value: unknown): Kind {
  if (value instanceof RegExp) return 'residual';
  if (value === null || typeof value !== 'object' || value instanceof Date) return 'eq';
  if (Array.isArray(value)) return 'eq';
  const ops = Object.keys(value);
  if (ops.length === 1 && (ops[0] === '$eq' || ops[0] === '$in')) return 'eq';
  if (ops.length && ops.every((o) => RANGE_OPS.has(o))) return 'range';
  if (!ops.some((o) => o.startsWith('$'))) return 'eq'; // an embedded document compared whole
  return 'residual';
}

function note(fields: Map<string, Kind>, field: string, kind: Kind) {
  const had = fields.get(field);
  if (had === undefined || RANK[kind] > RANK[had]) fields.set(field, kind);
}

function shapeOf(query: Query, into: Shape = { fields: new Map(), ors: [] }): Shape {
  for (const [key, value] of Object.entries(query)) {
    if (key === '$and' && Array.isArray(value)) for (const part of value as Query[]) shapeOf(part, into);
    else if (key === '$or' && Array.isArray(value)) into.ors.push(value as Query[]);
    else if (key.startsWith('$'))
      continue; // $nor, $expr …: checked on the rows only
    else note(into.fields, key, kindOf(value));
  }
  return into;
}

type Sort = Array<[string, number]>;

function indexServes(index: IndexDecl, fields: Map<string, Kind>, sort: Sort): boolean {
  const idx = index.fields;
  if (!fields.has(idx[0]![0]) || fields.get(idx[0]![0]) === 'residual') return false;
  let i = 0;
  while (i < idx.length && fields.get(idx[i]![0]) === 'eq') i++;
  const rest = sort.filter(([f]) => fields.get(f) !== 'eq');
  if (rest.length) {
    if (i + rest.length > idx.length) return false;
    const sameWay = rest.every(([f, d], j) => idx[i + j]![0] === f && idx[i + j]![1] === d);
    const otherWay = rest.every(([f, d], j) => idx[i + j]![0] === f && idx[i + j]![1] === -d);
    if (!sameWay && !otherWay) return false;
  }
  // A range may sit only on the first field after the equalities (which is then the sort's first key, if any).
  for (let k = i + 1; k < idx.length; k++) if (fields.get(idx[k]![0]) === 'range') return false;
  return true;
}

/** The declared index that serves this query on `collection` ('_id' for the primary key), or null. */
export function servingIndex(collection: string, query: Query, order?: Record<string, unknown>): string | null {
  const decl = COLLECTIONS.find((c) => c.name === collection);
  const sort: Sort = Object.entries(order ?? {}).map(([f, d]) => [f, Number(d) < 0 ? -1 : 1]);
  if (sort.length && sort[sort.length - 1]![0] === '_id') sort.pop();
  return served(decl?.indexes ?? [], shapeOf(query), sort);
}

function served(indexes: IndexDecl[], shape: Shape, sort: Sort): string | null {
  if (shape.fields.get('_id') === 'eq') return '_id';
  // A range on the primary key, sorted by it (or not at all): paging a whole collection by _id (the reconcile job).
  if (shape.fields.get('_id') === 'range' && !sort.length) return '_id';
  const hit = indexes.find((i) => indexServes(i, shape.fields, sort));
  if (hit) return indexName(hit);
  const [first, ...others] = shape.ors;
  if (!first) return null;
  const names: string[] = [];
  for (const branch of first) {
    const merged = shapeOf(branch, { fields: new Map(shape.fields), ors: [...others] });
    const name = served(indexes, merged, sort);
    if (!name) return null;
    names.push(name);
  }
  return [...new Set(names)].join(' | ');
}

/** Queries strict mode found no declared index for (this process, since the last take). */
export interface UnindexedQuery {
  collection: string;
  action: string;
  query: Query;
  order?: Record<string, unknown>;
}
const unindexed: UnindexedQuery[] = [];

/** `LOCALCLOUD_STRICT_INDEXES`: `refuse` (the query fails), `record` (it runs and is recorded), or off. */
export function strictMode(): 'refuse' | 'record' | null {
  const v = process.env.LOCALCLOUD_STRICT_INDEXES;
  return v === 'refuse' || v === 'record' ? v : null;
}

/** Records (and, in refuse mode, returns an error message for) a query no declared index serves. */
export function checkQuery(q: UnindexedQuery): string | null {
  const mode = strictMode();
  if (!mode || servingIndex(q.collection, q.query, q.order)) return null;
  unindexed.push(q);
  return mode === 'refuse'
    ? `no declared index serves this query on ${q.collection} (filter ${JSON.stringify(q.query)}${q.order ? `, sort ${JSON.stringify(q.order)}` : ''}): declare one in database/collections.json`
    : null;
}

/** The unindexed queries recorded so far, and forget them. */
export function takeUnindexed(): UnindexedQuery[] {
  return unindexed.splice(0);
}

/** The SDK client a test (or a person at the console) uses for setup and inspection: its queries are not checked. */
export const DIRECT_ENV = 'local-direct';
