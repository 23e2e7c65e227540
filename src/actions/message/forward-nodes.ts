/**
 * Forward nodes from the wire (docs/extensions.md §3.3, §5.1): `messages` is a node segment array, one
 * node object, or a CQ string of nodes. A node is a reference `{id}` or a custom node in either
 * spelling — v11 `user_id`/`nickname` or go-cqhttp `uin`/`name` — whose `content` is a message (the
 * one place a segment `data` value is not a string) or, when it holds nodes, a nested forward. The
 * nodes are read here, before the message decoding that would stringify `content`.
 */
import type { CustomNode, ForwardNode } from '../../backend/port-messages.js';
import { getInteger } from '../../core/params.js';
import { decodeSendMessage, isLosslessNumber, parseCQ } from '../../message/index.js';
import { ApiError } from '../../protocol/errors.js';
import { isJsonObject } from '../../protocol/json.js';

type JsonObject = Record<string, unknown>;

/** Nesting deeper than this is refused (a guard against runaway input; QQ clients nest a few levels). */
export const MAX_NODE_NESTING = 16;

const isNode = (v: unknown): v is { type: 'node'; data: JsonObject } => isJsonObject(v) && v.type === 'node' && isJsonObject(v.data);

/**
 * The `data` of each node a value holds — a segment array, a single segment, or a CQ string —
 * or undefined when it holds no node. Nodes mixed with other segments → BAD_PARAMS (as NapCat).
 */
export function nodeList(value: unknown): JsonObject[] | undefined {
  let items: unknown[];
  if (typeof value === 'string') {
    if (!value.includes('[CQ:node')) return undefined;
    items = parseCQ(value);
  } else if (Array.isArray(value)) {
    items = value;
  } else if (isJsonObject(value)) {
    items = [value];
  } else {
    return undefined;
  }
  const nodes = items.filter(isNode);
  if (nodes.length === 0) return undefined;
  if (nodes.length !== items.length) throw new ApiError('BAD_PARAMS', 'forward nodes cannot be mixed with other segments in one message');
  return nodes.map((n) => n.data);
}

/** An integer field: a number, a numeric string, or a lossless number (`message` keeps number lexemes, §5). */
function integer(v: unknown): number {
  return getInteger(isLosslessNumber(v) ? v.value : v, 0);
}

function firstString(...values: unknown[]): string {
  for (const v of values) if (typeof v === 'string' && v !== '') return v;
  return '';
}

function toNode(data: JsonObject, depth: number): ForwardNode {
  const id = data.id;
  if (id !== undefined && id !== null && id !== '') return { kind: 'reference', messageId: integer(id) };
  if (depth >= MAX_NODE_NESTING) throw new ApiError('BAD_PARAMS', `forward nodes nest deeper than ${MAX_NODE_NESTING} levels`);
  const nested = nodeList(data.content);
  const content: CustomNode['content'] = nested === undefined
    ? { kind: 'message', message: decodeSendMessage(data.content, false) }
    : { kind: 'forward', nodes: nested.map((d) => toNode(d, depth + 1)) };
  const time = integer(data.time);
  return {
    kind: 'custom',
    userId: integer(data.user_id ?? data.uin),
    nickname: firstString(data.nickname, data.name),
    time: time > 0 ? time : undefined,
    content,
  };
}

/** The nodes of a forward action's `messages` (100 when it holds none). */
export function parseForwardNodes(value: unknown, action: string): ForwardNode[] {
  const list = nodeList(value);
  if (list === undefined) throw new ApiError('BAD_PARAMS', `${action}: messages must be an array of node segments`);
  return list.map((d) => toNode(d, 0));
}
