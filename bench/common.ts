/** What the benches share: percentiles, and a call to a function of the local cloud over HTTP as a user (or, without
 * an openid, as the platform). */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

export type Reply = { code: number | string; data: any; message?: string };

export async function callAs(url: string, fn: string, event: object, openid: string | null): Promise<Reply> {
  const res = await fetch(`${url}/api/${fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(openid ? { 'x-wx-openid': openid } : {}) },
    body: JSON.stringify(event),
  });
  return (await res.json()) as Reply;
}
