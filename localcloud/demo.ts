/**
 * Demo wishes in every state, so each screen has something to show on a first `npm start` (and after `npm run
 * reset`): made through the real functions, as the demo people would call them (the local cloud's `call`: the same
 * rules and instances as POST /api/<name>, reached in-process so it works while `npm start` still holds clients
 * off), with their audit entries and notices. The one the functions cannot make today — a claim already past its
 * promised date — is made by the same core transitions run on a clock twelve days back, and stored through the SDK.
 *
 * The functions count each of these writes against its caller's hourly limit (server/trust.ts loadWriter: on the
 * caller's user document, `rate`). The seeding is not the demo people's
 * own doing, so once it is done their rate-limit counters are put back as they were before it: a newcomer's first
 * wish as demo-resident must not meet RATE.LIMITED.
 */
import tcb from '@cloudbase/node-sdk';
import {
  collect,
  collectEffects,
  counterUpdates,
  transition,
  type Actor,
  type Command,
  type CounterDelta,
  type Effect,
  type Wish,
} from '../src/core';
import { addDays, chinaDate } from '../src/core/dates';
import { callOf } from '../src/core/functions';
import { DIRECT_ENV } from './db/indexes';

/** The local cloud to fill: its address and this start's secret pair (the wire refuses any other), and its
 * in-process client call (LocalCloud.call). */
export interface DemoTarget {
  url: string;
  credentials: { secretId: string; secretKey: string };
  call(name: string, event: object, openid: string): Promise<{ status: number; body: unknown }>;
}

/** Whose functions calls the seeding makes (seeded users: their writes are counted on their user documents, whose
 * counts are restored afterwards). */
const DEMO_CALLERS = ['demo-resident', 'demo-organiser', 'demo-member', 'demo-member-2'];

export async function addDemoWishes(cloud: DemoTarget): Promise<string[]> {
  const db = directDb(cloud);
  const counted = await userCounts(db);
  try {
    return await addWishes(cloud, db);
  } finally {
    await restoreUserCounts(db, counted);
  }
}

/** The seeding callers' counts on their user documents (`rate`; undefined: none). */
async function userCounts(db: Db): Promise<Map<string, unknown>> {
  const { data } = await db
    .collection('users')
    .where({ _id: db.command.in(DEMO_CALLERS) })
    .field({ _id: true, rate: true })
    .get();
  return new Map((data as Array<{ _id: string; rate?: unknown }>).map((u) => [u._id, u.rate]));
}

/** Puts the counts on the seeding callers' user documents back as they were. */
async function restoreUserCounts(db: Db, before: Map<string, unknown>): Promise<void> {
  await Promise.all(
    [...before].map(([id, rate]) =>
      db
        .collection('users')
        .doc(id)
        .update({ rate: rate === undefined ? db.command.remove() : db.command.set(rate) }),
    ),
  );
}

/** Every call the seeding makes to a function goes through here. */
async function callFunction(cloud: DemoTarget, fn: string, event: object, openid: string): Promise<{ _id: string; status: string }> {
  if (!DEMO_CALLERS.includes(openid)) throw new Error(`demo ${fn}: ${openid} is not a seeding caller (DEMO_CALLERS)`);
  const target = callOf(fn, event); // the deployed function that serves the operation (src/core/functions.ts)
  const { body } = await cloud.call(target.name, target.data, openid);
  const answer = body as { code: number | string; data: { _id: string; status: string }; message?: string };
  if (answer?.code !== 0) throw new Error(`demo ${fn} as ${openid}: ${answer?.code} ${answer?.message}`);
  return answer.data;
}

type Db = ReturnType<ReturnType<typeof tcb.init>['database']>;

/** The SDK's database as the local commands use it: this start's secret pair, queries not index-checked. */
function directDb(target: DemoTarget): Db {
  process.env.TENCENTCLOUD = 'true';
  return tcb
    .init({
      env: DIRECT_ENV,
      secretId: target.credentials.secretId,
      secretKey: target.credentials.secretKey,
      serviceUrl: `${target.url}/tcb`,
    })
    .database();
}

