/**
 * The bot as a process: connects to CQHTTPD_WS_URL (what `cqhttpd test --bot` provides; default
 * ws://127.0.0.1:6700/) as CQHTTPD_SELF_ID with CQHTTPD_ACCESS_TOKEN, until SIGTERM/SIGINT.
 */
import { startBot } from './start.js';

const running = await startBot({
  endpoint: process.env['CQHTTPD_WS_URL'] ?? 'ws://127.0.0.1:6700/',
  selfId: process.env['CQHTTPD_SELF_ID'] ?? '10001000',
  token: process.env['CQHTTPD_ACCESS_TOKEN'] ?? '',
});
const stop = () => void running.stop().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
