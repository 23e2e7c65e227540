/**
 * `turnWrites` (transports/ws/connection.ts): frames written in one event-loop turn leave in one
 * write — the socket is corked at the first and uncorked after the I/O phase — on a real TCP pair.
 */
import assert from 'node:assert/strict';
import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { turnWrites } from '../../../src/transports/ws/connection.js';

async function socketPair(): Promise<{ server: Socket; client: Socket; close: () => Promise<void> }> {
  const listener = createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const accepted = new Promise<Socket>((resolve) => listener.once('connection', resolve));
  const client = connect((listener.address() as AddressInfo).port, '127.0.0.1');
  const server = await accepted;
  return {
    server,
    client,
    close: async () => {
      client.destroy();
      server.destroy();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    },
  };
}

test('writes of one turn are held until the turn ends, then sent together; the next turn holds again', async () => {
  const { server, client, close } = await socketPair();
  try {
    const chunks: string[] = [];
    client.on('data', (chunk: Buffer) => chunks.push(chunk.toString('latin1')));
    const hold = turnWrites(server);
    for (const frame of ['a1', 'a2', 'a3']) {
      hold();
      server.write(frame);
    }
    assert.equal(server.writableCorked, 1, 'corked once for the turn, however many frames');
    assert.equal(server.writableLength, 6, 'nothing written yet');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(server.writableCorked, 0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(chunks.join(''), 'a1a2a3');

    hold();
    server.write('b1');
    assert.equal(server.writableCorked, 1, 'a later turn corks again');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(chunks.join(''), 'a1a2a3b1');
  } finally {
    await close();
  }
});

test('a socket destroyed while held is released without an error', async () => {
  const { server, close } = await socketPair();
  try {
    const hold = turnWrites(server);
    hold();
    server.write('x');
    server.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(server.destroyed, true);
  } finally {
    await close();
  }
});
