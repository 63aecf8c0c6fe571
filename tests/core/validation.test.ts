import {
  AppointEvent,
  AssignEvent,
  ClaimEvent,
  CollectEvent,
  ExtendEvent,
  FeedbackEvent,
  FulfilEvent,
  JoinEvent,
  ProgressEvent,
  ReleaseEvent,
  ReopenEvent,
  RegisterEvent,
  WishOnlyEvent,
  parseEvent,
  registerCommand,
  isCalendarDay,
  chinaDate,
  addDays,
  normalisePhone,
  fieldIssues,
  clause,
  ERRORS,
} from '../../src/core';
import * as v from 'valibot';
import * as validation from '../../src/core/validation';
import * as cards from '../../src/core/cards';
import * as rhythm from '../../src/core/rhythm';
import * as ledger from '../../src/core/ledger';
import * as batch from '../../src/core/batch';
import { input } from './fixtures';

describe('event validation', () => {
  test('a good collect event passes; spoofed identity fields are dropped', () => {
    const r = parseEvent(CollectEvent, { ...input, openid: 'demo-organiser', role: 'organiser', userInfo: { openId: 'x' } });
    if (!r.ok) throw new Error(r.message);
    expect(r.value).toEqual(input);
    expect(r.value).not.toHaveProperty('openid');
    expect(r.value).not.toHaveProperty('role');
  });

  test.each([
    ['empty event', {}, '心愿标题'],
    ['not an object', 'hello', '请求格式'],
    ['array', [1], '请求格式'],
    ['blank title', { ...input, title: '   ' }, '心愿标题：不能为空'],
    ['oversized content', { ...input, content: '字'.repeat(501) }, '心愿内容：不能超过 500 个字'],
    ['wrong type', { ...input, title: 42 }, '心愿标题'],
    ['bad phone', { ...input, contactPhone: '12345' }, '联系电话'],
    ['operator object as a phone', { ...input, contactPhone: { $ne: null } }, '联系电话'],
    ['unknown channel', { ...input, channel: 'telepathy' }, '收集渠道'],
    ['a health detail over 200 characters', { ...input, sensitive: { health: '病'.repeat(201) } }, '健康状况：不能超过 200 个字'],
    ['an income detail that is not text', { ...input, sensitive: { income: 3 } }, '经济困难：请填写文字'],
    ['sensitive details that are not an object', { ...input, sensitive: 'x' }, '敏感信息：格式不对'],
  ])('collect refuses %s with a Chinese message naming the field', (_name, event, message) => {
    const r = parseEvent(CollectEvent, event);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('INPUT.INVALID');
      expect(r.message).toContain(message);
    }
  });

  test.each([{ $ne: null }, { $gt: '' }, ['a'], 12, '', 'a'.repeat(65), 'has space', '../etc'])('wishId %p is refused', (wishId) => {
    expect(parseEvent(WishOnlyEvent, { wishId })).toMatchObject({ ok: false, code: 'INPUT.INVALID' });
  });

  test('claim needs a real calendar day', () => {
    expect(parseEvent(ClaimEvent, { wishId: 'w1', promisedBy: '2026-02-30' }).ok).toBe(false);
    expect(parseEvent(ClaimEvent, { wishId: 'w1', promisedBy: '2026/12/01' }).ok).toBe(false);
    expect(parseEvent(ClaimEvent, { wishId: 'w1', promisedBy: '2026-12-01' }).ok).toBe(true);
  });

  test('fulfil photos must be cloud file ids, at most 9', () => {
    expect(parseEvent(FulfilEvent, { wishId: 'w1', note: '已送达', photos: ['http://evil/x.jpg'] }).ok).toBe(false);
    expect(parseEvent(FulfilEvent, { wishId: 'w1', note: '已送达', photos: Array(10).fill('cloud://b/x.jpg') }).ok).toBe(false);
    expect(parseEvent(FulfilEvent, { wishId: 'w1', note: '已送达', photos: ['cloud://local.bucket/uploads/m/1.jpg'] }).ok).toBe(true);
  });

  test('register: reject needs a reason, defer needs reason and date, accept needs a category', () => {
    const cmd = (e: object) => {
      const p = parseEvent(RegisterEvent, { wishId: 'w1', ...e });
      return p.ok ? registerCommand(p.value, ['生活帮扶']) : p;
    };
    expect(cmd({ decision: 'reject' })).toMatchObject({ ok: false, message: expect.stringContaining('原因') });
    expect(cmd({ decision: 'reject', reason: '重复' })).toEqual({ type: 'reject', reason: '重复' });
    expect(cmd({ track: 'deferred', reason: '等改造' })).toMatchObject({ ok: false, message: expect.stringContaining('复核日期') });
    expect(cmd({ track: 'individual' })).toMatchObject({ ok: false, message: expect.stringContaining('分类') });
    expect(cmd({})).toMatchObject({ ok: false, message: expect.stringContaining('办理方式') });
    expect(cmd({ track: 'individual', category: '生活帮扶' })).toMatchObject({
      type: 'register',
      category: '生活帮扶',
      track: 'individual',
    });
  });
});

