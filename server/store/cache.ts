/** How long an instance trusts what it read of an organisation (its document, subtree, organisers). Roles are
 * never cached: the caller's user document is read on every call. */
export const ORG_TTL_MS = 30_000;
/** ORG_CACHE_MS in the environment overrides it (0: no cache, e.g. tests that edit organisations directly). */
const orgTtl = () =>
  process.env.ORG_CACHE_MS !== undefined && process.env.ORG_CACHE_MS !== '' ? Number(process.env.ORG_CACHE_MS) : ORG_TTL_MS;
const orgCache = new Map<string, { at: number; value: Promise<unknown> }>();

/** `load()` once per key and ORG_TTL_MS in this instance; a failed load is not kept. */
export function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  const hit = orgCache.get(key);
  if (hit && Date.now() - hit.at < orgTtl()) return hit.value as Promise<T>;
  const value = load();
  orgCache.set(key, { at: Date.now(), value });
  value.catch(() => orgCache.delete(key));
  if (orgCache.size > 5000) orgCache.delete(orgCache.keys().next().value!);
  return value;
}
