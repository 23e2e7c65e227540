// A small bot for the record/replay tests: on the forward WebSocket of CQHTTPD_WS_URL it asks
// get_login_info once connected, answers "ping" in a group with a quoted REPLY (default "pong"),
// and "who" with get_group_member_info of the speaker then a greeting with the card it got.
import WebSocket from 'ws';

const token = process.env.CQHTTPD_ACCESS_TOKEN ?? '';
const reply = process.env.REPLY ?? 'pong';
const ws = new WebSocket(process.env.CQHTTPD_WS_URL, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
let n = 0;
const waiting = new Map();
const call = (action, params) => new Promise((resolve) => {
  const echo = `e${++n}`;
  waiting.set(echo, resolve);
  ws.send(JSON.stringify({ action, params, echo }));
});
const text = (m) => (typeof m === 'string' ? m : m.map((s) => (s.type === 'text' ? s.data.text : '')).join('')).trim();

ws.on('open', () => void call('get_login_info', {}));
ws.on('message', async (raw) => {
  const m = JSON.parse(raw.toString());
  if (m.echo !== undefined) {
    waiting.get(m.echo)?.(m);
    waiting.delete(m.echo);
    return;
  }
  if (m.post_type !== 'message' || m.message_type !== 'group') return;
  const said = text(m.message);
  if (said === 'ping') await call('send_group_msg', { group_id: m.group_id, message: `[CQ:reply,id=${m.message_id}]${reply}` });
  if (said === 'who') {
    const info = await call('get_group_member_info', { group_id: m.group_id, user_id: m.user_id });
    await call('send_group_msg', { group_id: m.group_id, message: `hello ${info.data?.role ?? '?'} [CQ:at,qq=${m.user_id}]` });
  }
});
ws.on('close', () => process.exit(0));