describe('China calendar days', () => {
  test('chinaDate is UTC+8', () => {
    expect(chinaDate(new Date('2026-11-23T15:59:59Z'))).toBe('2026-11-23');
    expect(chinaDate(new Date('2026-11-23T16:00:00Z'))).toBe('2026-11-24');
  });
  test('addDays crosses months and years', () => {
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });
  test('isCalendarDay rejects impossible days', () => {
    expect(isCalendarDay('2026-02-29')).toBe(false);
    expect(isCalendarDay('2028-02-29')).toBe(true);
    expect(isCalendarDay('2026-13-01')).toBe(false);
  });
});

describe('issue 7 item 8: invisible text is no text', () => {
  // Zero-width space, joiner, non-joiner, word joiner, BOM, soft hyphen, Hangul filler, braille blank, a control character,
  // an ideographic space and a no-break space: nothing a reader can see.
  const INVISIBLE = '\u200b\u200c\u200d\u2060\ufeff\u00ad\u3164\u2800\u0007\u3000\u00a0';
  const cases: Array<[string, string, Parameters<typeof parseEvent>[0], Record<string, unknown>]> = [
    ['collect', 'title', CollectEvent, { ...input }],
    ['collect', 'content', CollectEvent, { ...input }],
    ['collect', 'contactName', CollectEvent, { ...input }],
    ['collect', 'address', CollectEvent, { ...input }],
    ['fulfil', 'note', FulfilEvent, { wishId: 'w1', note: '已送达' }],
    ['release', 'reason', ReleaseEvent, { wishId: 'w1', reason: '出差' }],
    ['progress', 'note', ProgressEvent, { wishId: 'w1', note: '已联系' }],
    ['extend', 'reason', ExtendEvent, { wishId: 'w1', until: '2026-12-01', reason: '等配件' }],
    ['reopen', 'reason', ReopenEvent, { wishId: 'w1', reason: '又坏了' }],
    ['assign', 'assignee', AssignEvent, { wishId: 'w1', kind: 'org', assignee: '物业', promisedBy: '2026-12-01' }],
    ['join', 'name', JoinEvent, { code: 'ABCD2345', name: '李明' }],
    ['appoint', 'name', AppointEvent, { openid: 'u1', orgId: 'org-a', name: '陈静' }],
    ['register', 'category', RegisterEvent, { wishId: 'w1', track: 'individual', category: '生活帮扶' }],
  ];
  test.each(cases)('%s: a %s of zero-width and control characters only is refused as empty', (_fn, field, schema, event) => {
    expect(parseEvent(schema, event).ok).toBe(true);
    const r = parseEvent(schema, { ...event, [field]: INVISIBLE });
    expect(r).toMatchObject({ ok: false, code: 'INPUT.INVALID' });
    if (!r.ok) expect(r.message).toMatch(/不能为空|请填写/);
  });

  test('optional texts made of invisible characters count as not given; visible text keeps its inner characters', () => {
    const reg = parseEvent(RegisterEvent, { wishId: 'w1', track: 'individual', category: '生活帮扶', summary: INVISIBLE });
    if (!reg.ok) throw new Error(reg.message);
    expect(reg.value.summary ?? '').toBe('');
    const fb = parseEvent(FeedbackEvent, { wishId: 'w1', satisfaction: 'satisfied', comment: '\u200b\u200b' });
    if (!fb.ok) throw new Error(fb.message);
    expect(fb.value.comment ?? '').toBe('');
    // A reject needs a visible reason: an invisible one is no reason.
    expect(parseEvent(RegisterEvent, { wishId: 'w1', decision: 'reject', reason: '\u200b' })).toMatchObject({ ok: false });
    // Leading and trailing invisible characters go; what a reader sees stays as typed.
    const ok = parseEvent(CollectEvent, { ...input, title: '\u200b 想请人陪我聊天\u200d\ufeff' });
    if (!ok.ok) throw new Error(ok.message);
    expect(ok.value.title).toBe('想请人陪我聊天');
  });
});

