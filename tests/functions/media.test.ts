/**
 * WeChat's asynchronous photo check, end to end through the real SDK and the local cloud: collect, fulfil and
 * progress submit their photos to security.mediaCheckAsync and record each trace against the stored wish; the
 * verdict arrives as WeChat's `wxa_media_check` message push to mediaCheckResult (delivered by the local cloud's
 * /_local/media-verdicts, with no caller identity, as the platform does). risky (and review) takes the photo
 * off the wish, deletes the file, says so on the timeline and in the audit log; pass leaves it; a repeated push
 * changes nothing; a user cannot send one; a malformed push is refused before any database call.
 */
import { acceptNotice, markedPng, ok, startCloud, inDays, uploadPhoto, wishInput } from './harness';

let env: Awaited<ReturnType<typeof startCloud>>;
beforeAll(async () => {
  env = await startCloud();
}, 60_000);
afterAll(async () => {
  await env.stop();
});
beforeEach(async () => {
  await env.resetRateLimits();
});

let n = 0;
/** Uploads through photoUpload + the signed PUT; a name with `risky`/`review` makes the local "WeChat" judge it so
 * (the marker travels in the bytes: the server picks the stored name). */
async function upload(openid: string, name: string, purpose: 'collect' | 'progress' | 'fulfil', wishId?: string): Promise<string> {
  const marker = ['risky', 'review'].find((m) => name.includes(m));
  return uploadPhoto(env, openid, purpose, { wishId, bytes: Buffer.concat([markedPng(marker ?? 'none'), Buffer.from(name)]) });
}
const bytesOf = async (url: string) => Buffer.from(await (await fetch(url)).arrayBuffer()).toString('latin1');
/** A file's temporary URL as the SDK hands it out (the local cloud serves nothing without one). */
const fileUrl = async (fileID: string) => {
  const [f] = (await env.sdk.getTempFileURL({ fileList: [fileID] })).fileList as Array<{ tempFileURL: string; code: string }>;
  return f!.code === 'SUCCESS' ? f!.tempFileURL : null;
};

async function post(extra: object = {}) {
  const resident = `media-resident-${++n}`;
  await acceptNotice(env, resident);
  const w = ok(await env.call('collect', { ...wishInput, orgId: 'demo-community', ...extra }, resident));
  return { id: w._id as string, resident };
}
async function claimed() {
  const { id, resident } = await post();
  ok(await env.call('register', { wishId: id, category: '生活帮扶', track: 'individual', summary: '需要有人帮忙' }, 'demo-organiser'));
  ok(await env.call('publish', { wishId: id }, 'demo-organiser'));
  ok(await env.call('claim', { wishId: id, promisedBy: inDays(5) }, 'demo-member'));
  return { id, resident };
}
const wishOf = async (id: string) => (await env.db.collection('wishes').doc(id).get()).data[0];
const checksOf = async (wishId: string) => (await env.db.collection('mediachecks').where({ wishId }).get()).data as any[];
const auditOf = async (wishId: string) =>
  (await env.db.collection('audit').where({ action: 'mediaCheck', 'target.id': wishId }).get()).data as any[];
async function verdicts(body: object = {}) {
  const res = await fetch(`${env.cloud.url}/_local/media-verdicts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${env.cloud.credentials.token}` },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { delivered: any[] }).delivered;
}
/** The push WeChat sends, field for field (see docs/api.md, mediaCheckResult). */
const push = (trace_id: string, suggest: string, label: number | string = 100) => ({
  ToUserName: 'gh_7bf1f1389686',
  FromUserName: 'demo-member',
  CreateTime: 1762329554,
  MsgType: 'event',
  Event: 'wxa_media_check',
  appid: 'local-appid',
  trace_id,
  version: 2,
  result: { suggest, label },
  detail: [{ strategy: 'content_model', errcode: 0, suggest, label, prob: 90 }],
});

