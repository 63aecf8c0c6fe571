/**
 * The journey's side paths in the weapp bundle (issue 20), each by taps on the page where the person does it, each
 * outcome read back through the functions (wishDetail), not from the screen. The main path up to the starting point is
 * already covered by taps in journey.test.ts, so each test sets its wish up through the functions:
 * - 放弃认领: the claimer releases the wish on its page; it goes back to the board;
 * - 延期: the member asks for more time on the wish's page, the organiser approves it on hers; promisedBy moves;
 * - 不满意 and rework: the resident answers 不满意, the wish goes back to the claimer, who fulfils again; then the
 *   resident gives her feedback.
 */
import { inDays, ok, wishInput } from '../functions/harness';
import { phones } from './phones';

const { env, phone, clean } = phones();
const detail = async (wishId: string, openid = 'demo-organiser') => ok(await env().call('wishDetail', { wishId }, openid));

/** Posted, registered with a public title and published, through the functions (journey.test.ts does these by taps). */
async function published(title: string, publicTitle: string): Promise<string> {
  const w = ok(await env().call('collect', { ...wishInput, title }, 'demo-resident'));
  ok(
    await env().call(
      'register',
      { wishId: w._id, category: '生活帮扶', track: 'individual', summary: '居民需要帮忙', publicTitle },
      'demo-organiser',
    ),
  );
  ok(await env().call('publish', { wishId: w._id }, 'demo-organiser'));
  return w._id as string;
}
async function claimed(title: string, publicTitle: string, promisedBy = inDays(3)): Promise<string> {
  const wishId = await published(title, publicTitle);
  ok(await env().call('claim', { wishId, promisedBy }, 'demo-member'));
  return wishId;
}

test('放弃认领: the claimer releases the wish on its page, and it goes back to the board', async () => {
  const wishId = await claimed('想请人帮忙修自行车', '自行车链条要修');
  const app = phone('demo-member');
  const page = await app.open('pages/wish/index', { id: wishId });
  await page.tap('.btn-release');
  expect(page.text()).toContain('放弃的原因：请写明原因'); // the form asks for the reason, and nothing was sent
  expect(await detail(wishId)).toMatchObject({ status: 'claimed' });
  await page.type('.input-release-reason', '临时出差，这周回不来');
  await page.tap('.btn-release');
  const w = await detail(wishId);
  expect(w).toMatchObject({ status: 'published', claim: null });
  expect(JSON.stringify(w.timeline)).toContain('临时出差，这周回不来');
  // Back on the board: another member sees it there (by its public title) and can claim it.
  const other = phone('demo-member-2');
  const board = await other.open('member/board/index');
  expect(board.text()).toContain('自行车链条要修');
  clean(app);
  clean(other);
});

test('延期: the member asks for more time, the organiser approves it, and promisedBy moves', async () => {
  const wishId = await claimed('想请人帮忙换门锁', '门锁要换', inDays(3));
  const member = phone('demo-member');
  const page = await member.open('pages/wish/index', { id: wishId });
  await page.tap('.btn-extend');
  expect(page.text()).toContain('原因：请写明为什么需要延期'); // nothing sent without a reason
  expect((await detail(wishId)).claim.extension ?? null).toBeNull();
  await page.type('.input-extend-reason', '锁芯要订货，下周才到');
  await page.tap('.btn-extend'); // the date picker's default: a week after the promised day
  const asked = await detail(wishId);
  expect(asked).toMatchObject({
    status: 'claimed',
    claim: { promisedBy: inDays(3), extension: { state: 'pending', until: inDays(10), reason: '锁芯要订货，下周才到' } },
  });
  clean(member);

  const organiser = phone('demo-organiser');
  const review = await organiser.open('organiser/wish/index', { id: wishId });
  expect(review.text()).toContain('锁芯要订货，下周才到');
  await review.tap('.btn-approve-extension');
  const w = await detail(wishId);
  expect(w).toMatchObject({ status: 'claimed', claim: { promisedBy: inDays(10) } });
  expect(w.claim.extension?.state ?? 'none').not.toBe('pending');
  clean(organiser);
});

test('不满意 and rework: the wish goes back to the claimer, who fulfils again; then the resident gives feedback', async () => {
  const wishId = await claimed('想请人帮孩子买书包', '孩子需要一个书包');
  ok(await env().call('fulfil', { wishId, note: '送了书包' }, 'demo-member'));

  const resident = phone('demo-resident');
  const mine = await resident.open('pages/wish/index', { id: wishId });
  await mine.tap('.chip-unsatisfied');
  expect(mine.text()).toContain('选择不满意，心愿会退回给认领人重新办理。');
  await mine.type('.input-comment', '书包太小，装不下课本');
  await mine.tap('.btn-feedback');
  const back = await detail(wishId);
  expect(back).toMatchObject({ status: 'claimed' });
  expect(await detail(wishId, 'demo-member')).toMatchObject({ status: 'claimed', claim: { mine: true } }); // the same claimer
  expect(JSON.stringify(back.timeline)).toContain('书包太小，装不下课本');
  clean(resident);

  const member = phone('demo-member');
  const redo = await member.open('pages/wish/index', { id: wishId });
  await redo.type('.input-note', '换了一个大号书包送过去');
  await redo.tap('.btn-fulfil');
  const again = await detail(wishId);
  expect(again).toMatchObject({ status: 'fulfilled' });
  expect(JSON.stringify(again)).toContain('换了一个大号书包送过去');
  clean(member);

  const resident2 = phone('demo-resident');
  const last = await resident2.open('pages/wish/index', { id: wishId });
  await last.tap('.chip-satisfied');
  await last.tap('.btn-feedback');
  const done = await detail(wishId);
  expect(done).toMatchObject({ status: 'reviewed' });
  expect(done.timeline.filter((e: { action: string }) => e.action === 'feedback')).toHaveLength(2);
  clean(resident2);
});
