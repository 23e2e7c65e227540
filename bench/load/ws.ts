/**
 * A minimal WebSocket client on a raw socket (RFC 6455, client side) and the WS API load generator
 * built on it. Minimal on purpose: the load generator shares one core with ten event receivers,
 * and a frame here costs a header parse and a slice — no events per frame, no UTF-8 decoding
 * unless the caller asks. Frames are sent masked with the all-zero key (legal; the payload then
 * goes out unchanged), no extensions are offered, fragmented messages are not reassembled (the
 * servers measured never fragment).
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { HOST } from '../lib/net.js';
import { readIntAfter } from '../lib/scan.js';
import { Samples, withRoom } from '../lib/stats.js';
import type { LatencySummary } from '../lib/stats.js';

/** Called with each data frame's payload `buf[start, end)` (the buffer is reused: copy to keep). */
export type FrameHandler = (buf: Buffer, start: number, end: number) => void;

export interface RawWs {
  /** Send one text frame. */
  send(payload: Buffer): void;
  /** Close the TCP connection (no close handshake: this is a load generator). */
  destroy(): void;
  readonly socket: Socket;
  /** Whether the server closed the connection. */
  closed(): boolean;
}

const CRLFCRLF = Buffer.from('\r\n\r\n');

/** Encode a masked client text frame (mask key 0, so the payload bytes are copied as they are). */
export function clientFrame(payload: Buffer, opcode = 0x1): Buffer {
  const len = payload.length;
  const header = len < 126 ? 6 : len < 65536 ? 8 : 14;
  const frame = Buffer.allocUnsafe(header + len);
  frame[0] = 0x80 | opcode;
  if (len < 126) {
    frame[1] = 0x80 | len;
  } else if (len < 65536) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(len, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeBigUInt64BE(BigInt(len), 2);
  }
  frame.writeUInt32BE(0, header - 4);
  payload.copy(frame, header);
  return frame;
}

/**
 * Open a WebSocket to `ws://127.0.0.1:<port><path>`; rejects when the handshake is not answered
 * with 101 (the head of the answer is in the message) or the connection fails.
 */
export function openWs(port: number, path: string, headers: Record<string, string>, onFrame: FrameHandler, timeoutMs = 5000): Promise<RawWs> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: HOST, port, noDelay: true });
    let pending: Buffer | null = null;
    let upgraded = false;
    let isClosed = false;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`WebSocket handshake with 127.0.0.1:${port}${path} timed out`));
    }, timeoutMs);
    const ws: RawWs = {
      socket,
      send: (payload) => {
        if (!isClosed) socket.write(clientFrame(payload));
      },
      destroy: () => {
        isClosed = true;
        socket.destroy();
      },
      closed: () => isClosed,
    };
    socket.once('connect', () => {
      let head = `GET ${path} HTTP/1.1\r\nHost: ${HOST}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n`;
      for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
      socket.write(`${head}\r\n`);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      isClosed = true;
      if (!upgraded) reject(err);
    });
    socket.on('close', () => {
      isClosed = true;
      if (!upgraded) {
        clearTimeout(timer);
        reject(new Error(`WebSocket handshake with 127.0.0.1:${port}${path}: connection closed`));
      }
    });
    socket.on('data', (chunk: Buffer) => {
      let buf = pending === null ? chunk : Buffer.concat([pending, chunk]);
      pending = null;
      if (!upgraded) {
        const end = buf.indexOf(CRLFCRLF);
        if (end === -1) {
          pending = buf;
          return;
        }
        const answer = buf.toString('latin1', 0, end);
        if (!answer.startsWith('HTTP/1.1 101')) {
          clearTimeout(timer);
          socket.destroy();
          reject(new Error(`WebSocket handshake refused: ${answer.split('\r\n')[0]}`));
          return;
        }
        upgraded = true;
        clearTimeout(timer);
        resolve(ws);
        buf = buf.subarray(end + 4);
      }
      let off = 0;
      const n = buf.length;
      while (n - off >= 2) {
        const opcode = buf[off] & 0x0f;
        let len = buf[off + 1] & 0x7f;
        let header = 2;
        if (len === 126) {
          if (n - off < 4) break;
          len = buf.readUInt16BE(off + 2);
          header = 4;
        } else if (len === 127) {
          if (n - off < 10) break;
          len = Number(buf.readBigUInt64BE(off + 2));
          header = 10;
        }
        if ((buf[off + 1] & 0x80) !== 0) header += 4; // servers never mask; skip a key if one is there
        if (n - off < header + len) break;
        const start = off + header;
        const end = start + len;
        if (opcode <= 0x2) onFrame(buf, start, end);
        else if (opcode === 0x9) socket.write(clientFrame(buf.subarray(start, end), 0xa));
        else if (opcode === 0x8) {
          isClosed = true;
          socket.end(clientFrame(buf.subarray(start, Math.min(end, start + 2)), 0x8));
        }
        off = end;
      }
      if (off < n) pending = Buffer.from(buf.subarray(off));
    });
  });
}

