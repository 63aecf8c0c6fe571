/**
 * The database handle. Only the store (server/store/) may import this module (the layer rule
 * `only-the-store-touches-the-database` in .dependency-cruiser.cjs): functions and other server modules read and write
 * through the store's named operations.
 */
import { cloud } from '../cloud';

export function db() {
  return cloud().database();
}

/** A query value matching any of these ids (a plain value for one, so the index on the field is used simply). */
export function anyOf(ids: readonly string[]): unknown {
  return ids.length === 1 ? ids[0] : db().command.in([...ids]);
}
