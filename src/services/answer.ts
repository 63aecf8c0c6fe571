/** The wire answer of every cloud function, and the one error type the pages see. */
export const NETWORK_MESSAGE = '网络不太好，请稍后再试';
export const SYSTEM_MESSAGE = '系统繁忙，请稍后再试';

export class GatewayError extends Error {
  // `code` as a parameter property (an assignment after super), not a class field: babel's class-properties output
  // pulled @babel/runtime's defineProperty / toPropertyKey / typeof helpers into the main package.
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

export const networkError = () => new GatewayError('NETWORK', NETWORK_MESSAGE);

/** The Chinese message to show for any failure (a GatewayError's server message, or a generic one). */
export function messageOf(e: unknown): string {
  if (e instanceof GatewayError) return e.message;
  if (
    e &&
    typeof e === 'object' &&
    typeof (e as { message?: unknown }).message === 'string' &&
    /[\u4e00-\u9fa5]/.test((e as Error).message)
  ) {
    return (e as Error).message;
  }
  return SYSTEM_MESSAGE;
}

/** Read `{code: 0, data}` / `{code, message}`; anything else is a network-level failure. */
export function settle<T>(answer: unknown): T {
  if (answer && typeof answer === 'object' && 'code' in answer) {
    const a = answer as { code: unknown; data?: unknown; message?: unknown };
    if (a.code === 0) return a.data as T;
    throw new GatewayError(String(a.code), typeof a.message === 'string' && a.message ? a.message : SYSTEM_MESSAGE);
  }
  throw networkError();
}

export interface Uploaded {
  fileID: string;
}

/** What the photoUpload function hands out: the path to upload to (under the caller's own folder) and the SDK's
 * signed upload metadata for it. */
export interface UploadTicket {
  cloudPath: string;
  upload: { url: string; authorization: string; token: string; fileId: string };
}

/** What each target provides: the raw answer of a function, and an upload to the place a ticket names. */
export interface Transport {
  send(name: string, data: object): Promise<unknown>;
  upload(filePath: string, ticket: UploadTicket): Promise<Uploaded>;
  /** Open a document (an exported ledger) from a temporary URL: weapp downloads it and opens it with a menu to
   * forward it in a chat; H5 downloads it. */
  openDocument(url: string, fileName: string): Promise<void>;
}
