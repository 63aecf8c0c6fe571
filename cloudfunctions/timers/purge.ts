// 保存期限清理 purge: run by the timer trigger in config.json (daily 03:00). Erases the personal fields of
// wishes that ended (closed, rejected, withdrawn) longer than RETENTION_DAYS ago (default 365), and at once
// those whose resident asked for deletion while they were in progress (`eraseOnEnd`), photos included (references
// and files). Statistics fields stay. Photos uploaded but never attached to a wish are deleted after a day.
// Callers with an identity are refused: a timer carries none, and no client may trigger it.
// Each erasure and its audit entry are one conditional update (the entry waits in the wish's `pending`); a
// batch's entries are then delivered together (server/effects.ts), so a crash in between loses none.
import {
  ENDED_STATUSES,
  PurgeEvent,
  DEFAULT_RETENTION_DAYS,
  auditRecord,
  carry,
  erasedFields,
  retentionCutoff,
  type Effect,
  type StoredWish,
} from '../../src/core';
import { IN_USER, dispatch } from '../../server/effects';
import { defineScheduled } from '../../server/runner';
import { deleteFiles, deleteUnattached } from '../../server/photos';
import {
  filesOf,
  purgeDue,
  removeExpiredInvites,
  removeRateWindowsBefore,
  rewriteIfVersion,
  usersWithPending,
  wishesWithPending,
} from '../../server/store';

const BATCH = 100;
const MAX_BATCHES = 50;

export const main = defineScheduled(
  'purge',
  async (now) => {
    const days = Number(process.env.RETENTION_DAYS) > 0 ? Number(process.env.RETENTION_DAYS) : DEFAULT_RETENTION_DAYS;
    const cutoff = retentionCutoff(now, days);
    let purged = 0;
    let filesDeleted = 0;
    const done = new Set<string>();
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const wishes = (await purgeDue(ENDED_STATUSES, cutoff, BATCH)).filter((w) => !done.has(w._id));
      if (!wishes.length) break;
      const stored: Array<{ wishId: string; pending: Effect[] }> = [];
      for (const w of wishes) {
        done.add(w._id);
        const at = now.toISOString();
        // The files go first, so a crash before the erasure is stored leaves no file behind: the wish is still
        // due and the next run erases it (deleting a file already gone is no error).
        const photos = filesOf(w);
        const deletedFiles = await deleteFiles(photos, now);
        filesDeleted += deletedFiles;
        const audit: Effect = {
          id: `${w._id}-${w.version}-purge`,
          kind: 'audit',
          audit: auditRecord(null, {
            at,
            action: 'purge',
            target: { kind: 'wish', id: w._id },
            orgId: w.orgId,
            before: { status: w.status, endedAt: w.closedAt ?? w.updatedAt },
            after: {
              erased: [
                'title',
                'content',
                'summary',
                'publicTitle',
                'contact',
                'sensitive',
                'fulfilment.note',
                'fulfilment.photos',
                'feedback.comment',
                'reason',
                'timeline.note',
                'photos',
                'timeline.photos',
              ],
              photos: photos.length,
              filesDeleted: deletedFiles,
            },
          }),
        };
        const pending = carry(w.pending, [audit]);
        if (await rewriteIfVersion(w, { ...w, ...erasedFields(w, at), pending } as StoredWish)) {
          purged++;
          stored.push({ wishId: w._id, pending });
        }
      }
      await dispatch(
        stored.map((x) => x.wishId),
        stored.flatMap((x) => x.pending),
      );
    }
    // Effects a stage stored but could not deliver (its caller never retried): delivered now, once. Every effect
    // id is a non-empty string, so `pending.id > ''` finds exactly the wishes with some pending, through the
    // declared (multikey) index on pending.id, which holds only those.
    const stranded = await wishesWithPending(BATCH);
    for (const w of stranded) await dispatch(w._id, w.pending ?? []);
    // The same for actions on a person (removeMember's audit entry in the user's pendingEffects).
    const people = await usersWithPending(BATCH);
    for (const u of people) await dispatch(u._id, u.pendingEffects ?? [], IN_USER);
    // Housekeeping: rate-limit windows older than a day and expired invitation codes hold nothing worth keeping.
    const dayAgo = new Date(now.getTime() - 86_400_000).toISOString();
    const counters = await removeRateWindowsBefore(dayAgo);
    const invites = await removeExpiredInvites(now.toISOString());
    // Photos uploaded for a form that was never sent: gone after a day.
    const unattached = await deleteUnattached(dayAgo, now);
    return {
      purged,
      delivered: stranded.length + people.length,
      cutoff,
      retentionDays: days,
      filesDeleted,
      unattachedDeleted: unattached,
      countersRemoved: counters,
      invitesRemoved: invites,
    };
  },
  { schema: PurgeEvent, refusal: '清理任务只由定时触发器运行' },
);
