/**
 * Photos (issue 7, items 3 and 4): a photo id is accepted on a wish only from the caller who uploaded it for that
 * purpose (photoUpload records it); fileUrls answers only for photos the caller may see, decided per place by the
 * core; deleting a resident's data and the retention purge erase the photo references and delete the files.
 * Every refusal leaves the guarded collections untouched.
 */
import { uploadPhoto, PNG } from '../functions/harness';
import { acceptNotice, inDays, ok, snapshot, stages, wishInput, type Env, suite } from './setup';

const { extra, ready } = suite('photos');
let env: Env;
let s: ReturnType<typeof stages>;
beforeAll(() => ({ env, s } = ready()));
beforeEach(() => env.resetRateLimits());

const stored = async (id: string) => (await env.db.collection('wishes').doc(id).get()).data[0];
/** Whether storage still holds the file (asked through the SDK, as a function would). */
const inStorage = async (fileID: string) =>
  ((await env.sdk.getTempFileURL({ fileList: [fileID] })).fileList as Array<{ code: string }>)[0]!.code === 'SUCCESS';
const record = async (fileID: string) =>
  (
    await env.db
      .collection('files')
      .doc(/([0-9a-f]{32})\.\w+$/.exec(fileID)![1]!)
      .get()
  ).data[0];

let n = 0;
async function residentPosts(photoCount = 1) {
  const resident = `photo-resident-${++n}`;
  await acceptNotice(env, resident);
  const photos: string[] = [];
  for (let i = 0; i < photoCount; i++) photos.push(await uploadPhoto(env, resident, 'collect'));
  const w = ok(await env.call('collect', { ...wishInput, orgId: 'demo-community', photos }, resident));
  return { id: w._id as string, resident, photos };
}

test('a photo id someone has seen cannot be attached by anyone else, nor reused, nor used for another purpose', async () => {
  const victim = await residentPosts();
  const seen = victim.photos[0]!; // the organiser, later a claimer, sees this id
  expect(seen).toMatch(/^cloud:\/\/local\.bucket\/uploads\/[0-9a-f]{16}\/[0-9a-f]{32}\.png$/);
  expect(await record(seen)).toMatchObject({ owner: victim.resident, purpose: 'collect', wishId: victim.id, state: 'attached' });

  const claimed = await s.claimed('demo-member');
  const attacker = 'photo-attacker';
  await acceptNotice(env, attacker);
  const before = await snapshot(env);
  const refusals: Array<[string, object, string]> = [
    ['collect', { ...wishInput, orgId: 'demo-community', photos: [seen] }, attacker],
    ['fulfil', { wishId: claimed, note: '已办好', photos: [seen] }, 'demo-member'],
    ['progress', { wishId: claimed, note: '进展', photos: [seen] }, 'demo-member'],
    // The owner cannot move it to a second wish either.
    ['collect', { ...wishInput, orgId: 'demo-community', photos: [seen] }, victim.resident],
    // A made-up id in the caller's own folder (no upload recorded), and one outside uploads/.
    ['fulfil', { wishId: claimed, note: '已办好', photos: [seen.replace(/[0-9a-f]{32}/, '0'.repeat(32))] }, 'demo-member'],
    ['fulfil', { wishId: claimed, note: '已办好', photos: ['cloud://local.bucket/evidence/a.png'] }, 'demo-member'],
  ];
  // The member's own upload, but for another wish, for another purpose, or never uploaded.
  const other = await s.claimed('demo-member');
  refusals.push([
    'fulfil',
    { wishId: claimed, note: '已办好', photos: [await uploadPhoto(env, 'demo-member', 'fulfil', { wishId: other })] },
    'demo-member',
  ]);
  refusals.push([
    'fulfil',
    { wishId: claimed, note: '已办好', photos: [await uploadPhoto(env, 'demo-member', 'progress', { wishId: claimed })] },
    'demo-member',
  ]);
  const issuedOnly = ok(await env.call('photoUpload', { purpose: 'fulfil', wishId: claimed, ext: 'png' }, 'demo-member')).upload.fileId;
  refusals.push(['fulfil', { wishId: claimed, note: '已办好', photos: [issuedOnly] }, 'demo-member']);
  const snap = await snapshot(env); // the uploads above were recorded; nothing below may change anything
  for (const [fn, event, who] of refusals) {
    const r = await env.call(fn, event, who);
    expect({ fn, event, status: r.status, code: r.body.code }).toEqual({ fn, event, status: 403, code: 'PHOTO.NOT_OWNED' });
    expect((r.body as { message: string }).message).toMatch(/[\u4e00-\u9fa5]/);
  }
  expect(await snapshot(env)).toBe(snap);
  expect(before).not.toBe(snap);
  // Nobody but those who may see the victim's wish gets a URL for it.
  for (const who of [attacker, 'demo-member-2', 'demo-organiser-2'])
    expect((await env.call('fileUrls', { fileIds: [seen] }, who)).status).toBe(403);
  // The member's own photo for this wish and purpose is accepted, once.
  const mine = await uploadPhoto(env, 'demo-member', 'fulfil', { wishId: claimed });
  ok(await env.call('fulfil', { wishId: claimed, note: '已办好', photos: [mine] }, 'demo-member'));
  expect(await record(mine)).toMatchObject({ owner: 'demo-member', purpose: 'fulfil', wishId: claimed, state: 'attached' });
  expect((await env.call('fulfil', { wishId: other, note: '已办好', photos: [mine] }, 'demo-member')).body.code).toBe('PHOTO.NOT_OWNED');
  extra('refusals', { attempts: refusals.length + 1 });
});

