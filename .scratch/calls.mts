import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from '../node_modules/pino/pino.js';
import { openSandbox } from '/work/wt/console/src/backend/sandbox/index.js';
import { CallJournal } from '/work/wt/console/src/transports/sandbox/journal.js';
import { StreamHub } from '/work/wt/console/src/transports/sandbox/stream.js';
const sb = openSandbox({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'cb-')) });
const data = Object.freeze({ nickname: 'cqhttpd-bot', user_id: 10001000 });
async function run(withClient: boolean, all: boolean): Promise<number> {
  const calls = new CallJournal(1000, 16 << 20);
  const hub = new StreamHub({ sb, calls, log: pino({ level: 'silent' }), backlog: 1 << 30, heartbeatMs: 0, ...(all ? { extras: { deliveries: () => () => undefined } } : {}) });
  if (withClient) {
    const sink = new Writable({ write(_c, _e, cb) { cb(); } });
    hub.add(sink as any, 'x');
  }
  const N = 100000;
  const t = process.cpuUsage();
  for (let i = 0; i < N; i += 20) {
    for (let j = 0; j < 20; j++) calls.record({ action: 'get_login_info', params: {}, channel: 'http', retcode: 0, duration: performance.now() % 1, time: Date.now(), data });
    await new Promise((r) => setImmediate(r));
  }
  const u = process.cpuUsage(t);
  hub.closeAll();
  return (u.user + u.system) / N;
}
for (let k = 0; k < 3; k++) {
  console.log('none', (await run(false, false)).toFixed(2), 'plain', (await run(true, false)).toFixed(2), 'all', (await run(true, true)).toFixed(2), 'µs/call');
}
