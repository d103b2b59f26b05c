// Reads a JSON request body, refusing it as soon as it passes the cap (never buffers more).
import type { IncomingMessage } from 'node:http';
import { ApiError } from './api-error.ts';

export const DEFAULT_MAX_BODY_BYTES = 16 * 1024;
/** After refusing a body, read and drop this much more so the client hears the 413 (closing on unread data resets it). */
const DRAIN_BYTES = 1024 * 1024;

const tooLarge = (max: number): ApiError =>
  new ApiError(413, 'body_too_large', `The request body is larger than the ${max}-byte limit; send a smaller JSON body.`, {}, { connection: 'close' });

export function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      drain(req);
      reject(tooLarge(maxBytes));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData).off('end', onEnd);
      drain(req);
      reject(tooLarge(maxBytes));
    };
    const onEnd = (): void => {
      try {
        resolve(parseJson(Buffer.concat(chunks).toString('utf8')));
      } catch (error) {
        reject(error);
      }
    };
    req.on('data', onData).on('end', onEnd).on('error', reject);
  });
}

function drain(req: IncomingMessage): void {
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DRAIN_BYTES) req.socket.destroy();
  });
  req.resume();
}

function parseJson(text: string): unknown {
  if (text.trim() === '') throw new ApiError(400, 'invalid_json', 'The request body is empty; send a JSON object.');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, 'invalid_json', 'The request body is not valid JSON; send a JSON object such as {"symbol": "AAPL", "qty": 10, "side": "buy"}.');
  }
}
