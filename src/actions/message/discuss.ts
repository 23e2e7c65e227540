/** Discuss groups (CQHTTP 4.15 §6.1, §6.2; decision P10): `send_discuss_msg`, `set_discuss_leave`. */
import { defineAction } from '../../core/action.js';
import { id, params } from '../../core/params.js';
import { messageParams, sendTo } from './send.js';

export const sendDiscussMsg = defineAction({
  name: 'send_discuss_msg',
  summary: 'Send a message to a discuss group (discuss_id from its message events).',
  params: params({ discuss_id: id(), ...messageParams }),
  handler: (p, ctx) => sendTo(ctx, { kind: 'discuss', id: p.discuss_id }, p.message, p.auto_escape, 'send_discuss_msg'),
});

export const setDiscussLeave = defineAction({
  name: 'set_discuss_leave',
  summary: 'Leave a discuss group.',
  params: params({ discuss_id: id() }),
  handler: async (p, ctx) => {
    await ctx.backend.leaveDiscuss(p.discuss_id);
    return null;
  },
});
