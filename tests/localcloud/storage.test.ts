/**
 * Fidelity of the local cloud's storage actions as the real SDK uses them (see /work/shared/cloudbase-wire.md):
 * uploadFile → getUploadMetadata + PUT; getTempFileURL → storage.batchGetDownloadUrl (the `fileUrls` function).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tcb from '@cloudbase/node-sdk';
import { startLocalCloud, type LocalCloud } from '../../localcloud';

let cloud: LocalCloud;
let dir: string;
let app: ReturnType<typeof tcb.init>;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wish-storage-'));
  cloud = await startLocalCloud({ port: 0, dataDir: dir, quiet: true });
  process.env.TENCENTCLOUD = 'true';
  app = tcb.init({ env: 'local', secretId: cloud.credentials.secretId, secretKey: cloud.credentials.secretKey, serviceUrl: `${cloud.url}/tcb` });
});
afterAll(async () => {
  await cloud.close();
  rmSync(dir, { recursive: true, force: true });
});

test('getTempFileURL answers the SDK shape: a URL that serves the bytes, STORAGE_FILE_NONEXIST for a missing file', async () => {
  const up = await app.uploadFile({ cloudPath: 'evidence/a.jpg', fileContent: Buffer.from('photo-bytes') });
  expect(up.fileID).toBe('cloud://local.bucket/evidence/a.jpg');
  const r = await app.getTempFileURL({ fileList: [up.fileID, { fileID: 'cloud://local.bucket/evidence/none.jpg', maxAge: 60 }] });
  expect(r.fileList).toHaveLength(2);
  const [found, missing] = r.fileList as Array<{ fileID: string; tempFileURL: string; code: string }>;
  expect(found).toMatchObject({ fileID: up.fileID, code: 'SUCCESS' });
  expect(await (await fetch(found!.tempFileURL)).text()).toBe('photo-bytes');
  expect(missing).toMatchObject({ fileID: 'cloud://local.bucket/evidence/none.jpg', tempFileURL: '', code: 'STORAGE_FILE_NONEXIST' });
  expect(typeof r.requestId).toBe('string');
});
