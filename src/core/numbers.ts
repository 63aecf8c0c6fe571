/**
 * Card numbers and wish numbers: Crockford's base32 (no I, L, O, U; a typed O is read as 0, I and L as 1), so they are
 * easy to read aloud and type. Pure; shared by the card rules (cards.ts) and the events (validation.ts).
 */
export const CARD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 12 base32 characters from 60 random bits (the caller supplies at least 8 random bytes). */
export function cardNoFrom(bytes: Uint8Array): string {
  let n = 0n;
  for (let i = 0; i < 8; i++) n = (n << 8n) | BigInt(bytes[i] ?? 0);
  let out = '';
  for (let i = 0; i < 12; i++) {
    out += CARD_ALPHABET[Number(n & 31n)];
    n >>= 5n;
  }
  return formatCardNo(out);
}

export const formatCardNo = (raw: string) => `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8, 12)}`;

/** A card number as people type it (lower case, spaces, O for 0, I/L for 1) in its one written form, or null. */
export function normaliseCardNo(s: string): string | null {
  const raw = s.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!/^[0-9A-HJKMNP-TV-Z]{12}$/.test(raw)) return null;
  return formatCardNo(raw);
}

/**
 * The wish number (心愿编号, issue 22): 8 characters of the same alphabet, shown XXXX-XXXX, on every screen and ledger
 * that shows a wish to an organiser, so a paper card, a phone call or a ledger row can be matched to its wish by
 * typing or reading it aloud. Given at collect (server/wishNo.ts: unique, reserved by its number). Not a secret: it
 * gives nothing without an organiser's scope (the card number and PIN are what a resident holds).
 */
export function wishNoFrom(bytes: Uint8Array): string {
  let n = 0n;
  for (let i = 0; i < 5; i++) n = (n << 8n) | BigInt(bytes[i] ?? 0);
  let out = '';
  for (let i = 0; i < 8; i++) {
    out += CARD_ALPHABET[Number(n & 31n)];
    n >>= 5n;
  }
  return `${out.slice(0, 4)}-${out.slice(4)}`;
}

/** A wish number as people type it (lower case, spaces, O for 0, I/L for 1) in its written form, or null. */
export function normaliseWishNo(s: string): string | null {
  const raw = s.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!/^[0-9A-HJKMNP-TV-Z]{8}$/.test(raw)) return null;
  return `${raw.slice(0, 4)}-${raw.slice(4)}`;
}
