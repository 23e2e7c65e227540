/**
 * The WebSocket API baseline: a bare `ws` server that answers every frame with the same reply
 * cqhttpd gives, its `echo` copied in. The only work per frame is `JSON.parse` (to find the echo)
 * and one string concatenation: no dispatch, no parameter validation, no envelope encoding.
 *
 * Usage: node baselines/ws.js '<json BaselineWsConfig>'. Runs until SIGTERM.
 */
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';

export interface BaselineWsConfig {
  port: number;
  /** The reply with `{echo}` where the JSON of the frame's echo goes. */
  reply: string;
}

const config = JSON.parse(process.argv[2] ?? '{}') as BaselineWsConfig;
const [before, after] = config.reply.split('{echo}');

const wss = new WebSocketServer({ host: '127.0.0.1', port: config.port, perMessageDeflate: false, clientTracking: false, skipUTF8Validation: true });
wss.on('connection', (ws: WebSocket) => {
  ws.on('message', (data: RawData) => {
    const frame = JSON.parse(data.toString()) as { echo?: unknown };
    ws.send(before + JSON.stringify(frame.echo ?? null) + after);
  });
});
process.on('SIGTERM', () => process.exit(0));
