// 公开栏 publicResults: the public results of one organisation's subtree (default: the root of the tree), for anyone
// — no sign-in (functions.rules.json: invoke true). This month and this year: handled (registered), in progress
// (open now), finished (closed), on-time rate and satisfaction; the same for each child unit; and the ten wishes
// closed most recently, each only with its confirmed public summary, category and day (src/core/privacy.ts
// publicResult). No personal data, no member names, no photos. Figures come from the `figures` documents read by
// _id (one request); the recent list is one indexed query (two for a large subtree with few recent closures).
import * as v from 'valibot';
import {
  PUBLIC_RESULT_FIELDS,
  PublicResultsEvent,
  STOCK,
  counterId,
  fail,
  flowFigures,
  parseEvent,
  periodsAt,
  publicResult,
  stockFigures,
  type Answer,
} from '../../src/core';
import { db } from '../../server/cloud';
import { FIGURES } from '../../server/effects';
import { ORGS, WISHES, anyOf, getOrg, subtreeDocs, type OrgDoc } from '../../server/store';

type Doc = { _id: string; f?: Record<string, number> };
const RECENT = 10;
const WIDE = 200;

/** The public figures of one unit in one period (a month or a year), with where its wishes stand now. */
function publicFigures(flow: Record<string, number> | undefined, stock: Record<string, number> | undefined, day: string) {
  const x = flowFigures(flow);
  return {
    handled: x.counts.registered,
    inProgress: stockFigures(stock, day).open,
    finished: x.counts.closed,
    onTimeRate: x.onTime.rate,
    satisfactionRate: x.satisfaction.rate,
    feedback: x.satisfaction.den,
  };
}

type Closed = Parameters<typeof publicResult>[0] & { orgId: string };

/** The subtree's most recently closed wishes, public fields only. A large subtree (a city, a district) takes them from
 * the newest closures of all (one read of at most WIDE documents on the status/closedAt index); a small one, or a
 * large one with too few among those, asks for its own organisations (the orgId/status/closedAt index). */
async function recentClosed(orgId: string, below: OrgDoc[]): Promise<Closed[]> {
  const ids = [orgId, ...below.map((o) => o._id)];
  const fields = Object.fromEntries([...PUBLIC_RESULT_FIELDS, 'orgId'].map((f) => [f, true]));
  const wishes = () => db().collection(WISHES);
  if (ids.length > 50) {
    const mine = new Set(ids);
    const wide = await wishes().where({ status: 'closed' }).orderBy('closedAt', 'desc').field(fields).limit(WIDE).get();
    const found = (wide.data as Closed[]).filter((w) => mine.has(w.orgId)).slice(0, RECENT);
    if (found.length === RECENT || wide.data.length < WIDE) return found;
  }
  const r = await wishes()
    .where({ orgId: anyOf(ids), status: 'closed' })
    .orderBy('closedAt', 'desc')
    .field(fields)
    .limit(RECENT)
    .get();
  return r.data as Closed[];
}

async function results(event: v.InferOutput<typeof PublicResultsEvent>, now: Date) {
  const _ = db().command;
  let org: OrgDoc | null;
  if (event.orgId) org = await getOrg(event.orgId);
  else {
    const roots = await db().collection(ORGS).where({ parentId: null }).limit(1).get();
    org = (roots.data[0] as OrgDoc | undefined) ?? null;
  }
  if (!org) return fail('ORG.NOT_FOUND');
  const below = await subtreeDocs(org._id);
  const children = below.filter((o) => o.parentId === org._id);
  const { day, month, year } = periodsAt(now);
  const units = [org, ...children];
  const ids = units.flatMap((u) => [month, year, STOCK].map((p) => counterId(u._id, p)));
  const [figs, recent, parent] = await Promise.all([
    db()
      .collection(FIGURES)
      .where({ _id: _.in(ids) })
      .field({ _id: true, f: true }) // not the delivery marks (server/effects.ts)
      .limit(1000)
      .get(),
    recentClosed(org._id, below),
    org.parentId ? getOrg(org.parentId) : Promise.resolve(null),
  ]);
  const docs = new Map((figs.data as Doc[]).map((d) => [d._id, d.f ?? {}]));
  const of = (id: string) => ({
    month: publicFigures(docs.get(counterId(id, month)), docs.get(counterId(id, STOCK)), day),
    year: publicFigures(docs.get(counterId(id, year)), docs.get(counterId(id, STOCK)), day),
  });
  return {
    org: { id: org._id, name: org.name },
    parent: parent ? { id: parent._id, name: parent.name } : null,
    periods: { month, year },
    ...of(org._id),
    units: children.map((c) => ({ id: c._id, name: c.name, ...of(c._id) })),
    recent: recent.map(publicResult),
  };
}

/** No caller needed: validated first (no database call before), answered the same for anyone. */
export async function main(event: unknown): Promise<Answer<unknown>> {
  try {
    const parsed = parseEvent(PublicResultsEvent, event ?? {});
    if (!parsed.ok) return { code: parsed.code, message: parsed.message };
    const r = await results(parsed.value, new Date());
    return 'ok' in r && r.ok === false ? { code: r.code, message: r.message } : { code: 0, data: r };
  } catch (e) {
    console.error('[publicResults]', e);
    throw e;
  }
}