test("photoUpload: identity required; progress and fulfil only for whoever may do them now; a path in the caller's folder", async () => {
  const claimed = await s.claimed('demo-member');
  const before = await snapshot(env);
  const r401 = await env.call('photoUpload', { purpose: 'collect', ext: 'jpg' });
  expect({ status: r401.status, code: r401.body.code }).toEqual({ status: 401, code: 'AUTH.NO_IDENTITY' });
  for (const who of ['demo-member-2', 'demo-organiser-2', 'demo-resident'])
    expect((await env.call('photoUpload', { purpose: 'fulfil', wishId: claimed, ext: 'jpg' }, who)).status).toBe(403);
  for (const event of [
    { purpose: 'collect', wishId: claimed, ext: 'jpg' },
    { purpose: 'fulfil', ext: 'jpg' },
    { purpose: 'collect', ext: 'html' },
    { purpose: 'avatar', ext: 'jpg' },
  ])
    expect((await env.call('photoUpload', event, 'demo-member')).status).toBe(400);
  expect(await snapshot(env)).toBe(before);
  const a = ok(await env.call('photoUpload', { purpose: 'collect', ext: 'jpeg' }, 'photo-uploader'));
  const b = ok(await env.call('photoUpload', { purpose: 'collect', ext: 'png' }, 'photo-uploader'));
  const c = ok(await env.call('photoUpload', { purpose: 'collect', ext: 'png' }, 'demo-member'));
  const folder = (p: string) => p.split('/')[1];
  expect(a.cloudPath).toMatch(/^uploads\/[0-9a-f]{16}\/[0-9a-f]{32}\.jpg$/);
  expect(folder(a.cloudPath)).toBe(folder(b.cloudPath));
  expect(folder(a.cloudPath)).not.toBe(folder(c.cloudPath));
  expect(a.cloudPath).not.toContain('photo-uploader');
  // The upload metadata is for that path only: another caller's path cannot be written with it.
  const put = (url: string, authorization: string) => fetch(url, { method: 'PUT', headers: { authorization }, body: new Uint8Array(PNG) });
  expect((await put(c.upload.url, a.upload.authorization)).status).toBe(403);
  expect((await put(a.upload.url, a.upload.authorization)).status).toBe(200);
  expect((await put(a.upload.url, a.upload.authorization)).status).toBe(409); // never overwritten
});

