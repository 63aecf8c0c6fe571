#!/usr/bin/env node
// `npm run purge`: runs the retention purge once on the running local cloud, the way the timer trigger does on
// CloudBase (no caller identity). functions.rules.json lets no client call purge, so this goes through the local
// cloud's trigger route with this start's token (scripts/localcloud-credentials.mjs). RETENTION_DAYS is read by
// the function in the local cloud's process.
import { localCloudCredentials } from './localcloud-credentials.mjs';

const { url, token } = localCloudCredentials();
const res = await fetch(`${url}/_local/trigger/purge`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  body: JSON.stringify({ Type: 'Timer', TriggerName: 'manual' }),
});
const body = await res.json();
console.log(JSON.stringify(body));
process.exit(res.ok ? 0 : 1);
