/**
 * Forward cards (合并转发; docs/extensions.md §5.1–5.4, §2.2): a list of nodes — stored messages
 * re-forwarded by id, or custom nodes with a displayed sender and content, possibly nested — sent as
 * one message whose only segment is `forward` with the card's opaque id. `get_forward_msg` reads the
 * content back. QQ refuses more than 200 nodes in one card (docs/qq-rules.md §6) with -3, as it does a
 * card with no usable node.
 */
import { randomBytes } from 'node:crypto';
import type { Segment } from '../../message/segment.js';
import { ApiError } from '../../protocol/errors.js';
import type { ConversationTarget, ForwardContent, ForwardItem, ForwardNode, SentForward } from '../port-messages.js';
import type { SandboxContext } from './context.js';
import type { Outbox } from './events.js';
import { postGroupMessage, postPrivateMessage, privateRelation } from './messaging.js';
import { ANONYMOUS_USER_ID, checkMessageSize, requireMembership, silencedReason } from './rules.js';
import { botSees, visibleMessage } from './stored-message.js';
import type { MessageRow, StoredNode } from './store/index.js';
import { linkMedia } from './media-links.js';

/** Most nodes in one forward card (mirai `ForwardMessageProtocol.checkLength`). */
export const MAX_FORWARD_NODES = 200;
/** Nesting deeper than this is not expanded by `get_forward_msg` (a guard; cards never nest that deep). */
const MAX_EXPAND_DEPTH = 32;

interface Peer { peerType: 'group' | 'private'; peerId: number }

/** Whether `actorId` took part in the message's conversation (only then may it forward the message). */
function participantSees(ctx: SandboxContext, actorId: number, row: MessageRow): boolean {
  if (actorId === ctx.selfId) return botSees(ctx, row);
  if (row.peer_type === 'group') return ctx.store.groups.member(row.peer_id, actorId) !== undefined;
  if (row.peer_type === 'discuss') return ctx.store.discusses.isMember(row.peer_id, actorId);
  return row.peer_id === actorId;
}

/** A stored message as a node: its author as shown in its chat (card, or the anonymous name), time, content. */
function referenceNode(ctx: SandboxContext, actorId: number, messageId: number): StoredNode | undefined {
  const row = ctx.store.messages.get(messageId);
  if (row === undefined || row.recalled === 1 || !participantSees(ctx, actorId, row)) return undefined;
  const time = Math.floor(row.time_ms / 1000);
  const content = JSON.parse(row.segments) as Segment[];
  const identity = row.anon_id === null ? undefined : ctx.store.anonymous.get(row.anon_id);
  if (identity !== undefined) return { user_id: ANONYMOUS_USER_ID, nickname: identity.name, time, content };
  const nickname = ctx.store.users.get(row.sender_id)?.nickname ?? '';
  const card = row.peer_type === 'group' ? ctx.store.groups.member(row.peer_id, row.sender_id)?.card ?? '' : '';
  return { user_id: row.sender_id, nickname: card !== '' ? card : nickname, time, content };
}

function saveForward(ctx: SandboxContext, actorId: number, peer: Peer, nodes: StoredNode[]): string {
  const forwardId = randomBytes(24).toString('base64url');
  ctx.store.forwards.insert({
    forward_id: forwardId, peer_type: peer.peerType, peer_id: peer.peerId, created_by: actorId, created_at: ctx.nowSec(), nodes: JSON.stringify(nodes),
  });
  return forwardId;
}

