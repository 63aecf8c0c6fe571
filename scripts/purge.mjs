#!/usr/bin/env node
// `npm run purge`: runs the retention purge once on the running local cloud, the way the timer trigger
// does on CloudBase (no caller identity). LOCAL_CLOUD_URL defaults to http://127.0.0.1:8787;
// RETENTION_DAYS is read by the function in the local cloud's process.
const url = process.env.LOCAL_CLOUD_URL || `http://127.0.0.1:${process.env.PORT || 8787}`;
const res = await fetch(`${url}/api/purge`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Type: 'Timer', TriggerName: 'manual' }) });
const body = await res.json();
console.log(JSON.stringify(body));
process.exit(res.ok ? 0 : 1);
