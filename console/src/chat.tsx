/** The middle column: the open conversation, its composer, and (for a group) its member list. */
import { useEffect, useRef } from 'preact/hooks';
import { act } from './acts';
import { Bubble } from './bubble';
import { Composer } from './composer';
import { t } from './i18n';
import { Members } from './members';
import { group, nickname } from './names';
import { chats } from './store';
import { current, showMembers, speaker } from './ui-state';

export function Chat() {
  const key = current.value;
  const listRef = useRef<HTMLOListElement>(null);
  const messages = key === null ? undefined : chats.value.get(key);
  const count = messages?.length ?? 0;
  useEffect(() => {
    const el = listRef.current;
    if (el !== null) el.scrollTop = el.scrollHeight;
  }, [key, count]);
  if (key === null) return <section class="chat-pane empty" aria-label={t('conversation')}><p>{t('pickChat')}</p></section>;
  const [kind, idText] = key.split(':');
  const id = Number(idText);
  const g = kind === 'g' ? group(id) : undefined;
  const title = g !== undefined ? `${g.group_name} (${id})` : `${nickname(id)} (${id})`;
  return (
    <section class="chat-pane" aria-label={t('conversation')}>
      <div class="chat-head">
        <h2>{title}</h2>
        {g !== undefined && (
          <>
            <button aria-pressed={g.whole_ban} onClick={() => void act(t('wholeBan'), 'POST', `/api/groups/${id}/whole-ban`, { operator: speaker.value, enable: !g.whole_ban })}>{g.whole_ban ? t('wholeBanOff') : t('wholeBanOn')}</button>
            <button aria-expanded={showMembers.value} onClick={() => { showMembers.value = !showMembers.value; }}>{t('members')} ({g.members.length})</button>
          </>
        )}
      </div>
      <div class="chat-body">
        <div class="chat-main">
          <ol class="messages" ref={listRef} aria-label={t('messages')} aria-live="polite">
            {(messages ?? []).map((m) => <Bubble key={m.message_id} m={m} />)}
          </ol>
          <Composer chat={key} />
        </div>
        {g !== undefined && showMembers.value && <Members group={g} />}
      </div>
    </section>
  );
}
