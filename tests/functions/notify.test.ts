/**
 * The notification port's delivery never fails the caller: a failing adapter is logged, the other
 * recipients still get theirs; with the database unreachable (real SDK, closed port) nothing throws.
 */
import { deliver, type Notifier } from '../../server/notify';

// This test points the SDK at a dead endpoint; later test files in the same worker must not inherit that.
const saved = { ...process.env };
afterAll(() => {
  for (const k of ['TCB_SERVICE_URL', 'TCB_TIMEOUT_MS', 'SILENCE', 'TENCENTCLOUD']) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

const notice = (to: string) => ({ to: { openid: to }, kind: 'claimed' as const, title: '标题', body: '内容', wishId: 'w1' });

test('a failing send is logged and the next recipient still gets theirs; the actor is never notified', async () => {
  const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const got: string[] = [];
  const port: Notifier = {
    async send(to) {
      if (to === 'broken') throw new Error('43101 user refused');
      got.push(to);
    },
  };
  const sent = await deliver([notice('broken'), notice('ok-1'), notice('actor')], 'org', 'actor', new Date().toISOString(), port);
  expect(sent).toBe(1);
  expect(got).toEqual(['ok-1']);
  expect(errors).toHaveBeenCalledWith(expect.stringContaining('claimed to broken'), expect.any(Error));
  errors.mockRestore();
});

test('with the database unreachable, delivering to organisers and to the outbox resolves and logs', async () => {
  process.env.TCB_SERVICE_URL = 'http://127.0.0.1:9/tcb'; // nothing listens on the discard port
  process.env.TCB_TIMEOUT_MS = '500';
  process.env.SILENCE = 'true'; // the SDK's slow-request warning
  process.env.TENCENTCLOUD = 'true';
  const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const sent = await deliver([{ ...notice('x'), to: 'organisers' }, notice('resident-1')], 'org', null, new Date().toISOString());
  expect(sent).toBe(0);
  expect(errors).toHaveBeenCalled();
  errors.mockRestore();
}, 20_000);
