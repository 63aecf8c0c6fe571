/**
 * What `npm run deploy` does to a CloudBase environment, worked out from the repository alone (no credentials,
 * no network): every function folder with its config.json (timeout, memory, triggers, cloud-call permissions) and
 * the only files it uploads; every collection of database/collections.json with its indexes and its security rule;
 * the function and storage security rules. `npm run deploy -- --dry-run` prints it; scripts/deploy.ts carries it out.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { quotaBreaches, type QuotaBreach } from '../../localcloud/quotas';

export const ROOT = join(__dirname, '..', '..');

/** The only files of a function folder that are uploaded: the bundle, the dependencies to install, the config. */
export const UPLOADED_FILES = ['index.js', 'package.json', 'config.json'] as const;
export const RUNTIME = 'Nodejs18.15';
/** Every environment variable the functions read that the deploy sets (from the env file, when set): each is
 * documented in docs/api.md or docs/operations.md. tests/deploy/plan.test.ts scans the function sources for
 * `process.env` and requires each name here or in PLATFORM_ENV. */
export const FUNCTION_ENV_NAMES = [
  'RETENTION_DAYS', // purge: days an ended wish is kept
  'CARD_BASE_URL', // cards: the H5 origin the QR code and card links use (without it, card URLs are relative)
  'WX_ENV_VERSION', // cards: the mini-program version a code opens (release, trial, develop)
  'WX_MINIPROGRAM_STATE', // notifications: the subscribe message's miniprogram_state
  'ORG_CACHE_MS', // store: how long an instance caches an organisation
  'TCB_TIMEOUT_MS', // cloud: the SDK's request timeout (ours, despite the prefix)
] as const;
/** Name prefixes passed through: one variable per notice kind. */
export const FUNCTION_ENV_PREFIXES = ['WX_TEMPLATE_'] as const;
/** What the platform sets in a function's environment itself (never from the deploy): the SDK reads them. */
export const PLATFORM_ENV = ['TCB_ENV', 'TCB_SERVICE_URL', 'TCB_SECRET_ID', 'TCB_SECRET_KEY'] as const;
const isFunctionEnv = (k: string) =>
  (FUNCTION_ENV_NAMES as readonly string[]).includes(k) || FUNCTION_ENV_PREFIXES.some((p) => k.startsWith(p) && /^[A-Z0-9_]+$/.test(k));

export interface Trigger {
  name: string;
  type: string;
  config: string;
}
export interface FunctionPlan {
  name: string;
  dir: string;
  files: string[];
  timeout: number;
  memorySize: number;
  runtime: string;
  triggers: Trigger[];
  openapi: string[];
  envVariables: Record<string, string>;
}
export interface IndexPlan {
  name: string;
  keys: Array<{ field: string; direction: 1 | -1 }>;
  unique: boolean;
}
export interface CollectionPlan {
  name: string;
  indexes: IndexPlan[];
  rule: { read: unknown; write: unknown };
}
export interface Plan {
  envId: string | null;
  appid: string | null;
  credentials: boolean;
  functions: FunctionPlan[];
  collections: CollectionPlan[];
  functionRules: Record<string, unknown>;
  storageRule: { read: unknown; write: unknown };
  files: { collections: string; databaseRules: string; functionRules: string; storageRules: string };
  /** The platform quotas the plan exceeds (localcloud/quotas.ts): any refuses the deploy, the dry run included. */
  quotaBreaches: QuotaBreach[];
  /** The H5 site on static hosting (issue 23): the pages a printed card, a receipt and 公开栏 open. */
  web: WebPlan;
}

/**
 * The web site: dist/h5 built with WEB_CLOUD=cloudbase (TCB_ENV_ID baked in as TCB_WEB_ENV, config/index.ts), every
 * file but source maps uploaded to the environment's static hosting (manager-node `hosting.enableService`,
 * `hosting.uploadFiles({ files })`), the hosting domain (`hosting.getInfo()[0].CdnDomain`) registered as a security
 * domain (`env.createEnvDomain`) so that @cloudbase/js-sdk may call from it, anonymous sign-in turned on
 * (`env.getLoginConfig` / `env.modifyLoginConfig`, see anonymousLoginChange), and CARD_BASE_URL set to the site unless
 * the env file names another origin (a custom domain bound to the hosting).
 */
export interface WebPlan {
  dist: string;
  build: { command: string; env: Record<string, string> };
  /** The functions' CARD_BASE_URL: the env file's, else null = https://<hosting domain>/, known once hosting is on. */
  cardBaseUrl: string | null;
  /** Security domains registered besides the hosting domain (WEB_DOMAINS, comma-separated: a custom domain). */
  extraDomains: string[];
  login: 'ANONYMOUS';
}

