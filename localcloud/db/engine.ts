/**
 * The database behind the wire protocol: PostgreSQL, one table per collection (`_id text primary key, doc jsonb`),
 * every index declared in database/collections.json as a btree expression index, and mingo for MongoDB's exact
 * semantics. PGlite (Postgres in WebAssembly, data in `<data>/pg`) by default; with DATABASE_URL the same engine
 * talks to a PostgreSQL server through `pg`.
 *
 * SQL narrows and orders, mingo decides. The equality / `$in` / range parts of a filter on declared index fields (and
 * `_id`) become a WHERE that returns a superset of the matching documents, and the sort becomes an ORDER BY that is
 * MongoDB's order; each row is then tested by mingo against the whole filter, and a page is read in batches, in
 * that order, until it is full. Updates are computed by mingo's update operators on rows read `FOR UPDATE` in one
 * transaction, so a conditional update on `{_id, version}` is an atomic compare-and-set on either backend.
 *
 * How a field is keyed (the same expressions in the indexes, the WHERE and the ORDER BY; docs/localcloud.md):
 *   rank  0 missing/null, 1 number, 2 string, 3 object (also a Date, stored as {"$date": iso}), 4 array, 5 boolean
 *   num   the number, for rank 1 (numeric: MongoDB compares int and double by value)
 *   str   the string, for rank 2, COLLATE "C" (MongoDB's binary string order, whatever the server's collation)
 * So (rank, num, str) sorts null < numbers < strings as MongoDB does. A page whose sort fields hold anything of
 * rank ≥ 3 (objects, arrays, booleans, dates: MongoDB orders those differently, arrays by their least or greatest
 * element) is sorted by mingo over all candidates instead. A declared field that has ever held an array on its
 * path (MongoDB matches `{photos: id}` against any element) is narrowed through `jsonb_path_query_array` (lax,
 * arrays unwrapped) with a GIN index made when the first array appears, never through the btree.
 */
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Query, aggregate, find, update as applyUpdate } from 'mingo';
import { COLLECTIONS, indexName, servingIndex, type IndexDecl } from './indexes';
import { adopt, openPg, openPglite, pgCode, type Conn, type Driver } from './sql';

export type Doc = Record<string, unknown> & { _id: string };
type Q = Record<string, unknown>;
type Sort = Record<string, 1 | -1>;

export class DbError extends Error {
  constructor(
    public code: string,
    message: string,
  ) {
    super(message);
  }
}

export const newId = () => randomBytes(16).toString('hex');

// ---------------------------------------------------------------------------------------------------------------
// Documents in and out of JSONB: a Date is {"$date": "<iso>"} (a MongoDB document has no `$` keys of its own).

/** A Date of any realm (structuredClone under jest returns the outer realm's). */
const isDate = (v: unknown): v is Date => Object.prototype.toString.call(v) === '[object Date]';

function toJson(v: unknown): unknown {
  if (isDate(v)) return { $date: v.toISOString() };
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : toJson(x)));
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) o[k] = toJson(x);
    return o;
  }
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  return v;
}

function fromJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromJson);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === '$date' && typeof o.$date === 'string') return new Date(o.$date);
    for (const k of keys) o[k] = fromJson(o[k]);
    return o;
  }
  return v;
}

const encodeDoc = (d: Doc) => {
  const { _id, ...rest } = d;
  void _id;
  return JSON.stringify(toJson(rest));
};
const decodeRow = (r: { _id: string; doc: unknown }): Doc => ({ _id: r._id, ...(fromJson(r.doc) as Record<string, unknown>) });

// ---------------------------------------------------------------------------------------------------------------
// Key expressions.

/** A path segment spliced into SQL as it is (inside '{…}' path literals, '…' keys and "…" jsonpath keys): anything but
 * quotes, backslashes, the array literal's `,{}`, white space and control characters (and `.` and `$`, which a path
 * cannot hold). The figures' keys hold `:`, `-` and Chinese (`f.category:生活帮扶`), the delivery marks' effect ids
 * (`e.h<hour>.<wishId>-<version>`). Not digits alone (an array index to MongoDB, a key to SQL on an object). Any
 * other path takes the read path. */
