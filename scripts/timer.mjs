#!/usr/bin/env node
// `npm run timer -- <function> [--as-of <YYYY-MM-DD | ISO instant>]`: runs a timer function once on the running local
// cloud, the way its trigger does (no caller identity), e.g. `npm run timer -- bulletin --as-of 2026-12-11`. With
// --as-of the function takes that instant as "now" (a day alone means 09:00 China time that day); the local cloud
// hands it over in the function's context (server/cloud.ts platformNow), never in the event, and only a local cloud
// does. Goes through the trigger route with this start's token (scripts/localcloud-credentials.mjs).
import { chinaInstant } from '../src/core/dates.ts';
import { localCloudCredentials } from './localcloud-credentials.mjs';

const [fn, ...rest] = process.argv.slice(2);
const i = rest.indexOf('--as-of');
const asOfArg = i >= 0 ? rest[i + 1] : undefined;
if (!fn || !/^[A-Za-z][A-Za-z0-9]{0,63}$/.test(fn) || (i >= 0 && !asOfArg)) {
  console.error('usage: npm run timer -- <function> [--as-of YYYY-MM-DD | <ISO instant>]');
  process.exit(2);
}
let asOf;
if (asOfArg) {
  const t = /^\d{4}-\d{2}-\d{2}$/.test(asOfArg) ? chinaInstant(asOfArg, '09:00') : new Date(asOfArg);
  if (Number.isNaN(t.getTime())) {
    console.error(`--as-of: not a date: ${asOfArg}`);
    process.exit(2);
  }
  asOf = t.toISOString();
}
const { url, token } = localCloudCredentials();
const query = asOf ? `?asOf=${encodeURIComponent(asOf)}` : '';
const res = await fetch(`${url}/_local/trigger/${fn}${query}`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  body: JSON.stringify({ Type: 'Timer', TriggerName: 'manual' }),
});
console.log(JSON.stringify(await res.json()));
process.exit(res.ok ? 0 : 1);
