/**
 * 督办台 (issue 9): the organiser's workbench shows the figures the function answers (computed here by the core's
 * own readers from counter documents), each figure opens the ledger view it counts, the unit table keeps the
 * server's lagging-first order and marks lagging units, and the texts are Chinese with full-width punctuation.
 */
import { fireEvent, render, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { flowFigures, stockFigures } from '@/core';
import { call } from '@/services/gateway';
import Workbench from '@/organiser/workbench/index';
import { forgetMe } from '@/services/session';

jest.mock('@/services/gateway', () => ({
  ...jest.requireActual('@/services/answer'),
  call: jest.fn(),
  photoUrls: async () => ({}),
  newRequestId: () => 'req-w',
  uploadPhoto: jest.fn(),
}));
const mockCall = call as jest.MockedFunction<typeof call>;
const ORGANISER = { id: 'o1', role: 'organiser', name: '周敏', orgId: 'street', orgName: '和平街道', categories: [] };
const TODAY = '2026-12-01';
const stock = (f: Record<string, number>) => stockFigures(f, TODAY);
const ANSWER = {
  org: { id: 'street', name: '和平街道', level: 'street', parentId: 'district' },
  isOwn: true,
  periods: { day: TODAY, month: '2026-12', year: '2026' },
  today: flowFigures({ collected: 2 }),
  month: flowFigures({
    collected: 9,
    registered: 7,
    closed: 3,
    onTime: 3,
    late: 1,
    'satisfaction:satisfied': 2,
    'satisfaction:unsatisfied': 1,
    'callback:satisfied': 1,
    'days:total:4': 3,
  }),
  year: flowFigures({ collected: 40, closed: 30 }),
  now: stock({
    'status:claimed': 4,
    'status:fulfilled': 1,
    'due:2026-11-28': 2,
    'due:2026-12-02': 1,
    'due:2026-12-20': 1,
    'since:collected:2026-11-20': 3,
    extensionPending: 1,
  }),
  trend: Array.from({ length: 12 }, (_, i) => ({ month: `2026-${String(i + 1).padStart(2, '0')}`, collected: i, closed: i })),
  units: [
    {
      id: 'c1',
      name: '幸福里社区',
      level: 'community',
      stock: stock({ 'due:2026-11-28': 2 }),
      month: flowFigures({}),
      year: flowFigures({ closed: 10 }),
      lagging: true,
    },
    {
      id: 'c2',
      name: '安康社区',
      level: 'community',
      stock: stock({}),
      month: flowFigures({}),
      year: flowFigures({ closed: 20, onTime: 5 }),
      lagging: false,
    },
  ],
};

beforeEach(() => {
  forgetMe();
  mockCall.mockReset();
  (Taro.navigateTo as jest.Mock).mockClear();
  mockCall.mockImplementation(async (name: string) => {
    if (name === 'workbench') return ANSWER;
    if (name === 'whoami') return ORGANISER;
    if (name === 'notifications') return { items: [], cursor: null };
    throw new Error(`unexpected ${name}`);
  });
});

test('deadline tiles, stale queues and period figures; each opens its list for this unit', async () => {
  const { container } = render(<Workbench />);
  await waitFor(() => expect(container.querySelector('.wb-org')?.textContent).toBe('和平街道'));
  const tiles = Array.from(container.querySelectorAll('.wb-tile')).map((t) => t.textContent);
  expect(tiles).toEqual(expect.arrayContaining(['2已逾期', '13天内到期', '1按期办理中', '5办理中（合计）', '3待登记超过3天', '1延期申请']));
  expect(container.querySelector('.wb-red')!.textContent).toBe('2已逾期');
  // Month by default: 收集 9, 销号 3; on-time 3/4, satisfaction 2/3 with the call-back apart; median days.
  expect(tiles).toEqual(expect.arrayContaining(['9收集', '3销号']));
  const rates = container.querySelector('.wb-rates')!.textContent!;
  expect(rates).toContain('按期办结率：75%（3/4）');
  expect(rates).toContain('满意率：66.7%（满意 2，基本满意 0，不满意 1）');
  expect(rates).toContain('其中电话回访：1 次，满意率 100%');
  expect(rates).toContain('收集到销号：4 天（中位数）');
  expect(rates).not.toMatch(/[,:;()]/); // full-width punctuation only
  fireEvent.click(Array.from(container.querySelectorAll('.wb-tile')).find((t) => t.textContent === '2已逾期')!);
  expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/organiser/queue/index?status=overdue&orgId=street' });
  fireEvent.click(Array.from(container.querySelectorAll('.wb-tile')).find((t) => t.textContent === '13天内到期')!);
  expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/organiser/queue/index?status=dueSoon&orgId=street' });
  // Every stock tile opens the view that lists exactly what it counts (orgWishes' stock views).
  for (const [text, view] of [
    ['1按期办理中', 'onTrack'],
    ['5办理中（合计）', 'open'],
    ['3待登记超过3天', 'staleCollected'],
    ['0待认领超过7天', 'stalePublished'],
    ['1延期申请', 'extension'],
    ['0待内容审核', 'held'],
  ]) {
    fireEvent.click(Array.from(container.querySelectorAll('.wb-tile')).find((t) => t.textContent === text)!);
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: `/organiser/queue/index?status=${view}&orgId=street` });
  }
  // Today's figures.
  fireEvent.click(container.querySelector('.chip-today')!);
  await waitFor(() => expect(Array.from(container.querySelectorAll('.wb-tile')).map((t) => t.textContent)).toContain('2收集'));
});

test('child units in the server’s lagging-first order, lagging marked; a row opens that unit’s workbench', async () => {
  const { container } = render(<Workbench />);
  await waitFor(() => expect(container.querySelectorAll('.wb-unit')).toHaveLength(2));
  const rows = Array.from(container.querySelectorAll('.wb-unit'));
  expect(rows.map((r) => r.querySelector('.wb-name')!.textContent)).toEqual(['⚠ 幸福里社区', '安康社区']);
  expect(rows[0]!.className).toContain('wb-lagging');
  expect(rows[1]!.className).not.toContain('wb-lagging');
  fireEvent.click(rows[0]!);
  expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/organiser/workbench/index?orgId=c1' });
  // The trend: a canvas for F2 (drawn in the browser test) and, under it, the months — each with its figures in words,
  // each opening the wishes closed that month.
  expect(container.querySelector('canvas.trend-canvas')!.getAttribute('aria-label')).toContain('12月收集 11、销号 11');
  const months = Array.from(container.querySelectorAll('.wb-month-btn'));
  expect(months.map((m) => m.getAttribute('aria-label'))).toEqual(
    ANSWER.trend.map((t, i) => `${i + 1}月：收集 ${t.collected}，销号 ${t.closed}`),
  );
  fireEvent.click(months[2]!);
  expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/organiser/queue/index?status=closed&orgId=street&period=2026-03' });
});