describe('phone numbers as people write them (issue 10)', () => {
  test.each([
    ['13800138000', '13800138000'],
    ['138 0013 8000', '13800138000'],
    ['138-0013-8000', '13800138000'],
    ['+86 138 0013 8000', '13800138000'],
    ['0731-12345678', '073112345678'],
    ['0731 1234567', '07311234567'],
    ['(0731)12345678', '073112345678'],
    ['010-12345678', '01012345678'],
  ])('%s is accepted and stored as digits %s', (written, stored) => {
    const r = parseEvent(CollectEvent, { ...input, contactPhone: written });
    if (!r.ok) throw new Error(r.message);
    expect(r.value.contactPhone).toBe(stored);
    expect(normalisePhone(written)).toBe(stored);
  });

  test.each(['12345', '1380013800', '23800138000', '0731-123', '138 0013 8000 1', 'abc'])('%s is refused', (written) => {
    const r = parseEvent(CollectEvent, { ...input, contactPhone: written });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toBe('联系电话：请填写 11 位手机号，或带区号的固定电话（如 0731-12345678）');
  });

  test('fieldIssues names every wrong field with its bare message', () => {
    expect(fieldIssues(CollectEvent, { ...input, title: ' ', contactPhone: '123' })).toEqual({
      title: '不能为空',
      contactPhone: '请填写 11 位手机号，或带区号的固定电话（如 0731-12345678）',
    });
    expect(fieldIssues(CollectEvent, input)).toEqual({});
  });
});

describe('system notes read as Chinese (issue 10)', () => {
  test('a reason that ends in 。 is not followed by a second 。', () => {
    expect(clause('东西坏了。')).toBe('东西坏了');
    expect(clause('真的吗？ ')).toBe('真的吗');
    expect(clause('好')).toBe('好');
  });

  test('every error message uses full-width punctuation', () => {
    for (const [code, { message }] of Object.entries(ERRORS)) expect([code, message]).toEqual([code, expect.not.stringMatching(/[,:?!;]/)]);
  });
});

