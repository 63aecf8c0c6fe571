// A throw-away PostgreSQL cluster for the second test pass (DATABASE_URL): Debian's packages (`apt-get install -y
// postgresql`), initdb in a temp folder, a server on a free local port with trust auth. Run as root, the cluster
// belongs to the `postgres` user. startPostgres() → { url, stop() } or null when no PostgreSQL binaries are installed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function postgresBin() {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const version = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))[0];
  return version ? join(base, version, 'bin') : null;
}

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

export async function startPostgres() {
  const bin = postgresBin();
  if (!bin) return null;
  const root = process.getuid?.() === 0;
  const as = (cmd, args) =>
    root ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8' }) : spawnSync(cmd, args, { encoding: 'utf8' });
  const dir = mkdtempSync(join(tmpdir(), 'microwish-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  if (root) spawnSync('chown', ['postgres', dir]);
  const init = as(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8']);
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const start = as(join(bin, 'pg_ctl'), ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', 'start']);
  if (start.status !== 0) throw new Error(`pg_ctl start failed: ${start.stderr}`);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    /** Whether the server is still running (pg_ctl status). */
    alive: () => existsSync(data) && as(join(bin, 'pg_ctl'), ['-D', data, 'status']).status === 0,
    stop() {
      as(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// `node scripts/postgres.mjs`: starts one and prints its DATABASE_URL (stop it with pg_ctl; for trying things by hand).
if (import.meta.url === `file://${process.argv[1]}`) {
  const pg = await startPostgres();
  console.log(pg ? pg.url : 'no PostgreSQL binaries: apt-get install -y postgresql');
}
