/**
 * A fake Milky implementation built on `@saltify/milky-types`, for the `backend = milky` tests: its
 * HTTP API checks every call cqhttpd makes against Milky's request schema (unknown fields refused)
 * and answers data that must pass the response schema; its `/event` endpoint serves the event stream
 * as a WebSocket (an `Upgrade: websocket` request) or as SSE (any other GET), pushing events that pass
 * Milky's `Event` schema. It listens on a port it keeps across `restart()` (the implementation
 * restarting), and can serve files (`serve`) as an implementation serves its media.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Event, zodApiCategories, type GroupMemberEntity, type IncomingMessage as MilkyMessage } from '@saltify/milky-types';
import { WebSocketServer, type WebSocket } from 'ws';

export const SELF = 3000100;
export const GROUP = 700001;
export const FRANK = 20006;
export const TOKEN = 'milky-secret';

/** What the fake uses of an API's zod schemas (the package's own). */
type Api = {
  requestSchema: { strict(): { safeParse(input: unknown): { success: true } | { success: false; error: { message: string } } } } | null;
  responseSchema: { parse(data: unknown): unknown } | null;
};
const APIS = new Map<string, Api>();
for (const category of Object.values(zodApiCategories)) {
  for (const [name, api] of Object.entries(category.apis)) APIS.set(name, api as unknown as Api);
}

export const frank: GroupMemberEntity = {
  user_id: FRANK, nickname: 'frank', sex: 'male', group_id: GROUP, card: 'Frank', title: 'elder', level: 7, role: 'member', join_time: 1700000000, last_sent_time: 1765000000,
};

export const milkyGroup = { group_id: GROUP, group_name: 'milky group', member_count: 3, max_member_count: 200, remark: '', created_time: 1600000000, description: '', question: '', announcement: '' };

export const groupMessage = (seq: number, segments: unknown[], sender = FRANK): MilkyMessage => ({
  message_scene: 'group', peer_id: GROUP, message_seq: seq, sender_id: sender, time: 1765000400, segments: segments as MilkyMessage['segments'],
  group: milkyGroup,
  group_member: { ...frank, user_id: sender },
} as MilkyMessage);

export const text = (t: string) => ({ type: 'text', data: { text: t } });

export interface Call { api: string; input: Record<string, unknown> }

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** An event as Milky's SSE sends it: `event: milky_event`, the JSON over several `data:` lines. */
export const sseMessage = (event: unknown): string => `event: milky_event\n${JSON.stringify(event, null, 2).split('\n').map((line) => `data: ${line}`).join('\n')}\n\n`;

export type FakeMilky = Awaited<ReturnType<typeof fakeMilky>>;

/** Whoever closes the fake when done: a test's context, or a suite's list of closers. */
export interface Owner { after(fn: () => Promise<void> | void): void }

