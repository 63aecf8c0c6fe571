// 我的一年 myYear: a party member's year (China time). The count is the member's yearly counter (`figures`
// document `m:<openid>|<year>`, kept with each closure by the effects path and repaired by reconcile; src/core/
// quotas.ts), against the member quota of their organisation (default 1). The list: this year's wishes they hold or
// held — from the index on claim.memberId, at most 50, newest first (a member's own claims, never the collection).
import {
  MyYearEvent,
  chinaDate,
  fail,
  memberClosures,
  memberCounterId,
  MEMBER_CLOSED,
  progress,
  quotaSettings,
  titleFor,
} from '../../src/core';
import { defineFunction } from '../../server/runner';
import { figuresOf, memberClaimsForYear } from '../../server/store';

const OPEN = ['claimed', 'fulfilled', 'reviewed'];

export const main = defineFunction('myYear', MyYearEvent, async (_event, { actor, org, now }) => {
  if (actor.role !== 'member') return fail('AUTH.FORBIDDEN', '我的一年只对党员开放');
  const year = chinaDate(now).slice(0, 4);
  const [counter, claims] = await Promise.all([figuresOf(memberCounterId(actor.id, year)), memberClaimsForYear(actor.id)]);
  const done = (counter ?? {})[MEMBER_CLOSED] ?? 0;
  const items = claims
    .map((w) => {
      const closedThisYear = memberClosures(w).filter((c) => c.member === actor.id && c.year === year).length;
      const claimedAt = w.claim?.at ?? null;
      const held = OPEN.includes(w.status);
      if (!closedThisYear && !held && !(claimedAt && chinaDate(new Date(claimedAt)).startsWith(year))) return null;
      return {
        _id: w._id,
        // The resident's own words only while the member holds the claim (privacy.ts titleFor); the public title after.
        title: titleFor(w, actor),
        status: w.status,
        claimedOn: claimedAt ? chinaDate(new Date(claimedAt)) : null,
        promisedBy: w.claim?.promisedBy ?? null,
        closedOn: w.closedAt ? chinaDate(new Date(w.closedAt)) : null,
        counted: closedThisYear > 0,
      };
    })
    .filter((x) => x !== null);
  return { year, ...progress(done, quotaSettings(org).member), items };
});
