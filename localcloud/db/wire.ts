/**
 * The CloudBase database wire protocol, as @cloudbase/node-sdk 3.18.x sends it to `serviceUrl`
 * (see ../../docs/localcloud.md and shared/cloudbase-wire.md). Requests carry canonical EJSON strings;
 * replies carry documents as relaxed EJSON strings, `_id` always a string, and a top-level requestId.
 */
import { BSONRegExp, EJSON } from 'bson';
import { DbError, type Engine } from './engine';
import { checkQuery, DIRECT_ENV } from './indexes';

type Body = Record<string, unknown>;
export type Reply = Record<string, unknown>;

export const DB_ACTIONS = [
  'database.insertDocument',
  'database.getDocument',
  'database.calculateDocument',
  'database.modifyDocument',
  'database.removeDocument',
  'database.aggregateDocuments',
  'database.addCollection',
  'database.modifyAndReturnDoc',
] as const;

const MAX_LIMIT = 1000;
const DEFAULT_LIMIT = 100;

/** Decodes an EJSON request field: RegExp for $regularExpression, Date for $tcb_server_date. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- decoded EJSON is whatever the SDK sent
export function decode(s: unknown): any {
  if (s === undefined || s === '') return undefined;
  if (typeof s !== 'string') throw new DbError('INVALID_PARAM', 'expected an EJSON string');
  try {
    return revive(EJSON.parse(s, { relaxed: true }));
  } catch (e) {
    if (e instanceof DbError) throw e;
    throw new DbError('INVALID_PARAM', `invalid EJSON: ${(e as Error).message}`);
  }
}

function revive(v: unknown): unknown {
  if (v instanceof BSONRegExp) return new RegExp(v.pattern, v.options.replace(/[^gimsuy]/g, ''));
  if (Array.isArray(v)) return v.map(revive);
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    const o = v as Record<string, unknown>;
    const sd = o.$tcb_server_date as { offset?: number } | undefined;
    if (sd && Object.keys(o).length === 1) return new Date(Date.now() + Number(sd.offset ?? 0));
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, revive(x)]));
  }
  return v;
}

const encode = (doc: unknown) => EJSON.stringify(doc, { relaxed: true });

function collectionName(body: Body): string {
  const name = body.collectionName;
  if (typeof name !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(name)) throw new DbError('INVALID_PARAM', 'invalid collectionName');
  return name;
}

function queryOf(body: Body, order?: Record<string, unknown>): Record<string, unknown> {
  const q = decode(body.query) ?? {};
  if (typeof q !== 'object' || Array.isArray(q)) throw new DbError('INVALID_PARAM', 'query must be an object');
  // Strict mode (LOCALCLOUD_STRICT_INDEXES): a function's query that no declared index serves is recorded or refused.
  if (body.envName !== DIRECT_ENV) {
    const refusal = checkQuery({ collection: String(body.collectionName), action: String(body.action), query: q, order });
    if (refusal) throw new DbError('LOCALCLOUD.UNINDEXED_QUERY', refusal);
  }
  return q;
}

function limitOf(body: Body): number {
  const n = body.limit === undefined ? DEFAULT_LIMIT : Number(body.limit);
  if (!Number.isInteger(n) || n < 0) throw new DbError('INVALID_PARAM', 'invalid limit');
  return Math.min(n, MAX_LIMIT);
}

/** Answers one database action. Throws DbError for expected failures (the caller turns it into {code, message}). */
export async function handleDatabase(engine: Engine, action: string, body: Body): Promise<Reply> {
  if (body.transactionId !== undefined)
    throw new DbError('LOCALCLOUD.NOT_IMPLEMENTED', `local cloud does not implement transactions (${action})`);
  switch (action) {
    case 'database.addCollection':
      await engine.create(collectionName(body));
      return {};
    case 'database.insertDocument': {
      const raw = Array.isArray(body.data) ? body.data : [body.data];
      const docs = raw.map((d) => decode(d) as Record<string, unknown>);
      const insertedIds = await engine.get(collectionName(body)).insert(docs);
      return { data: { insertedIds } };
    }
    case 'database.getDocument': {
      const c = engine.get(collectionName(body));
      const sort = decode(body.order);
      const list = await c.find(queryOf(body, sort), {
        sort,
        skip: Number(body.offset) || 0,
        limit: body.queryType === 'DOC' ? 1 : limitOf(body),
        projection: decode(body.projection),
      });
      return { data: { list: list.map(encode) } };
    }
    case 'database.calculateDocument':
      return { data: { total: await engine.get(collectionName(body)).count(queryOf(body)) } };
    case 'database.modifyDocument': {
      const c = engine.get(collectionName(body));
      const data = decode(body.data) as Record<string, unknown>;
      const replace = body.merge === false;
      const hasOperators = Object.keys(data ?? {}).some((k) => k.startsWith('$'));
      if (replace && hasOperators) throw new DbError('DATABASE_REQUEST_FAILED', 'update operator complicit');
      const change = replace ? { replacement: data } : { operators: hasOperators ? data : { $set: data } };
      const r = await c.modify(queryOf(body), change, { multi: body.multi === true, upsert: body.upsert === true, returning: false });
      return { data: { updated: r.updated, upsert_id: r.upsertId } };
    }
    case 'database.modifyAndReturnDoc': {
      const c = engine.get(collectionName(body));
      const data = decode(body.data) as Record<string, unknown>;
      const hasOperators = Object.keys(data ?? {}).some((k) => k.startsWith('$'));
      const r = await c.modify(queryOf(body), { operators: hasOperators ? data : { $set: data } }, { multi: false, upsert: false });
      return { data: { updated: r.updated, doc: r.docs[0] ? encode(r.docs[0]) : null } };
    }
    case 'database.removeDocument':
      return { data: { deleted: await engine.get(collectionName(body)).remove(queryOf(body), body.multi === true) } };
    case 'database.aggregateDocuments': {
      const stages = Array.isArray(body.stages) ? (body.stages as Array<{ stageKey: string; stageValue: string }>) : [];
      const pipeline = stages.map((s) => ({ [s.stageKey]: decode(s.stageValue) }));
      const list = await engine.get(collectionName(body)).aggregate(pipeline);
      return { data: { list: list.map(encode) } };
    }
    default:
      throw new DbError('LOCALCLOUD.NOT_IMPLEMENTED', `local cloud does not implement ${action}`);
  }
}