export interface DeployEnv {
  TCB_ENV_ID?: string;
  WX_APPID?: string;
  TCB_SECRET_ID?: string;
  TCB_SECRET_KEY?: string;
  [key: string]: string | undefined;
}

/** The env file (ENV_FILE, default .env; never committed) under the process's own environment, which wins. */
export function loadDeployEnv(root = ROOT, env: NodeJS.ProcessEnv = process.env): DeployEnv {
  const file = join(root, env.ENV_FILE || '.env');
  const fromFile = existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
  const merged: DeployEnv = { ...fromFile };
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') merged[k] = v;
  return merged;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

export function makePlan(env: DeployEnv, root = ROOT): Plan {
  const fnRoot = join(root, 'cloudfunctions');
  const envVariables = Object.fromEntries(Object.entries(env).filter(([k, v]) => isFunctionEnv(k) && v !== undefined)) as Record<
    string,
    string
  >;
  const functions = readdirSync(fnRoot)
    .filter((n) => existsSync(join(fnRoot, n, 'index.ts')))
    .sort()
    .map((name): FunctionPlan => {
      const dir = join(fnRoot, name);
      const config = readJson<{ timeout?: number; memorySize?: number; triggers?: Trigger[]; permissions?: { openapi?: string[] } }>(
        join(dir, 'config.json'),
      );
      if (!config.timeout || !config.memorySize) throw new Error(`cloudfunctions/${name}/config.json: timeout and memorySize are required`);
      return {
        name,
        dir,
        files: [...UPLOADED_FILES],
        timeout: config.timeout,
        memorySize: config.memorySize,
        runtime: RUNTIME,
        triggers: config.triggers ?? [],
        openapi: config.permissions?.openapi ?? [],
        envVariables,
      };
    });
  const files = {
    collections: 'database/collections.json',
    databaseRules: 'database.rules.json',
    functionRules: 'functions.rules.json',
    storageRules: 'storage.rules.json',
  };
  const declared = readJson<{
    collections: Array<{ name: string; indexes: Array<{ fields: Array<[string, 1 | -1]>; unique?: boolean }> }>;
  }>(join(root, files.collections)).collections;
  const dbRules = readJson<Record<string, { read: unknown; write: unknown }>>(join(root, files.databaseRules));
  const collections = declared.map((c): CollectionPlan => {
    const rule = dbRules[c.name];
    if (!rule) throw new Error(`${files.databaseRules} has no rule for collection ${c.name}`);
    return {
      name: c.name,
      rule,
      indexes: c.indexes.map((i) => ({
        name: i.fields.map(([f, d]) => `${f.replace(/\./g, '_')}_${d}`).join('_'),
        keys: i.fields.map(([field, direction]) => ({ field, direction })),
        unique: i.unique === true,
      })),
    };
  });
  const functionRules = readJson<Record<string, unknown>>(join(root, files.functionRules));
  const storageRule = readJson<{ read: unknown; write: unknown }>(join(root, files.storageRules));
  return {
    envId: env.TCB_ENV_ID || null,
    appid: env.WX_APPID || null,
    credentials: Boolean(env.TCB_SECRET_ID && env.TCB_SECRET_KEY),
    functions,
    collections,
    functionRules,
    storageRule: { read: storageRule.read, write: storageRule.write },
    files,
    quotaBreaches: quotaBreaches({
      functions: functions.map((f) => f.name),
      collections: collections.map((c) => ({ name: c.name, indexes: c.indexes.length })),
    }),
    web: {
      dist: WEB_DIST,
      build: { command: 'npm run build:h5', env: { WEB_CLOUD: 'cloudbase' } },
      cardBaseUrl: env.CARD_BASE_URL || null,
      extraDomains: (env.WEB_DOMAINS ?? '')
        .split(',')
        .map((d) => d.trim())
        .filter(Boolean),
      login: 'ANONYMOUS',
    },
  };
}

export const WEB_DIST = 'dist/h5';

/** The files of the H5 build that go to static hosting, each at its path under the build folder (index.html at the
 * site's root): everything but source maps and editor litter. Refuses a folder without index.html (no build). */
export function hostingUploads(dist: string): Array<{ localPath: string; cloudPath: string }> {
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`${dist}/index.html is missing: the H5 site was not built`);
  const out: Array<{ localPath: string; cloudPath: string }> = [];
  const walk = (dir: string, prefix: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(dir, e.name), rel);
      else if (e.isFile() && !e.name.endsWith('.map') && e.name !== '.DS_Store') out.push({ localPath: join(dir, e.name), cloudPath: rel });
    }
  };
  walk(dist, '');
  return out;
}

/** Whether the H5 build in `dist` calls environment `envId` through the js-sdk: a WEB_CLOUD=cloudbase build inlines
 * the id (TCB_WEB_ENV) in its scripts; a local build does not carry it at all. */
