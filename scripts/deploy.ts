/**
 * `npm run deploy`: the CloudBase environment from the repository, through the official manager SDK
 * (@cloudbase/manager-node). Configuration from the env file (.env, or ENV_FILE=.env.prod; see .env.example):
 * TCB_ENV_ID, TCB_SECRET_ID, TCB_SECRET_KEY, WX_APPID, and optionally WX_TEMPLATE_<KIND> and RETENTION_DAYS for the
 * functions' environment.
 *
 *   npm run deploy -- --dry-run    print the plan (needs no credentials, touches nothing)
 *   npm run deploy                 build the functions, then create/update collections, indexes, rules, functions, triggers
 *   npm run deploy -- --only claim,board   deploy only these functions (collections and rules still applied)
 *   npm run deploy -- --write-rc   rewrite cloudbaserc.json from the function configs
 *   npm run deploy -- --prune-indexes      also drop indexes on CloudBase that are not declared
 *   npm run deploy -- --web-built  upload dist/h5 as it is (it must be a WEB_CLOUD=cloudbase build for TCB_ENV_ID)
 *
 * The web site (issue 23): dist/h5 built with WEB_CLOUD=cloudbase goes to static hosting, the hosting domain becomes a
 * security domain, anonymous sign-in is turned on, and the functions get CARD_BASE_URL = the site (plan.ts WebPlan).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  anonymousLoginChange,
  cardBaseUrl,
  cloudbaserc,
  formatPlan,
  loadDeployEnv,
  makePlan,
  hostingUploads,
  quotaRefusal,
  ROOT,
  securityDomainsToAdd,
  siteUrl,
  triggerChanges,
  webBuildFor,
  type LoginConfig,
  type DeployedTrigger,
  type Plan,
} from './deploy/plan';

const args = process.argv.slice(2);
const has = (flag: string) => args.includes(flag);
const valueOf = (flag: string) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};

async function main() {
  const env = loadDeployEnv();
  const plan = makePlan(env);
  if (has('--write-rc')) {
    writeFileSync(join(ROOT, 'cloudbaserc.json'), `${JSON.stringify(cloudbaserc(plan), null, 2)}\n`);
    console.log('cloudbaserc.json written');
    return;
  }
  console.log(formatPlan(plan));
  const refusal = quotaRefusal(plan);
  if (refusal) {
    console.error(`\n${refusal}`);
    process.exit(3);
  }
  if (has('--dry-run')) {
    console.log('\n(dry run: nothing was built, uploaded or changed)');
    return;
  }
  if (!plan.envId || !plan.credentials) {
    console.error('\nnpm run deploy needs TCB_ENV_ID, TCB_SECRET_ID and TCB_SECRET_KEY (copy .env.example to .env). Nothing was changed.');
    process.exit(2);
  }
  await deploy(plan, env.TCB_SECRET_ID!, env.TCB_SECRET_KEY!);
}

async function deploy(plan: Plan, secretId: string, secretKey: string) {
  const only = valueOf('--only')?.split(',').filter(Boolean);
  if (only) for (const n of only) if (!plan.functions.some((f) => f.name === n)) throw new Error(`no function ${n}`);
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-functions.mjs')], { cwd: ROOT, stdio: 'inherit' });
  // A dev-only dependency, loaded only for a real deploy (the dry run needs none of it).
  const { default: CloudBase } = await import('@cloudbase/manager-node');
  const app = new CloudBase({ secretId, secretKey, envId: plan.envId! });
  const step = (s: string) => console.log(`\n▶ ${s}`);

  step('collections, indexes and database rules');
  for (const c of plan.collections) {
    const made = await app.database.createCollectionIfNotExists(c.name);
    const info = await app.database.describeCollection(c.name);
    const existing = new Set((info.Indexes ?? []).map((i) => i.Name));
    const declared = new Set(c.indexes.map((i) => i.name));
    const create = c.indexes
      .filter((i) => !existing.has(i.name))
      .map((i) => ({
        IndexName: i.name,
        MgoKeySchema: { MgoIndexKeys: i.keys.map((k) => ({ Name: k.field, Direction: String(k.direction) })), MgoIsUnique: i.unique },
      }));
    const drop = has('--prune-indexes')
      ? [...existing].filter((n) => n !== '_id_' && !declared.has(n)).map((IndexName) => ({ IndexName }))
      : [];
    if (create.length || drop.length) await app.database.updateCollection(c.name, { CreateIndexes: create, DropIndexes: drop });
    await app.permission.modifyResourcePermission({
      resourceType: 'collection',
      resource: c.name,
      permission: 'CUSTOM',
      securityRule: JSON.stringify(c.rule),
    });
    console.log(
      `  ${c.name}: ${made.IsCreated ? 'created' : 'exists'}; indexes +${create.length}${drop.length ? ` -${drop.length}` : ''}; rule applied`,
    );
  }

  // ModifyResourcePermission is deprecated in manager-node ("网关鉴权策略已由 OPA 接管"): an environment on the OPA
  // policy engine ignores what it sets. The functions check identity, roles and scope themselves (and the timers and the
  // media-check push refuse any end user, WeChat or web login: server/runner.ts definePlatform), but the platform-level
  // denial must then be set as OPA policies by hand (docs/operations.md).
  // isOpaAuthzEngine reads the environment's Meta tag authz_engine; manager-node declares it private, but it is the
  // only reader of that tag it ships (lib/permission/index.js).
  const opa = (app.permission as unknown as { isOpaAuthzEngine(): Promise<boolean> }).isOpaAuthzEngine;
  if (await opa.call(app.permission))
    console.warn(
      '  ⚠ this environment uses the OPA policy engine: the database and function rules below are ignored by it. Set the policies in docs/operations.md, "Access rules on the OPA policy engine".',
    );
  step('function and storage security rules');
  await app.permission.modifyResourcePermission({
    resourceType: 'function',
    permission: 'CUSTOM',
    securityRule: JSON.stringify(plan.functionRules),
  });
  await app.storage.setStorageAcl('CUSTOM', plan.storageRule as { read: boolean | string; write: boolean | string });
  console.log('  applied functions.rules.json and storage.rules.json');

  // Before the functions: their CARD_BASE_URL is the site's address, which static hosting answers.
  step('web site: static hosting, security domain, anonymous sign-in');
  const site = await webSite(app, plan, Boolean(only));
  const cardBase = cardBaseUrl(plan.web, site);

  step('functions');
  // Each function is uploaded from a staging folder holding only its allowed files, so nothing else can leak.
  const stage = join(ROOT, '.deploy', 'functions');
  rmSync(stage, { recursive: true, force: true });
  for (const f of plan.functions.filter((x) => !only || only.includes(x.name))) {
    mkdirSync(join(stage, f.name), { recursive: true });
    for (const file of f.files) {
      if (!existsSync(join(f.dir, file))) throw new Error(`cloudfunctions/${f.name}/${file} is missing (npm run build:functions)`);
      cpSync(join(f.dir, file), join(stage, f.name, file));
    }
    await app.functions.createFunction({
      func: {
        name: f.name,
        timeout: f.timeout,
        memorySize: f.memorySize,
        runtime: f.runtime,
        handler: 'index.main',
        installDependency: true,
        envVariables: { ...f.envVariables, CARD_BASE_URL: cardBase },
      },
      functionRootPath: stage,
      force: true, // exists: update code, then config (triggers below, so that each exists once: plan.ts triggerChanges)
    });
    const existing = ((await app.functions.getFunctionDetail(f.name)) as { Triggers?: DeployedTrigger[] }).Triggers ?? [];
    const changes = triggerChanges(existing, f.triggers);
    for (const name of changes.remove) await app.functions.deleteFunctionTrigger(f.name, name);
    if (changes.create.length) await app.functions.createFunctionTriggers(f.name, changes.create);
    console.log(
      `  ${f.name}: deployed (${f.timeout} s, ${f.memorySize} MB${f.triggers.length ? `, ${f.triggers.length} trigger(s)` : ''})`,
    );
  }
  rmSync(stage, { recursive: true, force: true });

  execFileSync(process.execPath, [join(ROOT, 'scripts/weapp-config.mjs')], { cwd: ROOT, stdio: 'inherit' });
  console.log(`\n网站（心愿卡、回执、公开栏打开的页面）: ${siteUrl(site)}   cards' codes: ${cardBase}`);
  console.log(
    `\n部署完成 — environment ${plan.envId}. Next: npm run build:weapp and open the repo in WeChat DevTools (README, "Deploying to CloudBase").`,
  );
}

type Manager = import('@cloudbase/manager-node');

/** The H5 site on static hosting (plan.ts WebPlan): build (unless --web-built), hosting on, upload, security domain,
 * anonymous sign-in. Answers the hosting domain. With --only (a functions-only redeploy) it only reads the domain. */
