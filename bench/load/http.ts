/**
 * A keep-alive HTTP/1.1 load generator on raw sockets: N connections, one request in flight per
 * connection (no pipelining), either closed loop (each connection sends its next request as soon
 * as the answer is in) or open loop at a fixed total rate (latency counted from the moment a
 * request was due, so a slow server cannot hide its queueing). Answers must carry
 * `Content-Length` (both cqhttpd and node's server send it for these bodies).
 *
 * Raw sockets instead of `node:http`'s client: the generator runs on one core and must outrun the
 * server on the other; parsing a response head here costs a few `indexOf`s.
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { HOST } from '../lib/net.js';
import { Samples } from '../lib/stats.js';
import type { LatencySummary } from '../lib/stats.js';

export interface HttpLoadOptions {
  port: number;
  connections: number;
  /** The bytes of request number `seq` (0-based over all connections). */
  request: (seq: number) => Buffer;
  /** How long to send (ms). In-flight requests are then awaited (at most 5 s). */
  durationMs: number;
  /** Hard bound on requests sent. */
  maxRequests?: number;
  /** Open loop: total requests per second. Absent: closed loop. */
  rate?: number;
  /** Whether an answer is right; a false counts as `bad`. Default: status 200. */
  check?: (status: number, body: Buffer, seq: number) => boolean;
  /** Called when request `seq` is written (performance.now() ms). */
  onSend?: (seq: number, at: number) => void;
  /**
   * Closed loop only: after the answer to request `seq`, its connection waits for this promise
   * before sending the next request (e.g. until the event the request caused was delivered).
   */
  gate?: (seq: number) => Promise<void>;
}

export interface HttpLoadResult {
  sent: number;
  /** Answers received (any status). */
  completed: number;
  /** Answers that passed `check`, within the measured window. */
  ok: number;
  /** Answers that passed `check`, the in-flight ones after the window included. */
  okTotal: number;
  bad: number;
  /** Connections that failed or closed with a request in flight. */
  errors: number;
  /** Open loop: requests never sent because every connection was busy for more than a second. */
  dropped: number;
  durationMs: number;
  /** Good answers per second over the window. */
  rps: number;
  latency: LatencySummary;
  /** Share of one core this process used during the run (0…1+). */
  loadCpu: number;
  /** The first bad answer, for diagnostics. */
  firstBad?: string;
}

const CRLFCRLF = Buffer.from('\r\n\r\n');
const MAX_RECONNECTS = 200;

/** Build the bytes of one request. */
export function buildRequest(method: string, path: string, port: number, headers: Record<string, string>, body?: string | Buffer): Buffer {
  let head = `${method} ${path} HTTP/1.1\r\nHost: ${HOST}:${port}\r\n`;
  for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
  if (body === undefined) return Buffer.from(`${head}\r\n`, 'latin1');
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return Buffer.concat([Buffer.from(`${head}Content-Length: ${bytes.length}\r\n\r\n`, 'latin1'), bytes]);
}

interface Conn {
  socket: Socket;
  pending: Buffer | null;
  seq: number;
  /** When the in-flight request was due (ms); -1 when idle. */
  start: number;
}

