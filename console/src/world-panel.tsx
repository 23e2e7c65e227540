/** The left column: the groups and private chats to open, and forms to add and edit users and groups. */
import { useState } from 'preact/hooks';
import { act } from './acts';
import { t } from './i18n';
import { nickname } from './names';
import { loadChat, world, type ChatKey } from './store';
import { current, replyTo } from './ui-state';
import { RoleBadge } from './badges';
import { EditGroup, EditUser } from './world-edit';

export function openChat(key: ChatKey): void {
  current.value = key;
  replyTo.value = null;
  void loadChat(key);
}

export function WorldPanel() {
  const w = world.value;
  if (w === null) return <aside class="world" aria-label={t('world')} />;
  const privates = [...new Set([...w.friends, ...w.users.map((u) => u.user_id)])];
  return (
    <aside class="world" aria-label={t('world')}>
      <h2>{t('groups')}</h2>
      <ul class="chats">
        {w.groups.map((g) => {
          const bot = g.members.find((m) => m.user_id === w.self_id);
          const key: ChatKey = `g:${g.group_id}`;
          return (
            <li key={key}>
              <button class={current.value === key ? 'chat on' : 'chat'} aria-current={current.value === key} onClick={() => openChat(key)}>
                <span class="chat-name">{g.group_name}</span>
                <span class="chat-sub">{g.group_id} · {g.members.length}{g.whole_ban ? ` · ${t('wholeBanShort')}` : ''}</span>
                {bot !== undefined ? <RoleBadge role={bot.role} bot /> : <span class="badge none">{t('botNotIn')}</span>}
              </button>
            </li>
          );
        })}
      </ul>
      <h2>{t('privateChats')}</h2>
      <ul class="chats">
        {privates.map((id) => {
          const key: ChatKey = `p:${id}`;
          return (
            <li key={key}>
              <button class={current.value === key ? 'chat on' : 'chat'} aria-current={current.value === key} onClick={() => openChat(key)}>
                <span class="chat-name">{nickname(id)}</span>
                <span class="chat-sub">{id}{w.friends.includes(id) ? ` · ${t('friend')}` : ''}</span>
              </button>
            </li>
          );
        })}
      </ul>
      <NewUser />
      <NewGroup />
      <EditUser />
      <EditGroup />
    </aside>
  );
}

function NewUser() {
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  return (
    <details class="form">
      <summary>{t('newUser')}</summary>
      <form onSubmit={(e) => { e.preventDefault(); void act(t('newUser'), 'POST', '/api/users', { user_id: id, nickname: name }); }}>
        <label>{t('qq')}<input inputMode="numeric" required value={id} onInput={(e) => setId(e.currentTarget.value)} /></label>
        <label>{t('nicknameLabel')}<input required value={name} onInput={(e) => setName(e.currentTarget.value)} /></label>
        <button type="submit">{t('create')}</button>
      </form>
    </details>
  );
}

function NewGroup() {
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [owner, setOwner] = useState('');
  return (
    <details class="form">
      <summary>{t('newGroup')}</summary>
      <form onSubmit={(e) => { e.preventDefault(); void act(t('newGroup'), 'POST', '/api/groups', { group_id: id, group_name: name, owner_id: owner }); }}>
        <label>{t('groupId')}<input inputMode="numeric" required value={id} onInput={(e) => setId(e.currentTarget.value)} /></label>
        <label>{t('groupName')}<input required value={name} onInput={(e) => setName(e.currentTarget.value)} /></label>
        <label>{t('owner')}<input inputMode="numeric" required value={owner} onInput={(e) => setOwner(e.currentTarget.value)} /></label>
        <button type="submit">{t('create')}</button>
      </form>
    </details>
  );
}
