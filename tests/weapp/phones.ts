/**
 * What every weapp journey file sets up: one local cloud for the file, fresh mini-programs ("phones") on it, each
 * closed afterwards, and the check that a phone saw no problem (console errors, template warnings, unknown `wx` reads,
 * `wx.cloud` calls outside the documented fields).
 */
import { startCloud } from '../functions/harness';
import { bootApp, type MiniApp } from './harness';

export type Cloud = Awaited<ReturnType<typeof startCloud>>;

export function phones(): { env: () => Cloud; phone: (openid: string) => MiniApp; clean: (app: MiniApp) => void } {
  let env: Cloud | undefined;
  const apps: MiniApp[] = [];
  beforeAll(async () => {
    env = await startCloud();
  }, 120_000);
  afterAll(async () => {
    for (const a of apps) a.close();
    await env?.stop();
  });
  return {
    env: () => env!,
    /** A fresh mini-program as `openid`; every problem it saw fails the test that used it (clean). */
    phone(openid) {
      const app = bootApp(env!.cloud.url, openid);
      apps.push(app);
      return app;
    },
    clean(app) {
      expect(app.problems).toEqual([]);
      expect([...app.world.unknown]).toEqual([]);
      expect(app.world.cloudProblems).toEqual([]);
    },
  };
}
