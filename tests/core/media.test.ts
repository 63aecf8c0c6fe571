/** removePhoto: the core decides the wish after WeChat's media check finds a photo risky (or for review). */
import { ACTION_LABEL, removePhoto, mediaCheckPushEvent, parseEvent, type Wish } from '../../src/core';
import { NOW, wishIn } from './fixtures';

const BAD = 'cloud://local.bucket/uploads/m1/bad.jpg';
const OK = 'cloud://local.bucket/uploads/m1/ok.jpg';

function withPhotos(): Wish {
  const w = wishIn('fulfilled');
  return {
    ...w,
    photos: [BAD, OK],
    fulfilment: { note: '已办好', photos: [OK, BAD], at: NOW.toISOString() },
    timeline: [
      ...w.timeline,
      { status: 'claimed', action: 'progress', at: NOW.toISOString(), actorRole: 'member', actorId: 'm1', note: '进展', photos: [BAD] },
    ],
  };
}

test('the photo leaves every place it appears, one version on, with a system entry that does not name it', () => {
  const w = withPhotos();
  const copy = JSON.parse(JSON.stringify(w));
  const r = removePhoto(w, BAD, 'risky', NOW)!;
  expect(r.places).toEqual(['wish', 'fulfilment', 'timeline']);
  expect(r.wish.photos).toEqual([OK]);
  expect(r.wish.fulfilment!.photos).toEqual([OK]);
  expect(r.wish.timeline.some((e) => e.photos?.includes(BAD))).toBe(false);
  expect(r.wish.version).toBe(w.version + 1);
  expect(r.wish.status).toBe(w.status);
  expect(r.wish.timeline).toHaveLength(w.timeline.length + 1);
  expect(r.entry).toEqual({
    status: w.status,
    action: 'photoRemoved',
    at: NOW.toISOString(),
    actorRole: 'system',
    actorId: 'system',
    note: '一张照片未通过内容安全检查，已被移除',
  });
  expect(r.wish.timeline[r.wish.timeline.length - 1]).toEqual(r.entry);
  expect(ACTION_LABEL[r.entry.action]).toBe('移除照片');
  expect(w).toEqual(copy); // the input is not mutated
});

test('review says the photo waits for a person; only the place it was in changes', () => {
  const w = { ...withPhotos(), photos: [OK] };
  const r = removePhoto(w, BAD, 'review', NOW)!;
  expect(r.places).toEqual(['fulfilment', 'timeline']);
  expect(r.wish.photos).toEqual([OK]);
  expect(r.entry.note).toContain('人工审核');
});

test('a wish without the photo (removed already, erased, never stored): nothing to do', () => {
  expect(removePhoto(withPhotos(), 'cloud://local.bucket/other.jpg', 'risky', NOW)).toBeNull();
  const once = removePhoto(withPhotos(), BAD, 'risky', NOW)!;
  expect(removePhoto(once.wish, BAD, 'risky', NOW)).toBeNull();
});

test("the push schema reads WeChat's fields and drops the rest", () => {
  const r = parseEvent(mediaCheckPushEvent(), {
    ToUserName: 'gh_x',
    FromUserName: 'o1',
    CreateTime: 1762329554,
    MsgType: 'event',
    Event: 'wxa_media_check',
    appid: 'wx1',
    trace_id: '690b03d2-301f6111-35ffbd44',
    version: 2,
    result: { suggest: 'risky', label: '20002' },
    detail: [{ strategy: 'content_model', errcode: 0, suggest: 'risky', label: 20002, prob: 90 }],
    openid: 'spoofed',
  });
  expect(r.ok).toBe(true);
  if (r.ok) {
    expect(r.value.result).toEqual({ suggest: 'risky', label: '20002' });
    expect('openid' in r.value).toBe(false);
  }
  expect(parseEvent(mediaCheckPushEvent(), { MsgType: 'event', Event: 'wxa_media_check', result: { suggest: 'pass' } }).ok).toBe(false);
});
