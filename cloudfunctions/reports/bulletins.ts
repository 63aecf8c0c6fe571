// 通报 bulletins: the bulletins (一旬一通报) and monthly reports (一月一调度) an organiser may read. A report of
// organisation X is for the organisers of X's subtree: those of X or an organisation above it (X is in their scope),
// and those of any organisation below X (X is on their path). Others — e.g. a community organiser and another
// street's bulletin — are refused. `id`: one report; else a list, newest first, 20 a page: those of the caller's
// organisation and the organisations above it (where their own unit may be named), or of `orgId` in their subtree.
import { BulletinsEvent, fail, inScope, reportForReaders } from '../../src/core';
import { defineOrganiserFunction } from '../../server/runner';
import { anyOf, bulletinById, bulletinPage } from '../../server/store';

export const main = defineOrganiserFunction(
  'bulletins',
  BulletinsEvent,
  '只有党组织工作人员可以查看通报',
  async (event, { actor, org }) => {
    const path = [...(org.ancestors ?? []), org._id];
    const mayRead = (orgId: string) => path.includes(orgId) || inScope(actor, orgId);
    if (event.id) {
      const b = await bulletinById(event.id);
      if (!b) return fail('BULLETIN.NOT_FOUND');
      if (!mayRead(b.orgId)) return fail('AUTH.OUT_OF_SCOPE', '这份通报不在您的查看范围内');
      return reportForReaders(b);
    }
    if (event.orgId && !mayRead(event.orgId)) return fail('AUTH.OUT_OF_SCOPE', '这个组织的通报不在您的查看范围内');
    const page = await bulletinPage(
      { orgId: event.orgId ?? anyOf(path), ...(event.kind ? { kind: event.kind } : {}) },
      {
        cursor: event.cursor,
        limit: event.limit,
        fields: ['_id', 'kind', 'orgId', 'orgName', 'period', 'title', 'at', 'named'],
      },
    );
    if (page === 'bad-cursor') return fail('INPUT.INVALID', '翻页位置：格式不对');
    return {
      items: page.items.map((b) => ({
        _id: b._id,
        kind: b.kind,
        orgId: b.orgId,
        orgName: b.orgName,
        period: b.period,
        title: b.title,
        at: b.at,
        named: b.named?.length ?? 0,
      })),
      cursor: page.cursor,
    };
  },
);
