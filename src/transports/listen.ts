/**
 * Binding a listener, shared by every server transport: one readable error per failure kind
 * naming the config key (and flag) to change, and one "listening on" log line.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Logger } from 'pino';

export interface ListenerName {
  /** e.g. `HTTP API server`. */
  what: string;
  /** URL scheme for the log line (`http`, `ws`). */
  scheme: string;
  /** Config keys for the host and port, and an optional CLI flag for the port. */
  hostKey: string;
  portKey: string;
  portFlag?: string;
  /** Appended to the URL in the log line (e.g. `/api/`). */
  pathSuffix?: string;
}

/** Listen on `host:port`; resolves with the bound address, rejects with a readable message. */
export function listenOn(server: Server, host: string, port: number, name: ListenerName, logger: Logger): Promise<{ host: string; port: number }> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      server.removeListener('listening', onListening);
      const message = listenErrorMessage(err, host, port, name);
      logger.error({ code: err.code }, message);
      reject(Object.assign(new Error(message, { cause: err }), { code: err.code }));
    };
    const onListening = (): void => {
      server.removeListener('error', onError);
      server.on('error', (err) => logger.error({ err }, `${name.what} error: ${err.message}`));
      const address = server.address() as AddressInfo;
      const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      logger.info(`${name.what} listening on ${name.scheme}://${shown}:${address.port}${name.pathSuffix ?? ''}`);
      resolve({ host: address.address, port: address.port });
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

function listenErrorMessage(err: NodeJS.ErrnoException, host: string, port: number, name: ListenerName): string {
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const portHint = `the config key \`${name.portKey}\`${name.portFlag ? ` or the flag \`${name.portFlag}\`` : ''}`;
  switch (err.code) {
    case 'EADDRINUSE':
      return `${name.what} cannot listen: ${where} is already in use (another cqhttpd or program holds it); choose another port with ${portHint}`;
    case 'EACCES':
      return `${name.what} cannot listen on ${where}: permission denied; use a port above 1023 (${portHint})`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return `${name.what} cannot listen on ${where}: no such local address; check the config key \`${name.hostKey}\``;
    default:
      return `${name.what} cannot listen on ${where}: ${err.message}`;
  }
}
