/** Control API routes for acts inside one group: membership, moderation, requests, files, notify. */
import { ApiError } from '../../protocol/errors.js';
import { pathId } from './fields.js';
import type { Route, RouteInput } from './router.js';
import { fileToWire } from './wire.js';

const gid = (input: RouteInput): number => pathId(input.params['gid'], 'group id');
const ROLES = ['owner', 'admin', 'member'] as const;

/** `/api/groups/:gid/…`. */
export const GROUP_ROUTES: readonly Route[] = [
  {
    // With `inviter`: that member brings the user in (invite); without: the user joins, approved by the owner.
    method: 'POST', path: '/api/groups/:gid/members', summary: 'a user joins a group (or is invited)', handler: ({ sb }, input) => {
      const { body } = input;
      const userId = body.id('user_id');
      const inviter = body.optId('inviter');
      if (inviter !== undefined) {
        if (body.has('role') || body.has('card') || body.has('title')) throw new ApiError('BAD_PARAMS', 'role, card and title apply only without inviter');
        sb.inviteAs(inviter, gid(input), userId);
      } else {
        sb.addMember({ groupId: gid(input), userId, role: body.has('role') ? body.oneOf('role', ['admin', 'member'] as const) : undefined, card: body.optStr('card'), title: body.optStr('title') });
      }
      return {};
    },
  },

  {
    // `operator` absent or the member itself: leave; otherwise `operator` kicks.
    method: 'DELETE', path: '/api/groups/:gid/members/:uid', summary: 'a member leaves or is kicked from a group', handler: ({ sb }, input) => {
      const userId = pathId(input.params['uid'], 'user id');
      const fields = input.body.has('operator') ? input.body : input.query;
      const operator = fields.optId('operator') ?? userId;
      if (operator === userId) sb.leaveAs(userId, gid(input));
      else sb.kickAs(operator, gid(input), userId, fields.bool('reject_add_request', false));
      return {};
    },
  },

  {
    method: 'PUT', path: '/api/groups/:gid/members/:uid/role', summary: 'change the role of a member (member / admin / owner)', handler: ({ sb }, input) => {
      sb.setRole(gid(input), pathId(input.params['uid'], 'user id'), input.body.oneOf('role', ROLES));
      return {};
    },
  },

  {
    method: 'POST', path: '/api/groups/:gid/members/:uid/card', summary: 'a member sets a group card (its own, or as admin/owner another\'s)', handler: ({ sb }, input) => {
      sb.setCardAs(input.body.id('operator'), gid(input), pathId(input.params['uid'], 'user id'), input.body.str('card', ''));
      return {};
    },
  },

  {
    method: 'POST', path: '/api/groups/:gid/members/:uid/title', summary: 'the owner sets a member\'s special title', handler: ({ sb }, input) => {
      sb.setSpecialTitleAs(input.body.id('operator'), gid(input), pathId(input.params['uid'], 'user id'), input.body.str('title', ''));
      return {};
    },
  },

  {
    method: 'POST', path: '/api/groups/:gid/name', summary: 'an admin or the owner renames the group', handler: ({ sb }, input) => {
      sb.setGroupNameAs(input.body.id('operator'), gid(input), input.body.str('group_name'));
      return {};
    },
  },

  {
    method: 'POST', path: '/api/groups/:gid/admins', summary: 'the owner sets or unsets an admin', handler: ({ sb }, input) => {
      const { body } = input;
      sb.setAdminAs(body.id('operator'), gid(input), body.id('user_id'), body.bool('enable', true));
      return {};
    },
  },

  {
    method: 'POST', path: '/api/groups/:gid/ban', summary: 'an admin mutes a member (duration 0 lifts it)', handler: ({ sb }, input) => {
      const { body } = input;
      sb.banAs(body.id('operator'), gid(input), body.id('user_id'), body.int('duration', 1800));
      return {};
    },
  },

  {
    method: 'POST', path: '/api/groups/:gid/whole-ban', summary: 'an admin turns the whole-group mute on or off', handler: ({ sb }, input) => {
      sb.setWholeBanAs(input.body.id('operator'), gid(input), input.body.bool('enable', true));
      return {};
    },
  },

  {
    method: 'POST', path: '/api/groups/:gid/anonymous', summary: 'turn anonymous chat on or off', handler: ({ sb }, input) => {
      sb.setAnonymousAs(input.body.id('operator'), gid(input), input.body.bool('enable', true));
      return {};
    },
  },

  {
    method: 'POST', path: '/api/groups/:gid/anonymous-ban', summary: 'an admin mutes an anonymous sender', handler: ({ sb }, input) => {
      const { body } = input;
      sb.banAnonymousAs(body.id('operator'), gid(input), body.str('flag'), body.int('duration', 1800));
      return {};
    },
  },

  {
    method: 'POST', path: '/api/groups/:gid/join-requests', summary: 'a user asks to join a group (a request event for the bot)', handler: ({ sb }, input) => ({ flag: sb.applyToJoinAs(input.body.id('from'), gid(input), input.body.str('comment', '')) }),
  },

  {
    method: 'POST', path: '/api/groups/:gid/bot-invitations', summary: 'a user invites the bot into a group (a request event)', handler: ({ sb }, input) => ({ flag: sb.inviteBotAs(input.body.id('from'), gid(input), input.body.str('comment', '')) }),
  },

  {
    method: 'POST', path: '/api/groups/:gid/files', summary: 'a member uploads a group file', handler: ({ sb }, input) => {
      const { body } = input;
      const base64 = body.optStr('content_base64');
      const content = base64 === undefined ? undefined : Buffer.from(base64, 'base64');
      const ref = sb.uploadFileAs(body.id('from'), gid(input), {
        name: body.str('name'), size: body.has('size') ? body.int('size') : undefined, busid: body.has('busid') ? body.int('busid') : undefined, content,
      });
      return { file_id: ref.fileId, busid: ref.busid };
    },
  },

  { method: 'GET', path: '/api/groups/:gid/files', summary: 'the files of a group', handler: ({ sb }, input) => ({ files: sb.listFiles(gid(input)).map(fileToWire) }) },

  {
    method: 'POST', path: '/api/groups/:gid/lucky-king', summary: 'a lucky-king notice (red packet) in a group', handler: ({ sb }, input) => {
      sb.luckyKingAs(input.body.id('from'), gid(input), input.body.id('target'));
      return {};
    },
  },

  {
    method: 'POST', path: '/api/groups/:gid/honors', summary: 'a member receives a group honor', handler: ({ sb }, input) => {
      sb.awardHonor(gid(input), input.body.id('user_id'), input.body.str('honor_type'));
      return {};
    },
  },
];