test('a risky evidence photo is taken off the wish, its file deleted, the timeline and the audit say so; a pass stays', async () => {
  const { id, resident } = await claimed();
  const bad = await upload('demo-member', 'risky-evidence.jpg', 'fulfil', id);
  const good = await upload('demo-member', 'evidence.jpg', 'fulfil', id);
  ok(await env.call('fulfil', { wishId: id, note: '已上门陪伴', photos: [bad, good] }, 'demo-member'));

  // Each submission is recorded against the stored wish, pending.
  const pending = await checksOf(id);
  expect(pending.map((c) => [c.fileId, c.state, c.openid]).sort()).toEqual(
    [
      [bad, 'pending', 'demo-member'],
      [good, 'pending', 'demo-member'],
    ].sort(),
  );
  expect(pending.every((c) => /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/.test(c._id))).toBe(true);
  const before = await wishOf(id);
  expect(before.fulfilment.photos).toEqual([bad, good]);
  expect(Object.keys(ok(await env.call('fileUrls', { fileIds: [bad, good] }, resident)).urls).sort()).toEqual([bad, good].sort());

  const delivered = await verdicts({ fileIds: [bad, good] });
  expect(delivered.map((d) => [d.fileId, d.suggest, d.status]).sort()).toEqual(
    [
      [bad, 'risky', 200],
      [good, 'pass', 200],
    ].sort(),
  );

  const after = await wishOf(id);
  expect(after.fulfilment.photos).toEqual([good]);
  expect(after.version).toBe(before.version + 1);
  expect(after.status).toBe('fulfilled');
  const last = after.timeline[after.timeline.length - 1];
  expect(last).toMatchObject({ action: 'photoRemoved', actorRole: 'system', actorId: 'system', status: 'fulfilled' });
  expect(last.note).toContain('未通过内容安全检查');
  expect(JSON.stringify(after.timeline)).not.toContain(bad);
  // The file is gone from storage; the good one is still served.
  expect(await fileUrl(bad)).toBeNull();
  expect(await bytesOf((await fileUrl(good))!)).toContain('evidence.jpg');
  const record = async (f: string) =>
    (
      await env.db
        .collection('files')
        .doc(/([0-9a-f]{32})\.\w+$/.exec(f)![1]!)
        .get()
    ).data[0];
  expect(await record(bad)).toMatchObject({ state: 'deleted' });
  expect(await record(good)).toMatchObject({ state: 'attached', wishId: id });
  // fileUrls no longer hands it out; the good photo still comes.
  expect((await env.call('fileUrls', { fileIds: [bad] }, resident)).status).toBe(403);
  expect(Object.keys(ok(await env.call('fileUrls', { fileIds: [good] }, resident)).urls)).toEqual([good]);
  // One audit entry, by the system, for the removal; none for the pass.
  const entries = await auditOf(id);
  expect(entries).toHaveLength(1);
  expect(entries[0]).toMatchObject({
    actorId: 'system',
    actorRole: 'system',
    target: { kind: 'wish', id },
    orgPath: ['demo-city', 'demo-district', 'demo-street', 'demo-community'],
    before: { fileId: bad, version: before.version, submittedBy: 'demo-member' },
    after: { verdict: 'risky', removedFrom: ['fulfilment'], fileDeleted: true, version: before.version + 1 },
  });
  // Both checks are done, with their verdicts.
  const done = await checksOf(id);
  expect(done.map((c) => [c.fileId, c.state, c.verdict]).sort()).toEqual(
    [
      [bad, 'done', 'risky'],
      [good, 'done', 'pass'],
    ].sort(),
  );
  // The organiser's audit log shows it too.
  const log = ok(await env.call('auditLog', { limit: 20 }, 'demo-organiser'));
  expect(log.items.some((e: any) => e.action === 'mediaCheck' && e.target.id === id)).toBe(true);

  // A repeated push changes nothing: same answer shape, no new version, no second audit entry.
  const trace = done.find((c) => c.fileId === bad)._id;
  const again = ok(await env.trigger('mediaCheckResult', push(trace, 'risky', '20002')));
  expect(again).toEqual({ traceId: trace, state: 'done', changed: false });
  const goodTrace = done.find((c) => c.fileId === good)._id;
  // Even a contradicting verdict for a finished check changes nothing.
  expect(ok(await env.trigger('mediaCheckResult', push(goodTrace, 'risky')))).toEqual({
    traceId: goodTrace,
    state: 'done',
    changed: false,
  });
  expect(await wishOf(id)).toEqual(after);
  expect(await auditOf(id)).toHaveLength(1);
  expect(await bytesOf((await fileUrl(good))!)).toContain('evidence.jpg');
  // Nothing left for the local "WeChat" to deliver for these photos.
  expect(await verdicts({ fileIds: [bad, good] })).toEqual([]);
});

