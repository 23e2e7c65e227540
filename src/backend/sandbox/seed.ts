/** Writes a validated world into an empty store, in one transaction. */
import type { Store } from './store/index.js';
import type { WorldSpec } from './world-schema.js';

/** One day, for spreading the seeded members' join times in listing order. */
const DAY = 86_400;

/**
 * Seed `world` for the bot `selfId`. The caller has checked that the store holds no world yet.
 * Members' join times are a day apart, in the order the world lists them.
 */
export function seedWorld(store: Store, world: WorldSpec, selfId: number, nowSec: number): void {
  store.transaction(() => {
    store.users.insert({ userId: selfId, nickname: world.bot.nickname });
    store.users.setSelfId(selfId, nowSec);
    for (const u of world.users) {
      store.users.insert({ userId: u.user_id, nickname: u.nickname, sex: u.sex, age: u.age, area: u.area });
    }
    for (const f of world.friends) store.users.addFriend(f.user_id, f.remark ?? '', nowSec);
    for (const g of world.groups) {
      store.groups.insert({ groupId: g.group_id, groupName: g.group_name, maxMemberCount: g.max_member_count }, nowSec - DAY * (g.members.length + 1));
      g.members.forEach((m, i) => {
        store.groups.addMember({
          groupId: g.group_id, userId: m.user_id, role: m.role, card: m.card, title: m.title,
          joinTime: nowSec - DAY * (g.members.length - i),
        });
      });
    }
  });
}
