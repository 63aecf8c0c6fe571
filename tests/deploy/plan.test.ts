/**
 * The deployment plan (`npm run deploy -- --dry-run`): worked out from the repository with no credentials, it must
 * name every function folder with its config and only the files it may upload, every declared collection with its
 * indexes and rule, and the function and storage rules. cloudbaserc.json must say the same.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEPLOYED } from '../../src/core/functions';
import { QUOTAS } from '../../localcloud/quotas';
import {
  anonymousLoginChange,
  cardBaseUrl,
  cloudbaserc,
  formatPlan,
  FUNCTION_ENV_NAMES,
  hostingUploads,
  loadDeployEnv,
  makePlan,
  PLATFORM_ENV,
  quotaRefusal,
  ROOT,
  securityDomainsToAdd,
  siteUrl,
  triggerChanges,
  UPLOADED_FILES,
  webBuildFor,
} from '../../scripts/deploy/plan';

const fnDir = join(ROOT, 'cloudfunctions');
const folders = readdirSync(fnDir)
  .filter((n) => existsSync(join(fnDir, n, 'index.ts')))
  .sort();
const declared = JSON.parse(readFileSync(join(ROOT, 'database/collections.json'), 'utf8')).collections as Array<{
  name: string;
  indexes: Array<{ fields: Array<[string, number]> }>;
}>;
const noSecrets = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ENV_FILE: '.env.absent-for-test' };

test('every function folder, with its config.json, and only index.js, package.json and config.json', () => {
  const plan = makePlan({});
  expect(plan.functions.map((f) => f.name)).toEqual(folders);
  for (const f of plan.functions) {
    const config = JSON.parse(readFileSync(join(fnDir, f.name, 'config.json'), 'utf8'));
    expect({ name: f.name, files: f.files, timeout: f.timeout, memorySize: f.memorySize, triggers: f.triggers }).toEqual({
      name: f.name,
      files: ['index.js', 'package.json', 'config.json'],
      timeout: config.timeout,
      memorySize: config.memorySize,
      triggers: config.triggers ?? [],
    });
    // Within CloudBase's limits (timeout 1..900 s, memory a power of two 128..3072 MB at this runtime).
    expect(f.timeout).toBeGreaterThanOrEqual(3);
    expect(f.timeout).toBeLessThanOrEqual(900);
    expect([128, 256, 512, 1024, 2048, 3072]).toContain(f.memorySize);
    // The dependencies the platform installs are exactly the SDKs the bundle leaves external (scripts/build-functions.mjs):
    // the database's and the cloud calls' (wx-server-sdk), at the versions the project itself installs.
    const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).dependencies as Record<string, string>;
    expect(JSON.parse(readFileSync(join(fnDir, f.name, 'package.json'), 'utf8')).dependencies).toEqual({
      '@cloudbase/node-sdk': root['@cloudbase/node-sdk'],
      'wx-server-sdk': root['wx-server-sdk'],
    });
  }
  expect(UPLOADED_FILES).toEqual(['index.js', 'package.json', 'config.json']);
  const byName = Object.fromEntries(plan.functions.map((f) => [f.name, f]));
  // Every timer trigger is on the one `timers` function, named after its operation (src/core/functions.ts).
  expect(byName.timers!.triggers).toEqual(
    expect.arrayContaining([
      { name: 'purge', type: 'timer', config: '0 0 3 * * * *' },
      { name: 'remind', type: 'timer', config: '0 0 9 * * * *' },
    ]),
  );
  expect(plan.functions.filter((f) => f.triggers.length).map((f) => f.name)).toEqual(['timers']);
  // The deployed functions are exactly the table's: the seven stages, the groups and the singles.
  expect(folders).toEqual([...DEPLOYED].sort());
  expect(byName.collect!.openapi).toEqual(expect.arrayContaining(['security.msgSecCheck', 'security.mediaCheckAsync']));
});

test('every declared collection with its indexes and its database rule; the function and storage rules', () => {
  const plan = makePlan({});
  const rules = JSON.parse(readFileSync(join(ROOT, 'database.rules.json'), 'utf8'));
  expect(plan.collections.map((c) => c.name)).toEqual(declared.map((c) => c.name));
  for (const c of plan.collections) {
    expect(c.rule).toEqual(rules[c.name]);
    const want = declared.find((d) => d.name === c.name)!.indexes.map((i) => i.fields.map(([field, direction]) => ({ field, direction })));
    expect(c.indexes.map((i) => i.keys)).toEqual(want);
  }
  expect(plan.collections.find((c) => c.name === 'wishes')!.indexes.map((i) => i.name)).toContain('orgId_1_status_1_boardRank_-1');
  expect(plan.functionRules).toEqual(JSON.parse(readFileSync(join(ROOT, 'functions.rules.json'), 'utf8')));
  expect(plan.storageRule).toEqual({ read: expect.anything(), write: expect.anything() });
  expect(plan.files.storageRules).toBe('storage.rules.json');
});

test('the env file configures it; its function variables pass through; the process environment wins', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wish-env-'));
  try {
    writeFileSync(
      join(dir, '.env.test'),
      'TCB_ENV_ID=wish-dev-1a2b\nWX_APPID=wx0123456789abcdef\nWX_TEMPLATE_CLAIMED=tmpl-1\nUNRELATED=x\n',
    );
    const env = loadDeployEnv(dir, { ENV_FILE: '.env.test', WX_APPID: 'wxfromprocess' });
    expect(env).toMatchObject({ TCB_ENV_ID: 'wish-dev-1a2b', WX_APPID: 'wxfromprocess' });
    const plan = makePlan(env);
    expect({ envId: plan.envId, appid: plan.appid, credentials: plan.credentials }).toEqual({
      envId: 'wish-dev-1a2b',
      appid: 'wxfromprocess',
      credentials: false,
    });
    expect(plan.functions[0]!.envVariables).toEqual({ WX_TEMPLATE_CLAIMED: 'tmpl-1' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cloudbaserc.json is the plan’s (npm run deploy -- --write-rc)', () => {
  const onDisk = JSON.parse(readFileSync(join(ROOT, 'cloudbaserc.json'), 'utf8'));
  expect(onDisk).toEqual(cloudbaserc(makePlan({})));
  expect(onDisk.envId).toBe('{{env.TCB_ENV_ID}}');
});

test('npm run deploy -- --dry-run prints the whole plan with no credentials and no env file, and changes nothing', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/deploy.ts', '--dry-run'], {
    cwd: ROOT,
    env: noSecrets,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toBe(`${formatPlan(makePlan({}))}\n\n(dry run: nothing was built, uploaded or changed)\n`);
  for (const name of folders) expect(r.stdout).toMatch(new RegExp(`^  ${name} .*index\\.js package\\.json config\\.json`, 'm'));
  for (const c of declared)
    for (const i of c.indexes) expect(r.stdout).toContain(i.fields.map(([f, d]) => `${f.replace(/\./g, '_')}_${d}`).join('_'));
  expect(r.stdout).toContain('credentials: not set');
  // The web site (issue 23): the build, hosting, the security domain, anonymous sign-in, CARD_BASE_URL from hosting.
  expect(r.stdout).toMatch(/^ {2}build {6}WEB_CLOUD=cloudbase npm run build:h5/m);
  expect(r.stdout).toMatch(/^ {2}hosting {4}enable static hosting if off; upload every file of dist\/h5/m);
  expect(r.stdout).toMatch(/^ {2}domain {5}register the hosting domain as a security domain/m);
  expect(r.stdout).toMatch(/^ {2}sign-in {4}turn on anonymous sign-in/m);
  expect(r.stdout).toMatch(/^ {2}functions {2}CARD_BASE_URL=https:\/\/<hosting domain>/m);
  expect(existsSync(join(ROOT, '.deploy'))).toBe(false);
}, 60_000);

test('a real deploy without credentials refuses before building or touching anything', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/deploy.ts'], {
    cwd: ROOT,
    env: noSecrets,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/TCB_ENV_ID, TCB_SECRET_ID and TCB_SECRET_KEY/);
  expect(r.stdout).not.toMatch(/built \d+ cloud functions/);
}, 60_000);

/** A copy of the repository's declarations in a temporary root, with `functions` function folders and `indexes`
 * declared indexes on the first collection: what makePlan reads, nothing else. */