test("a resident's risky photo on collect: the check points at the stored wish and the verdict removes it", async () => {
  const bad = await upload('media-poster', 'risky.png', 'collect');
  const plain = await upload('media-poster', 'door.png', 'collect');
  await acceptNotice(env, 'media-poster');
  const w = ok(
    await env.call('collect', { ...wishInput, orgId: 'demo-community', photos: [plain, bad], requestId: 'media-1' }, 'media-poster'),
  );
  expect(w.photos).toEqual([plain, bad]);
  // The id the check records is the stored wish's id (collect submits before the store, records after it).
  const checks = await checksOf(w._id);
  expect(checks.map((c) => c.fileId).sort()).toEqual([plain, bad].sort());
  // A retried collect (same requestId) records nothing twice.
  ok(await env.call('collect', { ...wishInput, orgId: 'demo-community', photos: [plain, bad], requestId: 'media-1' }, 'media-poster'));
  expect(await checksOf(w._id)).toHaveLength(2);

  await verdicts({ fileIds: [bad, plain] });
  const after = await wishOf(w._id);
  expect(after.photos).toEqual([plain]);
  expect(after.timeline.map((e: any) => e.action)).toEqual(['collect', 'photoRemoved']);
  expect(after.version).toBe(w.version + 1);
  expect((await auditOf(w._id))[0].after).toMatchObject({ verdict: 'risky', removedFrom: ['wish'] });
  expect(await fileUrl(bad)).toBeNull();
});

test('a progress photo held for review is treated like risky: removed from its timeline entry', async () => {
  const { id } = await claimed();
  const photo = await upload('demo-member', 'progress.jpg', 'progress', id); // no marker: by itself it would pass
  ok(await env.call('progress', { wishId: id, note: '已联系上居民', photos: [photo] }, 'demo-member'));
  const before = await wishOf(id);
  expect(before.timeline[before.timeline.length - 1].photos).toEqual([photo]);
  // The local "WeChat" can be told the verdict (npm run media-verdicts -- --review <file id>).
  const [d] = await verdicts({ fileIds: [photo], suggest: 'review' });
  expect(d).toMatchObject({
    fileId: photo,
    suggest: 'review',
    status: 200,
    answer: { code: 0, data: { changed: true, removed: ['timeline'] } },
  });
  const after = await wishOf(id);
  const progress = after.timeline.find((e: any) => e.action === 'progress');
  expect(progress.photos).toEqual([]);
  expect(after.timeline[after.timeline.length - 1]).toMatchObject({ action: 'photoRemoved', note: expect.stringContaining('人工审核') });
  expect((await auditOf(id))[0].after).toMatchObject({ verdict: 'review', removedFrom: ['timeline'] });
  expect(await fileUrl(photo)).toBeNull();
});

test('a push for a trace we never recorded changes nothing', async () => {
  const wishes = JSON.stringify((await env.db.collection('wishes').limit(1000).get()).data);
  expect(ok(await env.trigger('mediaCheckResult', push('00000000-00000000-00000000', 'risky')))).toEqual({
    traceId: '00000000-00000000-00000000',
    state: 'unknown',
  });
  expect(JSON.stringify((await env.db.collection('wishes').limit(1000).get()).data)).toBe(wishes);
});

