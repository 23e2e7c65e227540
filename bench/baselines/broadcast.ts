/**
 * The event fan-out baseline: what a bare server does to deliver a posted message to event
 * listeners. `POST /api/messages` (any JSON body with a `message` string) is parsed, turned into a
 * OneBot group message event of the same shape and size cqhttpd sends (JSON.stringify of a
 * literal with sorted keys), sent as-is to every WebSocket client (`ws` broadcast) and POSTed to
 * the HTTP receiver over a keep-alive agent (not awaited); the control request is answered at once.
 * No storage, no rules, no filter, no pipeline.
 *
 * Usage: node baselines/broadcast.js '<json BaselineBroadcastConfig>'. Runs until SIGTERM.
 */
import { Agent, createServer, request } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';

export interface BaselineBroadcastConfig {
  /** Control port (POST /api/messages). */
  port: number;
  /** WebSocket port (any path). */
  wsPort: number;
  /** HTTP receiver port ("" path `/`), or 0 for none. */
  postPort: number;
  selfId: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as BaselineBroadcastConfig;
const clients = new Set<WebSocket>();
const agent = new Agent({ keepAlive: true });
let messageId = 0;

const wss = new WebSocketServer({ host: '127.0.0.1', port: config.wsPort, perMessageDeflate: false, clientTracking: false });
wss.on('connection', (ws: WebSocket) => {
  clients.add(ws);
  ws.on('close', () => clients.delete(ws));
  ws.on('error', () => clients.delete(ws));
});

function post(body: string): void {
  if (config.postPort === 0) return;
  const req = request({
    host: '127.0.0.1', port: config.postPort, method: 'POST', path: '/', agent,
    headers: { 'Content-Type': 'application/json; charset=UTF-8', 'X-Self-ID': String(config.selfId), 'Content-Length': Buffer.byteLength(body) },
  }, (res) => {
    res.resume();
  });
  req.on('error', () => {});
  req.end(body);
}

function deliver(input: { message?: unknown; group_id?: unknown; user_id?: unknown; from?: unknown }): number {
  const id = ++messageId;
  const message = typeof input.message === 'string' ? input.message : '';
  const userId = Number(input.user_id ?? input.from ?? 20001);
  const event = JSON.stringify({
    anonymous: null, font: 0, group_id: Number(input.group_id ?? 100001), message, message_id: id, message_type: 'group',
    post_type: 'message', raw_message: message, self_id: config.selfId,
    sender: { age: 24, area: 'Shanghai', card: 'Alice | ops', level: '1', nickname: 'Alice', role: 'admin', sex: 'female', title: '', user_id: userId },
    sub_type: 'normal', time: Math.floor(Date.now() / 1000), user_id: userId,
  });
  for (const ws of clients) ws.send(event);
  post(event);
  return id;
}

const server = createServer({ keepAliveTimeout: 5000 }, (req: IncomingMessage, res: ServerResponse) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let id = 0;
    try {
      id = deliver(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
    } catch {
      res.writeHead(400, ['Content-Length', '0']);
      res.end();
      return;
    }
    const body = `{"data":{"message_id":${id}},"retcode":0,"status":"ok"}`;
    res.writeHead(200, ['Content-Type', 'application/json; charset=UTF-8', 'Content-Length', Buffer.byteLength(body)]);
    res.end(body);
  });
});
server.listen(config.port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
