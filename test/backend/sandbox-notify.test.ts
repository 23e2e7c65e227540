/** Pokes, lucky kings, honors and group file uploads through the control surface. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GROUPS, USERS } from '../../src/backend/sandbox/index.js';
import { assertKeys, EVENT_KEYS, expectApiError, notices, recordEvents } from './helpers.js';
import { withSandbox } from './sandbox-fixture.js';

describe('sandbox notify notices', () => {
  it('a group poke: notify/poke with group_id, user_id = sender_id = poker, target_id', () => withSandbox(async ({ sb, clock }) => {
    const events = recordEvents(sb);
    sb.pokeAs(USERS.carol, sb.selfId, GROUPS.botOwner);
    sb.pokeAs(USERS.dave, USERS.dave, GROUPS.botOwner);
    const [ev, self] = notices(events, 'notify');
    assertKeys(ev, EVENT_KEYS.groupPoke);
    assert.deepEqual(ev, {
      post_type: 'notice', notice_type: 'notify', sub_type: 'poke', time: clock.seconds, self_id: sb.selfId,
      group_id: GROUPS.botOwner, user_id: USERS.carol, sender_id: USERS.carol, target_id: sb.selfId,
    });
    assert.deepEqual([self?.['user_id'], self?.['target_id']], [USERS.dave, USERS.dave], 'a self-poke');
  }));

  it('a private poke goes to the bot, from a friend, without group_id', () => withSandbox(async ({ sb, clock }) => {
    const events = recordEvents(sb);
    sb.pokeAs(USERS.alice, sb.selfId);
    const [ev] = notices(events, 'notify');
    assertKeys(ev, EVENT_KEYS.friendPoke);
    assert.deepEqual(ev, {
      post_type: 'notice', notice_type: 'notify', sub_type: 'poke', time: clock.seconds, self_id: sb.selfId,
      user_id: USERS.alice, sender_id: USERS.alice, target_id: sb.selfId,
    });
    await expectApiError(() => sb.pokeAs(USERS.dave, sb.selfId), 'NO_RELATIONSHIP', /not the bot's friend/);
    await expectApiError(() => sb.pokeAs(USERS.alice, USERS.bob), 'BAD_PARAMS', /group_id/);
    await expectApiError(() => sb.pokeAs(29999, sb.selfId), 'USER_NOT_FOUND');
  }));

  it('poke rules in groups: both members, the poker not muted; invisible groups emit nothing', () => withSandbox(async ({ sb }) => {
    await expectApiError(() => sb.pokeAs(USERS.carol, USERS.heidi, GROUPS.botOwner), 'USER_NOT_FOUND', /20008/);
    await expectApiError(() => sb.pokeAs(USERS.heidi, USERS.carol, GROUPS.botOwner), 'USER_NOT_FOUND');
    await sb.setGroupBan(GROUPS.botOwner, USERS.carol, 60);
    await expectApiError(() => sb.pokeAs(USERS.carol, USERS.dave, GROUPS.botOwner), 'BOT_MUTED', /muted/);
    sb.createGroup({ groupId: 200001, groupName: 'Elsewhere', ownerId: USERS.heidi });
    const events = recordEvents(sb);
    sb.pokeAs(USERS.heidi, USERS.heidi, 200001);
    assert.deepEqual(events, []);
  }));

  it('lucky_king: user_id = sender_id = the red packet\'s sender, target_id = the winner', () => withSandbox(async ({ sb, clock }) => {
    const events = recordEvents(sb);
    sb.luckyKingAs(USERS.alice, GROUPS.botAdmin, USERS.frank);
    const [ev] = notices(events, 'notify');
    assertKeys(ev, EVENT_KEYS.luckyKing);
    assert.deepEqual(ev, {
      post_type: 'notice', notice_type: 'notify', sub_type: 'lucky_king', time: clock.seconds, self_id: sb.selfId,
      group_id: GROUPS.botAdmin, user_id: USERS.alice, sender_id: USERS.alice, target_id: USERS.frank,
    });
    await expectApiError(() => sb.luckyKingAs(USERS.alice, GROUPS.botAdmin, USERS.heidi), 'USER_NOT_FOUND');
  }));

  it('honor: talkative, performer, emotion; anything else is BAD_PARAMS', () => withSandbox(async ({ sb, clock }) => {
    const events = recordEvents(sb);
    for (const type of ['talkative', 'performer', 'emotion']) sb.awardHonor(GROUPS.botMember, USERS.grace, type);
    const evs = notices(events, 'notify');
    assertKeys(evs[0], EVENT_KEYS.honor);
    assert.deepEqual(evs[0], {
      post_type: 'notice', notice_type: 'notify', sub_type: 'honor', time: clock.seconds, self_id: sb.selfId,
      group_id: GROUPS.botMember, user_id: USERS.grace, honor_type: 'talkative',
    });
    assert.deepEqual(evs.map((e) => e['honor_type']), ['talkative', 'performer', 'emotion']);
    await expectApiError(() => sb.awardHonor(GROUPS.botMember, USERS.grace, 'legend'), 'BAD_PARAMS', /talkative, performer, emotion/);
    await expectApiError(() => sb.awardHonor(GROUPS.botMember, USERS.heidi, 'talkative'), 'USER_NOT_FOUND');
    await expectApiError(() => sb.awardHonor(999, USERS.grace, 'talkative'), 'INVALID_TARGET');
  }));
});

describe('sandbox group files', () => {
  it('an upload: group_upload with file {busid, id, name, size}, and a stored record', () => withSandbox(async ({ sb, clock }) => {
    const events = recordEvents(sb);
    const ref = sb.uploadFileAs(USERS.bob, GROUPS.botAdmin, { name: '报告.pdf', size: 123456 });
    assert.equal(ref.busid, 102);
    assert.match(ref.fileId, /^\/[0-9a-f-]{36}$/);
    const [ev] = notices(events, 'group_upload');
    assertKeys(ev, EVENT_KEYS.groupUpload);
    assertKeys(ev?.['file'], EVENT_KEYS.uploadedFile, 'file');
    assert.deepEqual(ev, {
      post_type: 'notice', notice_type: 'group_upload', time: clock.seconds, self_id: sb.selfId,
      group_id: GROUPS.botAdmin, user_id: USERS.bob, file: { busid: 102, id: ref.fileId, name: '报告.pdf', size: 123456 },
    });
    const withBytes = sb.uploadFileAs(USERS.dave, GROUPS.botAdmin, { name: 'a.txt', content: Buffer.from('hello'), busid: 104 });
    assert.deepEqual(sb.listFiles(GROUPS.botAdmin).map((f) => [f.fileId, f.name, f.size, f.busid, f.uploader, f.uploadTime]), [
      [ref.fileId, '报告.pdf', 123456, 102, USERS.bob, clock.seconds],
      [withBytes.fileId, 'a.txt', 5, 104, USERS.dave, clock.seconds],
    ]);
  }));

  it('refuses non-members, muted members, bad names and sizes', () => withSandbox(async ({ sb }) => {
    await expectApiError(() => sb.uploadFileAs(USERS.heidi, GROUPS.botAdmin, { name: 'x', size: 1 }), 'USER_NOT_FOUND');
    for (const name of ['', 'a/b', 'a\\b', 'x'.repeat(256)]) {
      await expectApiError(() => sb.uploadFileAs(USERS.bob, GROUPS.botAdmin, { name, size: 1 }), 'BAD_PARAMS', /file name/);
    }
    await expectApiError(() => sb.uploadFileAs(USERS.bob, GROUPS.botAdmin, { name: 'x', size: -1 }), 'BAD_PARAMS', /size/);
    await expectApiError(() => sb.uploadFileAs(USERS.bob, GROUPS.botAdmin, { name: 'x', size: 3, content: Buffer.from('hello') }), 'BAD_PARAMS', /does not match/);
    sb.setWholeBanAs(USERS.alice, GROUPS.botAdmin, true);
    await expectApiError(() => sb.uploadFileAs(USERS.bob, GROUPS.botAdmin, { name: 'x', size: 1 }), 'BOT_MUTED', /whole-group ban/);
    assert.deepEqual(sb.listFiles(GROUPS.botAdmin), []);
    await expectApiError(() => sb.listFiles(999), 'INVALID_TARGET');
  }));
});
