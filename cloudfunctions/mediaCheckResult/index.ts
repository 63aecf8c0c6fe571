// 照片检测结果 mediaCheckResult: the target of WeChat's message push (消息推送, set to this cloud function in the
// CloudBase console) for `wxa_media_check`, the verdict of a photo submitted to security.mediaCheckAsync by
// collect, fulfil or progress. risky (and review, treated the same: see docs/api.md) removes the photo from its
// wish, deletes the file and writes an audit entry; pass only closes the check. A repeated push changes nothing.
// Never callable by users: functions.rules.json denies it to clients, and a call with an identity is refused unless
// its event is a well-formed wxa_media_check push of this mini-program (WeChat's push may carry an OPENID).
import { mediaCheckPushEvent } from '../../src/core';
import { applyVerdict } from '../../server/mediaChecks';
import { definePush } from '../../server/runner';

export const main = definePush(
  'mediaCheckResult',
  { MsgType: 'event', Event: 'wxa_media_check' },
  mediaCheckPushEvent(),
  async (event, now) => {
    const label = event.result.label === undefined ? null : Number(event.result.label);
    return applyVerdict(event.trace_id, event.result.suggest, label, now);
  },
);
