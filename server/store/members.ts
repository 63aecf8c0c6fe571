/** Invitation codes and nudges: documents that carry their own audit entry until it is delivered (pendingEffects). */
import type { Effect } from '../../src/core';
import { INVITES, NUDGES } from './collections';
import { db } from './db';
import { docById, docsByIds, insertNew, pageAll } from './docs';

export interface InviteDoc {
  _id: string;
  orgId: string;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
  pendingEffects?: Effect[];
}
export interface NudgeDoc {
  _id: string; // `${year}|${memberId}`
  memberId: string;
  orgId: string;
  orgPath: string[];
  year: string;
  at: string;
  by: string;
  pendingEffects?: Effect[];
}

export const inviteByCode = (code: string) => docById<InviteDoc>(INVITES, code);

/** Stores a new invitation (a code already taken fails). */
export async function addInvite(invite: InviteDoc): Promise<void> {
  await db().collection(INVITES).add(invite);
}

/** Stores this year's nudge of a member; false when there already is one. */
export const addNudge = (nudge: NudgeDoc) => insertNew(NUDGES, nudge as unknown as NudgeDoc & Record<string, unknown>);
export const nudgeById = (id: string) => docById<NudgeDoc>(NUDGES, id);
/** These nudges (one request; none for no ids). */
export const nudgesByIds = (ids: readonly string[]) => docsByIds<NudgeDoc>(NUDGES, ids);

/** This year's nudges (`_id` `<year>|<openid>`: a range on the primary key). */
export function nudgesOf(year: string): Promise<Array<{ _id: string; memberId: string; orgId: string; orgPath: string[]; at: string }>> {
  return pageAll(NUDGES, {}, ['memberId', 'orgId', 'orgPath', 'at'], { after: `${year}|`, before: `${year}}` });
}
