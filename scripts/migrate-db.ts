/**
 * `npm run migrate-db [-- --data <folder>] [--replace]`: moves a local cloud data folder (default LOCALCLOUD_DATA or
 * .localcloud) from the NeDB files of earlier versions into the SQL engine: PGlite in `<data>/pg`, or the PostgreSQL
 * server at DATABASE_URL. Stop the local cloud first.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Engine } from '../localcloud/db/engine';
import { migrateNedb, unmigrated } from '../localcloud/db/migrate';

async function main() {
  const args = process.argv.slice(2);
  const at = args.indexOf('--data');
  const dataDir = resolve(at >= 0 ? args[at + 1]! : process.env.LOCALCLOUD_DATA || join(__dirname, '..', '.localcloud'));
  if (!unmigrated(dataDir)) {
    console.log(`${dataDir}: no NeDB files (db/*.db) to move.`);
    return;
  }
  if (existsSync(join(dataDir, 'credentials.json')))
    throw new Error(`${dataDir} is in use by a running local cloud (credentials.json): stop it first`);
  const started = Date.now();
  const engine = await Engine.open(dataDir);
  try {
    const counts = await migrateNedb(dataDir, engine, { replace: args.includes('--replace') });
    for (const [name, n] of Object.entries(counts)) console.log(`${name}: ${n}`);
    console.log(
      `moved ${Object.values(counts).reduce((a, b) => a + b, 0)} documents into ${process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : join(dataDir, 'pg')} in ${((Date.now() - started) / 1000).toFixed(1)} s; the NeDB files are kept in db.nedb-migrated/`,
    );
  } finally {
    await engine.close();
  }
}

main().catch((e) => {
  console.error((e as Error).message);
  process.exit(1);
});
