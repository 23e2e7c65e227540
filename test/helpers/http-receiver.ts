/**
 * A `node:http` server on 127.0.0.1 (an ephemeral port) for tests that receive HTTP requests (event
 * POSTs, webhooks): each request reaches `onRequest` with its whole body read; `close()` cuts every
 * open connection first, so a request left unanswered cannot hold the test open.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface BodyServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

export async function startBodyServer(onRequest: (req: IncomingMessage, body: Buffer, res: ServerResponse) => void): Promise<BodyServer> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => onRequest(req, Buffer.concat(chunks), res));
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { server, port: (server.address() as AddressInfo).port, close };
}
