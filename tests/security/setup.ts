/**
 * Shared setup for the security suite: the real local cloud and function bundles (tests/functions/harness),
 * a snapshot of every collection a refusal must leave untouched, wishes in each stage, and the figures
 * (attempts, refusals, winners) each suite prints.
 */
import { NOTICE_VERSION } from '../../src/core';
import { acceptNotice, ok, startCloud, inDays, wishInput } from '../functions/harness';

export { acceptNotice, inDays, ok, wishInput };
export type Env = Awaited<ReturnType<typeof startCloud>>;

/** Every call a suite makes, counted: attempts, answers 200, refusals by code. */
const tally = { calls: 0, ok: 0, refused: 0, codes: {} as Record<string, number> };

export async function start(): Promise<Env> {
  // The platform runs each call in its own instance with 3 s; here a 200-way race shares one process and two
  // cores, so queueing alone can take longer: the security suite gives each call (and each database request
  // the functions' SDK makes, server/cloud.ts) 20 s.
  process.env.TCB_TIMEOUT_MS = '20000';
  const env = await startCloud({ functionTimeoutMs: 20_000 });
  const call = env.call;
  env.call = (async (fn: string, event: unknown, openid?: string) => {
    const r = await call(fn, event, openid);
    tally.calls++;
    if (r.status === 200) tally.ok++;
    else {
      tally.refused++;
      const code = String(r.body.code);
      tally.codes[code] = (tally.codes[code] ?? 0) + 1;
    }
    return r;
  }) as typeof call;
  return env;
}

/** Collections whose contents a refused call must not change. (The rate limits count attempts, refused or not:
 * `ratelimits`, and a user document's `rate`, server/trust.ts loadWriter.) */
export const GUARDED = ['wishes', 'users', 'orgs', 'invites', 'audit', 'mediachecks', 'files'] as const;

export async function snapshot(env: Env): Promise<string> {
  const out: Record<string, unknown[]> = {};
  for (const name of GUARDED) {
    const r = await env.db.collection(name).limit(1000).get();
    const docs = r.data as Array<{ _id: string; rate?: unknown }>;
    const kept = name === 'users' ? docs.map(({ rate: _attempts, ...d }) => d) : docs;
    out[name] = kept.sort((a, b) => (a._id < b._id ? -1 : 1));
  }
  return JSON.stringify(out);
}

/** Helpers that move a fresh wish of `demo-community` to a stage, through the functions. */
let residents = 0;
const owners = new Map<string, string>();

export function stages(env: Env) {
  const organiser = 'demo-organiser';
  // Each wish has its own resident (who accepts the notice first), so the per-resident posting limit is not what a test meets.
  const collected = async (extra: object = {}) => {
    const resident = `resident-${++residents}`;
    await acceptNotice(env, resident);
    const id = ok(await env.call('collect', { ...wishInput, orgId: 'demo-community', ...extra }, resident))._id as string;
    owners.set(id, resident);
    return id;
  };
  const registered = async (track: 'individual' | 'common' = 'individual') => {
    const id = await collected();
    ok(await env.call('register', { wishId: id, category: '生活帮扶', track, summary: '需要有人帮忙' }, organiser));
    return id;
  };
  const published = async () => {
    const id = await registered();
    ok(await env.call('publish', { wishId: id }, organiser));
    return id;
  };
  const claimed = async (member = 'demo-member') => {
    const id = await published();
    ok(await env.call('claim', { wishId: id, promisedBy: inDays(5) }, member));
    return id;
  };
  const fulfilled = async () => {
    const id = await claimed();
    ok(await env.call('fulfil', { wishId: id, note: '已上门陪伴两小时' }, 'demo-member'));
    return id;
  };
  const reviewed = async () => {
    const id = await fulfilled();
    ok(await env.call('feedback', { wishId: id, satisfaction: 'satisfied' }, owners.get(id)));
    return id;
  };
  const closed = async () => {
    const id = await reviewed();
    ok(await env.call('closeOut', { wishId: id }, organiser));
    return id;
  };
  const deferred = async () => {
    const id = await collected();
    ok(await env.call('register', { wishId: id, track: 'deferred', reason: '资金暂未落实', reviewOn: inDays(30) }, organiser));
    return id;
  };
  return { collected, registered, published, claimed, fulfilled, reviewed, closed, deferred, owner: (id: string) => owners.get(id)! };
}

