import { callToWireText } from '../src/transports/sandbox/wire.js';
import { dataText } from '../src/core/envelope.js';
const data = Object.freeze({ nickname: 'cqhttpd-bot', user_id: 10001000 });
const rec: any = { action: 'get_login_info', params: {}, channel: 'http', retcode: 0, duration: 0.123456789, time: Date.now(), data };
function time(name: string, f: () => unknown) {
  for (let i = 0; i < 50000; i++) f();
  const t = process.hrtime.bigint(); const N = 500000;
  for (let i = 0; i < N; i++) f();
  console.log(name, (Number(process.hrtime.bigint() - t) / N / 1000).toFixed(3), 'µs');
}
let id = 0;
time('callToWireText', () => callToWireText(rec, ++id));
time('dataText', () => dataText(data));
time('JSON.stringify(action)', () => JSON.stringify(rec.action));
time('frame', () => `event: call\ndata: ${callToWireText(rec, ++id)}\nid: abc.${++id}\n\n`);
