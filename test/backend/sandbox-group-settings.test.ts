/** The groups extension's settings on the sandbox: cards, special titles, name, portrait, whole ban, leaving and dismissal. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { GROUPS, USERS } from '../../src/backend/sandbox/index.js';
import type { SandboxBackend } from '../../src/backend/sandbox/index.js';
import { expectApiError, notices, recordEvents, timeless } from './helpers.js';
import { withSandbox } from './sandbox-fixture.js';

const G = GROUPS;
const U = USERS;
const member = (sb: SandboxBackend, groupId: number, userId: number) =>
  sb.getWorld().groups.find((g) => g.groupId === groupId)?.members.find((m) => m.userId === userId);

describe('sandbox group cards', () => {
  it('the bot sets cards per role; a change emits group_card with card_old/card_new', () => withSandbox(async ({ sb, clock }) => {
    const events = recordEvents(sb);
    await sb.setGroupCard(G.botOwner, U.alice, 'Alice');
    assert.deepEqual(notices(events, 'group_card'), [{
      post_type: 'notice', notice_type: 'group_card', time: clock.seconds, self_id: sb.selfId,
      group_id: G.botOwner, user_id: U.alice, card_old: 'Alice | ops', card_new: 'Alice',
    }]);
    assert.equal(member(sb, G.botOwner, U.alice)?.card, 'Alice');
    await sb.setGroupCard(G.botOwner, U.alice, '');
    assert.deepEqual(timeless(notices(events, 'group_card')[1]), {
      post_type: 'notice', notice_type: 'group_card', time: 0, self_id: sb.selfId, group_id: G.botOwner, user_id: U.alice, card_old: 'Alice', card_new: '',
    }, "'' removes the card");
    await sb.setGroupCard(G.botAdmin, U.carol, 'another admin');
    assert.equal(member(sb, G.botAdmin, U.carol)?.card, 'another admin', 'an admin edits another admin');
    await expectApiError(() => sb.setGroupCard(G.botAdmin, U.alice, 'x'), 'NO_PERMISSION', /owner's card/);
    await expectApiError(() => sb.setGroupCard(G.botMember, U.eve, 'x'), 'NO_PERMISSION', /only its own card/);
    await sb.setGroupCard(G.botMember, sb.selfId, 'quiet bot');
    await expectApiError(() => sb.setGroupCard(G.botOwner, U.frank, 'x'), 'USER_NOT_FOUND');
    await expectApiError(() => sb.setGroupCard(424242, U.alice, 'x'), 'NOT_IN_GROUP');
  }));

  it('60 bytes of UTF-8 at most; the same card again emits nothing', () => withSandbox(async ({ sb }) => {
    await sb.setGroupCard(G.botOwner, U.dave, '名'.repeat(20));
    const err = await expectApiError(() => sb.setGroupCard(G.botOwner, U.dave, `${'名'.repeat(20)}x`), 'BAD_PARAMS', /61 bytes.*at most 60/);
    assert.equal(err.retcode, 100);
    const events = recordEvents(sb);
    await sb.setGroupCard(G.botOwner, U.dave, '名'.repeat(20));
    assert.deepEqual(events, []);
  }));

  it('users change cards too; a group the bot is not in emits nothing', () => withSandbox(async ({ sb }) => {
    const events = recordEvents(sb);
    sb.setCardAs(U.eve, G.botOwner, U.eve, 'eve!');
    assert.equal(notices(events, 'group_card')[0]?.['user_id'], U.eve);
    await expectApiError(() => sb.setCardAs(U.alice, G.botOwner, sb.selfId, 'x'), 'NO_PERMISSION', /owner's card/);
    sb.createGroup({ groupId: 200001, groupName: 'Elsewhere', ownerId: U.heidi });
    sb.setCardAs(U.heidi, 200001, U.heidi, 'boss');
    assert.equal(notices(events, 'group_card').length, 1);
  }));
});

describe('sandbox special titles', () => {
  it('owner only, anyone incl. itself; notify/title; 18 bytes', () => withSandbox(async ({ sb, clock }) => {
    const events = recordEvents(sb);
    await sb.setGroupSpecialTitle(G.botOwner, U.carol, '六个字的头衔', -1);
    assert.deepEqual(notices(events, 'notify'), [{
      post_type: 'notice', notice_type: 'notify', sub_type: 'title', time: clock.seconds, self_id: sb.selfId,
      group_id: G.botOwner, user_id: U.carol, title: '六个字的头衔',
    }]);
    assert.equal(member(sb, G.botOwner, U.carol)?.title, '六个字的头衔');
    await sb.setGroupSpecialTitle(G.botOwner, sb.selfId, '', 3600);
    assert.equal(notices(events, 'notify')[1]?.['title'], '', "'' removes the bot's own 'host' title");
    assert.equal((await sb.getGroupMemberInfo(G.botOwner, U.carol, true)).titleExpireTime, 0, 'duration has no effect');
    await expectApiError(() => sb.setGroupSpecialTitle(G.botOwner, U.carol, '七个字的头衔啊', -1), 'BAD_PARAMS', /21 bytes/);
    await expectApiError(() => sb.setGroupSpecialTitle(G.botAdmin, U.bob, 'x', -1), 'NO_PERMISSION', /only the owner/);
    await expectApiError(() => sb.setGroupSpecialTitle(G.botMember, U.eve, 'x', -1), 'NO_PERMISSION');
    await expectApiError(() => sb.setGroupSpecialTitle(G.botOwner, U.grace, 'x', -1), 'USER_NOT_FOUND');
    await expectApiError(() => sb.setSpecialTitleAs(U.bob, G.botOwner, U.carol, 'x'), 'NO_PERMISSION');
    sb.setSpecialTitleAs(U.bob, G.botMember, sb.selfId, 'bot');
    assert.equal(notices(events, 'notify').length, 3, 'a user owner titles the bot');
  }));
});

describe('sandbox group name and portrait', () => {
  it('admins and the owner rename; get_group_info shows it; no notice', () => withSandbox(async ({ sb }) => {
    const events = recordEvents(sb);
    await sb.setGroupName(G.botAdmin, 'Renamed');
    assert.equal((await sb.getGroupInfo(G.botAdmin, true)).groupName, 'Renamed');
    await expectApiError(() => sb.setGroupName(G.botMember, 'x'), 'NO_PERMISSION');
    await expectApiError(() => sb.setGroupName(G.botOwner, '   '), 'BAD_PARAMS', /empty/);
    await expectApiError(() => sb.setGroupName(424242, 'x'), 'NOT_IN_GROUP');
    assert.deepEqual(events, []);
  }));

  it('the portrait is kept as the sha256 of the image bytes, or of the name', () => withSandbox(async ({ sb }) => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    assert.equal(sb.setPortraitAs(sb.selfId, G.botOwner, `base64://${png.toString('base64')}`), createHash('sha256').update(png).digest('hex'));
    assert.equal(sb.setPortraitAs(U.carol, G.botAdmin, 'file:///tmp/x.png'), createHash('sha256').update('name:file:///tmp/x.png').digest('hex'));
    await expectApiError(() => sb.setGroupPortrait(G.botOwner, 'base64://aGVsbG8='), 'BAD_PARAMS', /not an image/);
    await expectApiError(() => sb.setGroupPortrait(G.botOwner, ''), 'BAD_PARAMS');
    await expectApiError(() => sb.setGroupPortrait(G.botMember, 'x.png'), 'NO_PERMISSION');
  }));
});

describe('sandbox whole-group ban and anonymous switch through the port', () => {
  it('set_group_whole_ban silences plain members only; the notice names user 0', () => withSandbox(async ({ sb, clock }) => {
    const events = recordEvents(sb);
    await sb.setGroupWholeBan(G.botAdmin, true);
    assert.deepEqual(notices(events, 'group_ban'), [{
      post_type: 'notice', notice_type: 'group_ban', sub_type: 'ban', time: clock.seconds, self_id: sb.selfId,
      group_id: G.botAdmin, operator_id: sb.selfId, user_id: 0, duration: -1,
    }]);
    await expectApiError(() => sb.postMessage({ from: U.bob, groupId: G.botAdmin, message: [{ type: 'text', data: { text: 'x' } }] }), 'BOT_MUTED');
    sb.postMessage({ from: U.carol, groupId: G.botAdmin, message: [{ type: 'text', data: { text: 'admins talk' } }] });
    await expectApiError(() => sb.setGroupWholeBan(G.botMember, true), 'NO_PERMISSION');
    await sb.setGroupAnonymous(G.botAdmin, true);
    assert.equal(sb.getWorld().groups.find((g) => g.groupId === G.botAdmin)?.anonymousEnabled, true);
    await expectApiError(() => sb.setGroupAnonymous(G.botMember, true), 'NO_PERMISSION');
  }));
});

describe('sandbox leaving and dismissing', () => {
  it('the bot leaves as a member: group_decrease leave for itself; then -16', () => withSandbox(async ({ sb, clock }) => {
    const events = recordEvents(sb);
    await sb.setGroupLeave(G.botAdmin, false);
    assert.deepEqual(notices(events, 'group_decrease'), [{
      post_type: 'notice', notice_type: 'group_decrease', sub_type: 'leave', time: clock.seconds, self_id: sb.selfId,
      group_id: G.botAdmin, operator_id: sb.selfId, user_id: sb.selfId,
    }]);
    assert.ok(!(await sb.getGroupList()).some((g) => g.groupId === G.botAdmin));
    assert.equal((await expectApiError(() => sb.setGroupLeave(G.botAdmin, false), 'CANNOT_LEAVE')).retcode, -16);
    assert.equal((await expectApiError(() => sb.setGroupLeave(424242, true), 'CANNOT_LEAVE')).retcode, -16);
  }));

  it('the owner cannot leave (-17), a non-owner cannot dismiss (-18)', () => withSandbox(async ({ sb }) => {
    assert.equal((await expectApiError(() => sb.setGroupLeave(G.botOwner, false), 'OWNER_CANNOT_LEAVE', /is_dismiss=true/)).retcode, -17);
    assert.equal((await expectApiError(() => sb.setGroupLeave(G.botMember, true), 'NOT_OWNER')).retcode, -18);
    assert.ok(member(sb, G.botMember, sb.selfId), 'still a member');
  }));

  it('dismissal empties the group for good: kick_me for the bot, joins refused', () => withSandbox(async ({ sb, clock }) => {
    const events = recordEvents(sb);
    await sb.setGroupLeave(G.botOwner, true);
    assert.deepEqual(events, [{
      post_type: 'notice', notice_type: 'group_decrease', sub_type: 'kick_me', time: clock.seconds, self_id: sb.selfId,
      group_id: G.botOwner, operator_id: sb.selfId, user_id: sb.selfId,
    }]);
    assert.deepEqual(sb.getWorld().groups.find((g) => g.groupId === G.botOwner)?.members, []);
    await expectApiError(() => sb.getGroupInfo(G.botOwner, true), 'INVALID_DATA');
    await expectApiError(() => sb.applyToJoinAs(U.frank, G.botOwner), 'INVALID_TARGET', /dismissed/);
    await expectApiError(() => sb.addMember({ groupId: G.botOwner, userId: U.frank }), 'INVALID_TARGET', /dismissed/);
  }));

  it('a user owner dismisses a group the bot is in: kick_me by that owner', () => withSandbox(async ({ sb }) => {
    await expectApiError(() => sb.dismissGroupAs(U.alice, G.botMember), 'NOT_OWNER');
    const events = recordEvents(sb);
    sb.dismissGroupAs(U.bob, G.botMember);
    assert.deepEqual(events.map((e) => [e['notice_type'], e['sub_type'], e['operator_id'], e['user_id']]), [['group_decrease', 'kick_me', U.bob, sb.selfId]]);
    sb.createGroup({ groupId: 200001, groupName: 'Elsewhere', ownerId: U.heidi });
    sb.dismissGroupAs(U.heidi, 200001);
    assert.equal(events.length, 1, 'a group without the bot: nothing');
  }));
});
