#!/usr/bin/env node
// `npm run media-verdicts [-- --risky|--review|--pass] [cloud://file ids…]`: delivers the verdicts of the photos
// submitted to WeChat's mediaCheckAsync on the running local cloud, the way WeChat's message push reaches the
// mediaCheckResult cloud function (a `wxa_media_check` event, no caller identity). Without a flag the file name
// decides (localcloud/keywords.json `photos`); without file ids every pending check is answered.
// The running local cloud and its /_local token come from its data folder (scripts/localcloud-credentials.mjs).
import { localCloudCredentials } from './localcloud-credentials.mjs';

const { url, token } = localCloudCredentials();
const args = process.argv.slice(2);
const flag = args.find((a) => a.startsWith('--'));
const suggest = flag ? flag.slice(2) : undefined;
if (suggest && !['pass', 'review', 'risky'].includes(suggest)) {
  console.error(`unknown flag ${flag}: use --pass, --review or --risky`);
  process.exit(2);
}
const fileIds = args.filter((a) => !a.startsWith('--'));
const res = await fetch(`${url}/_local/media-verdicts`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  body: JSON.stringify({ ...(suggest ? { suggest } : {}), ...(fileIds.length ? { fileIds } : {}) }),
});
const body = await res.json();
console.log(JSON.stringify(body, null, 2));
process.exit(res.ok ? 0 : 1);
