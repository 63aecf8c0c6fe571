/**
 * The embedded database behind the wire protocol: one NeDB datastore (file) per collection for
 * storage, persistence and indexes; mingo for MongoDB's full query language, update operators,
 * projection and aggregation. Every write to a collection runs under that collection's lock, so a
 * read-modify-write (a conditional update on {_id, version}) is atomic.
 */
import Datastore from '@seald-io/nedb';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { aggregate, find, update as applyUpdate } from 'mingo';
import { leadingFields } from './indexes';

export type Doc = Record<string, unknown> & { _id: string };
type Query = Record<string, unknown>;

export class DbError extends Error {
  constructor(
    public code: string,
    message: string,
  ) {
    super(message);
  }
}

export const newId = () => randomBytes(16).toString('hex');

class Collection {
  private lock: Promise<unknown> = Promise.resolve();
  private indexed = new Set<string>(['_id']);

  constructor(
    readonly name: string,
    private ds: Datastore<Doc>,
  ) {}

  async init(indexes: string[]) {
    await this.ds.loadDatabaseAsync();
    for (const fieldName of indexes) {
      await this.ds.ensureIndexAsync({ fieldName });
      this.indexed.add(fieldName);
    }
  }

  /** Runs `fn` after every earlier write of this collection has finished. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  /** Documents that may match: narrowed by an index when the query has an equality on an indexed field. */
  private candidates(query: Query): Promise<Doc[]> {
    return this.ds.findAsync(indexHint(query, this.indexed) ?? {});
  }

  async find(query: Query, opts: { sort?: Record<string, 1 | -1>; skip?: number; limit?: number; projection?: Record<string, unknown> } = {}) {
    const docs = await this.candidates(query);
    let cursor = find(docs, query);
    if (opts.sort && Object.keys(opts.sort).length) cursor = cursor.sort(opts.sort);
    if (opts.skip) cursor = cursor.skip(opts.skip);
    if (opts.limit !== undefined) cursor = cursor.limit(opts.limit);
    const out = cursor.all() as Doc[];
    return opts.projection ? out.map((d) => project(d, opts.projection!)) : out;
  }

  async count(query: Query): Promise<number> {
    return find(await this.candidates(query), query).all().length;
  }

  aggregate(pipeline: Record<string, unknown>[]) {
    return this.ds.findAsync({}).then((docs) => aggregate(docs, pipeline));
  }

  insert(docs: Array<Record<string, unknown>>): Promise<string[]> {
    return this.exclusive(async () => {
      const withIds = docs.map((d) => ({ ...d, _id: d._id === undefined ? newId() : String(d._id) }) as Doc);
      const ids = withIds.map((d) => d._id);
      if (new Set(ids).size !== ids.length || (await this.ds.countAsync({ _id: { $in: ids } })) > 0) {
        throw new DbError('DATABASE_DUPLICATE_WRITE', `E11000 duplicate key error collection: ${this.name} index: _id_`);
      }
      await this.ds.insertAsync(withIds);
      return ids;
    });
  }

  /** Operator update (merge) or whole-document replacement (set), optionally upserting. `updated` counts documents that changed. */
  modify(
    query: Query,
    change: { operators?: Record<string, unknown>; replacement?: Record<string, unknown> },
    opts: { multi: boolean; upsert: boolean },
  ): Promise<{ updated: number; upsertId: string | null; docs: Doc[] }> {
    return this.exclusive(async () => {
      const matched = await this.find(query, opts.multi ? {} : { limit: 1 });
      if (!matched.length && opts.upsert) {
        const _id = typeof query._id === 'string' ? query._id : newId();
        const doc = { ...(change.replacement ?? {}), _id } as Doc;
        await this.ds.insertAsync(doc);
        return { updated: 0, upsertId: _id, docs: [doc] };
      }
      let updated = 0;
      const docs: Doc[] = [];
      for (const doc of matched) {
        let next: Doc;
        if (change.replacement) next = { ...change.replacement, _id: doc._id } as Doc;
        else {
          next = structuredClone(doc);
          try {
            applyUpdate(next, change.operators as never);
          } catch (e) {
            throw new DbError('DATABASE_REQUEST_FAILED', `invalid update: ${(e as Error).message}`);
          }
        }
        if (!sameDoc(doc, next)) {
          await this.ds.updateAsync({ _id: doc._id }, next, {});
          updated++;
        }
        docs.push(next);
      }
      return { updated, upsertId: null, docs };
    });
  }

