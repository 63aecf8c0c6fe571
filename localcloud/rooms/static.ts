/**
 * GET / and every other GET no room claims: the H5 build (dist/h5), with the pages' security headers. Only files
 * under the build folder are served.
 */
import type { ServerResponse } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { contentSecurityPolicy } from '../guard';
import { CONTENT_TYPES } from '../storage';
import { send } from './http';

/** The build folder, and this start's own origins (known once it listens) for the Content-Security-Policy. */
export interface StaticRoom {
  staticDir: string;
  origins: () => Set<string>;
}

export function staticRoom({ staticDir, origins }: StaticRoom) {
  function serveFile(abs: string | null, res: ServerResponse) {
    if (!abs || !existsSync(abs) || !statSync(abs).isFile()) return send(res, 404, 'Not found', 'text/plain; charset=utf-8');
    send(res, 200, readFileSync(abs), CONTENT_TYPES[extname(abs).slice(1).toLowerCase()] ?? 'application/octet-stream');
  }

  return function serveStatic(pathname: string, res: ServerResponse) {
    if (!existsSync(join(staticDir, 'index.html'))) {
      return send(
        res,
        200,
        'H5 版本尚未构建：请先运行 npm run build:h5（npm start 会自动构建）。\nThe H5 build is missing: run npm run build:h5.',
        'text/plain; charset=utf-8',
      );
    }
    let rel: string;
    try {
      rel = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
    } catch {
      return send(res, 400, 'Bad path', 'text/plain; charset=utf-8');
    }
    const abs = normalize(join(staticDir, rel));
    const file = abs.startsWith(staticDir + sep) ? abs : null;
    // The H5 pages' Content-Security-Policy: an HTML page's inline scripts are allowed by their hash only.
    const html = file && file.endsWith('.html') && existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    res.setHeader('content-security-policy', contentSecurityPolicy(html, origins()));
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('referrer-policy', 'no-referrer');
    serveFile(file, res);
  };
}