/** Run the load; resolves when the window is over and the in-flight answers are in (or given up). */
export function runHttpLoad(options: HttpLoadOptions): Promise<HttpLoadResult> {
  const { port, connections, durationMs, rate } = options;
  const maxRequests = options.maxRequests ?? Number.MAX_SAFE_INTEGER;
  const check = options.check ?? ((status: number) => status === 200);
  const latencies = new Samples();
  let sent = 0;
  let completed = 0;
  let ok = 0;
  let okTotal = 0;
  let bad = 0;
  let errors = 0;
  let dropped = 0;
  let reconnects = 0;
  let firstBad: string | undefined;
  let t0 = 0;
  let tEnd = 0;
  let sending = false;
  let over = false;
  let inFlight = 0;
  const idle: Conn[] = [];
  const due: number[] = []; // open loop: due times of requests not yet sent
  let dueHead = 0;
  let scheduled = 0;
  let finish: () => void = () => {};
  let ticker: NodeJS.Timeout | undefined;

  const send = (conn: Conn, dueAt: number): void => {
    const seq = sent++;
    conn.seq = seq;
    conn.start = dueAt;
    inFlight++;
    conn.socket.write(options.request(seq));
    options.onSend?.(seq, performance.now());
  };

  const afterAnswer = (conn: Conn): void => {
    if (!sending || sent >= maxRequests) {
      idle.push(conn);
      if (inFlight === 0) finish();
      return;
    }
    if (rate === undefined) {
      send(conn, performance.now());
    } else if (dueHead < due.length) {
      send(conn, due[dueHead++]);
    } else {
      idle.push(conn);
    }
  };

  const onAnswer = (conn: Conn, status: number, body: Buffer): void => {
    const now = performance.now();
    inFlight--;
    completed++;
    latencies.add(now - conn.start);
    if (check(status, body, conn.seq)) {
      okTotal++;
      if (now <= tEnd) ok++;
    } else {
      bad++;
      firstBad ??= `HTTP ${status}: ${body.toString('utf8', 0, Math.min(body.length, 300))}`;
    }
    conn.start = -1;
  };

  const parse = (conn: Conn, chunk: Buffer): void => {
    let buf = conn.pending === null ? chunk : Buffer.concat([conn.pending, chunk]);
    conn.pending = null;
    while (buf.length > 0) {
      const headEnd = buf.indexOf(CRLFCRLF);
      if (headEnd === -1) {
        conn.pending = buf;
        return;
      }
      const head = buf.toString('latin1', 0, headEnd).toLowerCase();
      const status = Number(head.slice(9, 12));
      const at = head.indexOf('\r\ncontent-length:');
      const length = at === -1 ? 0 : Number.parseInt(head.slice(at + 17, head.indexOf('\r', at + 17) >>> 0), 10);
      const total = headEnd + 4 + length;
      if (buf.length < total) {
        conn.pending = buf;
        return;
      }
      const seq = conn.seq;
      onAnswer(conn, status, buf.subarray(headEnd + 4, total));
      buf = buf.subarray(total);
      if (head.includes('\r\nconnection: close')) {
        conn.socket.destroy();
        reopen(conn, false);
        return;
      }
      if (options.gate === undefined || rate !== undefined) {
        afterAnswer(conn);
      } else {
        inFlight++; // still busy until the gate opens
        void options.gate(seq).then(() => {
          inFlight--;
          afterAnswer(conn);
        });
      }
    }
  };

  const open = (): Promise<Conn> => new Promise((resolve, reject) => {
    const socket = connect({ host: HOST, port, noDelay: true });
    const conn: Conn = { socket, pending: null, seq: -1, start: -1 };
    let connected = false;
    socket.once('connect', () => {
      connected = true;
      resolve(conn);
    });
    // Before the connection: a failure to connect; after it, 'close' follows and handles it.
    socket.on('error', (err) => {
      if (!connected) reject(err);
    });
    socket.on('data', (chunk: Buffer) => parse(conn, chunk));
    socket.on('close', () => {
      if (over || !connected) return;
      if (conn.start >= 0) {
        inFlight--;
        errors++;
        conn.start = -1;
        reopen(conn, true);
        return;
      }
      // An idle connection closed by the server (its keep-alive timeout): replace it quietly.
      const at = idle.indexOf(conn);
      if (at !== -1) {
        idle.splice(at, 1);
        reopen(conn, false);
      }
    });
  });

  /** Replace a closed connection (bounded), then carry on with it. */
  const reopen = (old: Conn, failed: boolean): void => {
    if (failed && reconnects++ >= MAX_RECONNECTS) {
      sending = false;
      if (inFlight === 0) finish();
      return;
    }
    if (over) return;
    open().then(
      (conn) => {
        old.socket = conn.socket;
        if (over) {
          conn.socket.destroy();
          return;
        }
        afterAnswer(conn);
      },
      () => {
        errors++;
        if (inFlight === 0 && !sending) finish();
      },
    );
  };

  const tick = (): void => {
    const now = performance.now();
    if (now >= tEnd || sent >= maxRequests) {
      stopSending();
      return;
    }
    if (rate !== undefined) {
      const target = Math.floor(((now - t0) * rate) / 1000);
      while (scheduled < target) due.push(t0 + (scheduled++ * 1000) / rate);
      // More than a second behind: the oldest requests are dropped (and counted).
      const backlog = due.length - dueHead;
      if (backlog > rate) {
        dropped += backlog - rate;
        dueHead += backlog - rate;
      }
      while (idle.length > 0 && dueHead < due.length && sent < maxRequests) send(idle.pop() as Conn, due[dueHead++]);
      if (dueHead > 4096) {
        due.splice(0, dueHead);
        dueHead = 0;
      }
    }
    ticker = setTimeout(tick, 1);
  };

  const stopSending = (): void => {
    if (!sending) return;
    sending = false;
    tEnd = Math.min(tEnd, performance.now());
    if (inFlight === 0) finish();
  };

  return (async () => {
    const conns = await Promise.all(Array.from({ length: connections }, open));
    const cpu0 = process.cpuUsage();
    t0 = performance.now();
    tEnd = t0 + durationMs;
    sending = true;
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    if (rate === undefined) for (const conn of conns) send(conn, performance.now());
    else idle.push(...conns);
    tick();
    // Stop by the clock even if answers stop coming (a server that hangs on some requests).
    let deadline: NodeJS.Timeout | undefined;
    await Promise.race([done, new Promise<void>((resolve) => (deadline = setTimeout(resolve, durationMs + 15_000)))]);
    clearTimeout(deadline);
    sending = false;
    if (ticker !== undefined) clearTimeout(ticker);
    // Requests still in flight after the window: wait a little, then give up on them.
    const drainUntil = performance.now() + 5000;
    while (inFlight > 0 && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 5));
    const cpu = process.cpuUsage(cpu0);
    const window = tEnd - t0;
    over = true;
    for (const conn of conns) conn.socket.destroy();
    for (const conn of idle) conn.socket.destroy();
    errors += inFlight;
    return {
      sent, completed, ok, okTotal, bad, errors, dropped,
      durationMs: window,
      rps: (ok * 1000) / window,
      latency: latencies.summary(),
      loadCpu: (cpu.user + cpu.system) / 1000 / window,
      ...(firstBad === undefined ? {} : { firstBad }),
    };
  })();
}
