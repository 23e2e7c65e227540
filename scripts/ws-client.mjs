#!/usr/bin/env node
/**
 * A minimal WebSocket client for trying cqhttpd by hand, built on the `ws` dependency (so it needs
 * nothing beyond `npm install`): prints every frame it receives, sends every line typed on stdin
 * as one frame.
 *
 *   node scripts/ws-client.mjs ws://127.0.0.1:6700/ [access_token]
 *   {"action":"get_login_info","echo":1}      ← typed: an API call; its answer is printed
 */
import { createInterface } from 'node:readline';
import WebSocket from 'ws';

const [url, token] = process.argv.slice(2);
if (url === undefined || !/^wss?:\/\//i.test(url)) {
  console.error('usage: node scripts/ws-client.mjs ws://host:port/path [access_token]');
  process.exit(2);
}
const socket = new WebSocket(url, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
socket.on('open', () => console.error(`connected to ${url}; type a JSON frame and Enter to send it, Ctrl-D to quit`));
socket.on('message', (data) => console.log(data.toString()));
socket.on('close', (code, reason) => {
  console.error(`closed: ${code} ${reason.toString()}`);
  process.exit(0);
});
socket.on('error', (err) => {
  console.error(`error: ${err.message}`);
  process.exit(1);
});
createInterface({ input: process.stdin })
  .on('line', (line) => {
    if (line.trim() !== '' && socket.readyState === WebSocket.OPEN) socket.send(line);
  })
  .on('close', () => socket.close(1000));
