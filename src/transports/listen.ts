/**
 * Binding a listener, shared by every server transport: one readable error per failure kind
 * naming the config key (and flag) to change, one "listening on" log line, and a loud warning when
 * a listener without a token is reachable from other machines.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';
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
  /**
   * The listener's token: its config key, whether it is set, and what anyone who reaches the
   * listener can do without it (for the warning logged when it is bound beyond loopback).
   */
  token?: { key: string; set: boolean; grants: string };
}

/** Largest request head on every HTTP listener by default (`max_header_size`). */
export const DEFAULT_MAX_HEADER_SIZE = 64 * 1024;

/** What anyone reaching the HTTP API or the forward WebSocket without a token can do (for the exposure warning). */
export const API_GRANTS = 'call every API action as the bot (send and recall messages, kick and mute members, handle requests, read the media it stored)';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** True when `address` (a bound IP address) is reachable from this machine only. */
export function isLoopbackAddress(address: string): boolean {
  if (isIPv4(address)) return LOOPBACK.check(address, 'ipv4');
  if (!isIPv6(address)) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped !== null ? LOOPBACK.check(mapped[1] as string, 'ipv4') : LOOPBACK.check(address, 'ipv6');
}

/** The warning for a listener bound beyond loopback without its token, or undefined when there is none to give. */
export function exposureWarning(address: string, port: number, name: ListenerName): string | undefined {
  if (name.token === undefined || name.token.set || isLoopbackAddress(address)) return undefined;
  const everywhere = address === '0.0.0.0' || address === '::';
  const who = everywhere ? 'anyone who can reach this machine on any of its networks' : `anyone who can reach ${address}`;
  return `${name.what} listens on ${address.includes(':') ? `[${address}]` : address}:${port} WITHOUT a token (\`${name.token.key}\` is empty): ${who} can ${name.token.grants}. Set \`${name.token.key}\`, or bind \`${name.hostKey}\` to 127.0.0.1.`;
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
      const warning = exposureWarning(address.address, address.port, name);
      if (warning !== undefined) logger.warn({ exposed: true }, warning);
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