function fixtureRoot(functions: number, indexes: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'wish-quota-'));
  for (const f of ['database.rules.json', 'functions.rules.json', 'storage.rules.json'])
    writeFileSync(join(dir, f), readFileSync(join(ROOT, f)));
  mkdirSync(join(dir, 'database'));
  const collections = JSON.parse(readFileSync(join(ROOT, 'database/collections.json'), 'utf8'));
  collections.collections[0].indexes = Array.from({ length: indexes }, (_, i) => ({ fields: [[`f${i}`, 1]] }));
  writeFileSync(join(dir, 'database/collections.json'), JSON.stringify(collections));
  for (let i = 0; i < functions; i++) {
    const fn = join(dir, 'cloudfunctions', `fn${String(i).padStart(2, '0')}`);
    mkdirSync(fn, { recursive: true });
    writeFileSync(join(fn, 'index.ts'), '');
    writeFileSync(join(fn, 'config.json'), JSON.stringify({ timeout: 10, memorySize: 256 }));
  }
  return dir;
}

describe('platform quotas (localcloud/quotas.ts; docs/localcloud.md, Quotas)', () => {
  test('the repository declares at most 20 indexes a collection and at most 100 collections', () => {
    const plan = makePlan({});
    expect(plan.quotaBreaches.filter((b) => b.code !== 'QUOTA.FUNCTIONS')).toEqual([]);
    expect(Math.max(...plan.collections.map((c) => c.indexes.length))).toBeLessThanOrEqual(QUOTAS.indexes.limit);
  });

  // Fails until the functions are regrouped (issue 18: 57 folders today, ~18 after): CloudBase would refuse the 51st.
  test('the repository has at most 50 function folders', () => {
    expect(makePlan({}).functions.length).toBeLessThanOrEqual(QUOTAS.functions.limit);
  });

  test('51 functions or 21 indexes on a collection: the plan names the limit and the page that states it', () => {
    const at = fixtureRoot(50, 20);
    const over = fixtureRoot(51, 21);
    try {
      expect(makePlan({}, at).quotaBreaches).toEqual([]);
      const breaches = makePlan({}, over).quotaBreaches;
      expect(breaches.map((b) => [b.code, b.found, b.quota.limit])).toEqual([
        ['QUOTA.FUNCTIONS', 51, 50],
        ['QUOTA.INDEXES', 21, 20],
      ]);
      for (const b of breaches) expect(b.message).toContain('https://developers.weixin.qq.com/');
      expect(breaches[1]!.subject).toBe(`collection ${declared[0]!.name}`);
    } finally {
      rmSync(at, { recursive: true, force: true });
      rmSync(over, { recursive: true, force: true });
    }
  });

  test('npm run deploy (the dry run too) refuses such a plan before anything else: its message names each breach', () => {
    const over = fixtureRoot(51, 3);
    const at = fixtureRoot(50, 20);
    try {
      expect(quotaRefusal(makePlan({}, at))).toBeNull();
      const refusal = quotaRefusal(makePlan({}, over));
      expect(refusal).toMatch(
        /^QUOTA\.FUNCTIONS: cloudfunctions\/: 51 cloud functions in an environment, over the platform's limit of 50 \(https:\/\/developers\.weixin\.qq\.com\/.*\)\n/,
      );
      expect(refusal).toMatch(/Nothing was changed\.$/);
      // deploy.ts prints it and exits 3 before the dry run's return and before any build or upload.
      const script = readFileSync(join(ROOT, 'scripts/deploy.ts'), 'utf8');
      expect(script.indexOf('quotaRefusal(plan)')).toBeGreaterThan(0);
      expect(script.indexOf('quotaRefusal(plan)')).toBeLessThan(script.indexOf("has('--dry-run')"));
    } finally {
      rmSync(at, { recursive: true, force: true });
      rmSync(over, { recursive: true, force: true });
    }
  });
});

