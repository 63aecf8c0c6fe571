/**
 * Differences from CloudBase that the local cloud knows of and keeps on purpose, each pinned here (or in the test
 * docs/localcloud.md names beside it), so that a change in behaviour is a decision, not an accident.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tcb from '@cloudbase/node-sdk';
import { startLocalCloud, type LocalCloud } from '../../localcloud';

let cloud: LocalCloud;
let dir: string;

beforeAll(async () => {
  process.env.TENCENTCLOUD = 'true';
  dir = mkdtempSync(join(tmpdir(), 'wish-diff-'));
  cloud = await startLocalCloud({ port: 0, dataDir: dir, quiet: true });
});
afterAll(async () => {
  await cloud.close();
  rmSync(dir, { recursive: true, force: true });
});

test("one environment: any env name signed with this start's pair reaches the same data (CloudBase keeps environments apart)", async () => {
  const { secretId, secretKey } = cloud.credentials;
  const a = tcb.init({ env: 'local', secretId, secretKey, serviceUrl: `${cloud.url}/tcb` }).database();
  const b = tcb.init({ env: 'other-env', secretId, secretKey, serviceUrl: `${cloud.url}/tcb` }).database();
  await a.collection('orgs').add({ _id: 'diff-org', name: 'x', parentId: null, level: 'city', ancestors: [] });
  expect((await b.collection('orgs').doc('diff-org').get()).data[0]).toMatchObject({ _id: 'diff-org' });
});

test('database and storage rules files are not read locally (functions.rules.json is): the server SDK ignores them on CloudBase too, and no client reaches the database here', () => {
  const rules = JSON.parse(readFileSync(join(__dirname, '../../database.rules.json'), 'utf8'));
  expect(rules.wishes).toEqual({ read: false, write: false });
  // The local cloud has no client-side database endpoint: only /tcb (the server SDK's wire) and /api (functions).
  // The router and every room it hands requests to (localcloud/rooms/).
  const rooms = join(__dirname, '../../localcloud/rooms');
  const files = [join(__dirname, '../../localcloud/index.ts'), ...readdirSync(rooms).map((f) => join(rooms, f))];
  expect(files.length).toBeGreaterThan(5);
  for (const f of files) expect(readFileSync(f, 'utf8')).not.toMatch(/database\.rules\.json|storage\.rules\.json/);
});
