/**
 * What the rhythm's timers (weekly, bulletin, monthly) and the quota functions (myYear, nudge) share: reading the
 * organisation tree and figures documents in bulk, and sending a notice at most once.
 *
 * A rhythm notice's outbox `_id` is a hash of kind | organisation | period | recipient: a rerun for the same period
 * (the timer retried, or run again by hand) inserts nothing new, so nobody is told twice; WeChat's subscribe
 * message goes out only for outbox documents this run stored (as server/effects.ts does for transitions). The
 * in-app notice is always stored; the subscribe message reaches those who accepted the template (a refusal is
 * logged).
 */
import { createHash } from 'node:crypto';
import {
  bulletinId,
  counterId,
  flowFigures,
  memberCounterId,
  MEMBER_CLOSED,
  quotaSettings,
  reportUnit,
  rhythmSettings,
  stockFigures,
  STOCK,
  type Bulletin,
  type NamedMember,
  type Notification,
  type NoticeKind,
} from '../src/core';
import { wechatNotifier } from './notify';
import { BULLETINS, OUTBOX, figuresByIds, insertOnce, nudgesOf, organisersByOrg, orgTree, userNamesByIds, type TreeOrg } from './store';

export type { TreeOrg };

/** Figures documents by _id (`f` of each), 500 ids a request. */
export async function readFigures(ids: readonly string[]): Promise<Map<string, Record<string, number>>> {
  const unique = [...new Set(ids)];
  const out = new Map<string, Record<string, number>>();
  for (let i = 0; i < unique.length; i += 500) {
    for (const d of await figuresByIds(unique.slice(i, i + 500))) out.set(d._id, d.f ?? {});
  }
  return out;
}
export const figuresOf = (docs: Map<string, Record<string, number>>, orgId: string, period: string) => docs.get(counterId(orgId, period));

/** An outbox document with the deterministic id of (kind, key = organisation | period, recipient). */
export function rhythmNotice(
  kind: NoticeKind,
  key: string,
  to: string,
  text: { title: string; body: string; link?: string },
  at: string,
): Notification {
  return {
    _id: createHash('sha256').update(`${kind}\n${key}\n${to}`).digest('hex').slice(0, 32),
    to,
    kind,
    title: text.title,
    body: text.body,
    wishId: '',
    at,
    read: false,
    ...(text.link ? { link: text.link } : {}),
  };
}

/** Stores the notices not stored before (in parallel batches of 100) and sends WeChat's subscribe message for those
 * (on CloudBase). Returns how many were new. */