export function webBuildFor(dist: string, envId: string): boolean {
  const js = hostingUploads(dist).filter((f) => f.cloudPath.endsWith('.js'));
  return js.some((f) => readFileSync(f.localPath, 'utf8').includes(JSON.stringify(envId)));
}

/** The site's address from the hosting domain static hosting answers (`CdnDomain`, e.g. env-id-1234.tcloudbaseapp.com). */
export function siteUrl(cdnDomain: string): string {
  return `https://${cdnDomain.replace(/^https?:\/\//, '').replace(/\/+$/, '')}/`;
}

/** The functions' CARD_BASE_URL: the env file's when set, else the hosting site (the printed codes open its card page). */
export function cardBaseUrl(web: WebPlan, cdnDomain: string): string {
  return (web.cardBaseUrl ?? siteUrl(cdnDomain)).replace(/\/+$/, '');
}

/** The security domains to add (`env.createEnvDomain`): the hosting domain and WEB_DOMAINS, minus those already there
 * (`env.getEnvAuthDomains().Domains[].Domain`). A security domain is a host name, without scheme or path. */
export function securityDomainsToAdd(existing: Array<{ Domain?: string }>, web: WebPlan, cdnDomain: string): string[] {
  const host = (d: string) =>
    d
      .replace(/^https?:\/\//, '')
      .replace(/\/.*$/, '')
      .toLowerCase();
  const have = new Set(existing.map((d) => host(d.Domain ?? '')));
  return [...new Set([cdnDomain, ...web.extraDomains].map(host))].filter((d) => d && !have.has(d));
}

/** The login settings as `env.getLoginConfig()` (DescribeLoginConfig) answers them. */
export interface LoginConfig {
  PhoneNumberLogin: boolean;
  EmailLogin: boolean;
  UserNameLogin: boolean;
  AnonymousLogin: boolean;
}
/** What `env.modifyLoginConfig` is sent so that anonymous sign-in is on, every other login kept as it is; null when it
 * is on already (nothing to change). manager-node 5 marks `createLoginConfig('ANONYMOUS', …)` and
 * `updateLoginConfigV2` deprecated in favour of getLoginConfig / modifyLoginConfig (types/env/index.d.ts). */
export function anonymousLoginChange(current: LoginConfig): LoginConfig | null {
  if (current.AnonymousLogin === true) return null;
  return {
    PhoneNumberLogin: current.PhoneNumberLogin === true,
    EmailLogin: current.EmailLogin === true,
    UserNameLogin: current.UserNameLogin === true,
    AnonymousLogin: true,
  };
}

/** Why `npm run deploy` (dry run included) refuses this plan: each platform quota it exceeds, with the page that
 * states the limit; null when it is within them all. */
export function quotaRefusal(plan: Plan): string | null {
  if (!plan.quotaBreaches.length) return null;
  return `${plan.quotaBreaches.map((b) => `${b.code}: ${b.message}`).join('\n')}\n\nThe plan exceeds the platform quotas above (docs/localcloud.md, "Quotas"). Nothing was changed.`;
}

/** The plan as the dry run prints it. */
export function formatPlan(plan: Plan): string {
  const out: string[] = [];
  out.push(
    `CloudBase environment: ${plan.envId ?? '(TCB_ENV_ID not set)'}   mini-program appid: ${plan.appid ?? '(WX_APPID not set: touristappid)'}`,
  );
  out.push(`credentials: ${plan.credentials ? 'set' : 'not set (a dry run needs none)'}`);
  out.push('');
  out.push(
    `Collections (${plan.files.collections}; rules from ${plan.files.databaseRules}) — create if missing, create missing indexes, apply the rule:`,
  );
  for (const c of plan.collections) {
    out.push(`  ${c.name}  rule ${JSON.stringify(c.rule)}`);
    for (const i of c.indexes)
      out.push(
        `    index ${i.name}: ${i.keys.map((k) => `${k.field} ${k.direction === 1 ? 'asc' : 'desc'}`).join(', ')}${i.unique ? ' (unique)' : ''}`,
      );
  }
  out.push('');
  out.push(`Function security rule (${plan.files.functionRules}): ${JSON.stringify(plan.functionRules)}`);
  out.push(`Storage security rule (${plan.files.storageRules}): ${JSON.stringify(plan.storageRule)}`);
  out.push(`  ${GATEWAY_RULES_NOTE}`);
  out.push('');
  out.push(
    `Functions (${plan.functions.length}; runtime ${RUNTIME}; create or update code + config + triggers; upload only ${UPLOADED_FILES.join(', ')}; the platform installs package.json's dependencies):`,
  );
  for (const f of plan.functions) {
    const extras = [
      ...f.triggers.map((t) => `trigger ${t.name} ${t.type} "${t.config}"`),
      ...(f.openapi.length ? [`openapi ${f.openapi.join(' ')}`] : []),
      ...(Object.keys(f.envVariables).length ? [`env ${Object.keys(f.envVariables).join(' ')}`] : []),
    ];
    out.push(
      `  ${f.name.padEnd(18)} ${String(f.timeout).padStart(2)} s ${String(f.memorySize).padStart(3)} MB  ${f.files.join(' ')}${extras.length ? `  ${extras.join('; ')}` : ''}`,
    );
  }
  out.push('');
  out.push(...formatWeb(plan.web));
  return out.join('\n');
}

/** The web site's part of the dry run: hosting, the security domain, the sign-in, CARD_BASE_URL. */
function formatWeb(web: WebPlan): string[] {
  const build = Object.entries(web.build.env)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return [
    'Web site (the pages a printed card, a receipt and 公开栏 open; docs/operations.md, "The web site"):',
    `  build      ${build} ${web.build.command}  (TCB_ENV_ID baked in; --web-built: use ${web.dist} as built, checked for it)`,
    `  hosting    enable static hosting if off; upload every file of ${web.dist} but source maps, index.html at the root`,
    `  domain     register the hosting domain${web.extraDomains.length ? ` and ${web.extraDomains.join(', ')}` : ''} as a security domain (createEnvDomain)`,
    `  sign-in    turn on anonymous sign-in (modifyLoginConfig AnonymousLogin: true; other logins kept)`,
    `  functions  CARD_BASE_URL=${web.cardBaseUrl ?? 'https://<hosting domain> (read from static hosting at deploy)'}: cards' web links and QR codes`,
    '  prints     the site URL',
  ];
}

/** The database and function rules go through manager-node's `permission.modifyResourcePermission`
 * (ModifyResourcePermission), which it marks deprecated: "网关鉴权策略已由 OPA 接管" (lib/permission/index.js). An
 * environment whose `authz_engine` is `opa` ignores them; `npm run deploy` asks (`isOpaAuthzEngine`) and says so. */
export const GATEWAY_RULES_NOTE =
  'Applied with ModifyResourcePermission (deprecated in manager-node): an environment on the OPA policy engine ignores the database and function rules; deploy checks and then points at docs/operations.md, "Access rules on the OPA policy engine".';

/** cloudbaserc.json (the CloudBase CLI's file) as the plan implies it: written by `npm run deploy -- --write-rc`. */
export function cloudbaserc(plan: Plan): Record<string, unknown> {
  return {
    '//': 'Generated from cloudfunctions/*/config.json by `npm run deploy -- --write-rc` (checked by tests/deploy/plan.test.ts). The CloudBase CLI (tcb fn deploy) reads it; `npm run deploy` uses the manager SDK directly. envId comes from the env file.',
    version: '2.0',
    envId: '{{env.TCB_ENV_ID}}',
    functionRoot: './cloudfunctions',
    functions: plan.functions.map((f) => ({
      name: f.name,
      timeout: f.timeout,
      memorySize: f.memorySize,
      runtime: f.runtime,
      installDependency: true,
      handler: 'index.main',
      ignore: ['*.ts', '*.map', 'node_modules', 'node_modules/**'],
      ...(f.triggers.length ? { triggers: f.triggers } : {}),
    })),
  };
}

/** A trigger as SCF's GetFunction lists it (`Triggers[]`): a timer's `TriggerDesc` is `{"cron":"…"}` (or the bare cron). */
export interface DeployedTrigger {
  TriggerName: string;
  Type: string;
  TriggerDesc?: string;
}

/**
 * What a re-deploy does to a function's triggers so that each declared trigger exists exactly once: manager-node's
 * `createFunction({ force: true })` calls `BatchCreateTrigger` with every declared trigger on every deploy
 * (@cloudbase/manager-node lib/function/index.js, "3. 创建函数触发器"), which on a function that already has them
 * fails or, where names differ, leaves the old ones firing beside the new. So the deploy creates the function without
 * triggers and then applies this: delete what is not declared or declared differently, create what is missing.
 */
export function triggerChanges(existing: DeployedTrigger[], wanted: Trigger[]): { remove: string[]; create: Trigger[] } {
  const cronOf = (t: DeployedTrigger) => {
    try {
      const d = JSON.parse(t.TriggerDesc ?? '') as { cron?: unknown };
      return typeof d.cron === 'string' ? d.cron : (t.TriggerDesc ?? '');
    } catch {
      return t.TriggerDesc ?? '';
    }
  };
  const same = (d: DeployedTrigger, w: Trigger) => d.TriggerName === w.name && d.Type === w.type && cronOf(d).trim() === w.config.trim();
  const remove = existing.filter((d) => !wanted.some((w) => same(d, w))).map((d) => d.TriggerName);
  const create = wanted.filter((w) => !existing.some((d) => same(d, w)));
  return { remove: [...new Set(remove)], create };
}
