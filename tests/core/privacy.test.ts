import { BOARD_FIELDS, boardItem, canView, transition, viewWish, type Actor } from '../../src/core';
import { NOW, member, member2, organiser, outsiderOrganiser, resident, wishIn } from './fixtures';

const PRIVATE = ['contact', 'content', 'residentId', 'enteredBy'];

describe('who sees personal data', () => {
  test('the board item carries public fields only', () => {
    const item = boardItem(wishIn('published'));
    expect(Object.keys(item).sort()).toEqual([...BOARD_FIELDS, 'name'].sort());
    expect(item.name).toBe('王某'); // surname + 某, never the full name
    for (const f of PRIVATE) expect(item).not.toHaveProperty(f);
    expect(JSON.stringify(item)).not.toContain('13800001111');
    expect(JSON.stringify(item)).not.toContain('王秀英');
  });

  test.each([
    ['the resident who posted it', resident, true],
    ['an organiser of its organisation', organiser, true],
    ['the active claimer', member, true],
    ['another member', member2, false],
  ])('%s on a claimed wish: contact visible = %s', (_who, viewer, visible) => {
    const view = viewWish(wishIn('claimed'), viewer as Actor);
    expect(view.private).toBe(visible);
    if (visible) expect(view.contact).toEqual({ name: '王秀英', phone: '13800001111', address: '幸福里小区 3 栋 201' });
    else {
      expect(view).not.toHaveProperty('contact');
      expect(view).not.toHaveProperty('content');
      expect(JSON.stringify(view)).not.toContain('13800001111');
      expect(view.timeline.every((e) => !('actorId' in e))).toBe(true);
    }
    expect(view).not.toHaveProperty('residentId');
  });

  test('a former claimer loses the contact once the claim is released', () => {
    const released = transition(wishIn('claimed'), { type: 'release', reason: '出差' }, member, NOW);
    if (!released.ok) throw new Error(released.message);
    expect(viewWish(released.wish, member)).not.toHaveProperty('contact');
  });

  test('a claimer of a closed wish no longer sees the contact', () => {
    expect(viewWish(wishIn('closed'), member).private).toBe(false);
  });

  test('who may open a wish', () => {
    expect(canView(wishIn('collected'), resident)).toBe(true);
    expect(canView(wishIn('collected'), organiser)).toBe(true);
    expect(canView(wishIn('collected'), member)).toBe(false); // not on the board yet
    expect(canView(wishIn('published'), member2)).toBe(true);
    expect(canView(wishIn('published'), outsiderOrganiser)).toBe(false);
    expect(canView(wishIn('published'), { id: 'r9', role: 'resident', orgId: 'org-a' })).toBe(false);
  });
});
