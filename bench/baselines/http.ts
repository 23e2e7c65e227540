/**
 * The HTTP baseline: a bare `node:http` server answering the same bytes as cqhttpd (same status,
 * same `Content-Type`/`Content-Length` headers, same body), without routing, auth, parsing or
 * storage. A POST body is read to the end (as any server must) but not parsed.
 *
 * Usage: node baselines/http.js '<json BaselineHttpConfig>'. Runs until SIGTERM.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What the baseline answers. */
export interface BaselineHttpConfig {
  port: number;
  /** Path (without query) → the body answered with 200; `{id}` in it is replaced by a counter. */
  routes: Record<string, string>;
  /** Content-Type of the answers. */
  contentType: string;
}

const config = JSON.parse(process.argv[2] ?? '{}') as BaselineHttpConfig;
const routes = new Map<string, { fixed: string | null; parts: string[] }>();
for (const [path, body] of Object.entries(config.routes)) {
  routes.set(path, body.includes('{id}') ? { fixed: null, parts: body.split('{id}') } : { fixed: body, parts: [] });
}
let id = 0;

function answer(res: ServerResponse, route: { fixed: string | null; parts: string[] }): void {
  const body = route.fixed ?? route.parts.join(String(++id));
  res.writeHead(200, ['Content-Type', config.contentType, 'Content-Length', Buffer.byteLength(body)]);
  res.end(body);
}

const server = createServer({ keepAliveTimeout: 5000, requireHostHeader: false }, (req: IncomingMessage, res: ServerResponse) => {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const route = routes.get(q === -1 ? url : url.slice(0, q));
  if (route === undefined) {
    res.writeHead(404, ['Content-Length', '0']);
    res.end();
    return;
  }
  if (req.method === 'POST') {
    req.on('data', () => {});
    req.on('end', () => answer(res, route));
  } else {
    answer(res, route);
  }
});
server.listen(config.port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
