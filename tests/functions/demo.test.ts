/** The demo wishes a first `npm start` (and `npm run reset`) seeds: made through the functions (and, for the one
 * already overdue, the core's transitions on an earlier clock), they cover every state a screen shows. */
import { addDemoWishes } from '../../localcloud/demo';
import { allDocs, inDays, ok, startCloud, wishInput } from './harness';

test('demo wishes cover every state of the ledger, an urgent one first on the board, one due tomorrow and one overdue', async () => {
  const env = await startCloud();
  try {
    const states = await addDemoWishes(env.cloud);
    expect(new Set(states)).toEqual(
      new Set(['collected', 'deferred', 'rejected', 'published', 'claimed', 'fulfilled', 'closed', 'withdrawn']),
    );
    const board = ok(await env.call('board', {}, 'demo-member'));
    // The board reads the public title the organiser confirmed (issue 22), not the resident's 独居老人需要每周送药.
    expect(board.items[0]).toMatchObject({ urgent: true, title: '独居老人每周需要有人帮忙取药' });

    const overdue = ok(await env.call('orgWishes', { status: 'overdue' }, 'demo-organiser')).items;
    expect(overdue).toHaveLength(1);
    expect(overdue[0]).toMatchObject({ title: '想请人帮忙换个灯泡', status: 'claimed', claim: { promisedBy: inDays(-3) } });
    // Whom to chase (issue 22): the overdue wish names its claimer and has a wish number like every other.
    expect(overdue[0].claim.member).toEqual({ name: '李明', orgName: '幸福里社区' });
    expect(overdue[0].wishNo).toBe('DEM0-0VER');
    // Its history is the core's: one entry per transition, versions counted, the right people.
    const detail = ok(await env.call('wishDetail', { wishId: overdue[0]._id }, 'demo-organiser'));
    expect(detail.version).toBe(5);
    expect(detail.timeline.map((e: { action: string; status: string; actorId: string }) => [e.action, e.status, e.actorId])).toEqual([
      ['collect', 'collected', 'demo-resident'],
      ['register', 'registered', 'demo-organiser'],
      ['publish', 'published', 'demo-organiser'],
      ['claim', 'claimed', 'demo-member'],
      ['progress', 'claimed', 'demo-member'],
    ]);

    const mine = ok(await env.call('myWishes', { scope: 'claimed' }, 'demo-member-2')).items;
    expect(mine.map((w: { status: string; claim: { promisedBy: string } }) => [w.status, w.claim.promisedBy])).toContainEqual([
      'claimed',
      inDays(1),
    ]);
    const fulfilled = ok(await env.call('orgWishes', { status: 'fulfilled' }, 'demo-organiser')).items;
    expect(fulfilled.length).toBeGreaterThan(0);

    // The seeding spent nobody's hourly limits: its counters are gone, and the README's first step works.
    expect(await allDocs(env.db, 'ratelimits')).toEqual([]);
    const users = (await allDocs(env.db, 'users')) as Array<{ _id: string; rate?: unknown }>;
    expect(users.filter((u) => u.rate !== undefined).map((u) => u._id)).toEqual([]);
    const posted = ok(await env.call('collect', wishInput, 'demo-resident'));
    expect(posted.status).toBe('collected');
  } finally {
    await env.stop();
  }
}, 60_000);
