/**
 * cq-websocket 2.1.1, a real third-party CQHTTP client, against cqhttpd's forward WebSocket over
 * its default pair of sockets, `/api` + `/event`, with the access token in the handshake query.
 *
 * cq-websocket sends every API request with `echo: {reqid}` (an object) and finds the answer by
 * `echo.reqid`: an echo that comes back as anything else leaves the call pending forever. Every
 * call here therefore carries a timeout, and the raw `/api` frames are recorded to check the echo.
 * Its message listeners reply by returning a string: the library then calls `send_msg` with the
 * whole event spread into the parameters (`post_type`, `sender`, `font`, … beside `message`).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CQWebSocket, type CQEvent } from 'cq-websocket';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { botCalls, CAROL, LOUNGE, say, SELF_ID, TOKEN, WAIT_MS, waitFor, waitForBotReply } from './support.js';

/** The part of the underlying W3C WebSocket (package `websocket`) used to watch raw frames. */
interface RawSocket {
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

/** A group message event as cq-websocket hands it over (the parsed JSON of the `/event` frame). */
interface GroupMessageEvent {
  message_type: string;
  sub_type: string;
  group_id: number;
  user_id: number;
  message_id: number;
  message: unknown;
  raw_message: string;
  self_id: number;
}

interface Client {
  bot: CQWebSocket;
  /** Raw text frames received on `/api`, parsed. */
  apiFrames: Record<string, unknown>[];
  /** Every group message event (`message.group`, `message.group.@.me`), and which one it was. */
  received: { kind: string; event: GroupMessageEvent }[];
  /** Answers to the replies cq-websocket sent for its listeners (`CQEvent.onResponse`). */
  replyAnswers: unknown[];
  /** Lifecycle meta events received on `/event`. */
  lifecycles: Record<string, unknown>[];
  /** Socket and library errors. */
  errors: string[];
  diagnose(): string;
  /** Disconnect both sockets (close 1000: no reconnection) and wait for them to close. */
  stop(): Promise<void>;
}

/** Connect cq-websocket to cqhttpd's forward WebSocket; resolves once both sockets are open. */
async function connect(cq: TestApp): Promise<Client> {
  const bot = new CQWebSocket({ host: '127.0.0.1', port: cq.app.ws!.port, accessToken: TOKEN, reconnection: false });
  const apiFrames: Client['apiFrames'] = [];
  const received: Client['received'] = [];
  const replyAnswers: unknown[] = [];
  const lifecycles: Client['lifecycles'] = [];
  const errors: string[] = [];
  let open = 0;
  bot.on('socket.connect', (type, socket: RawSocket) => {
    open++;
    if (type !== '/api') return;
    socket.addEventListener('message', ({ data }) => {
      try {
        apiFrames.push(JSON.parse(String(data)) as Record<string, unknown>);
      } catch {
        apiFrames.push({ unparsable: String(data) });
      }
    });
  });
  bot.on('socket.close', () => void open--);
  bot.on('socket.error', (type, err) => void errors.push(`socket ${type}: ${err.message}`));
  bot.on('error', (err) => void errors.push(`error: ${err.message}`));
  bot.on('meta_event.lifecycle', (event) => void lifecycles.push(event));
  // A listener that returns a string replies with it (send_msg); onResponse sees the answer.
  const reply = (kind: string) => (e: CQEvent, event: Record<string, unknown>): string | undefined => {
    const message = event as unknown as GroupMessageEvent;
    received.push({ kind, event: message });
    if (message.raw_message.endsWith('ping')) {
      e.onResponse((answer) => void replyAnswers.push(answer), WAIT_MS);
      e.onError((err) => void errors.push(`reply: ${err.message}`));
      return kind === 'message.group' ? `pong: ${message.raw_message}` : 'pong @me';
    }
    return undefined;
  };
  bot.on('message.group', reply('message.group'));
  bot.on('message.group.@.me', reply('message.group.@.me'));
  const client: Client = {
    bot,
    apiFrames,
    received,
    replyAnswers,
    lifecycles,
    errors,
    diagnose: () => `open sockets ${open}; errors ${JSON.stringify(errors)}\n/api frames: ${JSON.stringify(apiFrames)}\nevents: ${JSON.stringify(received)}`,
    async stop() {
      bot.disconnect();
      await waitFor('cq-websocket to close its sockets', () => (open === 0 ? true : undefined), client.diagnose);
    },
  };
  let ready = false;
  bot.once('ready', () => void (ready = true));
  bot.connect();
  try {
    await waitFor('cq-websocket to be ready (/api and /event open)', () => (ready ? true : undefined), client.diagnose);
  } catch (err) {
    await client.stop().catch(() => undefined);
    throw err;
  }
  return client;
}

/** `echo` as cq-websocket sends it: `{reqid: <shortid>}`; the answer must carry it back unchanged. */
function assertObjectEchoes(frames: Record<string, unknown>[], count: number): void {
  assert.equal(frames.length, count, `expected ${count} /api answers: ${JSON.stringify(frames)}`);
  for (const frame of frames) {
    const echo = frame.echo as Record<string, unknown> | undefined;
    assert.ok(typeof echo === 'object' && echo !== null && !Array.isArray(echo), `echo is not an object: ${JSON.stringify(frame)}`);
    assert.deepEqual(Object.keys(echo), ['reqid']);
    assert.equal(typeof echo.reqid, 'string');
  }
}

test('cq-websocket over /api + /event: receives a group message, replies, and calls get_login_info', async () => {
  const cq = await startTestApp({ config: { use_ws: true, access_token: TOKEN } });
  let client: Client | undefined;
  try {
    client = await connect(cq);
    const c = client;

    // A direct call with a result: it resolves only if the object echo came back as that object.
    const login = await c.bot<{ user_id: number; nickname: string }>('get_login_info', {}, WAIT_MS);
    assert.deepEqual(login, { data: { nickname: 'cqhttpd-bot', user_id: SELF_ID }, retcode: 0, status: 'ok' });

    const pingId = await say(cq, CAROL, LOUNGE, 'ping');
    const reply = await waitForBotReply(cq, LOUNGE, pingId, c.diagnose);
    assert.equal(reply.raw_message, 'pong: ping');
    assert.deepEqual(reply.message, [{ type: 'text', data: { text: 'pong: ping' } }]);

    // The event as cq-websocket saw it (string message format by default)…
    assert.equal(c.received.length, 1, c.diagnose());
    const { kind, event } = c.received[0]!;
    assert.equal(kind, 'message.group');
    assert.deepEqual(
      { message_type: event.message_type, sub_type: event.sub_type, group_id: event.group_id, user_id: event.user_id, message_id: event.message_id, message: event.message, self_id: event.self_id },
      { message_type: 'group', sub_type: 'normal', group_id: LOUNGE, user_id: CAROL, message_id: pingId, message: 'ping', self_id: SELF_ID },
    );
    // …and the answer to its send_msg, carrying every event field as a parameter.
    await waitFor('the answer to the reply', () => (c.replyAnswers.length > 0 ? true : undefined), c.diagnose);
    assert.deepEqual(c.replyAnswers, [{ data: { message_id: reply.message_id }, retcode: 0, status: 'ok' }]);
    const calls = await botCalls(cq);
    assert.deepEqual(
      calls.map((call) => `${call.action} ${call.channel} ${call.retcode}`),
      // the first get_login_info is cq-websocket's own, on `ready`
      ['get_login_info ws 0', 'get_login_info ws 0', 'send_msg ws 0'],
    );

    // Three answers on /api (two get_login_info, one send_msg), each echoing its object.
    assertObjectEchoes(c.apiFrames, 3);
    // /event got the lifecycle `connect` of §3.6.
    assert.deepEqual(c.lifecycles.map((l) => [l.meta_event_type, l.sub_type]), [['lifecycle', 'connect']]);
    assert.deepEqual(c.errors, []);
  } finally {
    await client?.stop(); // the client first: cqhttpd closing with 1001 would make it reconnect
    await cq.close();
  }
});

test('cq-websocket routes an @-mention of the bot to message.group.@.me (self id from get_login_info)', async () => {
  const cq = await startTestApp({ config: { use_ws: true, access_token: TOKEN } });
  let client: Client | undefined;
  try {
    client = await connect(cq);
    const c = client;
    // cq-websocket learns its own id from the get_login_info it sends on `ready`.
    await waitFor('cq-websocket to learn its QQ id', () => (c.apiFrames.length > 0 ? true : undefined), c.diagnose);

    const pingId = await say(cq, CAROL, LOUNGE, `[CQ:at,qq=${SELF_ID}] ping`);
    const reply = await waitForBotReply(cq, LOUNGE, pingId, c.diagnose);
    assert.equal(reply.raw_message, 'pong @me');
    assert.deepEqual(c.received.map((r) => [r.kind, r.event.raw_message]), [['message.group.@.me', `[CQ:at,qq=${SELF_ID}] ping`]]);
    assert.deepEqual(c.errors, []);
  } finally {
    await client?.stop();
    await cq.close();
  }
});
