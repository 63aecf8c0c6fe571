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
  periodsAt,
  publicResult,
  stockFigures,
} from '../../src/core';
import { definePublic } from '../../server/runner';
import { figuresByIds, getOrg, recentlyClosed, rootOrg, subtreeDocs, type OrgDoc } from '../../server/store';

type Doc = { _id: string; f?: Record<string, number> };

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

/** The subtree's most recently closed wishes, public fields only. */
function recentClosed(orgId: string, below: OrgDoc[]): Promise<Closed[]> {
  return recentlyClosed<Closed>([orgId, ...below.map((o) => o._id)], [...PUBLIC_RESULT_FIELDS, 'orgId']);
}

async function results(event: v.InferOutput<typeof PublicResultsEvent>, now: Date) {
  const org = event.orgId ? await getOrg(event.orgId) : await rootOrg();
  if (!org) return fail('ORG.NOT_FOUND');
  const below = await subtreeDocs(org._id);
  const children = below.filter((o) => o.parentId === org._id);
  const { day, month, year } = periodsAt(now);
  const units = [org, ...children];
  const ids = units.flatMap((u) => [month, year, STOCK].map((p) => counterId(u._id, p)));
  const [figs, recent, parent] = await Promise.all([
    figuresByIds(ids),
    recentClosed(org._id, below),
    org.parentId ? getOrg(org.parentId) : Promise.resolve(null),
  ]);
  const docs = new Map((figs as Doc[]).map((d) => [d._id, d.f ?? {}]));
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
export const main = definePublic('publicResults', PublicResultsEvent, results);