/** The fake: answers from `answer` (validated against the response schema), records valid calls. */
export async function fakeMilky(t: Owner, answer: (call: Call) => unknown, options: { port?: number } = {}) {
  const calls: Call[] = [];
  const auth: (string | undefined)[] = [];
  /** The `Accept` header of each SSE request. */
  const accepts: (string | undefined)[] = [];
  const answerErrors: string[] = [];
  const files = new Map<string, { type: string; body: Buffer }>();
  const sockets = new Set<WebSocket>();
  const sse = new Set<ServerResponse>();
  const connectHooks: (() => void)[] = [];
  /** Event streams opened so far (WebSocket and SSE). */
  let opened = 0;
  const wss = new WebSocketServer({ noServer: true });

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      const served = files.get(req.url ?? '');
      if (req.method === 'GET' && served !== undefined) return res.writeHead(200, { 'content-type': served.type, 'content-length': served.body.length }).end(served.body);
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(401, { status: 'failed', retcode: 401, message: 'Unauthorized' });
      if (req.method === 'GET' && req.url === '/event') {
        auth.push(req.headers.authorization);
        accepts.push(req.headers.accept);
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.flushHeaders();
        sse.add(res);
        res.on('close', () => sse.delete(res));
        opened++;
        for (const hook of connectHooks) hook();
        return;
      }
      const name = /^\/api\/([a-z_]+)$/.exec(req.url ?? '')?.[1] ?? '';
      const api = APIS.get(name);
      if (req.method !== 'POST' || api === undefined) return send(404, { status: 'failed', retcode: 404, message: 'API not found' });
      const input = JSON.parse(await readBody(req)) as Record<string, unknown>;
      const checked = api.requestSchema === null ? { success: true as const } : api.requestSchema.strict().safeParse(input);
      if (!checked.success) return send(200, { status: 'failed', retcode: -400, message: `bad input for ${name}: ${checked.error.message}` });
      calls.push({ api: name, input });
      const data = answer({ api: name, input });
      if (data instanceof Error) return send(200, { status: 'failed', retcode: -500, message: data.message });
      try {
        if (api.responseSchema !== null) api.responseSchema.parse(data);
      } catch (err) {
        answerErrors.push(`${name}: ${(err as Error).message}`); // the fixture's own answer is not Milky's shape
        return send(500, { status: 'failed', retcode: -500, message: 'the fake answered outside the schema' });
      }
      send(200, { status: 'ok', retcode: 0, data: data ?? {} });
    })();
  };

  let server: Server;
  const listen = async (port: number) => {
    server = createServer(handle);
    server.on('upgrade', (req, socket, head) => {
      auth.push(req.headers.authorization);
      if (req.url !== '/event' || req.headers.authorization !== `Bearer ${TOKEN}`) return socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      wss.handleUpgrade(req, socket, head, (ws) => {
        sockets.add(ws);
        ws.on('close', () => sockets.delete(ws));
        opened++;
        for (const hook of connectHooks) hook();
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  };
  /** Drop every event stream (WebSocket or SSE) at once. */
  const drop = () => {
    for (const s of sockets) s.terminate();
    for (const r of sse) r.destroy();
  };
  const stop = () => new Promise<void>((resolve) => {
    drop();
    server.closeAllConnections();
    server.close(() => resolve());
  });
  const port = await listen(options.port ?? 0);
  t.after(stop);

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    calls, auth, accepts,
    /** The fixture's own answers that failed Milky's response schema (a broken fixture). */
    answerErrors,
    /** Event streams open now, and opened so far. */
    streams: () => sockets.size + sse.size,
    opened: () => opened,
    drop,
    /** The implementation restarts: every connection cut, nothing listening for `downMs`, then the same port again. */
    async restart(downMs = 100) {
      await stop();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await listen(port);
    },
    /** Run `hook` each time an event stream opens (e.g. to push what the implementation queued). */
    onConnect(hook: () => void) {
      connectHooks.push(hook);
    },
    /** Serve `body` at `path` (GET, no token), as an implementation serves media by temporary URL. */
    serve(path: string, type: string, body: Buffer) {
      files.set(path, { type, body });
      return `http://127.0.0.1:${port}${path}`;
    },
    push(type: string, data: unknown) {
      const event = Event.parse({ event_type: type, time: 1765000400, self_id: SELF, data });
      for (const s of sockets) s.send(JSON.stringify(event));
      for (const r of sse) r.write(sseMessage(event));
    },
    /** Write raw bytes on every SSE stream (a hostile or broken implementation). */
    sseRaw(chunk: string) {
      for (const r of sse) r.write(chunk);
    },
  };
}

export function milkyAnswers(call: Call): unknown {
  switch (call.api) {
    case 'get_login_info': return { uin: SELF, nickname: 'milky bot' };
    case 'get_impl_info': return { impl_name: 'fake-milky', impl_version: '0.1.0', qq_protocol_version: '9.9.9', qq_protocol_type: 'linux', milky_version: '1.2' };
    case 'get_group_info': return { group: milkyGroup };
    case 'get_group_member_info': return { member: frank };
    case 'send_group_message': return { message_seq: 52, time: 1765000401 };
    case 'get_resource_temp_url': return new Error('resource not found');
    case 'get_message': return call.input['message_seq'] === 51 ? { message: groupMessage(51, [text('fresh copy')]) } : new Error('message not found');
    default: return {};
  }
}
