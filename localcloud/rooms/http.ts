/**
 * What every room of the local cloud answers with: the body reader with its limit, and the two ways of answering
 * (a body with its type; a `{ code, message }` with the HTTP status its code has in src/core/errors.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { httpStatusOf } from '../../src/core/errors';

export const API_BODY_LIMIT = 64 * 1024;
export const WIRE_BODY_LIMIT = 32 * 1024 * 1024;
export const UPLOAD_LIMIT = 10 * 1024 * 1024;

/** A body over its limit: the router answers INPUT.TOO_LARGE for any room that lets it through. */
export class TooLarge extends Error {}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new TooLarge());
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function send(res: ServerResponse, status: number, body: unknown, type = 'application/json; charset=utf-8') {
  if (res.headersSent) return;
  const payload = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  res.writeHead(status, { 'content-type': type, 'content-length': payload.length, 'x-content-type-options': 'nosniff' });
  res.end(payload);
}

export const answer = (res: ServerResponse, code: string, message: string) => send(res, httpStatusOf(code), { code, message });

/** A function's or trigger's event: the JSON object in the body (empty: `{}`), or null once the refusal is answered
 * (INPUT.TOO_LARGE over API_BODY_LIMIT, INPUT.INVALID for anything but a JSON object). */
export async function readEvent(req: IncomingMessage, res: ServerResponse): Promise<object | null> {
  let event: unknown;
  try {
    event = JSON.parse((await readBody(req, API_BODY_LIMIT)).toString('utf8') || '{}');
  } catch (e) {
    answer(
      res,
      ...((e instanceof TooLarge ? ['INPUT.TOO_LARGE', '提交的内容太大了'] : ['INPUT.INVALID', '请求格式不对']) as [string, string]),
    );
    return null;
  }
  if (typeof event === 'object' && event !== null && !Array.isArray(event)) return event;
  answer(res, 'INPUT.INVALID', '请求格式不对');
  return null;
}

/** A function's answer and the HTTP status it is sent with. */
export interface Reply {
  status: number;
  body: unknown;
}

/** The request counters GET /_local/stats reports: wire actions, refused wire requests, runs per function. */
export interface Stats {
  wire: Record<string, number>;
  wireTotal: number;
  wireRefused: number;
  functions: Record<string, number>;
}

export type Log = (...a: unknown[]) => void;
