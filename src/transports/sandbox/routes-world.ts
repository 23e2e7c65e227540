/** Control API routes for the world as a whole: inspect it, create users and groups, friends, requests, calls. */
import { ApiError } from '../../protocol/errors.js';
import { pathId } from './fields.js';
import type { ControlApi, Route } from './router.js';
import { callToWire, connectionToWire, requestToWire, worldToWire } from './wire.js';

const SEXES = ['male', 'female', 'unknown'] as const;

/** At least one of `names` must be given to an edit. */
function someOf(has: (name: string) => boolean, names: readonly string[]): void {
  if (!names.some(has)) throw new ApiError('BAD_PARAMS', `give at least one of ${names.join(', ')}`);
}

/** `/api/world`, `/api/info`, `/api/users`, `/api/groups`, `/api/friends`, `/api/friend-requests`, `/api/requests`, `/api/calls`, `/api/connections`. */
export const WORLD_ROUTES: readonly Route[] = [
  { method: 'GET', path: '/api/world', summary: 'the whole world: users, groups, members, friends', handler: ({ sb }) => worldToWire(sb.getWorld()) },

  { method: 'GET', path: '/api/info', summary: 'the bot\'s QQ number and where its HTTP API listens', handler: ({ sb, apiBase }) => ({ self_id: sb.selfId, api_base: apiBase ?? null }) },

  {
    method: 'POST', path: '/api/users', summary: 'create a user', handler: ({ sb }, { body }) => {
      const userId = body.id('user_id');
      sb.createUser({
        userId, nickname: body.str('nickname'), sex: body.has('sex') ? body.oneOf('sex', SEXES) : undefined,
        age: body.has('age') ? body.int('age') : undefined, area: body.optStr('area'),
      });
      return { user_id: userId };
    },
  },

  {
    method: 'PUT', path: '/api/users/:uid', summary: 'edit a user: nickname, sex, age, area, level (the fields given)', handler: ({ sb }, { params, body }) => {
      someOf((n) => body.has(n), ['nickname', 'sex', 'age', 'area', 'level']);
      const userId = pathId(params['uid'], 'user id');
      sb.updateUser(userId, {
        nickname: body.optStr('nickname'), sex: body.has('sex') ? body.oneOf('sex', SEXES) : undefined,
        age: body.has('age') ? body.int('age') : undefined, area: body.optStr('area'), level: body.has('level') ? body.int('level') : undefined,
      });
      return { user_id: userId };
    },
  },

  {
    method: 'PUT', path: '/api/groups/:gid', summary: 'edit a group: group_name, max_member_count (the fields given)', handler: ({ sb }, { params, body }) => {
      someOf((n) => body.has(n), ['group_name', 'max_member_count']);
      const groupId = pathId(params['gid'], 'group id');
      sb.updateGroup(groupId, { groupName: body.optStr('group_name'), maxMemberCount: body.has('max_member_count') ? body.int('max_member_count') : undefined });
      return { group_id: groupId };
    },
  },

  {
    method: 'POST', path: '/api/groups', summary: 'create a group', handler: ({ sb }, { body }) => {
      const groupId = body.id('group_id');
      sb.createGroup({ groupId, groupName: body.str('group_name'), ownerId: body.id('owner_id'), maxMemberCount: body.optId('max_member_count') });
      return { group_id: groupId };
    },
  },

  {
    method: 'POST', path: '/api/friends', summary: 'make a user a friend of the bot', handler: ({ sb }, { body }) => {
      sb.addFriend(body.id('user_id'), body.str('remark', ''));
      return {};
    },
  },

  {
    method: 'POST', path: '/api/friend-requests', summary: 'a user asks to be friends with the bot (a request event)', handler: ({ sb }, { body }) => ({ flag: sb.requestFriendAs(body.id('from'), body.str('comment', '')) }),
  },

  { method: 'GET', path: '/api/requests', summary: 'the friend and group requests, pending and handled', handler: ({ sb }) => ({ requests: sb.listRequests().map(requestToWire) }) },

  {
    method: 'POST', path: '/api/requests/:flag', summary: 'an admin answers a join request', handler: ({ sb }, { params, body }) => {
      sb.answerJoinRequestAs(body.id('operator'), params['flag'] ?? '', body.bool('approve', true), body.str('reason', ''));
      return {};
    },
  },

  {
    method: 'GET', path: '/api/calls', summary: 'the recent API calls of the bot (action, params, retcode, duration, self_id); ?self_id= keeps one bot\'s',
    handler: ({ calls }, { query }) => {
      const selfId = query.optId('self_id');
      const entries = calls.entries();
      return { calls: (selfId === undefined ? entries : entries.filter((e) => e.selfId === selfId)).map((e) => callToWire(e.record, e.id, e.selfId)) };
    },
  },

  {
    method: 'GET', path: '/api/connections', summary: 'the bot connections: forward and reverse WebSockets, HTTP POST receivers, with state and counters',
    handler: ({ connections }) => ({ connections: (connections?.() ?? []).map(connectionToWire) }),
  },

  { method: 'GET', path: '/api/clock', summary: 'the sandbox clock: now (Unix ms), virtual or real, and how far ahead', handler: ({ clock }) => clockToWire(clock) },

  {
    method: 'POST', path: '/api/clock/advance', summary: 'move the virtual clock ahead by ms, firing the heartbeats due within (virtual clock only)', handler: ({ clock }, { body }) => {
      if (clock === undefined) throw new ApiError('OPERATION_FAILED', 'the sandbox runs on the real clock; only a virtual clock (cqhttpd test, cqhttpd/testing) can be moved');
      const ms = body.int('ms');
      if (ms < 0) throw new ApiError('BAD_PARAMS', 'ms must be >= 0: the clock only moves forward');
      const fired = clock.advance(ms);
      return { ...clockToWire(clock), fired };
    },
  },
];

/** `{now, virtual, offset}`: Unix ms on the sandbox clock, whether it is virtual, ms ahead of real time. */
function clockToWire(clock: ControlApi['clock']): Record<string, unknown> {
  return clock === undefined ? { now: Date.now(), virtual: false, offset: 0 } : { now: clock.now(), virtual: true, offset: clock.offset };
}
