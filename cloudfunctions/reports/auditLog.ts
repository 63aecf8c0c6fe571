// 操作记录 auditLog: the append-only audit log entries of the organiser's subtree, newest first; optionally one
// person's (`actorId`), one wish's (`wishId`) or one action's (`ofAction`). Organisers read it; no function updates or deletes
// it; the database rules deny every client. Each page names its people (name and role, from `users`) and its
// wishes (title, from `wishes`): two queries per page on at most 20 ids each, whatever the log's size.
import { AuditEvent, fail } from '../../src/core';
import { defineOrganiserFunction } from '../../server/runner';
import { auditEntries, userFieldsByIds, wishFieldsByIds } from '../../server/store';

type Entry = { _id: string; at: string; actorId: string | null; target?: { kind?: string; id?: string } };

export const main = defineOrganiserFunction('auditLog', AuditEvent, '只有社区工作人员可以查看操作记录', async (event, { actor }) => {
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
  const scope = {
    orgPath: actor.orgId,
    ...(event.actorId ? { actorId: event.actorId } : {}),
    ...(event.wishId ? { 'target.kind': 'wish', 'target.id': event.wishId } : {}),
    ...(event.ofAction ? { action: event.ofAction } : {}),
  };
  const docs = await auditEntries<Entry>(scope, cursor, limit);
  const items = docs.slice(0, limit);
  const last = items[items.length - 1];
  const actorIds = [...new Set(items.map((e) => e.actorId).filter((x): x is string => !!x))];
  const wishIds = [...new Set(items.filter((e) => e.target?.kind === 'wish' && e.target.id).map((e) => e.target!.id!))];
  const [people, wishes] = await Promise.all([
    userFieldsByIds<{ _id: string; name?: string; role?: string }>(actorIds, { name: true, role: true }),
    wishFieldsByIds<{ _id: string; title?: string; purgedAt?: string }>(wishIds, { title: true, purgedAt: true }),
  ]);
  return {
    items: items.map((e) => ({
      ...e,
      actorName: (e.actorId && people.get(e.actorId)?.name) || null,
      wishTitle: (e.target?.kind === 'wish' && e.target.id && wishes.get(e.target.id)?.title) || null,
      wishPurged: !!(e.target?.kind === 'wish' && e.target.id && wishes.get(e.target.id)?.purgedAt),
    })),
    cursor: docs.length > limit && last ? Buffer.from(JSON.stringify({ at: last.at, id: last._id })).toString('base64url') : null,
  };
});