test('mediaCheckAsync is sent an https URL WeChat can fetch (the photo’s temporary URL), never the cloud:// id', async () => {
  const { id } = await claimed();
  const photo = await upload('demo-member', 'fetch-me.jpg', 'fulfil', id);
  ok(await env.call('fulfil', { wishId: id, note: '已办好', photos: [photo] }, 'demo-member'));
  const sent = env.cloud.wxCalls().filter((c) => c.apiName === 'security.mediaCheckAsync');
  const call = sent.at(-1)!;
  expect(call.params).toMatchObject({ media_type: 2, version: 2, scene: 2, openid: 'demo-member' });
  const url = call.params.media_url as string;
  expect(url).toMatch(/^https?:\/\//);
  expect(sent.every((c) => !String(c.params.media_url).startsWith('cloud://'))).toBe(true);
  // Fetchable as WeChat would fetch it, the photo's own bytes; for an hour (getTempFileURL max_age 3600).
  expect(await bytesOf(url)).toContain('fetch-me.jpg');
  const expiry = Number(/[?&]sign=(\d+)\./.exec(url)![1]);
  expect(expiry - Date.now() / 1000).toBeGreaterThan(3500);
  // The trace is recorded against the stored file.
  const listed = (await (
    await fetch(`${env.cloud.url}/_local/media-checks`, { headers: { authorization: `Bearer ${env.cloud.credentials.token}` } })
  ).json()) as Array<{ mediaUrl: string; fileId: string }>;
  expect(listed.find((t) => t.fileId === photo)?.mediaUrl).toBe(url);
  expect((await checksOf(id)).map((c) => c.fileId)).toEqual([photo]);
});

test('a push with an OPENID in its context is accepted when it is a well-formed wxa_media_check push of this app; an ordinary event with an identity is refused', async () => {
  const { join } = await import('node:path');
  const { FunctionHost } = await import('../../localcloud/functions');
  // The built bundle, run in this process the way the platform runs it, with a context that carries an OPENID.
  const { main } = require(join(__dirname, '../../cloudfunctions/mediaCheckResult/index.js')) as {
    main: (event: object, context: object) => Promise<{ code: string | number; data?: any }>;
  };
  const withOpenid = () => FunctionHost.context('mediaCheckResult', 'demo-member'); // WX_APPID=local-appid
  const { id } = await claimed();
  const photo = await upload('demo-member', 'with-openid-risky.jpg', 'fulfil', id);
  ok(await env.call('fulfil', { wishId: id, note: '已办好', photos: [photo] }, 'demo-member'));
  const [check] = await checksOf(id);
  const before = await wishOf(id);
  // A mini-program user's ordinary event, another app's push, a push without an app id: refused, nothing written.
  for (const event of [
    { wishId: id },
    { trace_id: check._id, result: { suggest: 'risky' } },
    { ...push(check._id, 'risky'), appid: 'wx-other-app' },
    { ...push(check._id, 'risky'), appid: undefined },
    { ...push(check._id, 'risky'), MsgType: 'text' },
  ])
    expect(await main(event, withOpenid())).toMatchObject({ code: 'AUTH.FORBIDDEN' });
  expect(await wishOf(id)).toEqual(before);
  // The push itself, with the OPENID WeChat may put in its context: applied.
  expect(await main(push(check._id, 'risky', 20002), withOpenid())).toMatchObject({ code: 0, data: { changed: true } });
  expect((await wishOf(id)).fulfilment.photos).toEqual([]);
});

test('a user cannot send a verdict: 403 and nothing written', async () => {
  const { id } = await claimed();
  const photo = await upload('demo-member', 'ok.jpg', 'fulfil', id);
  ok(await env.call('fulfil', { wishId: id, note: '已办好', photos: [photo] }, 'demo-member'));
  const [check] = await checksOf(id);
  const snapshot = async () =>
    JSON.stringify(
      await Promise.all(['wishes', 'mediachecks', 'audit'].map(async (c) => (await env.db.collection(c).limit(1000).get()).data)),
    );
  const before = await snapshot();
  for (const who of ['demo-member', 'demo-organiser', check.openid]) {
    const r = await env.call('mediaCheckResult', push(check._id, 'risky'), who);
    expect({ status: r.status, code: r.body.code }).toEqual({ status: 403, code: 'AUTH.FORBIDDEN' });
  }
  expect(await snapshot()).toBe(before);
  expect(await bytesOf((await fileUrl(photo))!)).toContain('ok.jpg');
});

test('malformed pushes are refused with 400 before any database call', async () => {
  const good = push('690b03d2-301f6111-35ffbd44', 'pass');
  const bad: unknown[] = [
    { ...good, MsgType: 'text' },
    { ...good, Event: 'subscribe_msg_popup_event' },
    { ...good, trace_id: undefined },
    { ...good, trace_id: { $ne: null } },
    { ...good, trace_id: '../../etc' },
    { ...good, result: undefined },
    { ...good, result: { suggest: 'maybe', label: 100 } },
    { ...good, result: { suggest: { $ne: 'pass' } } },
    { ...good, result: { suggest: 'risky', label: 'abc' } },
    { ...good, version: 1 },
    { ...good, detail: 'x' },
    [],
  ];
  for (const event of bad) {
    const before = env.cloud.stats().wireTotal;
    const r = await env.trigger('mediaCheckResult', event as object);
    expect({ event, status: r.status, code: r.body.code }).toEqual({ event, status: 400, code: 'INPUT.INVALID' });
    expect(env.cloud.stats().wireTotal).toBe(before);
  }
  // A label sent as a string (as WeChat's forum shows) and version "2" are accepted.
  expect((await env.trigger('mediaCheckResult', { ...good, version: '2', result: { suggest: 'pass', label: '100' } })).status).toBe(200);
});

test('two copies of one push at once: the photo is removed once, audited once', async () => {
  const { id } = await claimed();
  const photo = await upload('demo-member', 'twice.jpg', 'fulfil', id);
  ok(await env.call('fulfil', { wishId: id, note: '已办好', photos: [photo] }, 'demo-member'));
  const [check] = await checksOf(id);
  const before = await wishOf(id);
  const answers = await Promise.all([1, 2, 3].map(() => env.trigger('mediaCheckResult', push(check._id, 'risky', 20002))));
  expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
  expect(answers.filter((r) => r.data.changed === true)).toHaveLength(1);
  const after = await wishOf(id);
  expect(after.version).toBe(before.version + 1);
  expect(after.fulfilment.photos).toEqual([]);
  expect(after.timeline.filter((e: any) => e.action === 'photoRemoved')).toHaveLength(1);
  expect(await auditOf(id)).toHaveLength(1);
});

test('npm run media-verdicts delivers a named verdict for named files on the running local cloud', async () => {
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  const { join } = await import('node:path');
  const { id } = await claimed();
  const photo = await upload('demo-member', 'plain.jpg', 'fulfil', id);
  ok(await env.call('fulfil', { wishId: id, note: '已办好', photos: [photo] }, 'demo-member'));
  const listed = (await (
    await fetch(`${env.cloud.url}/_local/media-checks`, { headers: { authorization: `Bearer ${env.cloud.credentials.token}` } })
  ).json()) as Array<{ mediaUrl: string; fileId: string }>;
  expect(listed.map((t) => t.fileId)).toContain(photo);
  // Asynchronously: the local cloud answering the script runs in this process.
  const { stdout } = await promisify(execFile)(process.execPath, ['scripts/media-verdicts.mjs', '--risky', photo], {
    cwd: join(__dirname, '../..'),
    env: { ...process.env, LOCALCLOUD_DATA: env.cloud.dataDir }, // the script finds the cloud and its token there
    encoding: 'utf8',
  });
  expect(JSON.parse(stdout).delivered).toMatchObject([{ fileId: photo, suggest: 'risky', status: 200 }]);
  expect((await wishOf(id)).fulfilment.photos).toEqual([]);
});
