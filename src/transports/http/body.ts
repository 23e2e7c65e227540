/**
 * Bounded request-body reading for the HTTP API server.
 */
import type { IncomingMessage } from 'node:http';

/** The body, or why there is none: it grew past the limit, or the client went away / errored. */
export type BodyOutcome = Buffer | 'too_large' | 'aborted';

const EMPTY = Buffer.alloc(0);

/**
 * Read the whole body of `req`, at most `limit` bytes. When the body grows past the limit the
 * promise settles with `'too_large'` at once and the rest is no longer buffered (the stream keeps
 * flowing into the void, so the socket is not stalled while the 413 is written).
 * Never rejects.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyOutcome> {
  return new Promise<BodyOutcome>((resolve) => readBodyThen(req, limit, resolve));
}

/** {@link readBody} with a callback, called exactly once (for the hot path: no promise). */
export function readBodyThen(req: IncomingMessage, limit: number, done: (outcome: BodyOutcome) => void): void {
  if (req.readableEnded) return done(req.complete ? EMPTY : 'aborted');
  // A small body usually comes in the same packet as the head. Node's parser emits the request
  // before it parses the body; on the next tick the body of that packet is buffered in `req`
  // (`complete` is set a callback later). When it is all the declared bytes, it is taken with one
  // `read()`: no listener, no event.
  process.nextTick(readParsed, req, limit, done);
}

function readParsed(req: IncomingMessage, limit: number, done: (outcome: BodyOutcome) => void): void {
  if (req.destroyed) return done('aborted');
  if (!req.complete && req.readableLength !== declaredLength(req)) return listen(req, limit, done);
  if (req.readableLength > limit) {
    req.resume(); // into the void: the 413 closes the connection
    return done('too_large');
  }
  done((req.read() as Buffer | null) ?? EMPTY);
}

/** `Content-Length` as a number; -1 when absent (a chunked body) or not a plain decimal. */
function declaredLength(req: IncomingMessage): number {
  const value = req.headers['content-length'];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : -1;
}

/** The body as it arrives ('data' events), bounded by `limit`. */
function listen(req: IncomingMessage, limit: number, done: (outcome: BodyOutcome) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  const finish = (outcome: BodyOutcome): void => {
    if (settled) return; // a late 'error' after the end or the limit
    settled = true;
    req.removeListener('data', onData);
    req.removeListener('end', onEnd);
    req.removeListener('close', onClose);
    // Keep an 'error' listener: without one a late socket error on `req` would be thrown.
    done(outcome);
  };
  const onData = (chunk: Buffer): void => {
    size += chunk.length;
    if (size > limit) {
      chunks.length = 0;
      finish('too_large');
      return;
    }
    chunks.push(chunk);
  };
  const onEnd = (): void => {
    finish(chunks.length === 1 ? (chunks[0] as Buffer) : chunks.length === 0 ? EMPTY : Buffer.concat(chunks, size));
  };
  const onClose = (): void => {
    finish('aborted');
  };
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('close', onClose);
  req.on('error', onClose);
}