describe('issue 19 item 5: one text rule for every free-text field of every event', () => {
  // Every module of the core that exports event schemas. A new module with schemas belongs here too.
  const modules: Record<string, Record<string, unknown>> = { validation, cards, rhythm, ledger, batch };
  const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'];
  const BIDI_RE = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/u;
  // Not free text, explicitly: an opaque page cursor (decoded by the server; a wrong one is 'bad-cursor'), and the
  // platform's own ids in WeChat's media-check push. Ids, codes, dates and enums need no entry: their patterns refuse
  // bidi controls and invisible-only values anyway, which the walk checks like everything else.
  const EXEMPT = new Set(['cursor', 'appid', 'ToUserName', 'FromUserName', 'strategy']);

  const isSchema = (x: unknown): x is v.GenericSchema => !!x && typeof x === 'object' && (x as { kind?: string }).kind === 'schema';
  /** Every object field reachable in `schema` (through pipes, optionals, variants, unions, arrays, nested objects). */
  function fieldsOf(schema: any, path: string, out: Array<[string, string, any]>, seen = new Set<unknown>()) {
    if (!schema || seen.has(schema)) return out;
    seen.add(schema);
    if (schema.entries)
      for (const [k, f] of Object.entries(schema.entries)) {
        out.push([`${path}.${k}`, k, f]);
        fieldsOf(f, `${path}.${k}`, out, seen);
      }
    for (const o of schema.options ?? []) fieldsOf(o, path, out, seen);
    if (schema.wrapped) fieldsOf(schema.wrapped, path, out, seen);
    if (schema.item) fieldsOf(schema.item, `${path}[]`, out, seen);
    for (const p of schema.pipe ?? []) if (p !== schema && p?.kind === 'schema') fieldsOf(p, path, out, seen);
    return out;
  }
  const schemas: Array<[string, any]> = [];
  for (const [mod, exports] of Object.entries(modules))
    for (const [name, x] of Object.entries(exports)) {
      if (isSchema(x) && /Event$/.test(name)) schemas.push([`${mod}.${name}`, x]);
      if (name === 'mediaCheckPushEvent') schemas.push([`${mod}.${name}()`, (x as () => unknown)()]);
    }
  const fields = schemas.flatMap(([name, s]) => fieldsOf(s, name, []));

  test('the walk finds the schemas and their free-text fields (card comments and messages included)', () => {
    expect(schemas.map(([n]) => n)).toEqual(
      expect.arrayContaining(['validation.CollectEvent', 'validation.MessageEvent', 'cards.WishCardsEvent', 'rhythm.NudgeEvent']),
    );
    expect(schemas.length).toBeGreaterThanOrEqual(40);
    const free = fields.filter(([, , f]) => v.safeParse(f, '想请人修灯').success).map(([p]) => p);
    expect(free).toEqual(
      expect.arrayContaining(['cards.WishCardsEvent.comment', 'validation.MessageEvent.note', 'validation.CollectEvent.title']),
    );
  });

  test.each(fields.filter(([, k]) => !EXEMPT.has(k)).map(([p, , f]) => [p, f]))(
    '%s: bidi controls never come out; invisible-only is refused or not given',
    (_path, field) => {
      for (const c of BIDI) {
        const r = v.safeParse(field as v.GenericSchema, `${c}想请人${c}修灯${c}`);
        if (r.success) expect(JSON.stringify(r.output)).not.toMatch(BIDI_RE);
      }
      // Only bidi controls, zero-width characters, BOM, spaces: nothing visible.
      for (const blank of ['\u200b\u200c\u200d\ufeff', '   ', '\u202e\u2066\u200f', '\u3000\u00a0\u2060']) {
        const r = v.safeParse(field as v.GenericSchema, blank);
        if (r.success) expect([undefined, '']).toContain(r.output);
      }
    },
  );

  test('the card comment and a message: bidi controls removed, blank refused or dropped, like every text', () => {
    const fb = parseEvent(cards.WishCardsEvent, {
      mode: 'feedback',
      cardNo: '7K3M-9QXA-2B4C',
      pin: '123456',
      satisfaction: 'satisfied',
      comment: ' \u202e谢谢党员\u202c ',
    });
    expect(fb).toMatchObject({ ok: true, value: { comment: '谢谢党员' } });
    for (const blank of ['\u200b\u200c\u200d\ufeff', '   '])
      expect(
        parseEvent(cards.WishCardsEvent, {
          mode: 'feedback',
          cardNo: '7K3M-9QXA-2B4C',
          pin: '123456',
          satisfaction: 'satisfied',
          comment: blank,
        }),
      ).toMatchObject({ ok: true, value: { comment: '' } });
    expect(parseEvent(validation.MessageEvent, { wishId: 'w1', note: '\u202e明天下午三点上门\u202c' })).toMatchObject({
      ok: true,
      value: { note: '明天下午三点上门' },
    });
    expect(parseEvent(validation.MessageEvent, { wishId: 'w1', note: '\u202e\u200b' })).toMatchObject({ ok: false, code: 'INPUT.INVALID' });
    expect(validation.cleanText('\u2067王\u2069秀英\u200e')).toBe('王秀英');
  });
});
