/**
 * What people typed, kept on this device only (Taro storage; nothing here goes to the server) — issue 22 item 7:
 * - a post form's draft, saved while typing and removed only when the post succeeds, so a refused or interrupted
 *   post is there again when the form opens next;
 * - the resident's own contact details (称呼, 电话, 住址), kept only after she said yes, offered on her next wish
 *   and removed at once by 不再记住.
 * Keys name the signed-in user, so on a shared browser one person's draft is never offered to another.
 * Storage can be full or missing (private mode): then nothing is kept and the form works as before.
 */
import Taro from '@tarojs/taro';

export interface Contacts {
  contactName: string;
  contactPhone: string;
  address: string;
}

export interface PostDraft extends Contacts {
  title: string;
  content: string;
  channel?: string; // 代录: the collection channel picked
  cardNo?: string; // 代录 from a returned card
}

const DRAFT_FIELDS = ['title', 'content', 'contactName', 'contactPhone', 'address', 'channel', 'cardNo'] as const;
const CONTACT_FIELDS = ['contactName', 'contactPhone', 'address'] as const;

const draftKey = (form: string, owner: string) => `draft:${form}:${owner}`;
const contactsKey = (owner: string) => `contacts:${owner}`;

function read(key: string): Record<string, unknown> | null {
  try {
    const v: unknown = Taro.getStorageSync(key);
    const o = typeof v === 'string' && v ? (JSON.parse(v) as unknown) : v;
    return o && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function write(key: string, value: object | null): void {
  try {
    if (value) Taro.setStorageSync(key, JSON.stringify(value));
    else Taro.removeStorageSync(key);
  } catch {
    /* storage full or unavailable: this time nothing is kept */
  }
}

/** Only the known string fields of what was stored (an old or damaged entry gives what it can). */
function pick<K extends string>(o: Record<string, unknown> | null, keys: readonly K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  if (o) for (const k of keys) if (typeof o[k] === 'string') out[k] = o[k];
  return out;
}

export function loadDraft(form: string, owner: string): Partial<PostDraft> | null {
  const d = pick(read(draftKey(form, owner)), DRAFT_FIELDS);
  return Object.values(d).some((x) => x) ? d : null;
}

/** Keeps `draft`; one with nothing in it removes the kept one. */
export function saveDraft(form: string, owner: string, draft: Partial<PostDraft>): void {
  write(draftKey(form, owner), Object.values(draft).some((x) => typeof x === 'string' && x.trim()) ? draft : null);
}

export function clearDraft(form: string, owner: string): void {
  write(draftKey(form, owner), null);
}

/**
 * Saves a draft `wait` ms after the last change (typing is not slowed by a storage write per key); `flush` writes
 * the pending one now (the page is left, the form is sent), `cancel` drops it (the post succeeded).
 */
export function draftSaver(form: string, owner: string, wait = 400) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: Partial<PostDraft> | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending) saveDraft(form, owner, pending);
    pending = null;
  };
  return {
    save(draft: Partial<PostDraft>) {
      pending = draft;
      if (timer) clearTimeout(timer);
      timer = setTimeout(flush, wait);
    },
    flush,
    cancel() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      pending = null;
    },
  };
}

/** The contact details this user asked this device to remember, or null. */
export function rememberedContacts(owner: string): Contacts | null {
  const c = pick(read(contactsKey(owner)), CONTACT_FIELDS);
  return c.contactName || c.contactPhone || c.address
    ? { contactName: c.contactName ?? '', contactPhone: c.contactPhone ?? '', address: c.address ?? '' }
    : null;
}

/** Only after the user's yes (the form's 下次自动填好 switch) and a successful post. */
export function rememberContacts(owner: string, c: Contacts): void {
  write(contactsKey(owner), { contactName: c.contactName.trim(), contactPhone: c.contactPhone.trim(), address: c.address.trim() });
}

/** 不再记住: removed from the device at once. */
export function forgetContacts(owner: string): void {
  write(contactsKey(owner), null);
}
