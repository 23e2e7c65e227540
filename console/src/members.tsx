/** A group's member list: roles, cards, titles, mutes with time left; every act performed as the speaker. */
import { useState } from 'preact/hooks';
import { act } from './acts';
import { RoleBadge } from './badges';
import { t } from './i18n';
import { nickname, timeLeft } from './names';
import { now, selfId, world } from './store';
import type { Group, Member } from './types';
import { speaker } from './ui-state';

function MemberRow({ g, m }: { g: Group; m: Member }) {
  const gid = g.group_id;
  const name = m.card !== '' ? m.card : nickname(m.user_id);
  const left = m.muted_until - now.value;
  const as = speaker.value;
  const ask = (question: string, fallback: string): string | null => window.prompt(question, fallback);
  return (
    <li class="member">
      <div class="member-line">
        <span class="member-name">{name}</span>
        <RoleBadge role={m.role} bot={m.user_id === selfId.value} />
        {m.title !== '' && <span class="badge title">{m.title}</span>}
        {left > 0 && <span class="badge muted" title={t('mutedUntil', { time: new Date(m.muted_until * 1000).toLocaleString() })}>🔇 {timeLeft(left)}</span>}
      </div>
      <div class="member-sub">{m.user_id}{m.card !== '' ? ` · ${nickname(m.user_id)}` : ''}</div>
      <details class="member-acts">
        <summary aria-label={t('actsOn', { name })}>⋯</summary>
        <div class="acts">
          <button onClick={() => void act(t('poke'), 'POST', '/api/poke', { from: as, target: m.user_id, group_id: gid })}>{t('poke')}</button>
          <button onClick={() => { const d = ask(t('muteHow'), '600'); if (d !== null) void act(t('mute'), 'POST', `/api/groups/${gid}/ban`, { operator: as, user_id: m.user_id, duration: Number(d) }); }}>{t('mute')}</button>
          {left > 0 && <button onClick={() => void act(t('unmute'), 'POST', `/api/groups/${gid}/ban`, { operator: as, user_id: m.user_id, duration: 0 })}>{t('unmute')}</button>}
          <button onClick={() => void act(t('kick'), 'DELETE', `/api/groups/${gid}/members/${m.user_id}`, { operator: as })}>{t('kick')}</button>
          <button onClick={() => void act(m.role === 'admin' ? t('unsetAdmin') : t('setAdmin'), 'POST', `/api/groups/${gid}/admins`, { operator: as, user_id: m.user_id, enable: m.role !== 'admin' })}>{m.role === 'admin' ? t('unsetAdmin') : t('setAdmin')}</button>
          <button onClick={() => { const c = ask(t('cardHow'), m.card); if (c !== null) void act(t('setCard'), 'POST', `/api/groups/${gid}/members/${m.user_id}/card`, { operator: as, card: c }); }}>{t('setCard')}</button>
          <button onClick={() => { const c = ask(t('titleHow'), m.title); if (c !== null) void act(t('setTitle'), 'POST', `/api/groups/${gid}/members/${m.user_id}/title`, { operator: as, title: c }); }}>{t('setTitle')}</button>
        </div>
      </details>
    </li>
  );
}

export function Members({ group: g }: { group: Group }) {
  const [who, setWho] = useState('');
  const outsiders = (world.value?.users ?? []).filter((u) => !g.members.some((m) => m.user_id === u.user_id));
  const botIn = g.members.some((m) => m.user_id === selfId.value);
  const gid = g.group_id;
  const as = speaker.value;
  return (
    <aside class="members" aria-label={t('members')}>
      <h3>{t('members')} ({g.members.length}/{g.max_member_count})</h3>
      <ul>{g.members.map((m) => <MemberRow key={m.user_id} g={g} m={m} />)}</ul>
      <div class="group-acts">
        <label>{t('someone')}
          <select aria-label={t('someone')} value={who} onChange={(e) => setWho(e.currentTarget.value)}>
            <option value="">—</option>
            {outsiders.map((u) => <option key={u.user_id} value={String(u.user_id)}>{u.nickname} ({u.user_id})</option>)}
          </select>
        </label>
        <button disabled={who === ''} onClick={() => void act(t('invite'), 'POST', `/api/groups/${gid}/members`, { user_id: who, inviter: as })}>{t('invite')}</button>
        <button disabled={who === ''} onClick={() => void act(t('join'), 'POST', `/api/groups/${gid}/members`, { user_id: who })}>{t('join')}</button>
        <button disabled={who === ''} onClick={() => void act(t('applyJoin'), 'POST', `/api/groups/${gid}/join-requests`, { from: who, comment: '' })}>{t('applyJoin')}</button>
        <button onClick={() => void act(t('leave'), 'DELETE', `/api/groups/${gid}/members/${as}`)}>{t('leave')}</button>
        {!botIn && <button onClick={() => void act(t('inviteBot'), 'POST', `/api/groups/${gid}/bot-invitations`, { from: as, comment: '' })}>{t('inviteBot')}</button>}
      </div>
    </aside>
  );
}
