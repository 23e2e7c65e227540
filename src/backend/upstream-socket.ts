/**
 * What the bridges' dialing clients share: opening a WebSocket to an upstream with its token, the
 * delay before the next attempt (exponential backoff with ±25 % jitter, capped), and closing a
 * socket for good. Used by the OneBot link (onebot/link.ts) and Milky's event stream (milky/stream.ts);
 * the frame limit also by the OneBot reverse server (onebot/reverse.ts).
 */
import WebSocket from 'ws';

/** Largest frame accepted from an upstream unless configured (a history or member list can be large). */
export const DEFAULT_MAX_FRAME = 64 * 1024 * 1024;

/** Open a WebSocket to `url`, with `Authorization: Bearer <accessToken>` unless the token is empty. */
export function dialUpstream(url: string, accessToken: string, maxFrameSize = DEFAULT_MAX_FRAME): WebSocket {
  const headers: Record<string, string> = {};
  if (accessToken !== '') headers['authorization'] = `Bearer ${accessToken}`;
  return new WebSocket(url, { headers, maxPayload: maxFrameSize, handshakeTimeout: 10_000 });
}

/** The wait before attempt number `attempt` (0-based): `minMs` doubling up to `maxMs`, ±25 % jitter. */
export function retryDelay(attempt: number, minMs: number, maxMs: number): number {
  const base = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 16));
  return Math.round(base * (0.75 + Math.random() * 0.5));
}

/** Cut the socket and resolve once it is closed. */
export function terminateSocket(socket: WebSocket): Promise<void> {
  return new Promise<void>((resolve) => {
    if (socket.readyState === WebSocket.CLOSED) return resolve();
    socket.once('close', () => resolve());
    socket.terminate();
  });
}
