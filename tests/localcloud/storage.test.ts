/**
 * Fidelity of the local cloud's storage actions as the real SDK uses them (see /work/shared/cloudbase-wire.md):
 * uploadFile → getUploadMetadata + PUT; getTempFileURL → storage.batchGetDownloadUrl (the `fileUrls` function);
 * deleteFile → storage.batchDeleteFile. And what makes it safe to listen on a port (issue 7, items 9 and 13):
 * a PUT needs the signed, expiring authorisation getUploadMetadata hands out for that path, never overwrites,
 * takes only image bytes; a file URL needs a signed token that expires, like a CloudBase temporary URL; files are
 * served with their image type and `nosniff`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tcb from '@cloudbase/node-sdk';
import { signedHeaders } from './signed';
import { startLocalCloud, type LocalCloud } from '../../localcloud';

let cloud: LocalCloud;
let dir: string;
let app: ReturnType<typeof tcb.init>;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wish-storage-'));
  cloud = await startLocalCloud({ port: 0, dataDir: dir, quiet: true });
  process.env.TENCENTCLOUD = 'true';
  app = tcb.init({
    env: 'local',
    secretId: cloud.credentials.secretId,
    secretKey: cloud.credentials.secretKey,
    serviceUrl: `${cloud.url}/tcb`,
  });
});
afterAll(async () => {
  await cloud.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The smallest valid images of each accepted kind (magic numbers first). */
