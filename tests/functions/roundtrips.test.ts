/**
 * Round trips on the hot path (issue 8): how many database requests one call makes, and how many of them are
 * sequential (each waits for an earlier answer). The function instances start with their SDK pointed at a
 * recording proxy in front of the local cloud's wire endpoint (startCloud's functionEnv); the proxy checks the
 * SDK's signature, re-signs for the local cloud's address (the Host is signed), and holds every request PROXY_DELAY_MS before forwarding it, so requests
 * a function sends together (Promise.all) are all seen before any is answered. The sequential count is the
 * longest chain of requests each sent after the previous one was answered. The local cloud's own counters
 * (stats().wireTotal) must agree with the proxy's total.
 *
 * Each function is called once first (a warm instance: organisations come from its cache) and then measured.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { addDays, chinaDate, collect, type Actor } from '../../src/core';
import { formFields } from '../../localcloud';
import { verifySignature } from '../../localcloud/guard';
import { signedHeaders } from '../localcloud/signed';
import { ok, startCloud, wishInput } from './harness';

const PROXY_DELAY_MS = 40;

/** Sequential database round trips allowed per call (issue 8, part 2: a transition ≤ 4, a board or ledger page ≤ 3,
 * a batch publish of 20 ≤ 25), tightened to what we measure, and the total database requests (a regression guard).
 * Since issue 9 a transition adds its figures to one document per (organisation on the path, period); the documents
 * that receive the same increments are updated by one request (server/effects.ts applyFigures), so a claim costs
 * 2 requests in its first round (the wish; and one updateAndReturn on the member that loads them, counts the call
 * against the rate limit and takes the claim-limit slot: server/trust.ts loadWriter, server/claimSlots.ts) + 1
 * conditional update + 3 inserts + the pull + 2 figure updates = 9 (before: 25, one update per document; 11 with
 * the rate limit and the slot in requests of their own), whatever the depth of the tree. A fulfil makes 9: its own
 * share of that (the rate limit in the loading request), and the `$pull` of its wish from the member's claim-limit
 * list, sent with the delivery's inserts (no extra round). The batch's chain is 4 rounds too, but its 20 parallel conditional
 * updates leave the SDK over more than one proxy delay on this machine (each is signed in turn), so the proxy sees
 * some sent after the first was answered: 5 measured, 6 allowed for load. */
const BUDGET: Record<string, { sequential: number; total: number }> = {
  claim: { sequential: 4, total: 9 },
  publish: { sequential: 4, total: 8 },
  fulfil: { sequential: 4, total: 9 },
  board: { sequential: 2, total: 2 },
  orgWishes: { sequential: 3, total: 3 },
  'publish (batch of 20)': { sequential: 6, total: 27 },
};

let env: Awaited<ReturnType<typeof startCloud>>;
let proxy: Server;
let seq = 0;
let log: Array<{ action: string; start: number; end: number }> = [];
/** Requests the proxy refused because the functions' SDK did not sign them with this start's pair (must stay empty). */
const unsigned: string[] = [];