async function addWishes(cloud: DemoTarget, db: Db): Promise<string[]> {
  const call = (fn: string, event: Record<string, unknown>, openid: string) => callFunction(cloud, fn, event, openid);
  const day = (n: number) => addDays(chinaDate(new Date()), n);
  const R = 'demo-resident';
  const O = 'demo-organiser';
  const M = 'demo-member';
  const contact = { contactName: '王秀英', contactPhone: '13800001111', address: '幸福里小区 3 栋 201' };
  const post = (title: string, content: string, extra: Record<string, unknown> = {}, who = R) =>
    call('collect', { title, content, ...contact, ...extra }, who);
  const reg = (w: { _id: string }, category: string, extra: Record<string, unknown> = {}) =>
    call('register', { wishId: w._id, category, track: 'individual', ...extra }, O);

  const made: Array<{ _id: string; status: string }> = [];
  made.push(await post('想请人帮忙修一下水龙头', '厨房水龙头一直滴水，自己拧不紧'));
  made.push(await post('厨房水龙头漏水想请人修', '水龙头一直滴水拧不紧', { channel: 'hotline', contactName: '王阿姨' }, O));
  const deferred = await post('希望楼道装个扶手', '楼梯太陡，老人上下楼不方便');
  made.push(await call('register', { wishId: deferred._id, track: 'deferred', reason: '需等老旧小区改造统一施工', reviewOn: day(45) }, O));
  const rejected = await post('想要一台新电视', '家里电视坏了');
  made.push(await call('register', { wishId: rejected._id, decision: 'reject', reason: '不属于微心愿帮扶范围，已转介街道救助站' }, O));
  const urgent = await post('独居老人需要每周送药', '腿脚不便，每周需要有人帮忙去医院取药');
  await reg(urgent, '医疗健康', { urgent: true, publicTitle: '独居老人每周需要有人帮忙取药', summary: '独居老人每周取药需要帮忙' });
  made.push(await call('publish', { wishId: urgent._id }, O));
  const study = await post('孩子想要一套课外书', '孩子上四年级，喜欢看科普书');
  await reg(study, '助学圆梦', { publicTitle: '四年级孩子想要科普书', summary: '四年级孩子想要科普课外书' });
  made.push(await call('publish', { wishId: study._id }, O));
  const chat = await post('想请人陪我聊聊天', '老伴走了，一个人在家，希望每周有人来坐坐');
  await reg(chat, '精神慰藉', { publicTitle: '独居老人希望有人陪伴', summary: '独居老人希望有人陪伴聊天' });
  await call('publish', { wishId: chat._id }, O);
  await call('claim', { wishId: chat._id, promisedBy: day(5) }, M);
  await call('progress', { wishId: chat._id, note: '已电话联系，约好周六上午上门' }, M);
  made.push(await call('extend', { wishId: chat._id, until: day(12), reason: '周六临时加班，想改到下周' }, M));
  // Claimed, due tomorrow: the 我的认领 countdown (还剩 1 天) and the organisers' ledger.
  const walk = await post('想请人陪我去公园走走', '腿脚慢，一个人不敢出门，想有人扶着去附近公园');
  await reg(walk, '精神慰藉', { publicTitle: '老人希望有人陪同散步', summary: '老人希望有人陪同去公园散步' });
  await call('publish', { wishId: walk._id }, O);
  made.push(await call('claim', { wishId: walk._id, promisedBy: day(1) }, 'demo-member-2'));
  made.push(await addOverdue(db));
  const bag = await post('孩子想要一个新书包', '书包背带断了');
  await reg(bag, '助学圆梦', { publicTitle: '孩子需要一个新书包', summary: '孩子需要一个新书包' });
  await call('publish', { wishId: bag._id }, O);
  await call('claim', { wishId: bag._id, promisedBy: day(3) }, 'demo-member-2');
  made.push(await call('fulfil', { wishId: bag._id, note: '送去了新书包和文具' }, 'demo-member-2'));
  const light = await post('楼道灯坏了', '三单元楼道灯坏了一个月');
  await call('register', { wishId: light._id, category: '生活帮扶', track: 'common' }, O);
  await call('assign', { wishId: light._id, kind: 'org', assignee: '幸福里社区居委会', promisedBy: day(7) }, O);
  await call('fulfil', { wishId: light._id, note: '已协调物业更换灯泡' }, O);
  await call('feedback', { wishId: light._id, satisfaction: 'satisfied', comment: '亮了，谢谢' }, R);
  made.push(await call('closeOut', { wishId: light._id, note: '已核实' }, O));
  const gone = await post('想学用智能手机', '想学会视频通话');
  made.push(await call('withdraw', { wishId: gone._id, reason: '孙子教会我了' }, R));
  return made.map((w) => w.status);
}