async function webSite(app: Manager, plan: Plan, functionsOnly: boolean): Promise<string> {
  const online = async () => (await app.hosting.getInfo())?.[0];
  let hosting = await online();
  if (functionsOnly) {
    if (!hosting?.CdnDomain) throw new Error('static hosting is not on: run npm run deploy without --only first');
    return hosting.CdnDomain;
  }
  const dist = join(ROOT, plan.web.dist);
  if (!has('--web-built'))
    execFileSync('npm', ['run', 'build:h5'], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, ...plan.web.build.env, TCB_ENV_ID: plan.envId! },
    });
  if (!webBuildFor(dist, plan.envId!))
    throw new Error(`${plan.web.dist} is not a WEB_CLOUD=cloudbase build for ${plan.envId}: run without --web-built`);
  // CreateStaticStore is asynchronous: wait (up to 3 minutes) until DescribeStaticStore says online.
  if (!hosting || hosting.Status === 'offline') {
    await app.hosting.enableService();
    console.log('  static hosting: turned on, waiting for it to come online …');
  }
  for (let i = 0; i < 36 && (hosting = await online())?.Status !== 'online'; i++) await new Promise((r) => setTimeout(r, 5000));
  if (!hosting || hosting.Status !== 'online') throw new Error(`static hosting is not online (${hosting?.Status ?? 'none'})`);
  const files = hostingUploads(dist);
  await app.hosting.uploadFiles({ files, parallel: 10 });
  console.log(`  static hosting: ${files.length} files uploaded to ${hosting.CdnDomain}`);
  const add = securityDomainsToAdd((await app.env.getEnvAuthDomains()).Domains ?? [], plan.web, hosting.CdnDomain);
  if (add.length) await app.env.createEnvDomain(add);
  console.log(`  security domains: ${add.length ? `added ${add.join(', ')}` : 'already registered'}`);
  const change = anonymousLoginChange((await app.env.getLoginConfig()) as LoginConfig);
  if (change) await app.env.modifyLoginConfig(change);
  console.log(`  anonymous sign-in: ${change ? 'turned on' : 'already on'}`);
  return hosting.CdnDomain;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
