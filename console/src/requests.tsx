/** Friend and join requests: ask as a user, and answer pending join requests as the speaker. */
import { useState } from 'preact/hooks';
import { act } from './acts';
import { t } from './i18n';
import { nickname } from './names';
import { requests, world } from './store';
import { speaker } from './ui-state';

export function Requests() {
  const [from, setFrom] = useState('');
  const pending = requests.value.filter((r) => r.state === 'pending');
  return (
    <section class="requests" aria-label={t('requests')}>
      <h2>{t('requests')}</h2>
      <div class="row">
        <select aria-label={t('friendRequestFrom')} value={from} onChange={(e) => setFrom(e.currentTarget.value)}>
          <option value="">—</option>
          {(world.value?.users ?? []).filter((u) => !(world.value?.friends ?? []).includes(u.user_id)).map((u) => <option key={u.user_id} value={String(u.user_id)}>{u.nickname} ({u.user_id})</option>)}
        </select>
        <button disabled={from === ''} onClick={() => void act(t('friendRequest'), 'POST', '/api/friend-requests', { from, comment: '' })}>{t('friendRequest')}</button>
      </div>
      <ul>
        {pending.map((r) => (
          <li key={r.flag}>
            <span>{r.request_type === 'friend' ? t('reqFriend', { who: nickname(r.user_id) }) : r.sub_type === 'invite' ? t('reqInvite', { who: nickname(r.user_id), group: r.group_id ?? '' }) : t('reqJoin', { who: nickname(r.user_id), group: r.group_id ?? '' })}</span>
            {r.request_type === 'group' && r.sub_type === 'add' && (
              <>
                <button onClick={() => void act(t('approve'), 'POST', `/api/requests/${encodeURIComponent(r.flag)}`, { operator: speaker.value, approve: true })}>{t('approve')}</button>
                <button onClick={() => void act(t('reject'), 'POST', `/api/requests/${encodeURIComponent(r.flag)}`, { operator: speaker.value, approve: false })}>{t('reject')}</button>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
