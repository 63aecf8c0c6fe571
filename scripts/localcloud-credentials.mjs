// Where the local commands (npm run purge, media-verdicts, admin) find the running local cloud and this start's
// secrets: <LOCALCLOUD_DATA or .localcloud>/credentials.json, written by the local cloud at start, readable by
// the user only (0600). A web page cannot read it; without it the local cloud refuses /tcb and /_local/*.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** { url, serviceUrl, env, secretId, secretKey, token } of the running local cloud; exits with a clear message if none. */
export function localCloudCredentials() {
  const dataDir = process.env.LOCALCLOUD_DATA || join(root, '.localcloud');
  const file = join(dataDir, 'credentials.json');
  let c;
  try {
    c = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    console.error(
      `没有找到运行中的本地云 (${file})。先运行 npm start(同一个 LOCALCLOUD_DATA)。\nNo running local cloud: ${file} is missing; start it with npm start (same LOCALCLOUD_DATA).`,
    );
    process.exit(2);
  }
  if (process.env.PORT && new URL(c.url).port !== process.env.PORT) {
    console.error(`warning: the local cloud of ${dataDir} listens on ${c.url}, not on PORT=${process.env.PORT}; using ${c.url}`);
  }
  return c;
}