  remove(query: Query, multi: boolean): Promise<number> {
    return this.exclusive(async () => {
      const ids = (await this.find(query, multi ? {} : { limit: 1 })).map((d) => d._id);
      if (!ids.length) return 0;
      return this.ds.removeAsync({ _id: { $in: ids } }, { multi: true });
    });
  }
}

export class Engine {
  private collections = new Map<string, Collection>();

  private constructor(private dir: string) {}

  static async open(dir: string): Promise<Engine> {
    mkdirSync(dir, { recursive: true });
    const engine = new Engine(dir);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.db'))) await engine.load(file.slice(0, -3));
    return engine;
  }

  private async load(name: string) {
    const c = new Collection(name, new Datastore<Doc>({ filename: join(this.dir, `${name}.db`) }));
    // The declared indexes (database/collections.json); NeDB indexes single fields: each index's first.
    await c.init(leadingFields(name));
    this.collections.set(name, c);
    return c;
  }

  has(name: string) {
    return this.collections.has(name);
  }

  names() {
    return [...this.collections.keys()];
  }

  async create(name: string) {
    if (this.collections.has(name)) throw new DbError('DATABASE_COLLECTION_ALREADY_EXIST', `Table exist: ${name}`);
    return this.load(name);
  }

  get(name: string): Collection {
    const c = this.collections.get(name);
    if (!c) throw new DbError('DATABASE_COLLECTION_NOT_EXIST', `Db or Table not exist: ${name}`);
    return c;
  }

  /** Drops every collection and its file. */
  async clear() {
    this.collections.clear();
    if (existsSync(this.dir)) for (const f of readdirSync(this.dir)) rmSync(join(this.dir, f), { force: true });
  }
}

/** An equality (or $in) on an indexed top-level field, for NeDB to narrow the candidates. */
function indexHint(query: Query, indexed: Set<string>): Query | null {
  const parts: Query[] = [query, ...(Array.isArray(query.$and) ? (query.$and as Query[]) : [])];
  for (const part of parts) {
    for (const [field, value] of Object.entries(part)) {
      if (!indexed.has(field)) continue;
      if (isScalar(value)) return { [field]: value };
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        const ops = value as Record<string, unknown>;
        if (Object.keys(ops).length === 1 && isScalar(ops.$eq)) return { [field]: ops.$eq };
        if (Object.keys(ops).length === 1 && Array.isArray(ops.$in) && ops.$in.every(isScalar)) return { [field]: { $in: ops.$in } };
      }
    }
  }
  return null;
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** CloudBase projections may mix 1 and 0: any 1 makes it an inclusion list (plus _id unless _id: 0). */
function project(doc: Doc, spec: Record<string, unknown>): Doc {
  const on = (v: unknown) => v === 1 || v === true;
  const include = Object.entries(spec).filter(([k, v]) => k !== '_id' && on(v)).map(([k]) => k);
  const out: Record<string, unknown> = {};
  if (include.length) {
    if (spec._id === undefined || on(spec._id)) out._id = doc._id;
    for (const path of include) {
      const value = path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), doc);
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
}

function deletePath(obj: Record<string, unknown>, path: string) {
  const keys = path.split('.');
  let o: unknown = obj;
  for (const k of keys.slice(0, -1)) o = o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined;
  if (o && typeof o === 'object') delete (o as Record<string, unknown>)[keys[keys.length - 1]!];
}

function sameDoc(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => sameDoc((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
