/**
 * The first administrator, created server-side (never from the client):
 *
 *   npm run admin -- --openid <openid> --org <orgId> --name <姓名> [--org-name <名称> --level city|district|street|community]
 *
 * Makes <openid> an organiser of <orgId>; with --org-name, creates that organisation first as a root
 * (no parent). The organiser can then appoint organisers below their organisation (the appoint function).
 * Where it writes: the CloudBase environment TCB_ENV with the API key pair TCB_SECRET_ID / TCB_SECRET_KEY (keep
 * them off the client); otherwise the running local cloud, whose address and per-start secret pair it reads from
 * <LOCALCLOUD_DATA or .localcloud>/credentials.json (or TCB_SERVICE_URL with TCB_SECRET_ID / TCB_SECRET_KEY).
 * Every run is recorded in the audit log as `bootstrap`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
    console.error(
      'usage: npm run admin -- --openid <openid> --org <orgId> --name <姓名> [--org-name <名称> --level city|district|street|community]',
    );
    process.exit(2);
  }
  if (![...GRID_LEVELS, ...PARTY_LEVELS].includes(level as never)) throw new Error(`unknown level ${level}`);
  const { TCB_SERVICE_URL, TCB_ENV, TCB_SECRET_ID, TCB_SECRET_KEY } = process.env;
  const cloudbase = !TCB_SERVICE_URL && TCB_ENV && TCB_SECRET_ID && TCB_SECRET_KEY;
  let target: { env: string; secretId: string; secretKey: string; serviceUrl?: string };
  if (cloudbase) target = { env: TCB_ENV, secretId: TCB_SECRET_ID, secretKey: TCB_SECRET_KEY };
  else if (TCB_SERVICE_URL && TCB_SECRET_ID && TCB_SECRET_KEY)
    target = { env: 'local', secretId: TCB_SECRET_ID, secretKey: TCB_SECRET_KEY, serviceUrl: TCB_SERVICE_URL };
  else {
    // The local cloud refuses unsigned requests: sign with the pair of its current start, from its data folder.
    const file = join(process.env.LOCALCLOUD_DATA || join(__dirname, '..', '.localcloud'), 'credentials.json');
    let c: { serviceUrl: string; secretId: string; secretKey: string };
    try {
      c = JSON.parse(readFileSync(file, 'utf8')) as typeof c;
    } catch {
      throw new Error(
        `no running local cloud (${file} is missing: npm start first), and no TCB_ENV, TCB_SECRET_ID, TCB_SECRET_KEY for CloudBase`,
      );
    }
    target = { env: 'local', secretId: c.secretId, secretKey: c.secretKey, serviceUrl: TCB_SERVICE_URL || c.serviceUrl };
  }
  if (target.serviceUrl) process.env.TENCENTCLOUD = 'true';
  const app = tcb.init(target);
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
  console.log(`${openid} 现在是 ${org.name}（${orgId}）的管理员`);
}

main().catch((e) => {
  console.error((e as Error).message);
  process.exit(1);
});
