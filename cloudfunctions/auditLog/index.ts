// 操作记录 auditLog: the append-only audit log entries of the organiser's subtree, newest first.
// Organisers read it; no function updates or deletes it; the database rules deny every client.
import { AuditEvent, fail } from '../../src/core';
import { db } from '../../server/cloud';
import { defineFunction } from '../../server/runner';
import { AUDIT } from '../../server/trust';

export const main = defineFunction('auditLog', AuditEvent, async (event, { actor }) => {
  if (actor.role !== 'organiser' || !actor.orgId) return fail('AUTH.FORBIDDEN', '只有社区工作人员可以查看操作记录');
  const _ = db().command;
  const limit = event.limit ?? 20;
  let cursor: { at: string; id: string } | null = null;
  if (event.cursor) {
    try {
      const c = JSON.parse(Buffer.from(event.cursor, 'base64url').toString('utf8')) as { at: unknown; id: unknown };
      if (typeof c.at !== 'string' || typeof c.id !== 'string' || c.at.length > 40 || !/^[A-Za-z0-9_-]{1,64}$/.test(c.id))
        throw new Error('bad');
      cursor = { at: c.at, id: c.id };
    } catch {
      return fail('INPUT.INVALID', '翻页位置：格式不对');
    }
  }
  const scope = { orgPath: actor.orgId };
  const where = cursor ? _.and([scope, _.or([{ at: _.lt(cursor.at) }, { at: cursor.at, _id: _.lt(cursor.id) }])]) : scope;
  const r = await db()
    .collection(AUDIT)
    .where(where)
    .orderBy('at', 'desc')
    .orderBy('_id', 'desc')
    .limit(limit + 1)
    .get();
  const docs = r.data as Array<{ _id: string; at: string }>;
  const items = docs.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items,
    cursor: docs.length > limit && last ? Buffer.from(JSON.stringify({ at: last.at, id: last._id })).toString('base64url') : null,
  };
});
