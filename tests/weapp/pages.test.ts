/**
 * Every page in app.json opens in the weapp bundle, for the person whose area it is, with the demo data of a first
 * `npm start` (localcloud/demo.ts: wishes in every state) from a real local cloud: WeChat's compiler and component
 * framework render it without a template warning, a console error or an unhandled rejection, every setData is under
 * the platform's limit and the first render under this project's budget, and the bundle reads no wx API the mock
 * does not know.
 */
import { addDemoWishes } from '../../localcloud/demo';
import { allDocs, startCloud } from '../functions/harness';
import { allRoutes, bootApp, type MiniApp } from './harness';

/** WeChat's documented limit for one setData (https://developers.weixin.qq.com/miniprogram/dev/framework/performance/tips/runtime_setData.html). */
const SETDATA_LIMIT = 256 * 1024;
/** This project's budget for a page's first render (Taro's initial mount): the largest measured is ~1.6 KB. */
const FIRST_RENDER_BUDGET = 4 * 1024;
/** …and for everything a page sends until it has loaded and shown its data (a full board page of 20 cards is ~14 KB). */
const LOADED_BUDGET = 48 * 1024;

let env: Awaited<ReturnType<typeof startCloud>>;
let wishes: Array<{ _id: string; status: string; residentId: string | null }>;
const figures: Array<{ route: string; as: string; first: number; loaded: number; calls: number }> = [];

beforeAll(async () => {
  env = await startCloud();
  await addDemoWishes(env.cloud);
  wishes = await allDocs(env.db, 'wishes');
}, 180_000);
afterAll(async () => {
  if (figures.length) {
    console.log(
      [
        'setData per page (bytes): first render / until loaded',
        ...figures.map((f) => `${f.route.padEnd(26)} ${f.as.padEnd(16)} ${String(f.first).padStart(6)} ${String(f.loaded).padStart(7)}`),
      ].join('\n'),
    );
  }
  await env?.stop();
});

const wishOf = (pred: (w: (typeof wishes)[number]) => boolean) => {
  const w = wishes.find(pred);
  if (!w) throw new Error('no such demo wish');
  return w._id;
};

/** Who opens each page, and with what query (a page that shows one wish gets one the person may see). */
function visitOf(route: string): { as: string; query: () => Record<string, string>; expect: RegExp; calls?: false } {
  if (route.startsWith('member/')) return { as: 'demo-member', query: () => ({}), expect: /./ };
  if (route === 'organiser/wish/index')
    return { as: 'demo-organiser', query: () => ({ id: wishOf((w) => w.status === 'claimed') }), expect: /认领/ };
  // Forms: they call a function when the organiser asks (生成…), not on opening.
  if (route === 'organiser/receipt/index')
    return { as: 'demo-organiser', query: () => ({ wishId: wishOf((w) => w.status === 'collected') }), expect: /生成回执/, calls: false };
  if (route === 'organiser/ledgers/index') return { as: 'demo-organiser', query: () => ({}), expect: /生成并下载/, calls: false };
  if (route === 'organiser/cards/index') return { as: 'demo-organiser', query: () => ({}), expect: /生成心愿卡/, calls: false };
  if (route.startsWith('organiser/')) return { as: 'demo-organiser', query: () => ({}), expect: /./ };
  if (route === 'pages/wish/index')
    return { as: 'demo-resident', query: () => ({ id: wishOf((w) => w.residentId === 'demo-resident') }), expect: /./ };
  // The privacy notice and the card page without a card number show what they hold: no call yet.
  if (route === 'consent/index') return { as: 'demo-resident', query: () => ({}), expect: /个人信息/, calls: false };
  if (route === 'account/data/index') return { as: 'demo-resident', query: () => ({}), expect: /./, calls: false };
  if (route === 'card/index') return { as: 'demo-resident', query: () => ({}), expect: /./, calls: false };
  return { as: 'demo-resident', query: () => ({}), expect: /./ };
}

const routes = allRoutes();

test('app.json lists the 23 pages of the main package and the subpackages', () => {
  expect(routes).toHaveLength(23);
});

describe.each(routes)('%s', (route) => {
  test('opens with real data, cleanly, within the setData budgets', async () => {
    const visit = visitOf(route);
    const app: MiniApp = bootApp(env.cloud.url, visit.as);
    try {
      const page = await app.open(route, visit.query());
      const text = page.text();
      expect(text).toMatch(visit.expect);
      expect(text).not.toMatch(/正在加载|正在确认您的身份/); // settled: the data arrived
      expect(app.problems).toEqual([]);
      expect([...app.world.unknown]).toEqual([]);
      expect(app.world.cloudProblems).toEqual([]);
      if (visit.calls !== false) expect(app.world.cloudCalls.length).toBeGreaterThan(0);
      for (const c of app.world.cloudCalls) expect([c.name, c.result?.code]).toEqual([c.name, 0]);
      expect(Math.max(...app.setData.map((r) => r.bytes))).toBeLessThan(SETDATA_LIMIT);
      expect(page.firstRenderBytes).toBeLessThan(FIRST_RENDER_BUDGET);
      expect(page.loadedBytes).toBeLessThan(LOADED_BUDGET);
      figures.push({ route, as: visit.as, first: page.firstRenderBytes, loaded: page.loadedBytes, calls: app.world.cloudCalls.length });
    } finally {
      app.close();
    }
  });
});
