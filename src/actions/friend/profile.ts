/** `set_qq_profile` (docs/extensions.md §9.2) and `get_online_clients` (§9.3, go-cqhttp shape per D18). */
import { defineAction } from '../../core/action.js';
import { bool, params, raw } from '../../core/params.js';

/** A string parameter that is present, else undefined (only present fields change). */
const present = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export const setQqProfile = defineAction({
  name: 'set_qq_profile',
  summary: 'Change the bot\'s nickname, company, email, college or personal_note (only those given).',
  origin: 'extension',
  params: params({ nickname: raw(), company: raw(), email: raw(), college: raw(), personal_note: raw() }),
  handler: async (p, ctx) => {
    await ctx.backend.setProfile({
      nickname: present(p.nickname), company: present(p.company), email: present(p.email),
      college: present(p.college), personalNote: present(p.personal_note),
    });
    return null;
  },
});

export const getOnlineClients = defineAction({
  name: 'get_online_clients',
  summary: 'The account\'s other online devices: {clients: [{app_id, device_name, device_kind}]}.',
  origin: 'extension',
  params: params({ no_cache: bool(false) }),
  handler: async (p, ctx) => {
    const clients = await ctx.backend.getOnlineClients(p.no_cache);
    return { clients: clients.map((c) => ({ app_id: c.appId, device_kind: c.deviceKind, device_name: c.deviceName })) };
  },
});
