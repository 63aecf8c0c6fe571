// 同意告知书 consent: records that the caller accepted the current privacy notice (`main`) or, separately,
// the notice on sensitive details (`sensitive`, needs `main` first). An outdated version is refused:
// the app shows the new text and asks again.
import { ConsentEvent, acceptConsent, consentState } from '../../src/core';
import { defineFunction } from '../../server/runner';
import { upsertOwnFields } from '../../server/store';
import { rateSeed } from '../../server/trust';

export const main = defineFunction(
  'consent',
  ConsentEvent,
  async (event, { actor, user, now }) => {
    const accepted = acceptConsent(user?.consent, event.notice, event.version, now); // the core's rule (trust.ts)
    if (!accepted.ok) return accepted;
    const { consent } = accepted;
    // Someone we have never seen: a resident without an organisation (roles are never taken from the client).
    // A new document starts with the hour's counts its person already has (server/trust.ts rateSeed).
    await upsertOwnFields(actor.id, !!user, { consent }, await rateSeed(actor.id, user, now));
    return consentState(consent);
  },
  { write: true },
);