const SEGMENT = /^(?!\d+$)[^'"\\,{}\s.$\p{Cc}]+$/u;
const usablePath = (p: string) => p.split('.').every((s) => SEGMENT.test(s));
const J = (p: string) => `(doc #> '{${p.split('.').join(',')}}')`;
const RANK = (p: string) =>
  `(CASE jsonb_typeof(${J(p)}) WHEN 'number' THEN 1 WHEN 'string' THEN 2 WHEN 'object' THEN 3 WHEN 'array' THEN 4 WHEN 'boolean' THEN 5 ELSE 0 END)`;
const NUM = (p: string) => `(CASE WHEN jsonb_typeof(${J(p)}) = 'number' THEN (${J(p)})::numeric END)`;
const STR = (p: string) => `((CASE WHEN jsonb_typeof(${J(p)}) = 'string' THEN (${J(p)} #>> '{}') END) COLLATE "C")`;
const keyCols = (p: string) => [RANK(p), NUM(p), STR(p)];
// A condition on a string (a number): every key column is bound, the unused one by IS NULL, which the btree takes as
// an equality, so the next index columns still bound the scan (and a range on this one starts it at its value).
const strKey = (p: string, cond: string) => `(${RANK(p)} = 2 AND ${NUM(p)} IS NULL AND ${STR(p)} ${cond})`;
const numKey = (p: string, cond: string) => `(${RANK(p)} = 1 AND ${NUM(p)} ${cond} AND ${STR(p)} IS NULL)`;
/** Every value on a path, arrays unwrapped at each step (lax): what MongoDB compares `{path: value}` against. */
const ANY_VALUES = (p: string) =>
  `jsonb_path_query_array(doc, 'lax $.${p
    .split('.')
    .map((k) => `"${k}"`)
    .join('.')}[*]')`;

const quote = (id: string) => `"${id.replace(/"/g, '""')}"`;
const shortHash = (s: string) => createHash('sha1').update(s).digest('hex').slice(0, 16);

/** A WHERE built up with numbered parameters. */
class Where {
  params: unknown[] = [];
  add(v: unknown) {
    this.params.push(v);
    return `$${this.params.length}`;
  }
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The update operators an update compiled to one statement may use (Collection.compileUpdate). */
const UPDATE_OPS = new Set(['$set', '$inc', '$unset', '$push', '$addToSet', '$pull', '$pullAll']);
/** A value SQL's jsonb equality compares as MongoDB does: a string, a finite number (1 = 1.0 in both) or a boolean. */
const plain = (v: unknown): v is string | number | boolean => isStr(v) || isNum(v) || typeof v === 'boolean';
const isPlainObject = (v: unknown): v is Q =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !isDate(v) && !(v instanceof RegExp);
const isOps = (v: unknown): v is Q => isPlainObject(v) && Object.keys(v).some((k) => k.startsWith('$'));

/**
 * The new value of an array at `old` (a jsonb expression: the array, or `[]` when missing) under one array operator,
 * as SQL, or null when the operator's form is not one SQL decides as MongoDB does (then the read path runs it):
 * - `$push` of values, `{$each}`, and `{$each, $slice: n}` with n ≤ 0 (keeps the last −n elements; MongoDB's `$slice`);
 * - `$addToSet` of a plain value or `{$each: [plain values]}`: each appended unless an element equals it;
 * - `$pull` of a plain value, of `{$in: [plain values]}`, or of a condition on the elements' fields, each a plain value
 *   or `{$in: [plain values]}` (an element matches when it is a document whose field equals one of them, or holds an
 *   array with an element that does: MongoDB's query semantics); `$pullAll` of plain values.
 * Elements keep their order (WITH ORDINALITY).
 */
function arrayLeaf(op: string, v: unknown, old: string, add: (x: unknown) => string): string | null {
  const json = (x: unknown) => `${add(JSON.stringify(toJson(x)))}::jsonb`;
  const keep = (arr: string, cond: string) =>
    `(SELECT COALESCE(jsonb_agg(e ORDER BY i), '[]'::jsonb) FROM jsonb_array_elements(${arr}) WITH ORDINALITY AS a(e, i) WHERE ${cond})`;
  if (op === '$push') {
    if (!isOps(v)) return `(${old} || ${json([v])})`;
    const keys = Object.keys(v);
    if (!Array.isArray(v.$each) || keys.some((k) => k !== '$each' && k !== '$slice')) return null; // $position, $sort
    if (v.$slice !== undefined && (!Number.isInteger(v.$slice) || (v.$slice as number) > 0)) return null;
    if (v.$slice === 0) return `'[]'::jsonb`;
    const joined = `(${old} || ${json(v.$each)})`;
    if (v.$slice === undefined) return joined;
    return keep(joined, `i > jsonb_array_length(${joined}) - ${add(-(v.$slice as number))}::int`);
  }
  if (op === '$addToSet') {
    const values = isOps(v) ? (Object.keys(v).length === 1 && Array.isArray(v.$each) ? v.$each : null) : [v];
    if (!values || !values.every(plain)) return null;
    const fresh = `SELECT n.v FROM jsonb_array_elements(${json([...new Set(values)])}) WITH ORDINALITY AS n(v, j) WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(${old}) AS s(e) WHERE e = n.v) ORDER BY j`;
    return `(${old} || COALESCE((SELECT jsonb_agg(v) FROM (${fresh}) AS f(v)), '[]'::jsonb))`;
  }
  const inList = (x: unknown): unknown[] | null =>
    plain(x) ? [x] : isOps(x) && Object.keys(x).length === 1 && Array.isArray(x.$in) && x.$in.every(plain) ? x.$in : null;
  if (op === '$pullAll')
    return Array.isArray(v) && v.every(plain) ? keep(old, `NOT (e = ANY(ARRAY(SELECT jsonb_array_elements(${json(v)}))))`) : null;
  // $pull
  const whole = inList(v);
  if (whole) return keep(old, `NOT (e = ANY(ARRAY(SELECT jsonb_array_elements(${json(whole)}))))`);
  if (!isPlainObject(v) || isOps(v)) return null;
  const conds: string[] = [];
  for (const [field, c] of Object.entries(v as Q)) {
    const list = inList(c);
    // One field name (a dotted path would cross arrays inside the element, as SQL's #> does not).
    if (!list || !usablePath(field) || field.includes('.')) return null;
    const at = `(e -> ${add(field)}::text)`;
    const any = `ARRAY(SELECT jsonb_array_elements(${json(list)}))`;
    conds.push(
      `COALESCE(${at} = ANY(${any}) OR (jsonb_typeof(${at}) = 'array' AND EXISTS (SELECT 1 FROM jsonb_array_elements(${at}) AS f(x) WHERE x = ANY(${any}))), false)`,
    );
  }
  if (!conds.length) return null;
  return keep(old, `NOT (jsonb_typeof(e) = 'object' AND ${conds.join(' AND ')})`);
}

interface Narrowing {
  sql: string | null; // null: no narrowing (every row is a candidate)
  fixed: Set<string>; // fields pinned to one value (their index columns are constant among the candidates)
}

class Collection {
  /** Declared index paths (where SQL may narrow) and the ones known to hold an array somewhere on their path. */
  private paths: Set<string>;
  private decls: IndexDecl[];

  constructor(
    readonly name: string,
    private engine: Engine,
    readonly table: string,
    private arrays: Set<string>,
  ) {
    this.decls = COLLECTIONS.find((c) => c.name === name)?.indexes ?? [];
    this.paths = new Set(this.decls.flatMap((i) => i.fields.map(([f]) => f)).filter(usablePath));
  }

  private get db() {
    return this.engine.driver;
  }

  // ----- narrowing ----------------------------------------------------------------------------------------------

  /** SQL for one field's condition (a superset of what MongoDB matches), or null when SQL cannot help. A field the
   * serving index does not hold (`steer`) is a plain filter: wrapped so that no other index can take it (see `steer`). */
  private fieldSql(w: Where, field: string, cond: unknown, fixed: Set<string>, split?: string, steer?: Set<string> | null): string | null {
    if (field === '_id') return this.idSql(w, cond, fixed);
    if (steer && field !== split && !steer.has(field)) {
      const s = this.fieldSql(w, field, cond, fixed, split);
      return s ? `(${s}) IS TRUE` : null;
    }
    if (field === split) {
      // The `$in` this page is split on: each value's own scan (see `splitOn`) binds the field to `v.val`.
      fixed.add(field);
      return strKey(field, '= v.val');
    }
    if (!this.paths.has(field)) return null;
    const ops =
      cond && typeof cond === 'object' && !Array.isArray(cond) && !(cond instanceof Date) && !(cond instanceof RegExp) ? (cond as Q) : null;
    const isOps = ops !== null && Object.keys(ops).length > 0 && Object.keys(ops).every((k) => k.startsWith('$'));
    if (ops && !isOps) return null; // an embedded document compared whole
    const eqValues = (values: unknown[]): string | null => {
      if (this.arrays.has(field)) {
        if (!values.every((v) => isStr(v) || isNum(v))) return null;
        if (!values.length) return 'false';
        // One containment per value (GIN serves each; it does not serve `@> ANY(array)`).
        const ors = values.map((v) => `${ANY_VALUES(field)} @> ${w.add(JSON.stringify([v]))}::jsonb`);
        return ors.length === 1 ? ors[0]! : `(${ors.join(' OR ')})`;
      }
      const parts: string[] = [];
      const strs = values.filter(isStr);
      const nums = values.filter(isNum);
      if (strs.length + nums.length + values.filter((v) => v === null).length !== values.length) return null;
      if (strs.length === 1) parts.push(strKey(field, `= ${w.add(strs[0])}`));
      else if (strs.length) parts.push(strKey(field, `= ANY(${w.add(strs)}::text[])`));
      if (nums.length === 1) parts.push(numKey(field, `= ${w.add(nums[0])}::numeric`));
      else if (nums.length) parts.push(numKey(field, `= ANY(${w.add(nums)}::numeric[])`));
      if (values.some((v) => v === null)) parts.push(`(${RANK(field)} = 0 AND ${NUM(field)} IS NULL AND ${STR(field)} IS NULL)`);
      if (!parts.length) return 'false';
      if (values.length === 1) fixed.add(field);
      return parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`;
    };
    if (!isOps) return eqValues([cond]);
    const out: string[] = [];
    for (const [op, v] of Object.entries(ops!)) {
      if (op === '$eq') {
        const s = eqValues([v]);
        if (s) out.push(s);
      } else if (op === '$in' && Array.isArray(v)) {
        const s = eqValues(v);
        if (s) out.push(s);
      } else if (['$gt', '$gte', '$lt', '$lte'].includes(op) && !this.arrays.has(field)) {
        const sqlOp = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' }[op]!;
        if (isStr(v)) out.push(strKey(field, `${sqlOp} ${w.add(v)}`));
        else if (isNum(v)) out.push(numKey(field, `${sqlOp} ${w.add(v)}::numeric`));
      }
    }
    return out.length ? out.join(' AND ') : null;
  }

  private idSql(w: Where, cond: unknown, fixed: Set<string>): string | null {
    const C = '(_id COLLATE "C")';
    if (isStr(cond)) {
      fixed.add('_id');
      return `_id = ${w.add(cond)}`;
    }
    if (!cond || typeof cond !== 'object' || Array.isArray(cond) || cond instanceof Date || cond instanceof RegExp) return null;
    const out: string[] = [];
    for (const [op, v] of Object.entries(cond as Q)) {
      if (op === '$eq' && isStr(v)) out.push(`_id = ${w.add(v)}`);
      else if (op === '$in' && Array.isArray(v) && v.every(isStr)) out.push(`_id = ANY(${w.add(v)}::text[])`);
      else if (['$gt', '$gte', '$lt', '$lte'].includes(op) && isStr(v))
        out.push(`${C} ${{ $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' }[op]} ${w.add(v)}`);
    }
    return out.length ? out.join(' AND ') : null;
  }

  /** The WHERE of a MongoDB filter: equalities, `$in` and ranges on declared fields, through `$and` and `$or`. */
  private narrow(w: Where, query: Q, fixed: Set<string>, split?: string, steer?: Set<string> | null): string | null {
    const parts: string[] = [];
    for (const [key, value] of Object.entries(query)) {
      if (key === '$and' && Array.isArray(value)) {
        for (const q of value as Q[]) {
          const s = this.narrow(w, q, fixed, split, steer);
          if (s) parts.push(s);
        }
      } else if (key === '$or' && Array.isArray(value) && value.length) {
        const mark = w.params.length;
        const branches = (value as Q[]).map((q) => this.narrow(w, q, new Set(), split, steer));
        if (branches.every((b) => b)) parts.push(`(${branches.map((b) => `(${b})`).join(' OR ')})`);
        else w.params.length = mark; // a branch SQL cannot narrow: the whole $or is left to mingo
        const bound = this.orBound(w, value as Q[]);
        if (bound) parts.push(bound);
      } else if (!key.startsWith('$')) {
        const s = this.fieldSql(w, key, value, fixed, split, steer);
        if (s) parts.push(s);
      }
    }
    return parts.length ? parts.join(' AND ') : null;
  }

  /**
   * The bound every branch of an `$or` shares on one field, as a plain range: a page cursor's
   * `$or: [{k: {$lt: v}}, {k: v, _id: {$lt: id}}]` is `k <= v`, which starts the index walk at the cursor (the OR
   * alone would be checked on every row from the top of the index).
   */
  private orBound(w: Where, branches: Q[]): string | null {
    const out: string[] = [];
    const fields = Object.keys(branches[0] ?? {}).filter((f) => this.paths.has(f) && !this.arrays.has(f) && branches.every((b) => f in b));
    for (const f of fields) {
      let hi: string | null = null;
      let lo: string | null = null;
      let highs = 0;
      let lows = 0;
      for (const b of branches) {
        const c = b[f];
        const ops: Q = isStr(c) ? { $eq: c } : c && typeof c === 'object' && !Array.isArray(c) ? (c as Q) : {};
        const up = [ops.$eq, ops.$lt, ops.$lte].find(isStr);
        const down = [ops.$eq, ops.$gt, ops.$gte].find(isStr);
        // One shared value only (JavaScript's string order is not the index's for characters beyond U+FFFF).
        if (up !== undefined && (hi === null || hi === up)) {
          highs++;
          hi = up;
        }
        if (down !== undefined && (lo === null || lo === down)) {
          lows++;
          lo = down;
        }
      }
      if (hi !== null && highs === branches.length) out.push(strKey(f, `<= ${w.add(hi)}`));
      if (lo !== null && lows === branches.length) out.push(strKey(f, `>= ${w.add(lo)}`));
    }
    return out.length ? out.join(' AND ') : null;
  }

  private narrowing(w: Where, query: Q, split?: string, sort?: Sort): Narrowing {
    const fixed = new Set<string>();
    return { sql: this.narrow(w, query, fixed, split, this.steer(query, sort)), fixed };
  }

  /**
   * The fields of the declared index(es) that serve this query, or null when none does. PGlite never analyses a table
   * (it has no autovacuum, and an ANALYZE holds the one connection for seconds), so PostgreSQL plans without
   * statistics and may pick any index a condition matches: the open-claims count `{claim.memberId, status: 'claimed'}`
   * walked every claimed wish through a status index (0.7 s a claim at 1M wishes) instead of the member's few. A
   * condition on a field the serving index does not hold is therefore written as `(…) IS TRUE`, which no index
   * matches, and PostgreSQL walks the declared index. The primary key serves `_id` conditions whatever the rest.
   */
  /** The declared index serving (query, sort): asked by the narrowing, the split and the ORDER BY of one read, so
   * kept per query object (a read's three questions are one answer). */
  private servedBy(query: Q, sort?: Sort): string | null {
    const key = sort ? JSON.stringify(sort) : '';
    let bySort = this.served.get(query);
    if (!bySort) this.served.set(query, (bySort = new Map()));
    if (!bySort.has(key)) bySort.set(key, servingIndex(this.name, query, sort));
    return bySort.get(key)!;
  }
  private served = new WeakMap<Q, Map<string, string | null>>();

  private steer(query: Q, sort?: Sort): Set<string> | null {
    const served = this.servedBy(query, sort);
    if (!served) return null;
    const names = new Set(served.split(' | ')); // an `$or` whose branches different indexes serve: all their fields
    return new Set(this.decls.filter((i) => names.has(indexName(i))).flatMap((i) => i.fields.map(([f]) => f)));
  }

  /**
   * A page over several values of an index's leading field (a board over two organisations, a ledger over a subtree:
   * `orgId: {$in: [...]}`) cannot walk one index range in sort order: PostgreSQL would read and sort every matching
   * row for every page. Split on it instead: one index walk per value, each stopping at the page (a LATERAL subquery
   * over `unnest(values)`), merged by the sort. The field and its distinct string values, or null.
   */
  private splitOn(query: Q, sort: Sort): { field: string; values: string[] } | null {
    const served = this.servedBy(query, sort);
    const lead = served ? this.decls.find((i) => indexName(i) === served)?.fields[0]?.[0] : undefined;
    if (!lead || lead === '_id' || this.arrays.has(lead) || lead in sort) return null;
    const find = (q: Q): unknown =>
      lead in q ? q[lead] : Array.isArray(q.$and) ? (q.$and as Q[]).map(find).find((v) => v !== undefined) : undefined;
    const cond = find(query);
    const values = cond && typeof cond === 'object' && !Array.isArray(cond) ? (cond as Q).$in : undefined;
    if (!Array.isArray(values) || values.length < 2 || !values.every(isStr) || Object.keys(cond as Q).length !== 1) return null;
    return { field: lead, values: [...new Set(values)] };
  }

  /** MongoDB's order of the sort's keys, then `_id` (no index prefix): how split scans are merged. */
  private sortOrder(sort: Sort): string {
    const dir = (d: number) => (d < 0 ? 'DESC' : 'ASC');
    const keys = Object.entries(sort);
    const nonId = keys.filter(([f]) => f !== '_id');
    const idKey = keys.find(([f]) => f === '_id');
    const lastDir = idKey ? idKey[1] : (nonId[nonId.length - 1]?.[1] ?? 1);
    return [...nonId.flatMap(([f, d]) => keyCols(f).map((c) => `${c} ${dir(d)}`)), `(_id COLLATE "C") ${dir(lastDir)}`].join(', ');
  }

  /**
   * The ORDER BY for a sort: MongoDB's order of (rank, num, str) per key, then `_id`. When a declared index serves the
   * query, its equality-fixed leading columns come first, so PostgreSQL walks that index and stops at the page.
   * Null when a sort key cannot be keyed in SQL (then mingo sorts).
   */
  private orderBy(query: Q, sort: Sort, fixed: Set<string>): string | null {
    const keys = Object.entries(sort);
    if (!keys.length) return null;
    for (const [f] of keys) if (f !== '_id' && (!usablePath(f) || this.arrays.has(f))) return null;
    const dir = (d: number) => (d < 0 ? 'DESC' : 'ASC');
    const nonId = keys.filter(([f]) => f !== '_id');
    const idKey = keys.find(([f]) => f === '_id');
    const lastDir = idKey ? idKey[1] : (nonId[nonId.length - 1]?.[1] ?? 1);
    const cols: string[] = [];
    const served = this.servedBy(query, sort);
    const decl = served ? this.decls.find((i) => indexName(i) === served) : undefined;
    if (decl) {
      // The index's fields up to the sort's first key, each pinned to one value by the filter: in the index's order.
      const first = nonId.find(([f]) => !fixed.has(f))?.[0];
      const flip = first ? (decl.fields.find(([f]) => f === first)?.[1] ?? 1) !== sort[first] : false;
      for (const [f, d] of decl.fields) {
        if (f === first || !fixed.has(f)) break;
        for (const c of keyCols(f)) cols.push(`${c} ${dir(flip ? -d : d)}`);
      }
    }
    for (const [f, d] of nonId) for (const c of keyCols(f)) cols.push(`${c} ${dir(d)}`);
    cols.push(`(_id COLLATE "C") ${dir(lastDir)}`);
    return cols.join(', ');
  }

  // ----- reading ------------------------------------------------------------------------------------------------

  private select(
    n: Narrowing,
    order: string | null,
    extra: { limit?: number; offset?: number; forUpdate?: boolean; split?: { param: string; merge: string } } = {},
  ) {
    if (extra.split && order && extra.limit !== undefined) {
      const inner = `SELECT _id, doc FROM ${this.table}${n.sql ? ` WHERE ${n.sql}` : ''} ORDER BY ${order} LIMIT ${extra.limit + (extra.offset ?? 0)}`;
      return `SELECT t._id, t.doc FROM unnest(${extra.split.param}::text[]) AS v(val) CROSS JOIN LATERAL (${inner}) t ORDER BY ${extra.split.merge} LIMIT ${extra.limit}${extra.offset ? ` OFFSET ${extra.offset}` : ''}`;
    }
    let sql = `SELECT _id, doc FROM ${this.table}`;
    if (n.sql) sql += ` WHERE ${n.sql}`;
    if (order) sql += ` ORDER BY ${order}`;
    else if (extra.forUpdate) sql += ' ORDER BY _id';
    if (extra.limit !== undefined) sql += ` LIMIT ${extra.limit}`;
    if (extra.offset) sql += ` OFFSET ${extra.offset}`;
    if (extra.forUpdate) sql += ' FOR UPDATE';
    return sql;
  }

  /**
   * The documents matching `query`, in `sort` order, `skip` then at most `limit`: candidates in SQL order in batches,
   * each tested by mingo, until the page is full or the candidates run out.
   */
  private async matching(
    c: Conn,
    query: Q,
    opts: { sort?: Sort; skip?: number; limit?: number; forUpdate?: boolean },
  ): Promise<{ docs: Doc[]; complete: boolean }> {
    const w = new Where();
    const test = new Query(query);
    const sort = opts.sort && Object.keys(opts.sort).length ? normalSort(opts.sort) : undefined;
    const skip = opts.skip ?? 0;
    const want = opts.limit === undefined ? Infinity : skip + opts.limit;
    const on = sort && want !== Infinity && !opts.forUpdate ? this.splitOn(query, sort) : null;
    const n = this.narrowing(w, query, on?.field, sort);
    const order = sort ? this.orderBy(query, sort, n.fixed) : null;
    const split = on && order ? { param: w.add(on.values), merge: this.sortOrder(sort!) } : undefined;
    // Every candidate, unsplit and unsorted (then mingo sorts).
    const everything = () => {
      const w0 = new Where();
      return this.all(c, this.narrowing(w0, query), w0, opts.forUpdate);
    };
    if (sort && !order) return { docs: this.mingoPage(await everything(), query, sort, skip, opts.limit), complete: true };
    const docs: Doc[] = [];
    let offset = 0;
    let batch = want === Infinity ? undefined : Math.max(want, 20);
    let batches = 0;
    for (;;) {
      const { rows } = await c.query<{ _id: string; doc: unknown }>(
        this.select(n, order, { limit: batch, offset, forUpdate: opts.forUpdate, split }),
        w.params,
      );
      batches++;
      for (const r of rows) {
        const d = decodeRow(r);
        if (test.test(d)) docs.push(d);
      }
      if (sort && docs.some((d) => !sqlOrdered(d, sort))) {
        // A sort key holds an object, array, boolean or date: MongoDB orders those its own way; mingo sorts.
        return { docs: this.mingoPage(await everything(), query, sort, skip, opts.limit), complete: true };
      }
      if (batch === undefined || rows.length < batch || docs.length >= want) break;
      offset += rows.length;
      batch *= 4;
    }
    return { docs: docs.slice(skip, want === Infinity ? undefined : want), complete: batches === 1 };
  }

  private async all(c: Conn, n: Narrowing, w: Where, forUpdate?: boolean): Promise<Doc[]> {
    const { rows } = await c.query<{ _id: string; doc: unknown }>(this.select(n, null, { forUpdate }), w.params);
    return rows.map(decodeRow);
  }

  private mingoPage(docs: Doc[], query: Q, sort: Sort, skip: number, limit?: number): Doc[] {
    let cursor = find(docs, query).sort(sort);
    if (skip) cursor = cursor.skip(skip);
    if (limit !== undefined) cursor = cursor.limit(limit);
    return cursor.all() as Doc[];
  }

  /** A read: one statement when the first batch fills the page; otherwise again, in one snapshot. */
  private async read(query: Q, opts: { sort?: Sort; skip?: number; limit?: number }): Promise<Doc[]> {
    const first = await this.matching(this.db, query, opts);
    if (first.complete) return first.docs;
    return this.db.tx((c) => this.matching(c, query, opts), { snapshot: true }).then((r) => r.docs);
  }

  async find(query: Q, opts: { sort?: Sort; skip?: number; limit?: number; projection?: Record<string, unknown> } = {}) {
    const out = await this.read(query, opts);
    return opts.projection ? out.map((d) => project(d, opts.projection!)) : out;
  }

  /**
   * The plan PostgreSQL makes for the first batch of a page (tests: a declared index serves it without a Sort). Seq
   * and bitmap scans are switched off for the question, so a small table shows what the index can do.
   */
  explain(query: Q, opts: { sort?: Record<string, unknown>; limit?: number }): Promise<string> {
    const w = new Where();
    const sort = opts.sort && Object.keys(opts.sort).length ? normalSort(opts.sort) : undefined;
    const n = this.narrowing(w, query, undefined, sort);
    const sql = this.select(n, sort ? this.orderBy(query, sort, n.fixed) : null, { limit: opts.limit });
    return this.db.tx(async (c) => {
      await c.query('SET LOCAL enable_seqscan = off');
      await c.query('SET LOCAL enable_bitmapscan = off');
      const { rows } = await c.query<Record<string, string>>(`EXPLAIN ${sql}`, w.params);
      return rows.map((r) => Object.values(r)[0]).join('\n');
    });
  }

  async count(query: Q): Promise<number> {
    return (await this.read(query, {})).length;
  }

  async aggregate(pipeline: Record<string, unknown>[]) {
    const first = pipeline[0]?.$match as Q | undefined;
    const docs = await this.read(first && typeof first === 'object' ? first : {}, {});
    return aggregate(docs, pipeline);
  }

  // ----- writing ------------------------------------------------------------------------------------------------

  /**
   * Notes (in this transaction) the declared paths that `docs` hold arrays on, before the write that stores them;
   * from now on they are narrowed by their values, not by the btree. Returns the new ones (for their GIN index).
   */
  private async noteArrays(c: Conn, docs: Doc[]): Promise<string[]> {
    const fresh = [...this.paths].filter((p) => !this.arrays.has(p) && docs.some((d) => arrayOnPath(d, p)));
    for (const p of fresh) {
      this.arrays.add(p);
      await c.query(`INSERT INTO ${this.engine.arraysTable} (coll, path) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [this.name, p]);
    }
    return fresh;
  }

  private async write(c: Conn, docs: Doc[], mode: 'insert' | 'update') {
    if (!docs.length) return;
    const ids = w2(docs.map((d) => d._id));
    const bodies = docs.map(encodeDoc);
    if (mode === 'insert')
      await c.query(`INSERT INTO ${this.table} (_id, doc) SELECT i, b::jsonb FROM unnest($1::text[], $2::text[]) AS u(i, b)`, [
        ids,
        bodies,
      ]);
    else if (docs.length === 1) await c.query(`UPDATE ${this.table} SET doc = $2::jsonb WHERE _id = $1`, [ids[0], bodies[0]]);
    else
      await c.query(`UPDATE ${this.table} t SET doc = u.b::jsonb FROM unnest($1::text[], $2::text[]) AS u(i, b) WHERE t._id = u.i`, [
        ids,
        bodies,
      ]);
  }

  insert(docs: Array<Record<string, unknown>>): Promise<string[]> {
    const withIds = docs.map((d) => ({ ...d, _id: d._id === undefined ? newId() : String(d._id) }) as Doc);
    const ids = withIds.map((d) => d._id);
    const duplicate = () => new DbError('DATABASE_DUPLICATE_WRITE', `E11000 duplicate key error collection: ${this.name} index: _id_`);
    if (new Set(ids).size !== ids.length) return Promise.reject(duplicate());
    return this.retrying(async () => {
      let fresh: string[] = [];
      try {
        await this.db.tx(async (c) => {
          fresh = await this.noteArrays(c, withIds);
          await this.write(c, withIds, 'insert');
        });
      } catch (e) {
        if (pgCode(e) === '23505') throw duplicate();
        throw e;
      }
      await this.engine.valueIndexes(this, fresh);
      return ids;
    });
  }

  /** Operator update (merge) or whole-document replacement (set), optionally upserting. `updated` counts documents that changed. */
  async modify(
    query: Q,
    change: { operators?: Record<string, unknown>; replacement?: Record<string, unknown> },
    opts: { multi: boolean; upsert: boolean; returning?: boolean },
  ): Promise<{ updated: number; upsertId: string | null; docs: Doc[] }> {
    // `returning: false` (an `update`, which answers a count): a compiled update sends no document back.
    const returning = opts.returning !== false;
    const plan = change.operators && !opts.upsert ? this.compileUpdate(query, change.operators, opts.multi, returning) : null;
    if (!plan) return this.modifyRead(query, change, opts);
    const { rows } = await this.retrying(() =>
      this.db.query<{ _id: string; doc: unknown; changed: boolean | null; odd: boolean }>(plan.sql, plan.params),
    );
    const done = rows.filter((r) => !r.odd);
    const out = { updated: done.filter((r) => r.changed).length, upsertId: null, docs: returning ? done.map(decodeRow) : [] };
    const odd = rows.filter((r) => r.odd).map((r) => r._id);
    if (!odd.length || (!opts.multi && done.length)) return out;
    // Rows whose paths hold arrays or values of another type than the SQL assumes: read, tested and updated here.
    const rest = await this.modifyRead({ $and: [query, { _id: { $in: odd } }] }, change, opts);
    return { updated: out.updated + rest.updated, upsertId: null, docs: [...out.docs, ...rest.docs] };
  }

  /**
   * An operator update as ONE statement (one message to the PGlite worker, one round trip to a server, its own
   * transaction), or null when it cannot be one. It can when the filter is `_id` (a string; for a multi update also
   * `$in` of strings) plus conditions on plain paths that SQL decides exactly (a string, number, boolean or null;
   * `$exists`; a number range), and the update is `$set`, `$inc`, `$unset` and `$push` (`$each` only) on paths
   * none of which contains another. Those conditions and operators mean in SQL what they mean in MongoDB while
   * every parent on their paths is an object (or missing), no filtered value is an array, every `$inc` target is a
   * number (or missing) and every `$push` target an array (or missing): the `guard`. A row the filter's `_id`
   * names that fails the guard is returned as `odd` (not updated) and goes through `modifyRead`.
   *
   * `$inc` is float8 arithmetic in SQL (what a JavaScript number is: 0.1 + 0.2 stores 0.30000000000000004, and an
   * integer stays an integer); missing counts as 0. `FOR UPDATE` in the first CTE takes the row locks: on a server,
   * a concurrent writer's change is waited for and the filter re-checked on the new version (READ COMMITTED), so
   * `{_id, version}` stays a compare-and-set and `$inc`s add up.
   */
  private compileUpdate(
    query: Q,
    operators: Record<string, unknown>,
    multi: boolean,
    returning = true,
  ): { sql: string; params: unknown[] } | null {
    const w = new Where();
    const id = query._id;
    let idSql: string;
    if (isStr(id)) idSql = `_id = ${w.add(id)}`;
    else if (multi && id && typeof id === 'object' && !Array.isArray(id) && Object.keys(id).length === 1) {
      const ids = (id as Q).$in;
      if (!Array.isArray(ids) || !ids.every(isStr)) return null;
      idSql = `_id = ANY(${w.add(ids)}::text[])`;
    } else return null;
    // Paths and keys are parameters, not text: the statement's text then depends on the update's shape only, so the
    // same update of another document (another wish's slot, another transition's delivery mark) is the same prepared
    // statement (pglite-worker.cjs). A path used twice is one parameter.
    const pathParams = new Map<string, string>();
    const P = (p: string) => {
      if (!pathParams.has(p)) pathParams.set(p, `${w.add(p.split('.'))}::text[]`);
      return pathParams.get(p)!;
    };
    const D = (p: string, col = 'doc') => `(${col} #> ${P(p)})`;
    const T = (p: string) => `jsonb_typeof(${D(p)})`;
    const guards = new Set<string>();
    const parentsAreObjects = (p: string) => {
      const keys = p.split('.');
      for (let i = 1; i < keys.length; i++) guards.add(`COALESCE(${T(keys.slice(0, i).join('.'))}, 'object') = 'object'`);
    };
    // The filter.
    const conds: string[] = [];
    for (const [field, cond] of Object.entries(query)) {
      if (field === '_id') continue;
      if (field.startsWith('$') || !usablePath(field)) return null;
      parentsAreObjects(field);
      // `$exists` alone means the same for an array as for any value (MongoDB: the field is there); any other condition
      // on an array is MongoDB's element match, which mingo decides.
      const existsOnly = isPlainObject(cond) && Object.keys(cond).length > 0 && Object.keys(cond).every((k) => k === '$exists');
      if (!existsOnly) guards.add(`COALESCE(${T(field)}, '') <> 'array'`);
      const eq = (v: unknown) =>
        v === null ? `(${D(field)} IS NULL OR ${T(field)} = 'null')` : plain(v) ? `${D(field)} = ${w.add(JSON.stringify(v))}::jsonb` : null;
      if (cond === null || plain(cond)) {
        conds.push(eq(cond)!);
        continue;
      }
      if (!cond || typeof cond !== 'object' || Array.isArray(cond) || isDate(cond) || cond instanceof RegExp) return null;
      const ops = Object.entries(cond as Q);
      if (!ops.length) return null;
      for (const [op, v] of ops) {
        if (op === '$eq') {
          const s = eq(v);
          if (!s) return null;
          conds.push(s);
        } else if (op === '$exists' && typeof v === 'boolean') conds.push(`${D(field)} IS ${v ? 'NOT ' : ''}NULL`);
        else if (['$gt', '$gte', '$lt', '$lte'].includes(op) && isNum(v)) {
          const sqlOp = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' }[op]!;
          conds.push(`(CASE WHEN ${T(field)} = 'number' THEN ${D(field)}::numeric END) ${sqlOp} ${w.add(v)}::numeric`);
        } else return null;
      }
    }
    // The update: a tree of the set / inc / push paths (each one's value from the old document), then the unsets.
    interface Node {
      kids: Map<string, Node>;
      leaf?: string;
    }
    const root: Node = { kids: new Map() };
    const unsets: string[] = [];
    const paths: string[] = [];
    for (const [op, spec] of Object.entries(operators)) {
      if (!UPDATE_OPS.has(op) || !spec || typeof spec !== 'object' || Array.isArray(spec)) return null;
      for (const [p, v] of Object.entries(spec as Q)) {
        if (!usablePath(p) || p === '_id' || p.startsWith('_id.')) return null;
        paths.push(p);
        parentsAreObjects(p);
        if (op === '$unset') {
          unsets.push(p);
          continue;
        }
        let leaf: string;
        if (op === '$set') {
          for (const d of this.paths) {
            if (!this.arrays.has(d) && arrayOnPath(setPath({}, p, v), d)) return null; // a first array on a declared path
          }
          leaf = `${w.add(JSON.stringify(toJson(v) ?? null))}::jsonb`;
        } else if (op === '$inc') {
          if (!isNum(v)) return null;
          guards.add(`COALESCE(${T(p)}, 'number') = 'number'`);
          leaf = `to_jsonb(COALESCE(${D(p, 'o.doc')}::float8, 0) + ${w.add(v)}::float8)`;
        } else {
          // The array operators: the path holds an array (or nothing), and no declared index path lies on it unless it is
          // known to hold arrays (the first array there is noted by the read path, noteArrays).
          if ([...this.paths].some((d) => !this.arrays.has(d) && (d === p || d.startsWith(`${p}.`) || p.startsWith(`${d}.`)))) return null;
          guards.add(`COALESCE(${T(p)}, 'array') = 'array'`);
          const old = `COALESCE(${D(p, 'o.doc')}, '[]'::jsonb)`;
          const made = arrayLeaf(op, v, old, (x) => w.add(x));
          if (made === null) return null;
          leaf = made;
        }
        let node = root;
        for (const k of p.split('.')) {
          if (!node.kids.has(k)) node.kids.set(k, { kids: new Map() });
          node = node.kids.get(k)!;
        }
        node.leaf = leaf;
      }
    }
    if (!paths.length) return null;
    const sorted = [...paths].sort();
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i] === sorted[i - 1] || sorted[i]!.startsWith(`${sorted[i - 1]}.`)) return null; // a conflict: mingo's error
    }
    // An unset whose parent is rebuilt anyway (a node of the tree) is a `- keys` on that parent as it is rebuilt; any
    // other is a `#-` of the whole document (each of which copies it).
    const parentOf = (p: string) => p.split('.').slice(0, -1).join('.');
    const lastOf = (p: string) => p.split('.').pop()!;
    const rebuilt = new Set<string>(['']);
    const walk = (node: Node, prefix: string[]) => {
      for (const [k, kid] of node.kids)
        if (!kid.leaf) {
          rebuilt.add([...prefix, k].join('.'));
          walk(kid, [...prefix, k]);
        }
    };
    walk(root, []);
    const dropped = (prefix: string) => unsets.filter((u) => rebuilt.has(parentOf(u)) && parentOf(u) === prefix).map(lastOf);
    const build = (node: Node, prefix: string[]): string => {
      let base = prefix.length ? `COALESCE(${D(prefix.join('.'), 'o.doc')}, '{}'::jsonb)` : 'o.doc';
      const drop = dropped(prefix.join('.'));
      if (drop.length) base = `(${base} - ${w.add(drop)}::text[])`;
      const pairs = [...node.kids].map(([k, kid]) => `${w.add(k)}::text, ${kid.leaf ?? build(kid, [...prefix, k])}`);
      return pairs.length ? `(${base} || jsonb_build_object(${pairs.join(', ')}))` : base;
    };
    let next = build(root, []);
    for (const u of unsets.filter((x) => !rebuilt.has(parentOf(x)))) next = `(${next} #- ${P(u)})`;
    const guard = guards.size ? [...guards].join(' AND ') : 'true';
    // `r` locks the rows the `_id` names (on a server, after waiting for a concurrent writer, the newest version) and
    // holds each document once decompressed (`|| '{}'` makes a new value): the filter, the guard and every path of the
    // update then read that copy, where each reference to the stored column would decompress it again (a figures
    // document with its delivery marks is ~10 KB of JSON, read by twenty-odd expressions).
    const sql =
      `WITH r AS (SELECT _id, doc || '{}'::jsonb AS doc FROM ${this.table} WHERE ${idSql} ORDER BY _id FOR UPDATE), ` +
      `o AS (SELECT _id, doc FROM r WHERE ${[guard, ...conds].join(' AND ')}${multi ? '' : ' LIMIT 1'}), ` +
      `u AS (UPDATE ${this.table} t SET doc = ${next} FROM o WHERE t._id = o._id RETURNING t._id, ${returning ? 't.doc' : 'NULL::jsonb AS doc'}, t.doc IS DISTINCT FROM o.doc AS changed) ` +
      `SELECT _id, doc, changed, false AS odd FROM u UNION ALL SELECT _id, NULL, NULL, true FROM r WHERE NOT (${guard})`;
    return { sql, params: w.params };
  }

  /** An update read and computed here (mingo), written in the same transaction: what `compileUpdate` cannot do. */
  private modifyRead(
    query: Q,
    change: { operators?: Record<string, unknown>; replacement?: Record<string, unknown> },
    opts: { multi: boolean; upsert: boolean },
  ): Promise<{ updated: number; upsertId: string | null; docs: Doc[] }> {
    let fresh: string[] = [];
    const run = () =>
      this.db.tx(async (c) => {
        const { docs: matched } = await this.matching(c, query, { limit: opts.multi ? undefined : 1, forUpdate: true });
        if (!matched.length && opts.upsert) {
          const _id = typeof query._id === 'string' ? query._id : newId();
          const doc = { ...(change.replacement ?? {}), _id } as Doc;
          fresh = await this.noteArrays(c, [doc]);
          const { rows } = await c.query(
            `INSERT INTO ${this.table} (_id, doc) VALUES ($1, $2::jsonb) ON CONFLICT (_id) DO NOTHING RETURNING _id`,
            [_id, encodeDoc(doc)],
          );
          if (!rows.length) throw Object.assign(new Error('upsert raced an insert'), { code: '40001' }); // retried: it now updates
          return { updated: 0, upsertId: _id, docs: [doc] };
        }
        const changed: Doc[] = [];
        const docs: Doc[] = [];
        for (const doc of matched) {
          let next: Doc;
          if (change.replacement) next = { ...change.replacement, _id: doc._id } as Doc;
          else {
            next = structuredClone(doc);
            nonNumericInc(doc, change.operators);
            try {
              applyUpdate(next, change.operators as never);
            } catch (e) {
              throw new DbError('DATABASE_REQUEST_FAILED', `invalid update: ${(e as Error).message}`);
            }
          }
          if (!sameDoc(doc, next)) changed.push(next);
          docs.push(next);
        }
        fresh = await this.noteArrays(c, changed);
        await this.write(c, changed, 'update');
        return { updated: changed.length, upsertId: null, docs };
      });
    return this.retrying(run).then(async (r) => {
      await this.engine.valueIndexes(this, fresh);
      return r;
    });
  }

  remove(query: Q, multi: boolean): Promise<number> {
    return this.retrying(() =>
      this.db.tx(async (c) => {
        const ids = (await this.matching(c, query, { limit: multi ? undefined : 1, forUpdate: true })).docs.map((d) => d._id);
        if (!ids.length) return 0;
        await c.query(`DELETE FROM ${this.table} WHERE _id = ANY($1::text[])`, [ids]);
        return ids.length;
      }),
    );
  }

  /** A transaction PostgreSQL aborted (deadlock, serialisation) or an upsert that lost its race runs again. */
  private async retrying<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        if (attempt < 5 && ['40P01', '40001'].includes(pgCode(e) ?? '')) continue;
        throw e;
      }
    }
  }
}

const normalSort = (s: Record<string, unknown>): Sort =>
  Object.fromEntries(Object.entries(s).map(([k, d]) => [k, Number(d) < 0 || d === 'desc' ? -1 : 1]));

/** Ids as a parameter (a plain array of strings, both drivers send it as text[]). */
const w2 = (ids: string[]) => ids;

function arrayOnPath(doc: unknown, path: string): boolean {
  let v: unknown = doc;
  for (const k of path.split('.')) {
    if (Array.isArray(v)) return true;
    if (!v || typeof v !== 'object') return false;
    v = (v as Record<string, unknown>)[k];
  }
  return Array.isArray(v);
}

/** True when every sort key of `d` is missing, null, a number or a string with no array on its path: SQL ordered it as MongoDB does. */
function sqlOrdered(d: Doc, sort: Sort): boolean {
  for (const f of Object.keys(sort)) {
    if (f === '_id') continue;
    let v: unknown = d;
    for (const k of f.split('.')) {
      if (Array.isArray(v)) return false;
      if (v === null || v === undefined || typeof v !== 'object' || isDate(v)) {
        v = undefined;
        break;
      }
      v = (v as Record<string, unknown>)[k];
    }
    if (v !== undefined && v !== null && typeof v !== 'number' && typeof v !== 'string') return false;
  }
  return true;
}

export interface EngineOptions {
  /** A PostgreSQL server (postgres://…); default: process.env.DATABASE_URL; none: PGlite in `<dataDir>/pg`. */
  url?: string;
  /** The schema on that server; default: DATABASE_SCHEMA, else one per data folder (`lc_<hash of its path>`). */
  schema?: string;
  /** A database someone else opened and keeps (sql.ts adopt): the engine takes a schema of its own on it, one per data
   * folder as on a server, and does not close it. */
  shared?: Driver;
}

export class Engine {
  private collections = new Map<string, Collection>();

  private constructor(
    readonly driver: Driver,
    readonly schema: string,
  ) {}

  /** Opens the database of a local cloud's data folder (PGlite in `<dataDir>/pg`, or the server at DATABASE_URL). */
  static async open(dataDir: string, opts: EngineOptions = {}): Promise<Engine> {
    const url = opts.url ?? process.env.DATABASE_URL;
    const shared = url ? undefined : opts.shared;
    const driver = url ? await openPg(url) : shared ? adopt(shared) : await openPglite(join(dataDir, 'pg'));
    const schema = opts.schema ?? process.env.DATABASE_SCHEMA ?? (url || shared ? `lc_${shortHash(dataDir)}` : 'localcloud');
    const engine = new Engine(driver, schema);
    await engine.load();
    return engine;
  }

  private get s() {
    return quote(this.schema);
  }

  private async load() {
    const { rows: tables } = await this.driver.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = $1`, [
      this.schema,
    ]);
    if (!tables.some((t) => t.tablename === '_lc_arrays')) {
      await this.ddl(
        `CREATE SCHEMA IF NOT EXISTS ${this.s}; CREATE TABLE IF NOT EXISTS ${this.s}._lc_arrays (coll text NOT NULL, path text NOT NULL, PRIMARY KEY (coll, path))`,
      );
    }
    const rows = tables.filter((t) => !t.tablename.startsWith('_lc_')).map((t) => ({ table_name: t.tablename }));
    const arrays = await this.driver.query<{ coll: string; path: string }>(`SELECT coll, path FROM ${this.s}._lc_arrays`);
    const { rows: made } = await this.driver.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE schemaname = $1`, [
      this.schema,
    ]);
    const existing = new Set(made.map((r) => r.indexname));
    for (const { table_name } of rows) {
      const paths = new Set(arrays.rows.filter((a) => a.coll === table_name).map((a) => a.path));
      this.collections.set(table_name, new Collection(table_name, this, this.table(table_name), paths));
      // Indexes declared since the table was made (a restart finds them all and runs no DDL).
      const missing = this.indexDdl(table_name).filter((i) => !existing.has(i.name));
      if (missing.length) await this.ddl(missing.map((i) => i.sql).join(';\n'));
    }
  }

  private table(name: string) {
    return `${this.s}.${quote(name)}`;
  }

  /** Every index declared for `name`: btree on (rank, num, str) of each field, in the declared directions, then `_id`. */
  private indexDdl(name: string): Array<{ name: string; sql: string }> {
    const decls = COLLECTIONS.find((c) => c.name === name)?.indexes ?? [];
    return decls
      .filter((decl) => decl.fields.every(([f]) => usablePath(f)))
      .map((decl) => {
        const dir = (d: number) => (d < 0 ? ' DESC' : '');
        const cols = decl.fields.flatMap(([f, d]) => keyCols(f).map((c) => `${c}${dir(d)}`));
        cols.push(`(_id COLLATE "C")${dir(decl.fields[decl.fields.length - 1]![1])}`);
        const index = `i_${shortHash(`${name}:${indexName(decl)}`)}`;
        return { name: index, sql: `CREATE INDEX IF NOT EXISTS ${quote(index)} ON ${this.table(name)} (${cols.join(', ')})` };
      });
  }

  /** DDL (statements without parameters, `;`-separated) that two processes may race on (the second one's error is the first one's success). */
  private async ddl(sql: string) {
    await this.driver.exec(sql).catch((e) => {
      if (!['23505', '42P07', '42P06', '42710'].includes(pgCode(e) ?? '')) throw e;
    });
  }

  get arraysTable() {
    return `${this.s}._lc_arrays`;
  }

  /** A GIN index on the values of each path of a collection found holding arrays (made after the write that found it). */
  async valueIndexes(c: Collection, paths: string[]) {
    for (const p of paths) {
      await this.ddl(`CREATE INDEX IF NOT EXISTS ${quote(`g_${shortHash(`${c.name}:${p}`)}`)} ON ${c.table} USING gin (${ANY_VALUES(p)})`);
    }
  }

  has(name: string) {
    return this.collections.has(name);
  }

  names() {
    return [...this.collections.keys()];
  }

  async create(name: string) {
    if (this.collections.has(name)) throw new DbError('DATABASE_COLLECTION_ALREADY_EXIST', `Table exist: ${name}`);
    await this.ddl(
      [
        `CREATE TABLE IF NOT EXISTS ${this.table(name)} (_id text COLLATE "C" PRIMARY KEY, doc jsonb NOT NULL)`,
        ...this.indexDdl(name).map((i) => i.sql),
      ].join(';\n'),
    );
    const c = new Collection(name, this, this.table(name), new Set());
    this.collections.set(name, c);
    return c;
  }

  get(name: string): Collection {
    const c = this.collections.get(name);
    if (!c) throw new DbError('DATABASE_COLLECTION_NOT_EXIST', `Db or Table not exist: ${name}`);
    return c;
  }

  /** Drops every collection. */
  async clear() {
    this.collections.clear();
    await this.driver.query(`DROP SCHEMA IF EXISTS ${this.s} CASCADE`);
    await this.load();
  }

  close() {
    return this.driver.close();
  }
}

