// 保存期限清理 purge: run by the timer trigger in config.json (daily 03:00). Erases the personal fields of
// wishes that ended (closed, rejected, withdrawn) longer than RETENTION_DAYS ago (default 365), and at once
// those whose resident asked for deletion while they were in progress (`eraseOnEnd`). Statistics fields stay.
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
import { db } from '../../server/cloud';
import { dispatch } from '../../server/effects';
import { defineScheduled } from '../../server/runner';
import { rewriteIfVersion, WISHES } from '../../server/store';
import { INVITES, RATE } from '../../server/trust';

const BATCH = 100;
const MAX_BATCHES = 50;

export const main = defineScheduled(
  'purge',
  async (now) => {
    const days = Number(process.env.RETENTION_DAYS) > 0 ? Number(process.env.RETENTION_DAYS) : DEFAULT_RETENTION_DAYS;
    const cutoff = retentionCutoff(now, days);
    const _ = db().command;
    let purged = 0;
    const done = new Set<string>();
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const r = await db()
        .collection(WISHES)
        .where(
          _.and([
            { status: _.in([...ENDED_STATUSES]) },
            _.or([{ updatedAt: _.lt(cutoff) }, { eraseOnEnd: true }]),
            { purgedAt: _.exists(false) },
          ]),
        )
        .limit(BATCH)
        .get();
      const wishes = (r.data as StoredWish[]).filter((w) => !done.has(w._id));
      if (!wishes.length) break;
      const stored: Array<{ wishId: string; pending: Effect[] }> = [];
      for (const w of wishes) {
        done.add(w._id);
        const at = now.toISOString();
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
                'contact',
                'sensitive',
                'fulfilment.note',
                'fulfilment.photos',
                'feedback.comment',
                'reason',
                'timeline.note',
              ],
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
    // Effects a stage stored but could not deliver (its caller never retried): delivered now, once.
    const stranded = (
      await db()
        .collection(WISHES)
        .where({ 'pending.0': _.exists(true) })
        .limit(BATCH)
        .get()
    ).data as StoredWish[];
    for (const w of stranded) await dispatch(w._id, w.pending ?? []);
    // Housekeeping: rate-limit windows older than a day and expired invitation codes hold nothing worth keeping.
    const dayAgo = new Date(now.getTime() - 86_400_000).toISOString();
    const counters = await db()
      .collection(RATE)
      .where({ windowStart: _.lt(dayAgo) })
      .remove();
    const invites = await db()
      .collection(INVITES)
      .where({ expiresAt: _.lt(now.toISOString()) })
      .remove();
    return {
      purged,
      delivered: stranded.length,
      cutoff,
      retentionDays: days,
      countersRemoved: counters.deleted ?? 0,
      invitesRemoved: invites.deleted ?? 0,
    };
  },
  { schema: PurgeEvent, refusal: '清理任务只由定时触发器运行' },
);
