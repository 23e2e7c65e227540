/**
 * Fetching a file an upstream serves by URL (a group file's download URL) into memory, bounded in
 * bytes and time: a failure to reach it or a non-2xx answer is UPSTREAM_FAILED, a file larger than
 * the bound OPERATION_FAILED (checked against `content-length` first, then while reading).
 */
import { ApiError } from '../protocol/errors.js';

export interface FetchLimits {
  maxBytes: number;
  timeoutMs: number;
}

/** Largest group file cqhttpd fetches from an upstream, and how long it may take. */
export const UPSTREAM_FILE_LIMITS: FetchLimits = { maxBytes: 100 * 1024 * 1024, timeoutMs: 60_000 };

/** The bytes at `url`; `what` names the file in failures. */
export async function fetchUpstreamFile(url: string, what: string, limits: FetchLimits = UPSTREAM_FILE_LIMITS): Promise<Buffer> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(limits.timeoutMs), redirect: 'follow' });
  } catch (err) {
    throw new ApiError('UPSTREAM_FAILED', `fetching ${what} from the upstream failed: ${(err as Error).message}`);
  }
  if (!res.ok) throw new ApiError('UPSTREAM_FAILED', `the upstream's URL for ${what} answered HTTP ${res.status}`);
  const tooLarge = () => new ApiError('OPERATION_FAILED', `${what} is larger than ${limits.maxBytes} bytes`);
  if (Number(res.headers.get('content-length') ?? 0) > limits.maxBytes) {
    await res.body?.cancel();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of (res.body ?? []) as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > limits.maxBytes) throw tooLarge();
      chunks.push(Buffer.from(chunk));
    }
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError('UPSTREAM_FAILED', `fetching ${what} from the upstream failed: ${(err as Error).message}`);
  }
  return Buffer.concat(chunks, size);
}
