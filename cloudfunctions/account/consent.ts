// 同意告知书 consent: records that the caller accepted the current privacy notice (`main`) or, separately,
// the notice on sensitive details (`sensitive`, needs `main` first). An outdated version is refused:
// the app shows the new text and asks again.
import { ConsentEvent, NOTICE_VERSION, consentState, fail } from '../../src/core';
import { db } from '../../server/cloud';
import { defineFunction } from '../../server/runner';
import { USERS } from '../../server/store';

export const main = defineFunction(
  'consent',
  ConsentEvent,
  async (event, { actor, user, now }) => {
    if (event.version !== NOTICE_VERSION) return fail('INPUT.INVALID', `告知书已更新（当前版本 ${NOTICE_VERSION}），请阅读新版本后再同意`);
    if (event.notice === 'sensitive' && user?.consent?.notice !== NOTICE_VERSION) return fail('CONSENT.REQUIRED');
    const at = now.toISOString();
    const fields = event.notice === 'main' ? { notice: NOTICE_VERSION, noticeAt: at } : { sensitive: NOTICE_VERSION, sensitiveAt: at };
    const consent = { notice: null, noticeAt: null, sensitive: null, sensitiveAt: null, ...user?.consent, ...fields };
    const users = db().collection(USERS);
    if (user) await users.doc(actor.id).update({ consent: db().command.set(consent) });
    else {
      try {
        // Someone we have never seen: a resident without an organisation (roles are never taken from the client).
        await users.add({ _id: actor.id, role: 'resident', orgId: null, name: '', consent });
      } catch (e) {
        if ((e as { code?: string }).code !== 'DATABASE_DUPLICATE_WRITE') throw e;
        await users.doc(actor.id).update({ consent: db().command.set(consent) });
      }
    }
    return consentState(consent);
  },
  { write: true },
);