test('every environment variable a function reads is passed by the deploy, or set by the platform itself', () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory() && e.name !== 'node_modules') walk(p);
      else if (e.isFile() && e.name.endsWith('.ts')) files.push(p);
    }
  };
  for (const d of ['server', 'cloudfunctions', 'src/core']) walk(join(ROOT, d));
  const names = new Set<string>();
  const prefixes = new Set<string>();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)) names.add(m[1]!);
    for (const m of text.matchAll(/process\.env\[`([A-Z][A-Z0-9_]*)\$\{/g)) prefixes.add(m[1]!);
    // Any other computed read would escape this scan: there is none.
    expect({ f, other: /process\.env\[(?!`[A-Z][A-Z0-9_]*\$\{)/.test(text) }).toEqual({ f, other: false });
  }
  expect([...names]).toEqual(expect.arrayContaining(['CARD_BASE_URL', 'RETENTION_DAYS', 'WX_ENV_VERSION']));
  expect([...prefixes]).toEqual(['WX_TEMPLATE_']);
  const platform = new Set<string>(PLATFORM_ENV);
  const passed = [...names].filter((n) => !platform.has(n)).sort();
  const env = Object.fromEntries([...passed, ...[...prefixes].map((p) => `${p}CLAIMED`)].map((n) => [n, `v-${n}`]));
  const plan = makePlan({ ...env, TCB_SECRET_ID: 'not-passed' });
  for (const f of plan.functions) expect(Object.keys(f.envVariables).sort()).toEqual(Object.keys(env).sort());
  expect(passed).toEqual([...FUNCTION_ENV_NAMES].sort());
});

