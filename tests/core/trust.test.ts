/** The pure trust rules: scope, masking, consent, appointment, retention. */
import {
  NOTICE_VERSION,
  canSeeContact,
  canView,
  consentFailure,
  consentState,
  endedAt,
  erasedFields,
  maskName,
  mayAppoint,
  retentionCutoff,
  scopeOf,
  transition,
  viewWish,
  type Actor,
} from '../../src/core';
import { NOW, input, organiser, wishIn } from './fixtures';

const city = { _id: 'city', parentId: null, ancestors: [] };
const street = { _id: 'street', parentId: 'city', ancestors: ['city'] };
const orgA = { _id: 'org-a', parentId: 'street', ancestors: ['city', 'street'] };
const orgB = { _id: 'org-b', parentId: 'street', ancestors: ['city', 'street'], boardIncludesParent: true };
const grid = { _id: 'grid', parentId: 'org-a', ancestors: ['city', 'street', 'org-a'] };
const ALL = [city, street, orgA, orgB, grid];

describe('scope', () => {
  test('an organiser’s scope is their subtree; a member’s is their board (and the parent’s where configured)', () => {
    expect(scopeOf('organiser', street, ALL).sort()).toEqual(['grid', 'org-a', 'org-b', 'street']);
    expect(scopeOf('organiser', orgA, ALL).sort()).toEqual(['grid', 'org-a']);
    expect(scopeOf('member', orgA, ALL)).toEqual(['org-a']);
    expect(scopeOf('member', orgB, ALL)).toEqual(['org-b', 'street']);
    expect(scopeOf('resident', orgA, ALL)).toEqual([]);
    expect(scopeOf('organiser', null, ALL)).toEqual([]);
  });

  test('a street organiser acts on a community’s wish; a community organiser not on the street’s or a sibling’s', () => {
    const streetOrganiser: Actor = { id: 's1', role: 'organiser', orgId: 'street', scope: scopeOf('organiser', street, ALL) };
    const wish = wishIn('collected');
    const r = transition(wish, { type: 'register', category: '精神慰藉', track: 'individual' }, streetOrganiser, NOW);
    expect(r.ok).toBe(true);
    expect(canSeeContact(wish, streetOrganiser)).toBe(true);
    const bOrganiser: Actor = { id: 'b1', role: 'organiser', orgId: 'org-b', scope: scopeOf('organiser', orgB, ALL) };
    expect(transition(wish, { type: 'register', category: '精神慰藉', track: 'individual' }, bOrganiser, NOW)).toMatchObject({
      ok: false,
      code: 'AUTH.OUT_OF_SCOPE',
    });
    expect(canView(wish, bOrganiser)).toBe(false);
    const streetWish = { ...wish, orgId: 'street' };
    expect(
      transition(
        streetWish,
        { type: 'register', category: '精神慰藉', track: 'individual' },
        { ...organiser, scope: ['org-a', 'grid'] },
        NOW,
      ),
    ).toMatchObject({
      ok: false,
      code: 'AUTH.OUT_OF_SCOPE',
    });
  });

  test('a held wish cannot move on except to be rejected or withdrawn', () => {
    const held = { ...wishIn('collected'), moderation: { state: 'review' as const, reason: '', at: NOW.toISOString() } };
    expect(transition(held, { type: 'register', category: '精神慰藉', track: 'individual' }, organiser, NOW)).toMatchObject({
      ok: false,
      code: 'CONTENT.HELD',
    });
    expect(transition(held, { type: 'reject', reason: '内容不当' }, organiser, NOW).ok).toBe(true);
  });
});

describe('masking and sensitive details', () => {
  test('surname + 某', () => {
    expect(maskName('王秀英')).toBe('王某');
    expect(maskName(' 欧阳娜娜')).toBe('欧某');
    expect(maskName('')).toBe('');
  });
  test('sensitive details only in private views', () => {
    const w = { ...wishIn('published'), sensitive: { health: '糖尿病' } };
    const other: Actor = { id: 'm2', role: 'member', orgId: 'org-a' };
    const pub = viewWish(w, other, NOW);
    expect(pub).not.toHaveProperty('sensitive');
    expect(pub.name).toBe('王某');
    expect(JSON.stringify(pub)).not.toContain('糖尿病');
    expect(viewWish(w, organiser, NOW)).toMatchObject({ sensitive: { health: '糖尿病' }, name: input.contactName });
  });
});

describe('consent', () => {
  test('current notice required; sensitive separately; an old version asks again', () => {
    expect(consentFailure(null, false)).toMatchObject({ code: 'CONSENT.REQUIRED' });
    expect(consentFailure({ notice: '2000-01-01' }, false)).toMatchObject({ code: 'CONSENT.REQUIRED' });
    expect(consentFailure({ notice: NOTICE_VERSION }, false)).toBeNull();
    expect(consentFailure({ notice: NOTICE_VERSION }, true)).toMatchObject({ code: 'CONSENT.SENSITIVE_REQUIRED' });
    expect(consentFailure({ notice: NOTICE_VERSION, sensitive: NOTICE_VERSION }, true)).toBeNull();
    expect(consentState({ notice: '2000-01-01', sensitive: '2000-01-01' })).toEqual({
      current: NOTICE_VERSION,
      accepted: false,
      sensitive: false,
      acceptedVersion: '2000-01-01',
    });
  });
});

describe('appointment', () => {
  test('only strictly below the appointer’s organisation', () => {
    expect(mayAppoint({ ...organiser, orgId: 'org-a' }, grid)).toBeNull();
    expect(mayAppoint({ ...organiser, orgId: 'org-a' }, orgA)).toMatchObject({ code: 'AUTH.OUT_OF_SCOPE' });
    expect(mayAppoint({ ...organiser, orgId: 'org-a' }, orgB)).toMatchObject({ code: 'AUTH.OUT_OF_SCOPE' });
    expect(mayAppoint({ ...organiser, orgId: 'org-a' }, street)).toMatchObject({ code: 'AUTH.OUT_OF_SCOPE' });
    expect(mayAppoint({ id: 'm', role: 'member', orgId: 'street' }, orgA)).toMatchObject({ code: 'AUTH.FORBIDDEN' });
  });
});

describe('retention', () => {
  test('ended wishes only; the erasure keeps the statistics', () => {
    expect(endedAt(wishIn('claimed'))).toBeNull();
    const closed = { ...wishIn('closed'), closedAt: '2025-01-01T00:00:00.000Z' };
    expect(endedAt(closed)).toBe('2025-01-01T00:00:00.000Z');
    expect(retentionCutoff(NOW, 365)).toBe('2025-11-23T02:00:00.000Z');
    const erased = { ...closed, ...erasedFields(closed, NOW.toISOString()) };
    expect(JSON.stringify(erased)).not.toMatch(/王秀英|13800001111|3 栋|老伴|上门陪聊/);
    expect(erased).toMatchObject({
      status: 'closed',
      category: '精神慰藉',
      track: 'individual',
      orgId: 'org-a',
      feedback: { satisfaction: 'satisfied' },
    });
    expect(erased.timeline.map((e) => e.status)).toEqual(closed.timeline.map((e) => e.status));
  });
});
