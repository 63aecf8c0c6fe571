/**
 * The first administrator, created server-side (never from the client):
 *
 *   npm run admin -- --openid <openid> --org <orgId> --name <姓名> [--org-name <名称> --level city|district|street|community]
 *
 * Makes <openid> an organiser of <orgId>; with --org-name, creates that organisation first as a root
 * (no parent). The organiser can then appoint organisers below their organisation (the appoint function).
 * Where it writes: the local cloud when TCB_SERVICE_URL is set (e.g. http://127.0.0.1:8787/tcb), otherwise
 * the CloudBase environment TCB_ENV with the API key pair TCB_SECRET_ID / TCB_SECRET_KEY (keep them off
 * the client). Every run is recorded in the audit log as `bootstrap`.
 */
import tcb from '@cloudbase/node-sdk';
import { GRID_LEVELS, PARTY_LEVELS } from '../src/core';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const openid = arg('openid');
  const orgId = arg('org');
  const name = arg('name') ?? '管理员';
  const orgName = arg('org-name');
  const level = arg('level') ?? 'city';
  const ID = /^[A-Za-z0-9_-]{1,64}$/;
  if (!openid || !orgId || !ID.test(openid) || !ID.test(orgId)) {
    console.error('usage: npm run admin -- --openid <openid> --org <orgId> --name <姓名> [--org-name <名称> --level city|district|street|community]');
    process.exit(2);
  }
  if (![...GRID_LEVELS, ...PARTY_LEVELS].includes(level as never)) throw new Error(`unknown level ${level}`);
  const serviceUrl = process.env.TCB_SERVICE_URL;
  if (!serviceUrl && !(process.env.TCB_ENV && process.env.TCB_SECRET_ID && process.env.TCB_SECRET_KEY)) {
    throw new Error('set TCB_SERVICE_URL (local cloud) or TCB_ENV, TCB_SECRET_ID and TCB_SECRET_KEY (CloudBase)');
  }
  if (serviceUrl) process.env.TENCENTCLOUD = 'true';
  const app = tcb.init({
    env: process.env.TCB_ENV || 'local',
    secretId: process.env.TCB_SECRET_ID || 'local',
    secretKey: process.env.TCB_SECRET_KEY || 'local',
    ...(serviceUrl ? { serviceUrl } : {}),
  });
  const db = app.database();
  const orgs = db.collection('orgs');
  let org = (await orgs.doc(orgId).get()).data[0] as { _id: string; name: string } | undefined;
  if (!org) {
    if (!orgName) throw new Error(`organisation ${orgId} does not exist; pass --org-name to create it as a root`);
    org = { _id: orgId, name: orgName };
    await orgs.add({ _id: orgId, name: orgName, parentId: null, level, ancestors: [] });
  }
  const users = db.collection('users');
  const before = (await users.doc(openid).get()).data[0] as Record<string, unknown> | undefined;
  const fields = { role: 'organiser', orgId, name, appointedBy: 'bootstrap', pending: null };
  if (before) await users.doc(openid).update(fields);
  else await users.add({ _id: openid, ...fields });
  const at = new Date().toISOString();
  await db.collection('audit').add({
    at,
    actorId: 'bootstrap',
    actorRole: 'system',
    actorOrgId: null,
    action: 'bootstrap',
    target: { kind: 'user', id: openid },
    orgPath: [orgId],
    before: before ? { role: before.role, orgId: before.orgId } : null,
    after: { role: 'organiser', orgId },
  });
  console.log(`${openid} 现在是 ${org.name}(${orgId})的管理员`);
}

main().catch((e) => {
  console.error((e as Error).message);
  process.exit(1);
});