/** Figures a suite collects and prints at the end (the report quotes them). */
export class Figures {
  private rows: Array<[string, Record<string, number>]> = [];
  private mark = { calls: 0, ok: 0, refused: 0, codes: {} as Record<string, number> };
  /** Call in beforeEach / afterEach: each test's calls, answers and refusals (by code) become one row. */
  begin() {
    this.mark = { ...tally, codes: { ...tally.codes } };
  }
  end(name: string, extra: Record<string, number> = {}) {
    const codes: Record<string, number> = {};
    for (const [k, n] of Object.entries(tally.codes)) if (n - (this.mark.codes[k] ?? 0) > 0) codes[k] = n - (this.mark.codes[k] ?? 0);
    this.add(name, {
      calls: tally.calls - this.mark.calls,
      'answered 200': tally.ok - this.mark.ok,
      refused: tally.refused - this.mark.refused,
      ...codes,
      ...extra,
    });
  }
  add(what: string, figures: Record<string, number>) {
    this.rows.push([what, figures]);
  }
  print(suite: string) {
    const lines = this.rows.map(
      ([what, f]) =>
        `  ${what}: ${Object.entries(f)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
    );
    console.log(`[security] ${suite}\n${lines.join('\n')}`);
  }
}

const thisMonth = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);

/** One valid event for every cloud function (validation passes; whether the caller may act is another matter). */
export function validEvents(wishId: string): Record<string, Record<string, unknown>> {
  return {
    whoami: {},
    workbench: {},
    publicResults: {},
    reconcile: { Type: 'Timer', TriggerName: 'nightly-figures-reconcile', Time: '2026-12-01T19:30:00Z' },
    overdueAlerts: { Type: 'Timer', TriggerName: 'daily-overdue-alerts', Time: '2026-12-01T00:30:00Z' },
    collect: { ...wishInput, requestId: 'req-1' },
    register: { wishId, category: '生活帮扶', track: 'individual', summary: '公开摘要', requestId: 'req-2' },
    revive: { wishId, requestId: 'req-3' },
    publish: { wishId, requestId: 'req-4' },
    assign: { wishId, kind: 'org', assignee: '物业公司', promisedBy: inDays(5), requestId: 'req-5' },
    claim: { wishId, promisedBy: inDays(5), requestId: 'req-6' },
    release: { wishId, reason: '临时出差', requestId: 'req-7' },
    fulfil: { wishId, note: '已办好', photos: ['cloud://local.bucket/uploads/a.jpg'], requestId: 'req-8' },
    feedback: { wishId, satisfaction: 'satisfied', comment: '谢谢', requestId: 'req-9' },
    closeOut: { wishId, note: '核实完成', requestId: 'req-10' },
    chase: { wishId, note: '请抓紧', requestId: 'req-chase' },
    withdraw: { wishId, reason: '不需要了', requestId: 'req-11' },
    board: { cursor: undefined, limit: 5, category: '生活帮扶' },
    wishDetail: { wishId },
    myWishes: { scope: 'posted', limit: 5 },
    orgWishes: { status: 'collected', limit: 5 },
    consent: { notice: 'main', version: NOTICE_VERSION, requestId: 'req-12' },
    join: { orgId: 'demo-community', requestId: 'req-13' },
    invite: { orgId: 'demo-community', requestId: 'req-14' },
    confirmMember: { openid: 'someone', approve: true, requestId: 'req-15' },
    appoint: { openid: 'someone', orgId: 'demo-grid-1', name: '张三', requestId: 'req-16' },
    moderate: { wishId, approve: true, reason: '内容正常', requestId: 'req-17' },
    moderationQueue: { limit: 5 },
    auditLog: { limit: 5 },
    purge: { Type: 'Timer' },
    myData: {},
    deleteMyData: { confirm: true, requestId: 'req-18' },
    extend: { wishId, until: inDays(20), reason: '家里有事', requestId: 'req-19' },
    answerExtension: { wishId, approve: true, note: '同意', requestId: 'req-20' },
    progress: { wishId, note: '已联系上居民', photos: ['cloud://local.bucket/uploads/b.jpg'], requestId: 'req-21' },
    reassign: { wishId, reason: '认领人联系不上', requestId: 'req-22' },
    reopen: { wishId, reason: '问题又出现了', requestId: 'req-23' },
    message: { wishId, note: '周六上午我在家', requestId: 'req-24' },
    duplicates: { wishId },
    notifications: { limit: 5 },
    markRead: { ids: ['n-1'] },
    fileUrls: { fileIds: ['cloud://local.bucket/uploads/a.jpg'] },
    photoUpload: { purpose: 'fulfil', wishId, ext: 'jpg' },
    remind: { Type: 'Timer' },
    mediaCheckResult: {
      ToUserName: 'gh_test',
      FromUserName: 'demo-member',
      CreateTime: 1762329554,
      MsgType: 'event',
      Event: 'wxa_media_check',
      appid: 'local-appid',
      trace_id: '690b03d2-301f6111-35ffbd44',
      version: 2,
      result: { suggest: 'pass', label: 100 },
      detail: [{ strategy: 'content_model', errcode: 0, suggest: 'pass', label: 100, prob: 90 }],
    },
    pendingMembers: { limit: 5 },
    branchMembers: { limit: 5 },
    removeMember: { openid: 'no-such-member', reason: '已搬走' },
    exportLedger: { ledger: 'needs', version: 'upward', from: thisMonth(), to: thisMonth() },
    wishCards: { mode: 'link', cardNo: 'ABCD-EFGH-JKMN', wishId },
    importBatch: { mode: 'import', fileId: 'cloud://local.bucket/imports/0123456789abcdef/0123456789abcdef0123456789abcdef.xlsx' },
    // Quotas and the rhythm (issue 9).
    myYear: {},
    nudge: { openid: 'demo-member-2' },
    bulletins: { id: 'bulletin|demo-street|2026-12-11', limit: 5 },
    weekly: { Type: 'Timer', TriggerName: 'weekly-reminder-thursday' },
    bulletin: { Type: 'Timer', TriggerName: 'bulletin-every-ten-days' },
    monthly: { Type: 'Timer', TriggerName: 'monthly-report-daily-check' },
  };
}

/**
 * The hooks every security file shares: one local cloud for the file, the figures of each test (with the
 * extras a test computes) and a printed table at the end. Returns the environment once it is up.
 */
export function suite(name: string): {
  figures: Figures;
  extra: (what: string, f: Record<string, number>) => void;
  ready: () => { env: Env; s: ReturnType<typeof stages> };
} {
  const figures = new Figures();
  let extras: Record<string, number> = {};
  let env: Env | undefined;
  let s: ReturnType<typeof stages> | undefined;
  beforeAll(async () => {
    env = await start();
    s = stages(env);
  }, 60_000);
  beforeEach(() => figures.begin());
  afterEach(() => {
    figures.end(expect.getState().currentTestName ?? '', extras);
    extras = {};
  });
  afterAll(async () => {
    figures.print(name);
    await env?.stop();
  });
  return {
    figures,
    extra: (_what, f) => void Object.assign(extras, f),
    ready: () => ({ env: env!, s: s! }),
  };
}
