#!/usr/bin/env node
// `npm run media-verdicts [-- --risky|--review|--pass] [cloud://file ids…]`: delivers the verdicts of the photos
// submitted to WeChat's mediaCheckAsync on the running local cloud, the way WeChat's message push reaches the
// mediaCheckResult cloud function (a `wxa_media_check` event, no caller identity). Without a flag the file name
// decides (localcloud/keywords.json `photos`); without file ids every pending check is answered.
// LOCAL_CLOUD_URL defaults to http://127.0.0.1:8787.
const url = process.env.LOCAL_CLOUD_URL || `http://127.0.0.1:${process.env.PORT || 8787}`;
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
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ ...(suggest ? { suggest } : {}), ...(fileIds.length ? { fileIds } : {}) }),
});
const body = await res.json();
console.log(JSON.stringify(body, null, 2));
process.exit(res.ok ? 0 : 1);
