// One instance of one cloud function, as the platform runs it: a worker thread (started by
// localcloud/functions.ts with plain Node, no TypeScript loader) that requires the function's built bundle
// in its own module scope and answers `main(event, context)` calls. Its console goes to the local cloud;
// answers go back as JSON, as the platform serialises them. Plain JavaScript: it runs before and outside any
// TypeScript tooling.
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { format } = require('node:util');

const { sdkFrom } = workerData;

for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
  console[level] = (...args) => parentPort.postMessage({ t: 'log', level, text: format(...args) });
}

function describe(e) {
  return e instanceof Error ? { message: e.message, stack: e.stack } : { message: format(e) };
}

// A spare instance loads the SDK before it is given its function (as resolved from the functions' folder, where
// a function's own require finds it too), so a cold start costs the bundle, not the SDK's dependency tree. If
// the function resolves another copy, that one is loaded and this one is unused.
try {
  require(require.resolve('@cloudbase/node-sdk', { paths: [sdkFrom] }));
} catch {
  // not installed there: the function's own require reports it, if it needs it
}

let main;
function load({ file, name, builtBy, env }) {
  Object.assign(process.env, env);
  try {
    const mod = require(file);
    const loaded = require.resolve(file);
    const stamp = mod && mod.__bundle;
    if (loaded !== file || !stamp || stamp.builtBy !== builtBy || stamp.name !== name) {
      throw new Error(
        `${loaded} has no build stamp of ${name} from ${builtBy}: the local cloud runs only built bundles (npm run build:functions)`,
      );
    }
    if (typeof mod.main !== 'function') throw new Error(`${loaded} exports no main function`);
    main = mod.main;
    parentPort.postMessage({ t: 'ready', file: loaded, bundle: { ...stamp } });
  } catch (e) {
    parentPort.postMessage({ t: 'load-error', error: describe(e) });
  }
}

parentPort.on('message', async (m) => {
  if (m.t === 'load' && !main) return load(m);
  if (m.t !== 'call' || !main) return;
  try {
    const result = await main(m.event, m.context);
    parentPort.postMessage({ t: 'done', id: m.id, json: JSON.stringify(result === undefined ? null : result) });
  } catch (e) {
    parentPort.postMessage({ t: 'threw', id: m.id, error: describe(e) });
  }
});
