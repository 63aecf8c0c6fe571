/**
 * The mini-program is pointed at the deployed environment from the env file: the weapp build's CLOUD_ENV (which
 * src/app.ts passes to Taro.cloud.init) is TCB_ENV_ID, and WeChat DevTools gets WX_APPID through
 * project.private.config.json, while the committed project.config.json keeps touristappid.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '../..');

async function constants(taroEnv: string, envFile: string): Promise<Record<string, string>> {
  const saved = { TARO_ENV: process.env.TARO_ENV, ENV_FILE: process.env.ENV_FILE };
  Object.assign(process.env, { TARO_ENV: taroEnv, ENV_FILE: envFile });
  try {
    jest.resetModules();
    const { default: config } = (await import('../../config/index')) as unknown as {
      default: (merge: (...o: object[]) => object) => Promise<{ defineConstants: Record<string, string> }>;
    };
    return (await config((...o) => Object.assign({}, ...o))).defineConstants;
  } finally {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
}

test('the weapp build takes its CloudBase environment from the env file; H5 never gets it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wish-envfile-'));
  try {
    const file = join(dir, '.env');
    writeFileSync(file, 'TCB_ENV_ID=wish-dev-1a2b\nWX_APPID=wx0123456789abcdef\n');
    const rel = relative(ROOT, file);
    expect((await constants('weapp', rel)).CLOUD_ENV).toBe(JSON.stringify('wish-dev-1a2b'));
    expect(await constants('h5', rel)).not.toHaveProperty('CLOUD_ENV');
    // Without an env file: no environment compiled in (Taro.cloud.init then uses DevTools' default).
    expect((await constants('weapp', '.env.absent-for-test')).CLOUD_ENV).toBe('""');
    expect(readFileSync(join(ROOT, 'src/app.ts'), 'utf8')).toMatch(/Taro\.cloud\.init\(CLOUD_ENV \? \{ env: CLOUD_ENV/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

test('WX_APPID reaches WeChat DevTools through project.private.config.json; the committed file keeps touristappid', () => {
  const privateFile = join(ROOT, 'project.private.config.json');
  const before = existsSync(privateFile) ? readFileSync(privateFile, 'utf8') : null;
  const dir = mkdtempSync(join(tmpdir(), 'wish-envfile-'));
  try {
    writeFileSync(join(dir, '.env'), 'WX_APPID=wx0123456789abcdef\n');
    const run = (envFile: string) =>
      spawnSync(process.execPath, ['scripts/weapp-config.mjs'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', ENV_FILE: envFile },
        encoding: 'utf8',
      });
    expect(run(relative(ROOT, join(dir, '.env'))).status).toBe(0);
    expect(JSON.parse(readFileSync(privateFile, 'utf8')).appid).toBe('wx0123456789abcdef');
    expect(JSON.parse(readFileSync(join(ROOT, 'project.config.json'), 'utf8')).appid).toBe('touristappid');
    const without = run('.env.absent-for-test');
    expect(without.stdout).toMatch(/touristappid/);
    expect(JSON.parse(readFileSync(privateFile, 'utf8')).appid).toBeUndefined();
    // Never committed.
    expect(readFileSync(join(ROOT, '.gitignore'), 'utf8')).toMatch(/^project\.private\.config\.json$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (before === null) rmSync(privateFile, { force: true });
    else writeFileSync(privateFile, before);
  }
}, 60_000);