const ECHO_KEY = Buffer.from('"echo":');

/** The integer after the first `"echo":` in `buf[start, end)`, or -1. */
export function readEcho(buf: Buffer, start: number, end: number): number {
  return readIntAfter(buf, ECHO_KEY, start, end);
}

export interface WsApiLoadOptions {
  port: number;
  path: string;
  headers: Record<string, string>;
  connections: number;
  /** Frames in flight over all connections (spread evenly). */
  inFlight: number;
  durationMs: number;
  /** The request frame's text for echo `echo`. */
  frame: (echo: number) => Buffer;
  /** Whether an answer is right (default: it contains `"retcode":0`). */
  check?: (buf: Buffer, start: number, end: number) => boolean;
}

export interface WsApiLoadResult {
  sent: number;
  ok: number;
  bad: number;
  durationMs: number;
  /** Good answers per second within the window. */
  rps: number;
  latency: LatencySummary;
  loadCpu: number;
  firstBad?: string;
}

const RETCODE_0 = Buffer.from('"retcode":0,');

/** Closed-loop API frames with `echo` over `connections` WebSockets; every answer is matched by its echo. */
export async function runWsApiLoad(options: WsApiLoadOptions): Promise<WsApiLoadResult> {
  const check = options.check ?? ((buf: Buffer, start: number, end: number) => {
    const at = buf.indexOf(RETCODE_0, start);
    return at !== -1 && at < end;
  });
  let sendTimes = new Float64Array(1 << 16);
  const latencies = new Samples();
  let sent = 0;
  let ok = 0;
  let bad = 0;
  let inFlight = 0;
  let sending = false;
  let t0 = 0;
  let tEnd = 0;
  let firstBad: string | undefined;
  let finish: () => void = () => {};
  const sockets: RawWs[] = [];

  const sendOn = (ws: RawWs): void => {
    const echo = sent++;
    sendTimes = withRoom(sendTimes, echo);
    sendTimes[echo] = performance.now();
    inFlight++;
    ws.send(options.frame(echo));
  };

  const onAnswer = (ws: RawWs, buf: Buffer, start: number, end: number): void => {
    const now = performance.now();
    const echo = readEcho(buf, start, end);
    if (echo < 0 || echo >= sent) {
      // A frame that is not an answer (a lifecycle event on a universal socket): ignore it.
      return;
    }
    inFlight--;
    latencies.add(now - sendTimes[echo]);
    if (check(buf, start, end)) {
      if (now <= tEnd) ok++;
    } else {
      bad++;
      firstBad ??= buf.toString('utf8', start, Math.min(end, start + 300));
    }
    if (sending && now < tEnd) sendOn(ws);
    else {
      sending = false;
      if (inFlight === 0) finish();
    }
  };

  for (let i = 0; i < options.connections; i++) {
    const holder: { ws?: RawWs } = {};
    const ws = await openWs(options.port, options.path, options.headers, (buf, start, end) => {
      if (holder.ws !== undefined) onAnswer(holder.ws, buf, start, end);
    });
    holder.ws = ws;
    sockets.push(ws);
  }
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const cpu0 = process.cpuUsage();
  t0 = performance.now();
  tEnd = t0 + options.durationMs;
  sending = true;
  for (let i = 0; i < options.inFlight; i++) sendOn(sockets[i % sockets.length]);
  // Stop by the clock even if answers stop coming.
  const guard = setTimeout(() => {
    sending = false;
    finish();
  }, options.durationMs + 5000);
  await done;
  clearTimeout(guard);
  const cpu = process.cpuUsage(cpu0);
  const window = Math.min(performance.now(), tEnd) - t0;
  for (const ws of sockets) ws.destroy();
  return {
    sent, ok, bad,
    durationMs: window,
    rps: (ok * 1000) / window,
    latency: latencies.summary(),
    loadCpu: (cpu.user + cpu.system) / 1000 / window,
    ...(firstBad === undefined ? {} : { firstBad }),
  };
}