test("fileUrls decides per place: the resident's photos with the contact, evidence with the evidence; URLs live 5 minutes", async () => {
  const w = await residentPosts();
  const own = w.photos[0]!;
  ok(await env.call('register', { wishId: w.id, category: '生活帮扶', track: 'individual', summary: '需要有人帮忙' }, 'demo-organiser'));
  ok(await env.call('publish', { wishId: w.id }, 'demo-organiser'));
  const urls = async (who: string, ids: string[]) => env.call('fileUrls', { fileIds: ids }, who);
  // A member of the board sees neither.
  expect((await urls('demo-member-2', [own])).status).toBe(403);
  ok(await env.call('claim', { wishId: w.id, promisedBy: inDays(3) }, 'demo-member'));
  const evidence = await uploadPhoto(env, 'demo-member', 'fulfil', { wishId: w.id });
  // The active claimer sees the resident's photo (with the contact).
  expect(Object.keys(ok(await urls('demo-member', [own])).urls)).toEqual([own]);
  ok(await env.call('fulfil', { wishId: w.id, note: '已办好', photos: [evidence] }, 'demo-member'));
  // Once the claim is done the member keeps the evidence but no longer the resident's own photo.
  expect(Object.keys(ok(await urls('demo-member', [evidence])).urls)).toEqual([evidence]);
  expect((await urls('demo-member', [own])).status).toBe(403);
  expect((await urls('demo-member', [own, evidence])).status).toBe(403);
  for (const who of [w.resident, 'demo-organiser'])
    expect(Object.keys(ok(await urls(who, [own, evidence])).urls).sort()).toEqual([own, evidence].sort());
  for (const who of ['demo-member-2', 'demo-member-3', 'demo-organiser-2', 'stranger'])
    expect((await urls(who, [evidence])).status).toBe(403);
  // The URL is signed and expires within 5 minutes; without its signature the file is refused.
  const answer = ok(await urls('demo-organiser', [own]));
  expect(answer.maxAge).toBe(300);
  const url = new URL(answer.urls[own]);
  const expiry = Number(url.searchParams.get('sign')!.split('.')[0]);
  expect(expiry * 1000 - Date.now()).toBeLessThanOrEqual(300_000);
  expect(expiry * 1000 - Date.now()).toBeGreaterThan(280_000);
  expect((await fetch(url)).status).toBe(200);
  expect((await fetch(`${url.origin}${url.pathname}`)).status).toBe(403);
});

test('deleteMyData erases the photos: references on the wish and the timeline, and the files in storage', async () => {
  const w = await residentPosts(2);
  for (const p of w.photos) expect(await inStorage(p)).toBe(true);
  const r = ok(await env.call('deleteMyData', { confirm: true }, w.resident));
  expect(r).toMatchObject({ erased: [w.id], filesDeleted: 2 });
  const after = await stored(w.id);
  expect(after.photos).toEqual([]);
  expect(JSON.stringify(after)).not.toContain('uploads/');
  for (const p of w.photos) {
    expect(await inStorage(p)).toBe(false);
    expect(await record(p)).toMatchObject({ state: 'deleted' });
  }
  expect((await env.call('fileUrls', { fileIds: w.photos }, 'demo-organiser')).status).toBe(403);
  extra('deleteMyData', { filesDeleted: r.filesDeleted });
});

test('the retention purge erases every photo of an old wish (resident, progress, fulfilment) and deletes the files', async () => {
  const w = await residentPosts();
  ok(await env.call('register', { wishId: w.id, category: '生活帮扶', track: 'individual', summary: '需要有人帮忙' }, 'demo-organiser'));
  ok(await env.call('publish', { wishId: w.id }, 'demo-organiser'));
  ok(await env.call('claim', { wishId: w.id, promisedBy: inDays(3) }, 'demo-member'));
  const progress = await uploadPhoto(env, 'demo-member', 'progress', { wishId: w.id });
  ok(await env.call('progress', { wishId: w.id, note: '已联系上', photos: [progress] }, 'demo-member'));
  const evidence = await uploadPhoto(env, 'demo-member', 'fulfil', { wishId: w.id });
  ok(await env.call('fulfil', { wishId: w.id, note: '已办好', photos: [evidence] }, 'demo-member'));
  ok(await env.call('feedback', { wishId: w.id, satisfaction: 'satisfied' }, w.resident));
  ok(await env.call('closeOut', { wishId: w.id }, 'demo-organiser'));
  const all = [...w.photos, progress, evidence];
  const longAgo = new Date(Date.now() - 400 * 86_400_000).toISOString();
  await env.db.collection('wishes').doc(w.id).update({ updatedAt: longAgo, closedAt: longAgo });
  // An upload issued two days ago and never attached (a form abandoned) goes too; one from now stays.
  const abandoned = await uploadPhoto(env, 'demo-member', 'collect');
  const fresh = await uploadPhoto(env, 'demo-member', 'collect');
  await env.db
    .collection('files')
    .doc(/([0-9a-f]{32})\.png$/.exec(abandoned)![1]!)
    .update({ issuedAt: new Date(Date.now() - 2 * 86_400_000).toISOString() });

  const r = ok(await env.trigger('purge', { Type: 'Timer' }));
  expect(r.purged).toBeGreaterThanOrEqual(1);
  expect(r.unattachedDeleted).toBeGreaterThanOrEqual(1);
  const after = await stored(w.id);
  expect(after.photos).toEqual([]);
  expect(after.fulfilment.photos).toEqual([]);
  expect(after.timeline.flatMap((e: { photos?: string[] }) => e.photos ?? [])).toEqual([]);
  for (const p of [...all, abandoned]) expect({ p, stored: await inStorage(p) }).toEqual({ p, stored: false });
  expect(await inStorage(fresh)).toBe(true);
  const [audit] = (await env.db.collection('audit').where({ action: 'purge', 'target.id': w.id }).get()).data as any[];
  expect(audit.after).toMatchObject({ photos: 3, filesDeleted: 3 });
  extra('purge', { photosDeleted: all.length });
});

