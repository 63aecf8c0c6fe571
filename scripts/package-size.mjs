#!/usr/bin/env node
/**
 * After `taro build --type weapp`: the size of the main package and of each subpackage of dist/weapp.
 * A subpackage is a root listed in app.json `subPackages` / `subpackages`; everything else is the main
 * package. WeChat's limit is 2 MB per package: exit 1 above 2048 KB, and exit 1 when the main package is over our
 * budget of 356 KB (issue 8, part 6: what only subpackages need belongs in them). It was 350 KB until issue 22's notices
 * that stay true: the 消息 page (a main page) marks done and folded notices, and the subpackages already carry their own
 * copy of the core and components (config/index.ts subpackageCoreCopy), so what is left is the main pages' own code.
 * 352 → 356 KB for issue 22's drafts: the post page (a main page: where a resident starts) keeps what she typed and,
 * with her yes, her contact details (src/services/drafts.ts; the page went from 11 to 14.3 KB).
 */
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const root = join(process.cwd(), 'dist/weapp');
const LIMIT_KB = 2048;
const BUDGET_KB = 356;

if (!existsSync(join(root, 'app.json'))) {
  console.error(`package-size: ${root}/app.json not found (run taro build --type weapp first)`);
  process.exit(1);
}
const app = JSON.parse(readFileSync(join(root, 'app.json'), 'utf8'));
const subRoots = [...(app.subPackages ?? []), ...(app.subpackages ?? [])].map((p) => String(p.root).replace(/^\/+|\/+$/g, ''));

const sizes = new Map([['(main)', 0], ...subRoots.map((r) => [r, 0])]);
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    const st = statSync(full);
    if (st.isDirectory()) {
      walk(full);
      continue;
    }
    if (name.endsWith('.map')) continue; // source maps are not uploaded
    const rel = relative(root, full).split(sep).join('/');
    const owner = subRoots.find((r) => rel === r || rel.startsWith(`${r}/`)) ?? '(main)';
    sizes.set(owner, sizes.get(owner) + st.size);
  }
}
walk(root);

const kb = (n) => (n / 1024).toFixed(1);
let failed = false;
for (const [name, bytes] of sizes) {
  const k = bytes / 1024;
  const label = name === '(main)' ? 'main package' : `subpackage ${name}`;
  let mark = '';
  if (k > LIMIT_KB) {
    mark = `  ✗ over the ${LIMIT_KB} KB limit`;
    failed = true;
  } else if (name === '(main)' && k > BUDGET_KB) {
    mark = `  ✗ over the ${BUDGET_KB} KB budget`;
    failed = true;
  } else if (name === '(main)') mark = `  (budget ${BUDGET_KB} KB)`;
  console.log(`${label.padEnd(28)} ${kb(bytes).padStart(8)} KB${mark}`);
}
const total = [...sizes.values()].reduce((a, b) => a + b, 0);
console.log(`${'total'.padEnd(28)} ${kb(total).padStart(8)} KB`);
if (failed) {
  console.error(`package-size: a package exceeds the 2 MB limit, or the main package the ${BUDGET_KB} KB budget`);
  process.exit(1);
}
