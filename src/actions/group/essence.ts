/** Essence messages (docs/extensions.md §6.1–6.3): `set_essence_msg`, `delete_essence_msg`, `get_essence_msg_list`. */
import { defineAction } from '../../core/action.js';
import { id, params } from '../../core/params.js';
import { essenceOut } from './shapes.js';

export const setEssenceMsg = defineAction({
  name: 'set_essence_msg',
  summary: 'Make a group message an essence message (admin/owner).',
  origin: 'extension',
  params: params({ message_id: id() }),
  handler: async (p, ctx) => {
    await ctx.backend.setEssenceMessage(p.message_id, true);
    return null;
  },
});

export const deleteEssenceMsg = defineAction({
  name: 'delete_essence_msg',
  summary: 'Remove a message from the essence list (admin/owner).',
  origin: 'extension',
  params: params({ message_id: id() }),
  handler: async (p, ctx) => {
    await ctx.backend.setEssenceMessage(p.message_id, false);
    return null;
  },
});

export const getEssenceMsgList = defineAction({
  name: 'get_essence_msg_list',
  summary: "A group's essence messages, newest first (go-cqhttp's seven fields).",
  origin: 'extension',
  params: params({ group_id: id() }),
  handler: async (p, ctx) => (await ctx.backend.getEssenceMessages(p.group_id)).map(essenceOut),
});
