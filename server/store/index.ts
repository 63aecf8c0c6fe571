/**
 * The one storage port: every collection behind named operations, one module per collection. Functions and other
 * server modules read and write only through here; only this folder may import the database handle (server/store/db.ts,
 * the layer rule `only-the-store-touches-the-database`).
 */
export * from './collections';
export { ORG_TTL_MS } from './cache';
export { anyOf } from './db';
export * from './orgs';
export type { Page, SortKey } from './paging';
export * from './users';
export * from './wishes';
export * from './figures';
export * from './outbox';
export * from './members';
export * from './audit';
export * from './housekeeping';
export * from './cards';
export * from './files';
export * from './mediaChecks';
export * from './wishNos';
export * from './bulletins';
export * from './slots';
export * from './delivery';
export * from './ratelimits';
