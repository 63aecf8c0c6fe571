/**
 * The platform's documented quotas that the repository's own declarations can exceed, checked in two places with
 * the same table: `npm run deploy` (scripts/deploy/plan.ts: the plan, dry run included, refuses) and the local
 * cloud's strict mode (LOCALCLOUD_STRICT_INDEXES set: startLocalCloud refuses to start). docs/localcloud.md, "Quotas".
 * Pure: reads nothing itself, so the plan and the local cloud pass what they found.
 */

export interface Quota {
  /** Stable id, used in the refusal: QUOTA.<ID>. */
  id: string;
  what: string;
  limit: number;
  /** The platform page that states the figure. */
  doc: string;
}

/** WeChat's cloud-development quota page (资源配额): "云函数数量 50", "数据库单集合的索引数量上限 20" (the page
 * in English: "Number of cloud functions: 50", "Maximum number of indexes in a single collection in the database: 20",
 * "Maximum number of collections: 100").
 * Tencent's CloudBase FAQ allows 100 indexes; the stricter WeChat figure is planned for. */
export const QUOTA_PAGE = 'https://developers.weixin.qq.com/minigame/en/dev/wxcloud/basis/concepts/quota.html';
/** The server API's deleteFile: "从云存储空间删除文件，一次最多 50 个" (Up to 50 files can be deleted at a time). */
export const DELETE_FILE_DOC = 'https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/storage/Cloud.deleteFile.html';

export const QUOTAS = {
  functions: { id: 'FUNCTIONS', what: 'cloud functions in an environment', limit: 50, doc: QUOTA_PAGE },
  indexes: { id: 'INDEXES', what: 'indexes on one collection', limit: 20, doc: QUOTA_PAGE },
  collections: { id: 'COLLECTIONS', what: 'collections in an environment', limit: 100, doc: QUOTA_PAGE },
  deleteFile: { id: 'DELETE_FILE', what: 'file ids in one deleteFile call', limit: 50, doc: DELETE_FILE_DOC },
} as const satisfies Record<string, Quota>;

export interface QuotaBreach {
  code: string;
  quota: Quota;
  found: number;
  /** What exceeds it (a collection's name; the environment for counts over it). */
  subject: string;
  message: string;
}

function breach(quota: Quota, found: number, subject: string): QuotaBreach {
  return {
    code: `QUOTA.${quota.id}`,
    quota,
    found,
    subject,
    message: `${subject}: ${found} ${quota.what}, over the platform's limit of ${quota.limit} (${quota.doc})`,
  };
}

/** Every quota the declarations exceed: function folders, collections, and each collection's declared indexes
 * (the `_id` index every collection has is not declared and, on the quota page, not counted). */
export function quotaBreaches(decl: {
  functions: readonly string[];
  collections: ReadonlyArray<{ name: string; indexes: number }>;
}): QuotaBreach[] {
  const out: QuotaBreach[] = [];
  if (decl.functions.length > QUOTAS.functions.limit) out.push(breach(QUOTAS.functions, decl.functions.length, 'cloudfunctions/'));
  if (decl.collections.length > QUOTAS.collections.limit)
    out.push(breach(QUOTAS.collections, decl.collections.length, 'database/collections.json'));
  for (const c of decl.collections)
    if (c.indexes > QUOTAS.indexes.limit) out.push(breach(QUOTAS.indexes, c.indexes, `collection ${c.name}`));
  return out;
}
