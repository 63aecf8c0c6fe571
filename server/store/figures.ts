/** Figures: counted figures per organisation (or member) and period, read by _id (src/core/figures.ts). */
import { FIGURES } from './collections';
import { db } from './db';
import { pageAll } from './docs';

export interface FigureDoc {
  _id: string;
  orgId: string;
  period: string;
  f?: Record<string, number>;
  /** Delivery marks (server/effects.ts applyFigures). */
  e?: Record<string, unknown>;
}

/** One document's figures, or undefined when there is none. */
export async function figuresOf(id: string): Promise<Record<string, number> | undefined> {
  const r = await db().collection(FIGURES).doc(id).get();
  return (r.data[0] as { f?: Record<string, number> } | undefined)?.f;
}

/** These documents' figures, not their delivery marks (one request, at most `limit`, 1000 by default). */
export async function figuresByIds(ids: readonly string[], limit = 1000): Promise<Array<{ _id: string; f?: Record<string, number> }>> {
  const r = await db()
    .collection(FIGURES)
    .where({ _id: db().command.in([...ids]) })
    .field({ _id: true, f: true }) // not the delivery marks (server/effects.ts)
    .limit(limit)
    .get();
  return r.data as Array<{ _id: string; f?: Record<string, number> }>;
}

/** Every figures document (reconcile). */
export const allFigures = () => pageAll<FigureDoc>(FIGURES);

/** Rewrites one document whole (reconcile's repair). */
export async function setFigures(id: string, doc: Omit<FigureDoc, '_id'>): Promise<void> {
  await db().collection(FIGURES).doc(id).set(doc);
}

/** Removes these delivery marks from one document. */
export async function dropMarks(id: string, marks: readonly string[]): Promise<void> {
  await db()
    .collection(FIGURES)
    .doc(id)
    .update(Object.fromEntries(marks.map((k) => [`e.${k}`, db().command.remove()])));
}

/** Removes these documents (at most 100 ids a call). */
export async function removeFigures(ids: readonly string[]): Promise<void> {
  await db()
    .collection(FIGURES)
    .where({ _id: db().command.in([...ids]) })
    .remove();
}