test('storage.rules.json: no client reads a photo by id; a signed-in client writes only its own files', async () => {
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const rules = JSON.parse(readFileSync(join(__dirname, '../../storage.rules.json'), 'utf8'));
  expect({ read: rules.read, write: rules.write }).toEqual({
    read: false,
    write:
      "auth != null && auth.loginType != 'ANONYMOUS' && resource.openid == auth.openid && ((resource.path >= 'uploads/' && resource.path < 'uploads0') || (resource.path >= 'imports/' && resource.path < 'imports0'))",
  });
  // The rule language is JavaScript-like (docs.cloudbase.net/rule/learn-rules): evaluated as such, it lets the owner
  // write under uploads/ only, and no anonymous or other caller.
  const write = new Function('auth', 'resource', `return ${rules.write};`) as (a: unknown, r: unknown) => boolean;
  const me = { openid: 'o-1', loginType: 'WECHAT-OPEN' };
  expect(write(me, { openid: 'o-1', path: 'uploads/0123456789abcdef/' + 'a'.repeat(32) + '.jpg' })).toBe(true);
  expect(write(me, { openid: 'o-1', path: 'evidence/a.png' })).toBe(false);
  expect(write(me, { openid: 'o-1', path: 'uploadsX/a.png' })).toBe(false);
  expect(write(me, { openid: 'o-1', path: 'ledgers/a.xlsx' })).toBe(false);
  // The batch import's spreadsheet goes under imports/ (importBatch mode upload), its own folder like a photo's.
  expect(write(me, { openid: 'o-1', path: 'imports/0123456789abcdef/' + 'b'.repeat(32) + '.xlsx' })).toBe(true);
  expect(write(me, { openid: 'o-2', path: 'imports/0123456789abcdef/b.xlsx' })).toBe(false);
  expect(write(me, { openid: 'o-1', path: 'importsX/b.xlsx' })).toBe(false);
  expect(write(me, { openid: 'o-2', path: 'uploads/x/a.png' })).toBe(false);
  expect(write({ uid: 'u', loginType: 'ANONYMOUS' }, { openid: undefined, path: 'uploads/x/a.png' })).toBe(false);
  expect(write(null, { openid: 'o-1', path: 'uploads/x/a.png' })).toBe(false);
});

test('the purge deletes more than 50 abandoned uploads: deleteFile is called 50 ids at a time (the platform takes no more)', async () => {
  const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000).toISOString();
  const real = await uploadPhoto(env, 'demo-member', 'collect');
  const realKey = /([0-9a-f]{32})\.png$/.exec(real)![1]!;
  await env.db.collection('files').doc(realKey).update({ issuedAt: twoDaysAgo });
  // 60 more abandoned upload records whose files never arrived (deleteFile answers STORAGE_FILE_NONEXIST for those).
  const keys = Array.from({ length: 60 }, (_, i) => `${'a'.repeat(28)}${String(i).padStart(4, '0')}`);
  for (const k of keys)
    await env.db.collection('files').add({
      _id: k,
      path: `uploads/0123456789abcdef/${k}.png`,
      fileId: `cloud://local.bucket/uploads/0123456789abcdef/${k}.png`,
      owner: 'demo-member',
      purpose: 'collect',
      wishId: null,
      state: 'issued',
      issuedAt: twoDaysAgo,
    });
  const r = ok(await env.trigger('purge', { Type: 'Timer' }));
  expect(r.unattachedDeleted).toBeGreaterThanOrEqual(61);
  expect(await inStorage(real)).toBe(false);
  for (const k of [realKey, ...keys]) expect((await env.db.collection('files').doc(k).get()).data[0].state).toBe('deleted');
});