describe('the web site on static hosting (issue 23)', () => {
  test('CARD_BASE_URL is the hosting site unless the env file names another origin', () => {
    const plan = makePlan({});
    expect(plan.web.cardBaseUrl).toBeNull();
    expect(cardBaseUrl(plan.web, 'wish-dev-1a2b-1300000000.tcloudbaseapp.com')).toBe('https://wish-dev-1a2b-1300000000.tcloudbaseapp.com');
    expect(siteUrl('wish-dev-1a2b-1300000000.tcloudbaseapp.com')).toBe('https://wish-dev-1a2b-1300000000.tcloudbaseapp.com/');
    const own = makePlan({ CARD_BASE_URL: 'https://wish.example.cn/' });
    expect(cardBaseUrl(own.web, 'x.tcloudbaseapp.com')).toBe('https://wish.example.cn');
    expect(formatPlan(own)).toMatch(/^ {2}functions {2}CARD_BASE_URL=https:\/\/wish\.example\.cn\/:/m);
  });

  test('the security domains added are the hosting domain and WEB_DOMAINS, as host names, minus those registered', () => {
    const web = makePlan({ WEB_DOMAINS: 'https://wish.example.cn/, Wish.example.cn' }).web;
    expect(web.extraDomains).toEqual(['https://wish.example.cn/', 'Wish.example.cn']);
    expect(securityDomainsToAdd([], web, 'env-1.tcloudbaseapp.com')).toEqual(['env-1.tcloudbaseapp.com', 'wish.example.cn']);
    expect(securityDomainsToAdd([{ Domain: 'env-1.tcloudbaseapp.com' }, { Domain: 'localhost' }], web, 'env-1.tcloudbaseapp.com')).toEqual([
      'wish.example.cn',
    ]);
    expect(securityDomainsToAdd([{ Domain: 'env-1.tcloudbaseapp.com' }], makePlan({}).web, 'env-1.tcloudbaseapp.com')).toEqual([]);
  });

  test('anonymous sign-in is turned on with every other login kept; nothing is sent when it is on', () => {
    const off = { PhoneNumberLogin: true, EmailLogin: false, UserNameLogin: true, AnonymousLogin: false };
    expect(anonymousLoginChange(off)).toEqual({ ...off, AnonymousLogin: true });
    expect(anonymousLoginChange({ ...off, AnonymousLogin: true })).toBeNull();
  });

  test('every built file but source maps is uploaded at its path; a folder without index.html, or a local build, is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wish-h5-'));
    try {
      expect(() => hostingUploads(dir)).toThrow(/index\.html is missing/);
      mkdirSync(join(dir, 'js'));
      mkdirSync(join(dir, 'css'));
      writeFileSync(join(dir, 'index.html'), '<!doctype html>');
      writeFileSync(join(dir, 'js', 'app.1234abcd.js'), 'var TCB_WEB_ENV="";');
      writeFileSync(join(dir, 'js', 'app.1234abcd.js.map'), '{}');
      writeFileSync(join(dir, 'css', 'app.css'), '');
      expect(hostingUploads(dir).map((f) => [f.cloudPath, f.localPath])).toEqual([
        ['css/app.css', join(dir, 'css', 'app.css')],
        ['index.html', join(dir, 'index.html')],
        ['js/app.1234abcd.js', join(dir, 'js', 'app.1234abcd.js')],
      ]);
      expect(webBuildFor(dir, 'wish-dev-1a2b')).toBe(false);
      writeFileSync(join(dir, 'js', 'tcb.5678.js'), 'const e="wish-dev-1a2b";');
      expect(webBuildFor(dir, 'wish-dev-1a2b')).toBe(true);
      expect(webBuildFor(dir, 'wish-prod')).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('a re-deploy leaves each declared timer trigger exactly once: unchanged ones kept, changed or undeclared ones replaced', () => {
  const wanted = [
    { name: 'purge', type: 'timer', config: '0 0 3 * * * *' },
    { name: 'weekly', type: 'timer', config: '0 0 9 * * 4 *' },
  ];
  // A first deploy: nothing there, everything created.
  expect(triggerChanges([], wanted)).toEqual({ remove: [], create: wanted });
  // The same again (what GetFunction lists after the first deploy): nothing to do, so nothing is created twice.
  const deployed = [
    { TriggerName: 'purge', Type: 'timer', TriggerDesc: '{"cron":"0 0 3 * * * *"}' },
    { TriggerName: 'weekly', Type: 'timer', TriggerDesc: '0 0 9 * * 4 *' },
  ];
  expect(triggerChanges(deployed, wanted)).toEqual({ remove: [], create: [] });
  // A changed schedule is replaced; a trigger no longer declared (the old per-function names) is removed.
  const changed = [
    { TriggerName: 'purge', Type: 'timer', TriggerDesc: '{"cron":"0 0 4 * * * *"}' },
    { TriggerName: 'weekly', Type: 'timer', TriggerDesc: '{"cron":"0 0 9 * * 4 *"}' },
    { TriggerName: 'daily-retention-purge', Type: 'timer', TriggerDesc: '{"cron":"0 0 3 * * * *"}' },
  ];
  expect(triggerChanges(changed, wanted)).toEqual({ remove: ['purge', 'daily-retention-purge'], create: [wanted[0]] });
});

test('the dry run says the database and function rules go through the deprecated ModifyResourcePermission, which an OPA environment ignores, and where its policies are written down', () => {
  const text = formatPlan(makePlan({}));
  expect(text).toContain('ModifyResourcePermission');
  expect(text).toContain('OPA');
  expect(text).toContain('docs/operations.md, "Access rules on the OPA policy engine"');
  const ops = readFileSync(join(ROOT, 'docs/operations.md'), 'utf8');
  expect(ops).toContain('## Access rules on the OPA policy engine');
  // The policies listed there match the rules files: the platform-only functions, the public one, every collection.
  for (const fn of ['timers', 'mediaCheckResult', 'publicResults']) expect(ops).toContain(`\`${fn}\``);
});
