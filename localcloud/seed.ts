/** The demo organisation and users the local cloud starts with (and `npm run reset` restores). */
import type { Engine } from './db/engine';

export const DEMO_ORGS = [
  { _id: 'demo-street', name: '和平街道', parentId: null, level: 'street' },
  {
    _id: 'demo-community',
    name: '幸福里社区',
    parentId: 'demo-street',
    level: 'community',
    categories: ['生活帮扶', '助学圆梦', '医疗健康', '精神慰藉', '就业创业', '其他'],
  },
];

export const DEMO_USERS = [
  { _id: 'demo-resident', role: 'resident', orgId: 'demo-community', name: '王秀英' },
  { _id: 'demo-member', role: 'member', orgId: 'demo-community', name: '李明' },
  { _id: 'demo-member-2', role: 'member', orgId: 'demo-community', name: '赵华' },
  { _id: 'demo-organiser', role: 'organiser', orgId: 'demo-community', name: '陈静' },
];

export const COLLECTIONS = ['wishes', 'users', 'orgs', 'outbox', 'reminders'];

/** Creates the collections and the demo data when the database is new. Returns whether it seeded. */
export async function seedIfEmpty(engine: Engine): Promise<boolean> {
  const fresh = !engine.has('orgs');
  // Collections added later (outbox, reminders) are created in an existing database too.
  for (const name of COLLECTIONS) if (!engine.has(name)) await engine.create(name);
  if (!fresh) return false;
  await engine.get('orgs').insert(DEMO_ORGS);
  await engine.get('users').insert(DEMO_USERS);
  return true;
}
