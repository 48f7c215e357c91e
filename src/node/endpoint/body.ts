/**
 * Reads a request body with a size limit and a deadline, so a huge or stalled upload cannot hold the
 * server: over the limit → 413, not finished in time → 408 (both close the connection).
 */
import type { IncomingMessage } from 'node:http';
import { bodyTimeout, ServiceError, tooLarge } from './errors.ts';

export interface BodyLimits {
  maxBytes: number;
  timeoutMs: number;
}

/** The body, a ServiceError to answer with, or 'gone' when the client went away. */
export function readBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer | ServiceError | 'gone'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxBytes) return Promise.resolve(discard(req, tooLarge(limits.maxBytes)));
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: Buffer | ServiceError | 'gone') => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onGone).off('aborted', onGone);
      resolve(result instanceof ServiceError ? discard(req, result) : result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBytes) finish(tooLarge(limits.maxBytes));
      else chunks.push(chunk);
    };
    const onEnd = () => finish(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    const onGone = () => finish('gone');
    const timer = setTimeout(() => finish(bodyTimeout(limits.timeoutMs)), limits.timeoutMs);
    req.on('data', onData).on('end', onEnd).on('error', onGone).on('aborted', onGone);
  });
}

/** Keeps reading (and dropping) what the client still sends until the answer closes the connection. */
function discard(req: IncomingMessage, error: ServiceError): ServiceError {
  req.on('error', () => {});
  req.resume();
  return error;
}
