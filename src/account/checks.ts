/**
 * The checks of the 加入支部 and 我的数据 forms, before anything is sent. Same rules as the server's
 * JoinEvent (src/core/validation.ts: 8 letters or digits, a name of at most 20 characters); written out
 * here so the subpackage does not pull more of the core into the main package. The server checks again.
 */

/** What a resident types, as the code is printed: capitals, no spaces or dashes (“abcd 2345” → ABCD2345). */
export function normaliseCode(raw: string): string {
  return raw.replace(/[\s-]+/g, '').toUpperCase();
}

export function codeProblem(code: string): string {
  if (!code) return '请填写邀请码';
  if (!/^[A-Z0-9]{8}$/.test(code)) return '邀请码是 8 位字母或数字，请对照社区给您的邀请码再看一下';
  return '';
}

export function nameProblem(name: string): string {
  const n = name.trim();
  if (!n) return '请填写您的姓名';
  if (n.length > 20) return '姓名不能超过 20 个字';
  return '';
}

/** Deleting one's data cannot be undone: the resident ticks that they understand first. */
export function deleteProblem(understood: boolean): string {
  return understood ? '' : '请先勾选“我已了解，删除后不能恢复”';
}
