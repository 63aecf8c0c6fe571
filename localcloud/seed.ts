/** The demo organisation and users the local cloud starts with (and `npm run reset` restores). */
import { NOTICE_VERSION } from '../src/core/trust';
import type { Engine } from './db/engine';
import { COLLECTIONS as DECLARED } from './db/indexes';

const CATEGORIES = ['生活帮扶', '助学圆梦', '医疗健康', '精神慰藉', '就业创业', '其他'];

type Org = { _id: string; name: string; parentId: string | null; level: string; categories?: string[] };

/** `ancestors` is each organisation's path from the root (server/store.ts subtreeOf), derived from `parentId`
 * (parents listed before their children). */
function withAncestors(orgs: Org[]): Array<Org & { ancestors: string[] }> {
  const out: Array<Org & { ancestors: string[] }> = [];
  for (const o of orgs) {
    const parent = out.find((p) => p._id === o.parentId);
    out.push({ ...o, ancestors: parent ? [...parent.ancestors, parent._id] : [] });
  }
  return out;
}

/** The five-level grid (city → district → street → community → grid/building) with party organisations
 * placed on it. */
export const DEMO_ORGS = withAncestors([
  { _id: 'demo-city', name: '湘潭市', parentId: null, level: 'city' },
  { _id: 'demo-district', name: '岳塘区', parentId: 'demo-city', level: 'district' },
  { _id: 'demo-street', name: '和平街道', parentId: 'demo-district', level: 'street' },
  { _id: 'demo-community', name: '幸福里社区', parentId: 'demo-street', level: 'community', categories: CATEGORIES },
  { _id: 'demo-community-2', name: '安康社区', parentId: 'demo-street', level: 'community', categories: CATEGORIES },
  { _id: 'demo-grid-1', name: '幸福里 3 栋网格', parentId: 'demo-community', level: 'grid' },
  // Party organisations on the grid: the street's party committee, the community's branch, a party group.
  { _id: 'demo-street-committee', name: '和平街道党工委', parentId: 'demo-street', level: 'committee' },
  { _id: 'demo-branch', name: '幸福里社区党支部', parentId: 'demo-community', level: 'branch' },
  { _id: 'demo-party-group', name: '幸福里第一党小组', parentId: 'demo-branch', level: 'group' },
]);

const consent = { notice: NOTICE_VERSION, noticeAt: '2026-11-01T00:00:00.000Z', sensitive: null, sensitiveAt: null };

export const DEMO_USERS = [
  { _id: 'demo-resident', role: 'resident', orgId: 'demo-community', name: '王秀英', consent },
  { _id: 'demo-member', role: 'member', orgId: 'demo-community', name: '李明', consent },
  { _id: 'demo-member-2', role: 'member', orgId: 'demo-community', name: '赵华', consent },
  { _id: 'demo-organiser', role: 'organiser', orgId: 'demo-community', name: '陈静', consent },
  // A second community under the same street, so cross-organisation rules can be tried by hand.
  { _id: 'demo-organiser-2', role: 'organiser', orgId: 'demo-community-2', name: '刘芳', consent },
  { _id: 'demo-member-3', role: 'member', orgId: 'demo-community-2', name: '孙强', consent },
];

/** Every declared collection (database/collections.json). */
export const COLLECTIONS = DECLARED.map((c) => c.name);

/** Creates the collections and the demo data when the database is new. Returns whether it seeded. */
export async function seedIfEmpty(engine: Engine): Promise<boolean> {
  const fresh = !engine.has('orgs');
  // Collections added since an older data folder was seeded are created on start too.
  for (const name of COLLECTIONS) if (!engine.has(name)) await engine.create(name);
  if (!fresh) return false;
  await engine.get('orgs').insert(DEMO_ORGS);
  await engine.get('users').insert(DEMO_USERS);
  return true;
}