/** The usable nodes, nested cards stored on the way. Unusable nodes are skipped, as go-cqhttp does. */
function buildNodes(ctx: SandboxContext, actorId: number, peer: Peer, nodes: readonly ForwardNode[]): StoredNode[] {
  if (nodes.length > MAX_FORWARD_NODES) {
    throw new ApiError('MESSAGE_EMPTY_OR_TOO_LONG', `a forward card holds at most ${MAX_FORWARD_NODES} nodes; got ${nodes.length}`);
  }
  const built: StoredNode[] = [];
  for (const node of nodes) {
    if (node.kind === 'reference') {
      const ref = referenceNode(ctx, actorId, node.messageId);
      if (ref !== undefined) built.push(ref);
      continue;
    }
    if (node.userId === 0 || node.nickname === '') continue;
    const time = node.time ?? ctx.nowSec();
    if (node.content.kind === 'message') {
      if (node.content.message.length === 0) continue;
      checkMessageSize(node.content.message);
      // Media inside a card carries its URL, as in any stored message.
      built.push({ user_id: node.userId, nickname: node.nickname, time, content: linkMedia(ctx, node.content.message) });
      continue;
    }
    const inner = buildNodes(ctx, actorId, peer, node.content.nodes);
    if (inner.length === 0) continue;
    const id = saveForward(ctx, actorId, peer, inner);
    built.push({ user_id: node.userId, nickname: node.nickname, time, content: [{ type: 'forward', data: { id } }] });
  }
  return built;
}

/**
 * `from` sends a forward card to a group, or privately (the bot to a user, or a user to the bot).
 * The target is checked first (as for any message), then the nodes.
 */
export function sendForward(ctx: SandboxContext, out: Outbox, from: number, target: ConversationTarget, nodes: readonly ForwardNode[]): SentForward {
  let peer: Peer;
  if ('groupId' in target) {
    const { group, actor } = requireMembership(ctx, target.groupId, from);
    const silenced = silencedReason(ctx, group, actor);
    if (silenced !== undefined) throw new ApiError('BOT_MUTED', `cannot send to group ${target.groupId}: ${silenced}`);
    peer = { peerType: 'group', peerId: target.groupId };
  } else {
    if (from === ctx.selfId) privateRelation(ctx, target.userId);
    peer = { peerType: 'private', peerId: from === ctx.selfId ? target.userId : from };
  }
  const built = buildNodes(ctx, from, peer, nodes);
  if (built.length === 0) {
    throw new ApiError('MESSAGE_EMPTY_OR_TOO_LONG', 'the forward has no usable node (each needs a known message id, or a user_id, a nickname and non-empty content)');
  }
  const forwardId = saveForward(ctx, from, peer, built);
  const card: Segment[] = [{ type: 'forward', data: { id: forwardId } }];
  const sent = 'groupId' in target
    ? postGroupMessage(ctx, out, from, target.groupId, card)
    : postPrivateMessage(ctx, out, from, target.userId, card);
  return { messageId: sent.messageId, forwardId };
}

/** The forward id a message consisting of one forward card carries, if any. */
function forwardIdOf(content: readonly Segment[]): string | undefined {
  const only = content.length === 1 ? content[0] : undefined;
  return only?.type === 'forward' ? only.data['id'] : undefined;
}

function expand(ctx: SandboxContext, nodes: readonly StoredNode[], depth: number): ForwardItem[] {
  return nodes.map((n) => {
    const nestedId = depth < MAX_EXPAND_DEPTH ? forwardIdOf(n.content) : undefined;
    const nested = nestedId === undefined ? undefined : ctx.store.forwards.get(nestedId);
    const content = nested === undefined ? n.content : expand(ctx, JSON.parse(nested.nodes) as StoredNode[], depth + 1);
    return { userId: n.user_id, nickname: n.nickname, time: n.time, content };
  });
}

/** A forward's content by its id, or by the message_id of a visible message carrying it (NapCat's way). */
export function readForward(ctx: SandboxContext, id: string): ForwardContent {
  let row = ctx.store.forwards.get(id);
  if (row === undefined && /^[1-9]\d{0,9}$/.test(id)) {
    const message = visibleMessage(ctx, Number(id));
    const carried = forwardIdOf(JSON.parse(message.segments) as Segment[]);
    row = carried === undefined ? undefined : ctx.store.forwards.get(carried);
  }
  if (row === undefined) throw new ApiError('MESSAGE_NOT_FOUND', `there is no forward with id ${JSON.stringify(id)}`);
  const items = expand(ctx, JSON.parse(row.nodes) as StoredNode[], 0);
  return row.peer_type === 'group' ? { messageType: 'group', groupId: row.peer_id, items } : { messageType: 'private', items };
}
