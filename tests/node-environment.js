/**
 * The jest environment of the projects that start local clouds in the test process (localcloud, functions, security,
 * contract; weapp builds on it): node's, plus one PGlite database per jest worker process, offered to every local cloud
 * the process starts (localcloud/index.ts SHARED_DATABASE). Each cloud keeps a schema of its own on it, one per data
 * folder (a fresh folder is an empty database; a restart on the same folder finds its data), as on a PostgreSQL server.
 * Opening PGlite (copying its cluster, starting PostgreSQL in WebAssembly) cost a test file ~1.5 s of CPU per cloud.
 * This module is loaded by jest's runner once per worker process, outside the per-file module sandbox, so the database
 * outlives each file; it is removed when the process exits. The ·pg projects use their PostgreSQL server instead
 * (DATABASE_URL wins).
 */
const { readdirSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { TestEnvironment: NodeEnvironment } = require('jest-environment-node');
const { openPgliteDriver } = require('../localcloud/db/pglite-driver.cjs');

const PREFIX = 'microwish-shared-pglite-';
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
};

let shared = null;
function sharedDatabase() {
  if (!shared) {
    // jest stops its workers with a signal at the end of a run, so 'exit' does not always run: the folders of
    // processes that are gone are removed here, by the next run's workers.
    for (const name of readdirSync(tmpdir()))
      if (name.startsWith(PREFIX) && !alive(Number(name.slice(PREFIX.length))))
        rmSync(join(tmpdir(), name), { recursive: true, force: true });
    const dir = join(tmpdir(), `${PREFIX}${process.pid}`);
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    shared = openPgliteDriver(dir, { unref: true });
    shared.catch(() => (shared = null));
  }
  return shared;
}

class LocalCloudEnvironment extends NodeEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global[Symbol.for('localcloud.sharedDatabase')] = sharedDatabase;
  }
}

module.exports = LocalCloudEnvironment;
module.exports.LocalCloudEnvironment = LocalCloudEnvironment;
