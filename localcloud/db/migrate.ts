/**
 * Moves a data folder from the NeDB engine (one `<data>/db/<collection>.db` file per collection) into the SQL engine
 * (`npm run migrate-db`). NeDB reads its own files (appended updates and deletions resolved, dates revived); every
 * document goes in under its `_id`, in chunks; the old folder is then renamed `db.nedb-migrated`, so it is moved once.
 */
import Datastore from '@seald-io/nedb';
import { existsSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Doc, Engine } from './engine';

const nedbDir = (dataDir: string) => join(dataDir, 'db');

/** Whether `dataDir` still holds NeDB collection files. */
export function unmigrated(dataDir: string): boolean {
  const dir = nedbDir(dataDir);
  return existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.db'));
}

/**
 * Copies every NeDB collection of `dataDir` into `engine`. Refuses (before writing anything) a collection that
 * already holds documents in the engine, unless `replace`. Returns the number of documents per collection.
 */
export async function migrateNedb(
  dataDir: string,
  engine: Engine,
  opts: { replace?: boolean; chunk?: number } = {},
): Promise<Record<string, number>> {
  const dir = nedbDir(dataDir);
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.db')) : [];
  const loaded: Array<[string, Doc[]]> = [];
  for (const file of files) {
    const ds = new Datastore<Doc>({ filename: join(dir, file) });
    await ds.loadDatabaseAsync();
    loaded.push([file.slice(0, -3), await ds.findAsync({})]);
  }
  for (const [name] of loaded) {
    if (engine.has(name) && !opts.replace && (await engine.get(name).count({})) > 0) {
      throw new Error(`the SQL engine already holds documents in ${name}: nothing was moved (use --replace to overwrite them)`);
    }
  }
  const counts: Record<string, number> = {};
  const chunk = opts.chunk ?? 1000;
  for (const [name, docs] of loaded) {
    if (!engine.has(name)) await engine.create(name);
    const c = engine.get(name);
    if (opts.replace) await c.remove({}, true);
    for (let i = 0; i < docs.length; i += chunk) await c.insert(docs.slice(i, i + chunk));
    counts[name] = docs.length;
  }
  if (files.length) renameSync(dir, `${dir}.nedb-migrated`);
  return counts;
}
