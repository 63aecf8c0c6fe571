/**
 * Headers for a hand-made /tcb request, signed the way @cloudbase/node-sdk signs (TC3-HMAC-SHA256 through its own
 * @cloudbase/signature-nodejs) with a local cloud's per-start pair: for tests that send what the SDK cannot.
 */
import { sign } from '@cloudbase/signature-nodejs';
import type { LocalCloud } from '../../localcloud';

export function signedHeaders(
  cloud: Pick<LocalCloud, 'url' | 'credentials'>,
  params: Record<string, unknown>,
  opts: { path?: string; timestamp?: number; contentType?: string } = {},
): Record<string, string> {
  const { secretId, secretKey } = cloud.credentials;
  const host = new URL(cloud.url).host;
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000) - 1;
  const headers = { 'content-type': opts.contentType ?? 'application/json', host, 'user-agent': 'tcb-node-sdk/3.18.3' };
  const url = `${cloud.url}${opts.path ?? '/tcb'}`;
  const { authorization } = sign({ secretId, secretKey, method: 'post', url, headers, params, timestamp, withSignedParams: true });
  return { ...headers, authorization, 'x-timestamp': String(timestamp), 'x-signature-expires': '600' };
}
