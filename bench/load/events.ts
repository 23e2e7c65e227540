/**
 * The event side of the load: messages posted as simulated users through the sandbox control API
 * (`POST /api/messages` on `sandbox_port`), each carrying a marker `bench#<seq>#` in its text, and
 * the receivers that find the marker again in the events (raw WebSocket clients, an HTTP POST
 * receiver) and time the delivery from the moment the message was posted.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HOST, httpRequest } from '../lib/net.js';
import { readIntAfter } from '../lib/scan.js';
import { Samples, withRoom } from '../lib/stats.js';

export const SENDER_ID = 20001; // Alice, admin of group 100001 in the default world
export const EVENT_GROUP_ID = 100001;

const MARK = Buffer.from('bench#');

/** The sequence number after the first `bench#` in `buf[start, end)`, or -1. */
export function readMarker(buf: Buffer, start: number, end: number): number {
  return readIntAfter(buf, MARK, start, end);
}

/** The text of message `seq`: a short realistic line with a face code and the marker. */
export function markedText(seq: number): string {
  return `今天的构建又挂了 [CQ:face,id=14] bench#${seq}# please check the deploy log`;
}

/** How the control API wants a posted message: decided by {@link probeControl}. */
export type ControlShape = (seq: number) => string;

const SHAPES: { name: string; body: ControlShape }[] = [
  { name: '{from, group_id, message: string}', body: (seq) => JSON.stringify({ from: SENDER_ID, group_id: EVENT_GROUP_ID, message: markedText(seq) }) },
  { name: '{user_id, group_id, message: string}', body: (seq) => JSON.stringify({ user_id: SENDER_ID, group_id: EVENT_GROUP_ID, message: markedText(seq) }) },
  { name: '{from, group_id, message: segments}', body: (seq) => JSON.stringify({ from: SENDER_ID, group_id: EVENT_GROUP_ID, message: [{ type: 'text', data: { text: markedText(seq) } }] }) },
  { name: '{user_id, group_id, message: segments}', body: (seq) => JSON.stringify({ user_id: SENDER_ID, group_id: EVENT_GROUP_ID, message: [{ type: 'text', data: { text: markedText(seq) } }] }) },
];

export const CONTROL_PATH = '/api/messages';

/**
 * Find the body shape the control API accepts (a 2xx answer), trying the few plausible ones in
 * turn with message `seq`; resolves with it, or with the answers when none is accepted.
 */
export async function probeControl(port: number, seq: number): Promise<{ shape: ControlShape; name: string } | { error: string }> {
  const answers: string[] = [];
  for (const s of SHAPES) {
    let answer;
    try {
      answer = await httpRequest(port, 'POST', CONTROL_PATH, { headers: { 'Content-Type': 'application/json' }, body: s.body(seq) });
    } catch (err) {
      return { error: `POST ${CONTROL_PATH} on the sandbox control port: ${(err as Error).message}` };
    }
    if (answer.status >= 200 && answer.status < 300) return { shape: s.body, name: s.name };
    answers.push(`${s.name} → HTTP ${answer.status} ${answer.body.toString('utf8', 0, 200)}`);
    if (answer.status === 404 && answers.length === 1) break; // no such route: the other shapes will not help
  }
  return { error: `POST ${CONTROL_PATH} on the sandbox control port refused every body tried: ${answers.join('; ')}` };
}

/**
 * Send times of marked messages and their deliveries. Sequence numbers are unique over a whole
 * case (so late deliveries of an earlier run are told apart); counters are per run.
 */
export class DeliveryLog {
  #sent = new Float64Array(1 << 16);
  #next = 0;
  #from = 0;
  #until = Number.POSITIVE_INFINITY;
  #counts = new Uint8Array(1 << 16);
  #waiters = new Map<number, () => void>();
  /** Receivers a message must reach to count as delivered to all. */
  receivers = 1;
  /** Messages of this run delivered to every receiver, within the window. */
  complete = 0;
  deliveries = 0;
  inWindow = 0;
  latencies = new Samples();
  /** The same, per kind of receiver. */
  byChannel = { ws: new Samples(), post: new Samples() };

  /** A new sequence number, sent now. */
  allocate(): number {
    const seq = this.#next++;
    this.#sent = withRoom(this.#sent, seq);
    this.#counts = withRoom(this.#counts, seq);
    this.#sent[seq] = performance.now();
    return seq;
  }

  /** Start counting a run whose window ends at `until` (performance.now() ms). */
  startRun(until: number): void {
    this.#from = this.#next;
    this.#until = until;
    this.deliveries = 0;
    this.inWindow = 0;
    this.complete = 0;
    this.latencies = new Samples();
    this.byChannel = { ws: new Samples(), post: new Samples() };
  }

  /** How many messages this run posted. */
  get posted(): number {
    return this.#next - this.#from;
  }

  /** A receiver (a WebSocket client or the HTTP POST receiver) saw message `seq`. */
  delivered(seq: number, channel: 'ws' | 'post' = 'ws'): void {
    if (seq < this.#from || seq >= this.#next) return;
    const now = performance.now();
    this.deliveries++;
    if (now <= this.#until) this.inWindow++;
    const latency = now - this.#sent[seq];
    this.latencies.add(latency);
    this.byChannel[channel].add(latency);
    if (++this.#counts[seq] === this.receivers) {
      if (now <= this.#until) this.complete++;
      const waiter = this.#waiters.get(seq);
      if (waiter !== undefined) {
        this.#waiters.delete(seq);
        waiter();
      }
    }
  }

  /** Resolves once message `seq` reached every receiver, or after `timeoutMs` (a lost delivery). */
  whenDelivered(seq: number, timeoutMs = 1000): Promise<void> {
    if (this.#counts[seq] >= this.receivers) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(seq);
        resolve();
      }, timeoutMs);
      this.#waiters.set(seq, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** The send time of `seq` (ms). */
  sentAt(seq: number): number {
    return this.#sent[seq];
  }
}

export interface PostReceiver {
  port: number;
  /** Requests received. */
  count(): number;
  close(): Promise<void>;
}

/** An HTTP POST event receiver answering 204 (no quick operation); `onBody` sees each body. */
export function startPostReceiver(onBody: (body: Buffer) => void): Promise<PostReceiver> {
  let count = 0;
  const server = createServer({ keepAliveTimeout: 10_000 }, (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      count++;
      onBody(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
      res.writeHead(204);
      res.end();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        count: () => count,
        close: () => new Promise<void>((r) => {
          server.closeAllConnections();
          server.close(() => r());
        }),
      });
    });
  });
}