export async function sendOnce(notices: readonly Notification[]): Promise<number> {
  let sent = 0;
  for (let i = 0; i < notices.length; i += 100) {
    const batch = notices.slice(i, i + 100);
    const stored = new Set(await insertOnce(OUTBOX, batch));
    sent += stored.size;
    if (!process.env.TCB_SERVICE_URL && stored.size) {
      await Promise.all(
        batch
          .filter((n) => stored.has(n._id))
          .map((n) =>
            wechatNotifier
              .send(n.to, n.kind, { title: n.title, body: n.body, wishId: n.wishId, at: n.at, page: n.link?.replace(/^\//, '') })
              .catch((e) => console.error(`[notify] ${n.kind} to ${n.to} failed:`, e)),
          ),
      );
    }
  }
  return sent;
}

/** What a bulletin or monthly report needs of the whole tree, read once per run. */
export interface RunData {
  orgs: TreeOrg[];
  byId: Map<string, TreeOrg>;
  children: Map<string, TreeOrg[]>;
  organisers: Map<string, string[]>;
  figures: Map<string, Record<string, number>>;
  /** Members nudged this year who still have nothing, with their names and the path of their organisation. */
  stillNothing: Array<NamedMember & { orgPath: string[] }>;
}

/** Reads the tree, its organisers, the figures of `periods` for every organisation, and this year's nudged members
 * whose counter is still below their quota. */
export async function runData(periods: string[], year: string): Promise<RunData> {
  const [orgs, organisers, nudges] = await Promise.all([orgTree(), organisersByOrg(), nudgesOf(year)]);
  const byId = new Map(orgs.map((o) => [o._id, o]));
  const children = new Map<string, TreeOrg[]>();
  for (const o of orgs) if (o.parentId) children.set(o.parentId, [...(children.get(o.parentId) ?? []), o]);
  const [figures, counters] = await Promise.all([
    readFigures(orgs.flatMap((o) => periods.map((p) => counterId(o._id, p)))),
    readFigures(nudges.map((n) => memberCounterId(n.memberId, year))),
  ]);
  const waiting = nudges.filter(
    (n) => (counters.get(memberCounterId(n.memberId, year))?.[MEMBER_CLOSED] ?? 0) < quotaSettings(byId.get(n.orgId)).member,
  );
  const names = new Map<string, { name: string; role: string; orgId: string | null }>();
  for (let i = 0; i < waiting.length; i += 500) {
    for (const u of await userNamesByIds(waiting.slice(i, i + 500).map((n) => n.memberId))) names.set(u._id, u);
  }
  // Only those still members of the organisation they were nudged in.
  const stillNothing = waiting
    .filter((n) => names.get(n.memberId)?.role === 'member' && names.get(n.memberId)?.orgId === n.orgId)
    .map((n) => ({
      name: names.get(n.memberId)!.name,
      orgId: n.orgId,
      orgName: byId.get(n.orgId)?.name ?? '',
      orgPath: n.orgPath,
    }));
  return { orgs, byId, children, organisers, figures, stillNothing };
}

/** The report of organisation `org` for its child units: figures now, of `month` (and `lastMonth` for a monthly
 * report) and of `year`, each unit's lagging reasons (the thresholds of `org`, each unit's own quota). */
export function buildReport(
  kind: Bulletin['kind'],
  org: TreeOrg,
  data: RunData,
  p: { day: string; month: string; year: string; lastMonth?: string; period: string; title: string; at: string },
): Bulletin {
  const own = rhythmSettings(org);
  const unitOf = (o: TreeOrg, named: boolean) => {
    const f = (period: string) => figuresOf(data.figures, o._id, period);
    return reportUnit(
      { id: o._id, name: o.name },
      {
        stock: stockFigures(f(STOCK), p.day),
        month: flowFigures(f(p.month)),
        year: flowFigures(f(p.year)),
        ...(p.lastMonth ? { lastMonth: flowFigures(f(p.lastMonth)) } : {}),
      },
      { ...rhythmSettings(o), onTimeThreshold: own.onTimeThreshold },
      named ? data.stillNothing.filter((m) => m.orgPath.includes(o._id)).map(({ orgPath: _path, ...m }) => m) : [],
    );
  };
  const units = (data.children.get(org._id) ?? []).map((c) => unitOf(c, true));
  units.sort((a, b) => b.reasons.length - a.reasons.length || b.overdue - a.overdue || a.name.localeCompare(b.name, 'zh'));
  const { id: _id, name: _name, reasons: _reasons, stillNothing: _still, ...total } = unitOf(org, false);
  return {
    _id: bulletinId(kind, org._id, p.period),
    kind,
    orgId: org._id,
    orgName: org.name,
    orgPath: [...(org.ancestors ?? []), org._id],
    period: p.period,
    title: `${org.name}${p.title}`,
    at: p.at,
    total,
    units,
    named: units.filter((u) => u.reasons.length).map((u) => ({ id: u.id, name: u.name, reasons: u.reasons })),
  };
}

/** Stores the reports not stored before (a rerun keeps the first). Returns the ids this run stored. */
export function storeReports(reports: readonly Bulletin[]): Promise<string[]> {
  return insertOnce(BULLETINS, reports);
}

/** The page of one bulletin or report. */
export const reportLink = (id: string) => `/organiser/bulletins/index?id=${encodeURIComponent(id)}`;
