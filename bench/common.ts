/** What the benches share: percentiles, and a call to a function of the local cloud over HTTP as a user (or, without
 * an openid, as the platform). */
import { callOf } from '../src/core/functions';
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

export type Reply = { code: number | string; data: any; message?: string };

export async function callAs(url: string, fn: string, event: object, openid: string | null): Promise<Reply> {
  const target = callOf(fn, event);
  const res = await fetch(`${url}/api/${target.name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(openid ? { 'x-wx-openid': openid } : {}) },
    body: JSON.stringify(target.data),
  });
  return (await res.json()) as Reply;
}
