/**
 * The operations mapped to Milky APIs beyond reads, sends and moderation (docs/bridge.md "Milky"):
 * history, forwards both ways, read marks, announcements, the essence list, group notifications,
 * friend groups, the group's portrait, the bot's profile, group files (listings, uploads, a file's
 * bytes, folders, deletions), credentials and pass-through. The fake checks every input against
 * Milky's request schema and every answer it gives against the response schema; what Milky cannot
 * do stays UNSUPPORTED at once.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { ok, startTestApp } from '../../helpers/app.js';
import { Peer } from '../../transports/ws/harness.js';
import { fakeMilky, FRANK, GROUP, groupMessage, milkyAnswers, SELF, text, TOKEN, type Call, type FakeMilky } from './fake-milky.js';

const FILE = Buffer.from('the minutes of the meeting\n');
const fileEntity = { group_id: GROUP, file_id: 'f-1', file_name: 'minutes.txt', parent_folder_id: '/', file_size: FILE.length, uploaded_time: 1765000000, uploader_id: FRANK, downloaded_times: 3 };
const folderEntity = { group_id: GROUP, folder_id: 'd-1', parent_folder_id: '/', folder_name: 'docs', created_time: 1764000000, last_modified_time: 1765000000, creator_id: FRANK, file_count: 2 };

function answers(upstream: () => FakeMilky) {
  return (call: Call): unknown => {
    switch (call.api) {
      case 'get_history_messages': return { messages: [groupMessage(40, [text('older')]), groupMessage(41, [text('newer')])], next_message_seq: 39 };
      case 'get_forwarded_messages': return { messages: [{ message_seq: 1, sender_name: 'Frank', avatar_url: '', time: 1765000100, segments: [text('inside')] }] };
      case 'send_private_message': return { message_seq: 90, time: 1765000401 };
      case 'get_message': return call.input['message_seq'] === 52
        ? { message: groupMessage(52, [{ type: 'forward', data: { forward_id: 'fw-52', title: '', preview: [], summary: '' } }], SELF) }
        : milkyAnswers(call);
      case 'get_group_announcements': return { announcements: [
        { group_id: GROUP, announcement_id: 'a-1', user_id: FRANK, time: 1764000000, content: 'old rules' },
        { group_id: GROUP, announcement_id: 'a-2', user_id: FRANK, time: 1765000000, content: 'new rules' },
      ] };
      case 'get_group_essence_messages': return { messages: [{
        group_id: GROUP, message_seq: 30, message_time: 1764000000, sender_id: FRANK, sender_name: 'frank', operator_id: SELF, operator_name: 'milky bot', operation_time: 1764500000, segments: [text('wise')],
      }], is_end: true };
      case 'get_group_notifications': return call.input['is_filtered'] === true ? { notifications: [] } : { notifications: [
        { type: 'join_request', group_id: GROUP, notification_seq: 8, is_filtered: false, initiator_id: 20007, state: 'pending', comment: 'let me in' },
        { type: 'kick', group_id: GROUP, notification_seq: 7, target_user_id: 20008, operator_id: SELF },
      ] };
      case 'get_friend_list': return { friends: [
        { user_id: FRANK, nickname: 'frank', sex: 'male', qid: '', remark: 'Frank', category: { category_id: 1, category_name: 'friends' } },
        { user_id: 20009, nickname: 'gina', sex: 'female', qid: '', remark: '', category: { category_id: 0, category_name: 'default' } },
      ] };
      case 'get_group_files': return call.input['parent_folder_id'] === '/' ? { files: [fileEntity], folders: [folderEntity] } : { files: [], folders: [] };
      case 'upload_group_file': return { file_id: 'f-2' };
      case 'upload_private_file': return { file_id: 'pf-1' };
      case 'get_group_file_download_url': return { download_url: upstream().serve('/files/f-1', 'application/octet-stream', FILE) };
      case 'create_group_folder': return { folder_id: 'd-2' };
      case 'get_cookies': return { cookies: 'uin=o3000100; skey=@abc' };
      case 'get_csrf_token': return { csrf_token: '123456789' };
      case 'get_peer_pins': return { friends: [], groups: [] };
      default: return milkyAnswers(call);
    }
  };
}

async function bridgeOf(t: TestContext) {
  const holder: { upstream?: FakeMilky } = {};
  const upstream = holder.upstream = await fakeMilky(t, answers(() => holder.upstream!));
  const bridge = await startTestApp({ config: { backend: 'milky', upstream_url: upstream.url, upstream_access_token: TOKEN, use_ws: true, upstream_passthrough: '*' } });
  t.after(() => bridge.close());
  const bot = await Peer.open(`ws://127.0.0.1:${bridge.instance.ws!.port}/event`);
  t.after(() => bot.close());
  await bot.next();
  return { upstream, bridge, bot };
}

const lastInput = (upstream: FakeMilky, api: string) => upstream.calls.findLast((c) => c.api === api)?.input;

test('messages: history, forwards both ways, read marks', async (t) => {
  const { upstream, bridge, bot } = await bridgeOf(t);
  upstream.push('message_receive', groupMessage(51, [text('hi')]));
  const { message_id: hi } = JSON.parse(await bot.next()) as { message_id: number };

  const history = await ok<{ messages: { message_id: number; message_seq: number; raw_message: string }[] }>(bridge, 'get_group_msg_history', { group_id: GROUP, message_seq: 41, count: 50 });
  assert.deepEqual(history.messages.map((m) => [m.message_seq, m.raw_message]), [[40, 'older'], [41, 'newer']]);
  assert.deepEqual(lastInput(upstream, 'get_history_messages'), { message_scene: 'group', peer_id: GROUP, limit: 30, start_message_seq: 41 });
  assert.equal((await ok<{ message: string }>(bridge, 'get_msg', { message_id: history.messages[0]!.message_id })).message, 'older', 'history messages are stored');

  const forward = await ok<{ messages: { content: string; sender: { nickname: string } }[] }>(bridge, 'get_forward_msg', { id: 'fw-9' });
  assert.deepEqual(forward.messages.map((m) => [m.sender.nickname, m.content]), [['Frank', 'inside']]);
  assert.deepEqual(lastInput(upstream, 'get_forwarded_messages'), { forward_id: 'fw-9' });

  const sent = await ok<{ message_id: number; forward_id: string }>(bridge, 'send_group_forward_msg', { group_id: GROUP, messages: [
    { type: 'node', data: { id: String(hi) } },
    { type: 'node', data: { user_id: String(FRANK), nickname: 'Frank', content: 'said before' } },
  ] });
  assert.equal(sent.forward_id, 'fw-52', 'read back from the sent message');
  assert.deepEqual(lastInput(upstream, 'send_group_message'), { group_id: GROUP, message: [{ type: 'forward', data: { messages: [
    { user_id: FRANK, sender_name: 'Frank', segments: [text('hi')] },
    { user_id: FRANK, sender_name: 'Frank', segments: [text('said before')] },
  ] } }] });

  await ok(bridge, 'mark_msg_as_read', { message_id: hi });
  assert.deepEqual(lastInput(upstream, 'mark_message_as_read'), { message_scene: 'group', peer_id: GROUP, message_seq: 51 });
  await ok(bridge, 'mark_msg_as_read', { user_id: FRANK });
  assert.deepEqual(lastInput(upstream, 'get_history_messages'), { message_scene: 'friend', peer_id: FRANK, limit: 1 });
  assert.deepEqual(lastInput(upstream, 'mark_message_as_read'), { message_scene: 'friend', peer_id: FRANK, message_seq: 41 });
  assert.deepEqual(upstream.answerErrors, []);
});

test('groups and the account: announcements, essence, notifications, friend groups, portrait, profile, credentials, pass-through', async (t) => {
  const { upstream, bridge } = await bridgeOf(t);
  const notices = await ok<{ fid: string; u: number; msg: { text: string } }[]>(bridge, '_get_group_notice', { group_id: GROUP });
  assert.deepEqual(notices.map((n) => [n.fid, n.u, n.msg.text]), [['a-2', FRANK, 'new&nbsp;rules'], ['a-1', FRANK, 'old&nbsp;rules']], 'newest first');
  await ok(bridge, '_send_group_notice', { group_id: GROUP, title: 'Rules', content: 'be nice' });
  assert.deepEqual(lastInput(upstream, 'send_group_announcement'), { group_id: GROUP, content: 'Rules\nbe nice' });

  const essence = await ok<{ sender_id: number; sender_nick: string; operator_id: number; message_id: number }[]>(bridge, 'get_essence_msg_list', { group_id: GROUP });
  assert.equal(essence.length, 1);
  assert.deepEqual([essence[0]!.sender_id, essence[0]!.sender_nick, essence[0]!.operator_id], [FRANK, 'frank', SELF]);
  assert.deepEqual(lastInput(upstream, 'get_group_essence_messages'), { group_id: GROUP, page_index: 0, page_size: 50 });

  const system = await ok<{ join_requests: { requester_uin: number; message: string; flag: string }[] | null; invited_requests: unknown }>(bridge, 'get_group_system_msg');
  assert.equal(system.join_requests?.length, 1, 'the kick notification is no request');
  assert.deepEqual([system.join_requests![0]!.requester_uin, system.join_requests![0]!.message], [20007, 'let me in']);
  await ok(bridge, 'set_group_add_request', { flag: system.join_requests![0]!.flag, sub_type: 'add', approve: true });
  assert.deepEqual(lastInput(upstream, 'accept_group_request'), { notification_seq: 8, notification_type: 'join_request', group_id: GROUP, is_filtered: false });

  const friendGroups = await ok<{ friend_group_id: number; friends: { user_id: number }[] }[]>(bridge, '_get_friend_list', {});
  assert.deepEqual(friendGroups.map((g) => [g.friend_group_id, g.friends.map((f) => f.user_id)]), [[0, [20009]], [1, [FRANK]]]);

  await ok(bridge, 'set_group_portrait', { group_id: GROUP, file: 'https://example.com/p.png' });
  assert.deepEqual(lastInput(upstream, 'set_group_avatar'), { group_id: GROUP, image_uri: 'https://example.com/p.png' });
  await ok(bridge, 'set_qq_profile', { nickname: 'new bot', personal_note: 'hello' });
  assert.deepEqual([lastInput(upstream, 'set_nickname'), lastInput(upstream, 'set_bio')], [{ new_nickname: 'new bot' }, { new_bio: 'hello' }]);
  assert.equal((await bridge.call('set_qq_profile', { company: 'acme' })).body?.msg, 'UNSUPPORTED');

  assert.equal((await ok<{ cookies: string }>(bridge, 'get_cookies', { domain: 'qun.qq.com' })).cookies, 'uin=o3000100; skey=@abc');
  assert.deepEqual(lastInput(upstream, 'get_cookies'), { domain: 'qun.qq.com' });
  assert.equal((await ok<{ token: number }>(bridge, 'get_csrf_token')).token, 123456789);
  assert.deepEqual(await ok(bridge, 'get_peer_pins'), { friends: [], groups: [] }, 'upstream_passthrough reaches Milky\'s own APIs');
  const before = upstream.calls.length;
  assert.equal((await bridge.call('..event')).body?.msg, 'UNSUPPORTED', 'only API names go out as path steps');
  assert.equal(upstream.calls.length, before);

  for (const [action, params] of [['get_group_honor_info', { group_id: GROUP }], ['_get_vip_info', { user_id: FRANK }], ['get_group_file_system_info', { group_id: GROUP }]] as const) {
    assert.equal((await bridge.call(action, params)).body?.msg, 'UNSUPPORTED', action);
  }
  assert.deepEqual(upstream.answerErrors, []);
});

test('group files: listings, uploads, a file\'s bytes through cqhttpd, folders, deletions', async (t) => {
  const { upstream, bridge } = await bridgeOf(t);
  const root = await ok<{ files: { file_id: string; file_name: string; busid: number; uploader: number }[]; folders: { folder_id: string; folder_name: string }[] }>(bridge, 'get_group_root_files', { group_id: GROUP });
  assert.deepEqual(root.files.map((f) => [f.file_id, f.file_name, f.uploader]), [['f-1', 'minutes.txt', FRANK]]);
  assert.deepEqual(root.folders.map((f) => [f.folder_id, f.folder_name]), [['d-1', 'docs']]);
  await ok(bridge, 'get_group_files_by_folder', { group_id: GROUP, folder_id: 'd-1' });
  assert.deepEqual(lastInput(upstream, 'get_group_files'), { group_id: GROUP, parent_folder_id: 'd-1' });

  const up = await ok<{ file_id: string }>(bridge, 'upload_group_file', { group_id: GROUP, file: `base64://${FILE.toString('base64')}`, name: 'minutes.txt', folder: 'd-1' });
  assert.equal(up.file_id, 'f-2');
  assert.deepEqual(lastInput(upstream, 'upload_group_file'), { group_id: GROUP, parent_folder_id: 'd-1', file_uri: `base64://${FILE.toString('base64')}`, file_name: 'minutes.txt' });
  await ok(bridge, 'upload_private_file', { user_id: FRANK, file: `base64://${FILE.toString('base64')}`, name: 'note.txt' });
  assert.deepEqual(lastInput(upstream, 'upload_private_file'), { user_id: FRANK, file_uri: `base64://${FILE.toString('base64')}`, file_name: 'note.txt' });

  const { url } = await ok<{ url: string }>(bridge, 'get_group_file_url', { group_id: GROUP, file_id: 'f-1' });
  assert.ok(url.startsWith(bridge.base), `served by cqhttpd: ${url}`);
  assert.deepEqual(Buffer.from(await (await fetch(url)).arrayBuffer()), FILE);

  assert.equal((await ok<{ folder_id: string }>(bridge, 'create_group_file_folder', { group_id: GROUP, name: 'new' })).folder_id, 'd-2');
  assert.deepEqual(lastInput(upstream, 'create_group_folder'), { group_id: GROUP, folder_name: 'new' });
  await ok(bridge, 'delete_group_file', { group_id: GROUP, file_id: 'f-1' });
  assert.deepEqual(lastInput(upstream, 'delete_group_file'), { group_id: GROUP, file_id: 'f-1' });
  await ok(bridge, 'delete_group_folder', { group_id: GROUP, folder_id: 'd-1' });
  assert.deepEqual(lastInput(upstream, 'delete_group_folder'), { group_id: GROUP, folder_id: 'd-1' });
  assert.deepEqual(upstream.answerErrors, []);
});
