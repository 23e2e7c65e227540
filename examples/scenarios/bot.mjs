#!/usr/bin/env node
/**
 * A tiny OneBot v11 bot for the example scenarios, in plain Node.js with the `ws` package.
 *
 * - With CQHTTPD_WS_URL set (as `cqhttpd test --bot` sets it), it connects to the forward
 *   WebSocket and calls the API over the same socket.
 * - With `--post-port <port>`, it receives events by HTTP POST on that port and calls the HTTP API
 *   at CQHTTPD_HTTP_URL.
 * - With `--reverse-port <port>`, it serves a reverse WebSocket on that port (cqhttpd dials it:
 *   `use_ws_reverse = true`, `ws_reverse_url = ws://127.0.0.1:<port>/`) and calls the API over it.
 *
 * What it does: `ping` → `pong`; `whoami` in a group → asks get_group_member_info and answers with
 * the member's card or nickname, @-mentioning them; `echo <text>` → `<text>` quoting the message;
 * a new member → `welcome` @-mentioning them; a poke → `ouch`; a friend request → approved (unless
 * its comment says `ignore`); `beats` → how many heartbeats it got since the last `beats` and the
 * seconds between the first and the last of them (`beats: 5, span 240s`).
 */
/* global fetch */
import http from 'node:http';
import WebSocket, { WebSocketServer } from 'ws';

const token = process.env.CQHTTPD_ACCESS_TOKEN ?? '';
const postPort = process.argv.includes('--post-port') ? Number(process.argv[process.argv.indexOf('--post-port') + 1]) : undefined;
const auth = token === '' ? {} : { authorization: `Bearer ${token}` };

/** call(action, params) → data, over whichever channel this bot uses. */
let call;
/** The `time` of each heartbeat since the last `beats`. */
let beats = [];

async function onEvent(event) {
  const where = event.message_type === 'group' || event.group_id !== undefined
    ? { message_type: 'group', group_id: event.group_id }
    : { message_type: 'private', user_id: event.user_id };
  if (event.post_type === 'message') {
    const text = typeof event.message === 'string' ? event.raw_message : event.message.filter((s) => s.type === 'text').map((s) => s.data.text).join('');
    if (text === 'ping') await call('send_msg', { ...where, message: 'pong' });
    else if (text === 'beats') {
      const seen = beats;
      beats = []; // before the call: heartbeats may arrive while it is answered
      const span = seen.length === 0 ? 0 : seen[seen.length - 1] - seen[0];
      await call('send_msg', { ...where, message: `beats: ${seen.length}, span ${span}s` });
    }
    else if (text === 'whoami' && event.message_type === 'group') {
      const member = await call('get_group_member_info', { group_id: event.group_id, user_id: event.user_id });
      await call('send_msg', { ...where, message: `[CQ:at,qq=${event.user_id}] you are ${member.card || member.nickname}` });
    } else if (text.startsWith('echo ')) {
      await call('send_msg', { ...where, message: [{ type: 'reply', data: { id: String(event.message_id) } }, { type: 'text', data: { text: text.slice(5) } }] });
    }
  } else if (event.notice_type === 'group_increase') {
    await call('send_group_msg', { group_id: event.group_id, message: `[CQ:at,qq=${event.user_id}] welcome` });
  } else if (event.notice_type === 'notify' && event.sub_type === 'poke' && event.target_id === event.self_id) {
    await call('send_msg', { ...where, message: 'ouch' });
  } else if (event.request_type === 'friend' && !event.comment.includes('ignore')) {
    await call('set_friend_add_request', { flag: event.flag, approve: true });
  } else if (event.meta_event_type === 'heartbeat') {
    beats.push(event.time);
  }
}

const report = (err) => console.error(`bot: ${err.message}`);

if (postPort !== undefined) {
  const api = process.env.CQHTTPD_HTTP_URL;
  call = async (action, params) => {
    const res = await fetch(`${api}/${action}`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(params) });
    return (await res.json()).data;
  };
  http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(204).end();
      onEvent(JSON.parse(Buffer.concat(chunks).toString('utf8'))).catch(report);
    });
  }).listen(postPort, '127.0.0.1', () => console.log(`bot: receiving events on http://127.0.0.1:${postPort}/`));
} else {
  /** Calls and events over one WebSocket, whoever dialled. */
  const serve = (ws) => {
    const pending = new Map();
    let echo = 0;
    call = (action, params) => new Promise((resolve, reject) => {
      pending.set(String(++echo), { resolve, reject });
      ws.send(JSON.stringify({ action, params, echo: String(echo) }));
    });
    ws.on('message', (raw) => {
      const frame = JSON.parse(raw.toString());
      if (frame.echo !== undefined) {
        pending.get(frame.echo)?.resolve(frame.data);
        pending.delete(frame.echo);
      } else if (frame.post_type !== undefined) {
        onEvent(frame).catch(report);
      }
    });
    ws.on('error', report);
  };
  const reversePort = process.argv.includes('--reverse-port') ? Number(process.argv[process.argv.indexOf('--reverse-port') + 1]) : undefined;
  if (reversePort !== undefined) {
    const server = new WebSocketServer({ host: '127.0.0.1', port: reversePort });
    server.on('listening', () => console.log(`bot: waiting for cqhttpd on ws://127.0.0.1:${reversePort}/`));
    server.on('connection', (ws, req) => {
      console.log(`bot: cqhttpd connected (${req.headers['x-client-role']}, self ${req.headers['x-self-id']})`);
      serve(ws);
    });
  } else {
    const ws = new WebSocket(process.env.CQHTTPD_WS_URL ?? 'ws://127.0.0.1:6700/', { headers: auth });
    ws.on('open', () => console.log('bot: connected'));
    ws.on('close', () => process.exit(0));
    serve(ws);
  }
}