export const IMAGES = {
  png: Buffer.from(
    '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201ffa2f3b1e30000000049454e44ae426082',
    'hex',
  ),
  jpg: Buffer.concat([
    Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'),
    Buffer.from('jpeg body'),
    Buffer.from('ffd9', 'hex'),
  ]),
  gif: Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'),
  webp: Buffer.concat([Buffer.from('RIFF'), Buffer.from([26, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(14)]),
};

// A hand-made wire request, signed with this start's pair as the SDK signs (the wire refuses any other).
const wire = async (body: Record<string, unknown>) =>
  (await (
    await fetch(`${cloud.url}/tcb`, { method: 'POST', headers: signedHeaders(cloud, body), body: JSON.stringify(body) })
  ).json()) as any;
const metadata = async (path: string) => (await wire({ action: 'storage.getUploadMetadata', path, method: 'put' })).data;
const put = (url: string, body: Buffer, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'PUT', body: new Uint8Array(body), headers });

test('getTempFileURL answers the SDK shape: a URL that serves the bytes, STORAGE_FILE_NONEXIST for a missing file', async () => {
  const up = await app.uploadFile({ cloudPath: 'evidence/a.png', fileContent: IMAGES.png });
  expect(up.fileID).toBe('cloud://local.bucket/evidence/a.png');
  const r = await app.getTempFileURL({ fileList: [up.fileID, { fileID: 'cloud://local.bucket/evidence/none.jpg', maxAge: 60 }] });
  expect(r.fileList).toHaveLength(2);
  const [found, missing] = r.fileList as Array<{ fileID: string; tempFileURL: string; code: string }>;
  expect(found).toMatchObject({ fileID: up.fileID, code: 'SUCCESS' });
  const got = await fetch(found!.tempFileURL);
  expect(Buffer.from(await got.arrayBuffer()).equals(IMAGES.png)).toBe(true);
  expect(missing).toMatchObject({ fileID: 'cloud://local.bucket/evidence/none.jpg', tempFileURL: '', code: 'STORAGE_FILE_NONEXIST' });
  expect(typeof r.requestId).toBe('string');
  // deleteFile removes it: the SDK then finds nothing.
  const del = await app.deleteFile({ fileList: [up.fileID] });
  expect(del.fileList).toEqual([{ fileID: up.fileID, code: 'SUCCESS' }]);
  expect(((await app.getTempFileURL({ fileList: [up.fileID] })).fileList as any[])[0].code).toBe('STORAGE_FILE_NONEXIST');
});

test('a PUT without the signed authorisation of its own path, or with an expired one, is refused and stores nothing', async () => {
  const meta = await metadata('uploads/x/one.png');
  expect(meta.authorization).not.toBe('local');
  const target = `${cloud.url}/cos/upload/uploads/x/one.png`;
  const attempts: Array<Record<string, string>> = [
    {}, // anonymous
    { authorization: 'local' },
    { authorization: meta.authorization.replace(/.$/, (c: string) => (c === 'a' ? 'b' : 'a')) }, // tampered
    { authorization: (await metadata('uploads/x/other.png')).authorization }, // another path's
  ];
  for (const headers of attempts) {
    const res = await put(target, IMAGES.png, headers);
    expect({ headers, status: res.status }).toEqual({ headers, status: 403 });
    expect(await res.text()).toContain('<Code>AccessDenied</Code>');
  }
  // An expired authorisation (the local cloud signs with an expiry; forge one in the past with a valid shape).
  const [, sig] = String(meta.authorization).split(':');
  const past = `${String(meta.authorization)
    .split(':')[0]!
    .replace(/\d+$/, String(Math.floor(Date.now() / 1000) - 10))}:${sig}`;
  expect((await put(target, IMAGES.png, { authorization: past })).status).toBe(403);
  const r = await app.getTempFileURL({ fileList: ['cloud://local.bucket/uploads/x/one.png'] });
  expect((r.fileList as any[])[0].code).toBe('STORAGE_FILE_NONEXIST');
  // With its own authorisation the same PUT succeeds.
  expect((await put(target, IMAGES.png, { authorization: meta.authorization })).status).toBe(200);
});

test('a PUT never overwrites a stored file', async () => {
  const meta = await metadata('uploads/x/keep.jpg');
  expect((await put(meta.url, IMAGES.jpg, { authorization: meta.authorization })).status).toBe(200);
  const again = await metadata('uploads/x/keep.jpg');
  const res = await put(again.url, IMAGES.png, { authorization: again.authorization });
  expect(res.status).toBe(409);
  expect(await res.text()).toContain('<Code>');
  // The SDK reports the refusal as an error rather than a success.
  await expect(app.uploadFile({ cloudPath: 'uploads/x/keep.jpg', fileContent: IMAGES.gif })).rejects.toMatchObject({
    code: 'STORAGE_REQUEST_FAIL',
  });
  const [f] = (await app.getTempFileURL({ fileList: ['cloud://local.bucket/uploads/x/keep.jpg'] })).fileList as any[];
  expect(Buffer.from(await (await fetch(f.tempFileURL)).arrayBuffer()).equals(IMAGES.jpg)).toBe(true);
});

test('only image bytes are stored (JPEG, PNG, WebP, GIF), whatever the name says; each is served with its type and nosniff', async () => {
  const html = Buffer.from('<!doctype html><script>alert(document.cookie)</script>');
  for (const [name, bytes] of [
    ['page.html', html],
    ['page.png', html],
    ['svg.png', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')],
    ['empty.jpg', Buffer.alloc(0)],
    ['text.gif', Buffer.from('GIF is not enough')],
  ] as const) {
    const meta = await metadata(`uploads/x/${name}`);
    const res = await put(meta.url, bytes, { authorization: meta.authorization });
    expect({ name, status: res.status }).toEqual({ name, status: 400 });
  }
  for (const [kind, type] of [
    ['png', 'image/png'],
    ['jpg', 'image/jpeg'],
    ['gif', 'image/gif'],
    ['webp', 'image/webp'],
  ] as const) {
    // The stored type follows the bytes, not the name: a PNG named .gif is served as image/png.
    const path = `uploads/x/kind-${kind}.gif`;
    const meta = await metadata(path);
    expect((await put(meta.url, IMAGES[kind], { authorization: meta.authorization })).status).toBe(200);
    const [f] = (await app.getTempFileURL({ fileList: [`cloud://local.bucket/${path}`] })).fileList as any[];
    const res = await fetch(f.tempFileURL);
    expect({ kind, type: res.headers.get('content-type'), nosniff: res.headers.get('x-content-type-options') }).toEqual({
      kind,
      type,
      nosniff: 'nosniff',
    });
  }
});

test('a file URL needs its signed token: without it, tampered, for another file or expired it is refused', async () => {
  const up = await app.uploadFile({ cloudPath: 'uploads/y/secret.png', fileContent: IMAGES.png });
  const other = await app.uploadFile({ cloudPath: 'uploads/y/other.png', fileContent: IMAGES.png });
  const [f, g] = (
    await app.getTempFileURL({
      fileList: [
        { fileID: up.fileID, maxAge: 5 }, // long enough for the checks below on a loaded machine
        { fileID: other.fileID, maxAge: 600 },
      ],
    })
  ).fileList as any[];
  const expiresAt = Date.now() + 5000;
  const url = new URL(f.tempFileURL);
  expect(url.pathname).toBe('/files/uploads/y/secret.png');
  expect(url.search).toMatch(/^\?sign=/);
  expect((await fetch(`${cloud.url}/files/uploads/y/secret.png`)).status).toBe(403);
  const sign = url.searchParams.get('sign')!;
  expect((await fetch(`${cloud.url}/files/uploads/y/secret.png?sign=${sign.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a'))}`)).status).toBe(
    403,
  );
  const otherSign = new URL(g.tempFileURL).searchParams.get('sign');
  expect((await fetch(`${cloud.url}/files/uploads/y/secret.png?sign=${otherSign}`)).status).toBe(403);
  expect((await fetch(f.tempFileURL)).status).toBe(200);
  await new Promise((r) => setTimeout(r, Math.max(0, expiresAt - Date.now()) + 1100));
  expect((await fetch(f.tempFileURL)).status).toBe(403);
  expect((await fetch(g.tempFileURL)).status).toBe(200);
});

test('deleteFile takes at most 50 file ids a call, as the platform documents (Cloud.deleteFile, "一次最多 50 个"): 51 are refused whole', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 51; i++) ids.push((await app.uploadFile({ cloudPath: `evidence/many-${i}.png`, fileContent: IMAGES.png })).fileID);
  await expect(app.deleteFile({ fileList: ids })).rejects.toMatchObject({ code: 'INVALID_PARAM' });
  const still = (await app.getTempFileURL({ fileList: ids.slice(0, 50) })).fileList as Array<{ code: string }>;
  expect(still.every((f) => f.code === 'SUCCESS')).toBe(true); // nothing was deleted
  const del = await app.deleteFile({ fileList: ids.slice(0, 50) });
  expect((del.fileList as Array<{ code: string }>).filter((f) => f.code === 'SUCCESS')).toHaveLength(50);
  expect((await app.deleteFile({ fileList: ids.slice(50) })).fileList).toEqual([{ fileID: ids[50], code: 'SUCCESS' }]);
});