/** CloudBase projections may mix 1 and 0: any 1 makes it an inclusion list (plus _id unless _id: 0). */
function project(doc: Doc, spec: Record<string, unknown>): Doc {
  const on = (v: unknown) => v === 1 || v === true;
  const include = Object.entries(spec)
    .filter(([k, v]) => k !== '_id' && on(v))
    .map(([k]) => k);
  const out: Record<string, unknown> = {};
  if (include.length) {
    if (spec._id === undefined || on(spec._id)) out._id = doc._id;
    for (const path of include) {
      const value = path
        .split('.')
        .reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), doc);
      if (value !== undefined) setPath(out, path, value);
    }
    return out as Doc;
  }
  const copy = structuredClone(doc) as Record<string, unknown>;
  for (const [path, v] of Object.entries(spec)) if (!on(v)) deletePath(copy, path);
  return copy as Doc;
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
  o[keys[keys.length - 1]!] = value;
  return obj;
}

/** MongoDB refuses `$inc` on a field that holds anything but a number (null included) and names it; mingo would
 * leave the field as it was. The same refusal in both ways an update runs (the compiled one sends such a row here). */
function nonNumericInc(doc: Doc, operators: Record<string, unknown> | undefined) {
  const inc = operators?.$inc;
  if (!inc || typeof inc !== 'object') return;
  for (const path of Object.keys(inc)) {
    const v = path
      .split('.')
      .reduce<unknown>((o, k) => (o && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>)[k] : undefined), doc);
    if (v !== undefined && typeof v !== 'number') {
      const type = v === null ? 'null' : isDate(v) ? 'date' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v;
      throw new DbError(
        'DATABASE_REQUEST_FAILED',
        `Cannot apply $inc to a value of non-numeric type. {_id: ${JSON.stringify(doc._id)}} has the field '${path}' of non-numeric type ${type}`,
      );
    }
  }
}

function deletePath(obj: Record<string, unknown>, path: string) {
  const keys = path.split('.');
  let o: unknown = obj;
  for (const k of keys.slice(0, -1)) o = o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined;
  if (o && typeof o === 'object') delete (o as Record<string, unknown>)[keys[keys.length - 1]!];
}

function sameDoc(a: unknown, b: unknown): boolean {
  if (isDate(a) || isDate(b)) return isDate(a) && isDate(b) && a.getTime() === b.getTime();
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => sameDoc((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