beforeAll(async () => {
  proxy = createServer((req, res) => {
    const entry = { action: '', start: ++seq, end: Infinity };
    log.push(entry);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      let params: Record<string, unknown> = {};
      // A cloud call (wx-server-sdk's callCompatibleWxOpenApi) is multipart/form-data with protobuf bytes; the rest JSON.
      const contentType = String(req.headers['content-type'] ?? 'application/json');
      try {
        params = contentType.startsWith('multipart/form-data') ? formFields(body, contentType) : JSON.parse(body.toString('utf8'));
        entry.action = String(params.action ?? '');
      } catch {
        /* not JSON: the local cloud refuses it, as it would directly */
      }
      // The proxy launders nothing: the SDK's own signature (made for the proxy's address) must hold, and the
      // request goes on signed for the local cloud's address (Host is signed) at the same timestamp.
      const why = verifySignature(req, params, env.cloud.credentials);
      if (why) {
        unsigned.push(why);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 'SIGN_PARAM_INVALID', message: `[proxy] ${why}` }), () => (entry.end = ++seq));
        return;
      }
      await new Promise((r) => setTimeout(r, PROXY_DELAY_MS));
      const kept = Object.fromEntries(
        Object.entries(req.headers).filter(
          (h): h is [string, string] =>
            typeof h[1] === 'string' &&
            !['host', 'authorization', 'x-timestamp', 'content-length', 'connection', 'transfer-encoding', 'content-type'].includes(h[0]),
        ),
      );
      const reply = await fetch(`${env.cloud.url}${req.url ?? '/tcb'}`, {
        method: 'POST',
        headers: {
          ...kept,
          ...signedHeaders(env.cloud, params, { path: req.url ?? '/tcb', timestamp: Number(req.headers['x-timestamp']), contentType }),
        },
        body,
      });
      const text = Buffer.from(await reply.arrayBuffer());
      res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': text.length });
      res.end(text, () => (entry.end = ++seq));
    });
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const through = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/tcb`;
  // Every function instance's SDK talks to the proxy: its environment is given when the instance starts.
  env = await startCloud({ functionEnv: () => ({ TCB_SERVICE_URL: through }) });
}, 60_000);
beforeEach(() => env.resetRateLimits());
afterAll(async () => {
  await new Promise((r) => proxy.close(r));
  await env.stop();
});

interface Trips {
  total: number;
  sequential: number;
  actions: Record<string, number>;
}

/** One call, measured: its requests, and the longest chain of them each sent after the previous one's answer. */
async function measure(fn: string, event: object, openid: string): Promise<{ data: any; trips: Trips }> {
  log = [];
  const wireBefore = env.cloud.stats().wireTotal;
  const data = ok(await env.call(fn, event, openid));
  const wire = env.cloud.stats().wireTotal - wireBefore;
  expect(unsigned).toEqual([]);
  expect(wire).toBe(log.length); // every request went through the proxy, and the local cloud counted each once
  // Database requests only: a content check (wx.api) is WeChat's service, reported but not a database round trip.
  const reqs = log.filter((r) => r.action.startsWith('database.')).sort((a, b) => a.start - b.start);
  const depth: number[] = [];
  reqs.forEach((r, i) => {
    depth[i] = 1 + Math.max(0, ...reqs.slice(0, i).flatMap((p, j) => (p.end < r.start ? [depth[j]!] : [])));
  });
  const actions: Record<string, number> = {};
  for (const r of log) actions[r.action] = (actions[r.action] ?? 0) + 1;
  return { data, trips: { total: reqs.length, sequential: Math.max(0, ...depth), actions } };
}

const figures: Record<string, Trips> = {};
function within(name: string, trips: Trips) {
  figures[name] = trips;
  expect({ name, sequential: trips.sequential }).toEqual({ name, sequential: Math.min(trips.sequential, BUDGET[name]!.sequential) });
  expect({ name, total: trips.total }).toEqual({ name, total: Math.min(trips.total, BUDGET[name]!.total) });
}

afterAll(() => {
  const rows = Object.entries(figures).map(
    ([name, t]) =>
      `  ${name.padEnd(24)} sequential ${t.sequential} (budget ${BUDGET[name]?.sequential ?? '-'}), database requests ${t.total}: ${JSON.stringify(t.actions)}`,
  );
  console.log(`[functions] round trips per call (warm instance)\n${rows.join('\n')}`);
});

async function registered(title: string): Promise<string> {
  const w = ok(await env.call('collect', { ...wishInput, title }, 'demo-resident'));
  ok(await env.call('register', { wishId: w._id, category: '生活帮扶', track: 'individual', summary: '需要有人帮忙' }, 'demo-organiser'));
  return w._id;
}

test('a transition: claim, publish and fulfil each make at most 4 sequential round trips, effects delivered', async () => {
  const promisedBy = addDays(chinaDate(new Date()), 5);
  const [warm, measured] = [await registered('预热心愿'), await registered('计数心愿')];
  ok(await env.call('publish', { wishId: warm }, 'demo-organiser'));
  const pub = await measure('publish', { wishId: measured }, 'demo-organiser');
  expect(pub.data.status).toBe('published');
  within('publish', pub.trips);

  ok(await env.call('claim', { wishId: warm, promisedBy }, 'demo-member'));
  const claim = await measure('claim', { wishId: measured, promisedBy }, 'demo-member');
  expect(claim.data.status).toBe('claimed');
  within('claim', claim.trips);

  ok(await env.call('fulfil', { wishId: warm, note: '已办好' }, 'demo-member'));
  const fulfil = await measure('fulfil', { wishId: measured, note: '已办好' }, 'demo-member');
  expect(fulfil.data.status).toBe('fulfilled');
  within('fulfil', fulfil.trips);

  // What the effects were: the wish keeps none pending, the resident was told, the organisers' actions audited.
  const stored = (await env.db.collection('wishes').doc(measured).get()).data[0];
  expect(stored.pending).toEqual([]);
  const notices = (await env.db.collection('outbox').where({ wishId: measured }).get()).data.map((n: { kind: string }) => n.kind).sort();
  expect(notices).toEqual(['claimed', 'feedbackNeeded', 'fulfilled', 'newWish'].sort());
  const audit = (await env.db.collection('audit').where({ 'target.id': measured }).get()).data.map((a: { action: string }) => a.action);
  expect(audit).toEqual(expect.arrayContaining(['register', 'publish', 'reveal']));
  const counters = (
    await env.db
      .collection('counters')
      .where({ _id: env.db.RegExp({ regexp: `^${measured}-` }) })
      .get()
  ).data;
  const flows = counters.filter((c: { period: string }) => c.period !== 'now').map((c: { figure: string }) => c.figure);
  expect(flows).toEqual(expect.arrayContaining(['collected', 'claimed', 'fulfilled', 'published', 'registered']));
  // …and added into the supervision figures of the community and each ancestor: today's claims count it.
  const today = chinaDate(new Date());
  const fig = (await env.db.collection('figures').doc(`demo-street|${today}`).get()).data[0];
  expect(fig.f.claimed).toBeGreaterThanOrEqual(2);
}, 60_000);

/** Issue 24's targets: a transition makes at most 6 database requests, a whole lifecycle at most 40. */
const STAGE_TARGET = 6;
const LIFECYCLE_TARGET = 40;
const lifecycle: Record<string, number> = {};

/** One wish through the seven stage functions, each call measured (warm instances: a first wish went through first). */
async function walk(title: string, record: boolean) {
  const promisedBy = addDays(chinaDate(new Date()), 5);
  const step = async (fn: string, event: (id: string) => object, openid: string, id?: string) => {
    const { data, trips } = await measure(fn, event(id ?? ''), openid);
    if (record) {
      lifecycle[fn] = trips.total;
      figures[`${fn} (lifecycle)`] = trips;
    }
    return data;
  };
  const w = await step('collect', () => ({ ...wishInput, title }), 'demo-resident');
  await step(
    'register',
    (id) => ({ wishId: id, category: '生活帮扶', track: 'individual', summary: '需要有人帮忙' }),
    'demo-organiser',
    w._id,
  );
  await step('publish', (id) => ({ wishId: id }), 'demo-organiser', w._id);
  await step('claim', (id) => ({ wishId: id, promisedBy }), 'demo-member', w._id);
  await step('fulfil', (id) => ({ wishId: id, note: '已办好' }), 'demo-member', w._id);
  await step('feedback', (id) => ({ wishId: id, satisfaction: 'satisfied' }), 'demo-resident', w._id);
  const closed = await step('closeOut', (id) => ({ wishId: id }), 'demo-organiser', w._id);
  expect(closed.status).toBe('closed');
}

test('the seven stages of one wish: database requests per stage and for the whole lifecycle', async () => {
  await walk('预热生命周期', false);
  await walk('生命周期', true);
  const total = Object.values(lifecycle).reduce((a, b) => a + b, 0);
  console.log(`[functions] database requests per stage ${JSON.stringify(lifecycle)}; lifecycle ${total}`);
  // Today's counts as a regression guard (issue 24's targets are checked by the test below): 66 since collect reserves
  // the wish's short number in its own document (wishnos, issue 22), one insert more than 65; 67 since fulfil takes
  // the wish off the member's claim-limit list (server/claimSlots.ts; claim itself stayed at its count); 59 since a
  // write is counted against the rate limit by the request that loads its caller (server/trust.ts loadWriter: one
  // request fewer per stage) and the claim's slot is taken by that same request (two fewer for the claim).
  expect(total).toBeLessThanOrEqual(59);
}, 60_000);

// Issue 24's targets, not met yet: this test fails today and jest reports the file green because it is marked
// `failing`; once every stage makes at most 6 requests and the lifecycle at most 40, jest reports it: drop `.failing`.
test.failing('issue 24: every stage makes at most 6 database requests, the lifecycle at most 40', () => {
  expect(Object.keys(lifecycle)).toHaveLength(7);
  const over = Object.entries(lifecycle).filter(([, n]) => n > STAGE_TARGET);
  expect(over).toEqual([]);
  expect(Object.values(lifecycle).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(LIFECYCLE_TARGET);
});

test('a board page and a ledger page: at most 3 round trips; the ledger page writes one audit entry', async () => {
  await registered('台账心愿 1');
  await registered('台账心愿 2');
  ok(await env.call('board', {}, 'demo-member'));
  within('board', (await measure('board', {}, 'demo-member')).trips);
  ok(await env.call('orgWishes', {}, 'demo-organiser'));
  const auditBefore = (await env.db.collection('audit').where({ action: 'reveal', actorId: 'demo-organiser' }).count()).total;
  const ledger = await measure('orgWishes', {}, 'demo-organiser');
  expect(ledger.data.items.length).toBeGreaterThan(1);
  within('orgWishes', ledger.trips);
  const auditAfter = (await env.db.collection('audit').where({ action: 'reveal', actorId: 'demo-organiser' }).count()).total;
  expect(auditAfter - auditBefore).toBe(1);
}, 60_000);

test('a batch publish of 20 stays within 25 round trips', async () => {
  const organiser: Actor = { id: 'demo-organiser', role: 'organiser', orgId: 'demo-community' };
  const ids: string[] = [];
  const docs = [];
  for (let i = 0; i < 20; i++) {
    const made = collect(`batch-${i}`, { ...wishInput, title: `批量心愿 ${i}`, channel: 'visit' }, organiser, new Date());
    if (!made.ok) throw new Error(made.message);
    docs.push({ ...made.wish, status: 'registered', category: '生活帮扶', track: 'individual', summary: '需要有人帮忙' });
    ids.push(made.wish._id);
  }
  await env.db.collection('wishes').add(docs);
  ok(await env.call('publish', { wishId: await registered('预热心愿') }, 'demo-organiser')); // this window's rate counter exists
  const batch = await measure('publish', { wishIds: ids }, 'demo-organiser');
  expect(batch.data.published).toHaveLength(20);
  within('publish (batch of 20)', batch.trips);
  const audit = (
    await env.db
      .collection('audit')
      .where({ action: 'publish', 'target.id': env.db.command.in(ids) })
      .count()
  ).total;
  expect(audit).toBe(20);
  const left = (
    await env.db
      .collection('wishes')
      .where({ _id: env.db.command.in(ids), 'pending.id': env.db.command.gt('') })
      .count()
  ).total;
  expect(left).toBe(0);
}, 60_000);