/** A wish claimed twelve days ago with a promise that ran out three days ago (已逾期 3 天): the core's own
 * collect → register → publish → claim → progress, each on the day it would have happened. */
async function addOverdue(db: Db): Promise<Wish> {
  const today = chinaDate(new Date());
  const at = (daysAgo: number, hour: number) => new Date(Date.now() - daysAgo * 86_400_000 + (hour - 12) * 3_600_000);
  const resident: Actor = { id: 'demo-resident', role: 'resident', orgId: 'demo-community' };
  const organiser: Actor = { id: 'demo-organiser', role: 'organiser', orgId: 'demo-community', scope: ['demo-community'] };
  // The claimer as the claim function records them (loadActor: users.name, orgs.name): the overdue wish names whom to chase.
  const member: Actor = { id: 'demo-member', role: 'member', orgId: 'demo-community', name: '李明', orgName: '幸福里社区' };
  const made = collect(
    'demo-overdue-wish',
    {
      title: '想请人帮忙换个灯泡',
      content: '卧室顶灯不亮了，自己够不着',
      contactName: '王秀英',
      contactPhone: '13800001111',
      address: '幸福里小区 3 栋 201',
    },
    resident,
    at(14, 9),
  );
  if (!made.ok) throw new Error(`demo overdue: ${made.code}`);
  let wish = made.wish;
  const effects: Effect[] = collectEffects(wish);
  const steps: Array<[Command, Actor, Date]> = [
    [
      {
        type: 'register',
        category: '生活帮扶',
        track: 'individual',
        publicTitle: '老人家中需要换灯泡',
        summary: '老人卧室顶灯需要更换灯泡',
      },
      organiser,
      at(13, 10),
    ],
    [{ type: 'publish' }, organiser, at(13, 11)],
    [{ type: 'claim', promisedBy: addDays(today, -3) }, member, at(12, 15)],
    [{ type: 'progress', note: '已买好灯泡，等周末上门' }, member, at(8, 20)],
  ];
  for (const [command, actor, now] of steps) {
    const next = transition(wish, command, actor, now);
    if (!next.ok) throw new Error(`demo overdue ${command.type}: ${next.code}`);
    wish = next.wish;
    effects.push(...next.effects);
  }
  // Its wish number, reserved as collect reserves one (server/wishNo.ts).
  wish = { ...wish, wishNo: 'DEM0-0VER' };
  await db.collection('wishnos').add({ _id: wish.wishNo, wishId: wish._id, orgId: wish.orgId, at: wish.createdAt });
  await db.collection('wishes').add(wish);
  // Its supervision figures, as the functions' delivery would have added them (server/effects.ts applyFigures).
  const deltas = effects.flatMap((e): CounterDelta[] => (e.kind === 'counter' ? [e.counter] : []));
  const org = (await db.collection('orgs').doc(wish.orgId).get()).data[0] as { ancestors?: string[] } | undefined;
  const path = [...(org?.ancestors ?? []), wish.orgId];
  for (const u of counterUpdates(deltas, () => path)) {
    const inc = Object.fromEntries(Object.entries(u.inc).map(([k, n]) => [`f.${k}`, db.command.inc(n)]));
    const r = await db.collection('figures').where({ _id: u._id }).update(inc);
    if (r.updated !== 1) await db.collection('figures').add({ _id: u._id, orgId: u.orgId, period: u.period, f: u.inc });
  }
  return wish;
}
