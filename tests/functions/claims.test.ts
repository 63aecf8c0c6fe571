import { startCloud, inDays, wishInput } from './harness';

let env: Awaited<ReturnType<typeof startCloud>>;
const MEMBERS = 50;

beforeAll(async () => {
  env = await startCloud();
  const users = env.db.collection('users');
  for (let i = 0; i < MEMBERS; i++) await users.add({ _id: `race-member-${i}`, role: 'member', orgId: 'demo-community', name: `党员${i}` });
}, 60_000);
afterAll(() => env.stop());

async function publishedWish(): Promise<string> {
  const w = (await env.call('collect', wishInput, 'demo-resident')).data;
  await env.call('register', { wishId: w._id, category: '生活帮扶', track: 'individual', summary: '需要有人帮忙' }, 'demo-organiser');
  await env.call('publish', { wishId: w._id }, 'demo-organiser');
  return w._id;
}

test(`${MEMBERS} members claim one wish at the same moment: exactly one wins`, async () => {
  const wishId = await publishedWish();
  const replies = await Promise.all(
    Array.from({ length: MEMBERS }, (_, i) =>
      env.call('claim', { wishId, promisedBy: inDays(7) }, `race-member-${i}`).then((r) => ({ ...r, i })),
    ),
  );
  const winners = replies.filter((r) => r.status === 200);
  const refusals = replies.filter((r) => r.status === 409 && r.body.code === 'WISH.ALREADY_CLAIMED');
  console.log(
    `claim race: ${MEMBERS} attempts, ${winners.length} winner, ${refusals.length} WISH.ALREADY_CLAIMED, ${MEMBERS - winners.length - refusals.length} other`,
  );
  expect(winners).toHaveLength(1);
  expect(refusals).toHaveLength(MEMBERS - 1);
  expect(refusals[0]!.body).toMatchObject({ message: '手慢了，这个心愿已被其他党员认领' });

  const stored = (await env.db.collection('wishes').doc(wishId).get()).data[0];
  expect(stored.claim.memberId).toBe(`race-member-${winners[0]!.i}`);
  expect(stored.version).toBe(4);
  expect(stored.timeline.filter((e: { action: string }) => e.action === 'claim')).toHaveLength(1);
  // Only the stored transition notifies: one 'claimed' notice to the resident, none for the 49 losers.
  // (Besides the organisers' new-wish alert of its collect: tests/functions/alerts.test.ts.)
  const notices = (await env.db.collection('outbox').where({ wishId }).get()).data.filter((n: { kind: string }) => n.kind !== 'newWish');
  expect(notices.map((n: { kind: string; to: string }) => `${n.kind}→${n.to}`)).toEqual(['claimed→demo-resident']);
}, 60_000);

test('a retried claim with the same requestId gets the same answer and writes once', async () => {
  const wishId = await publishedWish();
  const event = { wishId, promisedBy: inDays(5), requestId: 'claim-once-1' };
  const [a, b] = await Promise.all([env.call('claim', event, 'demo-member'), env.call('claim', event, 'demo-member')]);
  const c = await env.call('claim', event, 'demo-member');
  for (const r of [a, b, c]) expect(r.status).toBe(200);
  expect(c.data).toMatchObject({ _id: wishId, status: 'claimed', claim: { mine: true, promisedBy: inDays(5) } });
  const stored = (await env.db.collection('wishes').doc(wishId).get()).data[0];
  expect(stored.timeline.filter((e: { action: string }) => e.action === 'claim')).toHaveLength(1);
  expect(stored.version).toBe(4);
  const told = (await env.db.collection('outbox').where({ wishId }).get()).data.filter((n: { kind: string }) => n.kind !== 'newWish');
  expect(told).toHaveLength(1); // the retries notify nobody
  // Another member reusing that requestId gets no free pass.
  expect((await env.call('claim', event, 'demo-member-2')).body).toMatchObject({ code: 'WISH.ALREADY_CLAIMED' });
});

test('a retried collect with the same requestId creates one wish', async () => {
  const event = { ...wishInput, title: '重试只记一次', requestId: 'collect-once-1' };
  const [a, b] = await Promise.all([env.call('collect', event, 'demo-resident'), env.call('collect', event, 'demo-resident')]);
  expect(a.status).toBe(200);
  expect(b.status).toBe(200);
  expect(a.data._id).toBe(b.data._id);
  const { total } = await env.db.collection('wishes').where({ title: '重试只记一次' }).count();
  expect(total).toBe(1);
});
