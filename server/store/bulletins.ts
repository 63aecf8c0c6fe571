/** Bulletins and monthly reports (`bulletins`, server/rhythm.ts makes them; reports/bulletins reads them). */
import type { Bulletin } from '../../src/core';
import { BULLETINS } from './collections';
import { docById } from './docs';
import { listDocs } from './paging';

/** One bulletin or report, or undefined. */
export const bulletinById = (id: string) => docById<Bulletin>(BULLETINS, id);

/** One page of bulletins matching `filter`, newest first (cursor on (at, _id)). */
export const bulletinPage = (filter: Record<string, unknown>, opts: { cursor?: string; limit?: number; fields?: readonly string[] }) =>
  listDocs<Bulletin>(BULLETINS, filter, { sortBy: 'at', ...opts });
