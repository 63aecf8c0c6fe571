/** The opt-in demo wishes (`npm start -- --demo-wishes`) are made through the functions and land in varied states. */
import { addDemoWishes } from '../../localcloud/demo';
import { startCloud } from './harness';

test('demo wishes cover the honest states of the ledger', async () => {
  const env = await startCloud();
  try {
    const states = await addDemoWishes(env.cloud.url);
    expect(new Set(states)).toEqual(
      new Set(['collected', 'deferred', 'rejected', 'published', 'claimed', 'fulfilled', 'closed', 'withdrawn']),
    );
    const board = await env.call('board', {}, 'demo-member');
    expect(board.data.items[0]).toMatchObject({ urgent: true, title: '独居老人需要每周送药' });
  } finally {
    await env.stop();
  }
}, 60_000);
