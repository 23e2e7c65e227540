/** The speaker picker: who the person speaks and acts as. F2 (anywhere) picks the next one. */
import { useEffect } from 'preact/hooks';
import { t } from './i18n';
import { displayName, group } from './names';
import { selfId, world, type ChatKey } from './store';
import { speaker } from './ui-state';

/** Who may speak in `chat`: a group's members but the bot; in a private chat, that user. */
export function speakersOf(chat: ChatKey): number[] {
  const [kind, idText] = chat.split(':');
  const id = Number(idText);
  if (kind === 'p') return [id];
  return group(id)?.members.map((m) => m.user_id).filter((u) => u !== selfId.value) ?? [];
}

export function cycleSpeaker(chat: ChatKey, step: number): void {
  const list = speakersOf(chat);
  if (list.length === 0) return;
  const at = list.indexOf(speaker.value);
  speaker.value = list[(at + step + list.length) % list.length] ?? 0;
}

export function SpeakerPicker({ chat }: { chat: ChatKey }) {
  const list = speakersOf(chat);
  const groupId = chat.startsWith('g:') ? Number(chat.slice(2)) : undefined;
  useEffect(() => {
    if (!list.includes(speaker.value) && list.length > 0) speaker.value = list[0] ?? 0;
  }, [chat, world.value]);
  return (
    <label class="speaker" title={t('speakerHint')}>
      <span>{t('speaker')}</span>
      <select aria-label={t('speaker')} aria-keyshortcuts="F2" value={String(speaker.value)} onChange={(e) => { speaker.value = Number(e.currentTarget.value); }}>
        {list.map((u) => <option key={u} value={String(u)}>{displayName(u, groupId)} ({u})</option>)}
      </select>
    </label>
  );
}
