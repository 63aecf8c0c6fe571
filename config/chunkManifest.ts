import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Compiler } from 'webpack';

/**
 * H5 only: after a build, writes `dist/h5.chunks.json` (beside the served folder, not in it): the files of the entry
 * (what index.html loads) and of each named chunk group (a page: `pages/index/index`, …, with the shared chunks it
 * waits for), and every JS module that ended up in more than one chunk (a duplicate). `scripts/h5-size.mjs` reads it
 * to measure the first screen and the total (issue 8, part 6).
 */
export class ChunkManifestPlugin {
  constructor(private file: string) {}

  apply(compiler: Compiler): void {
    compiler.hooks.done.tap('ChunkManifestPlugin', (stats) => {
      const c = stats.compilation;
      const groups: Record<string, string[]> = {};
      // Taro loads each page with an unnamed import(): a group is named after the page it imports.
      for (const group of c.chunkGroups) {
        const request = group.origins.find((o) => o.request)?.request;
        const name =
          group.name ??
          request
            ?.replace(/^\.\//, '')
            .replace(/\?.*$/, '')
            .replace(/\.[jt]sx?$/, '');
        if (name) groups[name] = group.getFiles().filter((f) => !f.endsWith('.map'));
      }
      const entry = [...c.entrypoints.values()].flatMap((e) => e.getFiles()).filter((f) => !f.endsWith('.map'));
      const duplicates: Array<{ module: string; chunks: number; size: number }> = [];
      for (const m of c.modules) {
        const chunks = [...c.chunkGraph.getModuleChunksIterable(m)].filter((ch) => [...ch.files].some((f) => f.endsWith('.js')));
        if (chunks.length > 1 && m.size() > 0 && !m.type.startsWith('css'))
          duplicates.push({
            module: path.relative(compiler.context, m.nameForCondition() ?? m.identifier()),
            chunks: chunks.length,
            size: m.size(),
          });
      }
      duplicates.sort((a, b) => b.size * (b.chunks - 1) - a.size * (a.chunks - 1));
      // What each JS file holds (the largest modules, source size before minifying), to see what a page pays for.
      const files: Record<string, Array<[string, number]>> = {};
      for (const ch of c.chunks) {
        const js = [...ch.files].find((f) => f.endsWith('.js'));
        if (!js) continue;
        files[js] = [...c.chunkGraph.getChunkModulesIterable(ch)]
          .map((m): [string, number] => [path.relative(compiler.context, m.nameForCondition() ?? m.identifier()), m.size()])
          .sort((a, b) => b[1] - a[1])
          .slice(0, 25);
      }
      const entryNames = [...c.entrypoints.keys()];
      writeFileSync(this.file, JSON.stringify({ entry: [...new Set(entry)], entryNames, groups, duplicates, files }, null, 1));
    });
  }
}
