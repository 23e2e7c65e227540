/**
 * What the mapping modules share: calls to the upstream with their answers checked for shape, and
 * the translation of cqhttpd's message ids to the upstream's (an id cqhttpd never handed out is
 * MESSAGE_NOT_FOUND, never passed through).
 */
import path from 'node:path';
import { ApiError } from '../../protocol/errors.js';
import { localId } from './events.js';
import type { MessageIds } from './ids.js';
import type { UpstreamConnection } from './connection.js';
import * as n from './normalise.js';

type Wire = Record<string, unknown>;

/** An id cqhttpd stored as text, as the upstream gave it: a number when it is one. */
export function upstreamIdValue(id: string): number | string {
  return /^-?\d{1,15}$/.test(id) ? Number(id) : id;
}

export class Upstream {
  /** The data directory (where `bridge.db` is): media cqhttpd stored for the bot's messages. */
  readonly dataDir: string;

  constructor(readonly link: UpstreamConnection, readonly ids: MessageIds) {
    this.dataDir = path.dirname(ids.file);
  }

  /** The call's `data`, whatever its shape. */
  call(action: string, params: Wire): Promise<unknown> {
    return this.link.call(action, params);
  }

  async object(action: string, params: Wire = {}): Promise<Wire> {
    return n.object(action, await this.link.call(action, params));
  }

  async list(action: string, params: Wire = {}): Promise<Wire[]> {
    return n.list(action, await this.link.call(action, params));
  }

  async run(action: string, params: Wire): Promise<void> {
    await this.link.call(action, params);
  }

  /** The upstream id of one of cqhttpd's message ids; unknown → MESSAGE_NOT_FOUND. */
  upstreamId(messageId: number): number | string {
    const mapped = this.ids.get(messageId);
    if (mapped === undefined) throw new ApiError('MESSAGE_NOT_FOUND', `there is no message with message_id ${messageId}`);
    return upstreamIdValue(mapped.upstreamId);
  }

  /** cqhttpd's id of an upstream message id (number or string); 0 when there is none. */
  localId(value: unknown): number {
    return localId(this.ids, value);
  }
}
