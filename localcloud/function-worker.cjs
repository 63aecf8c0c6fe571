// One instance of one cloud function, as the platform runs it: a worker thread (started by
// localcloud/functions.ts with plain Node, no TypeScript loader) that requires the function's built bundle
// in its own module scope and answers `main(event, context)` calls. Its console goes to the local cloud;
// answers go back as JSON, as the platform serialises them. Plain JavaScript: it runs before and outside any
// TypeScript tooling.
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { format } = require('node:util');

const { file, name, builtBy } = workerData;

for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
  console[level] = (...args) => parentPort.postMessage({ t: 'log', level, text: format(...args) });
}

function describe(e) {
  return e instanceof Error ? { message: e.message, stack: e.stack } : { message: format(e) };
}

let main;
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

parentPort.on('message', async (m) => {
  if (m.t !== 'call' || !main) return;
  try {
    const result = await main(m.event, m.context);
    parentPort.postMessage({ t: 'done', id: m.id, json: JSON.stringify(result === undefined ? null : result) });
  } catch (e) {
    parentPort.postMessage({ t: 'threw', id: m.id, error: describe(e) });
  }
});
