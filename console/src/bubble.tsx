/** One message as QQ shows it: sender, time, and each segment rendered (faces as names and emoji). */
import { useEffect, useState } from 'preact/hooks';
import { act } from './acts';
import { authHeaders, token } from './api';
import { faceLabel } from './faces';
import { t } from './i18n';
import { displayName } from './names';
import { chats, selfId } from './store';
import type { Message, Segment } from './types';
import { replyTo, selected, speaker } from './ui-state';

function findMessage(id: number): Message | undefined {
  for (const list of chats.value.values()) {
    const found = list.find((m) => m.message_id === id);
    if (found !== undefined) return found;
  }
  return undefined;
}

function plain(message: readonly Segment[], groupId?: number): string {
  return message.map((s) => (s.type === 'text' ? String(s.data['text'] ?? '') : s.type === 'at' ? `@${s.data['qq'] === 'all' ? t('atAll') : displayName(Number(s.data['qq']), groupId)}` : s.type === 'face' ? `[${faceLabel(Number(s.data['id']))}]` : `[${s.type}]`)).join('');
}

/**
 * A voice record, played from GET /api/records/<file> (converted to MP3 by the server: browsers
 * do not play QQ's SILK). With a token the bytes are fetched with it in a header (an <audio> src
 * cannot send one) and played from a blob; without, the URL is the src and nothing loads before play.
 */
function RecordPlayer({ file, url }: { file: string; url: string | undefined }) {
  const path = /^[\w.-]+$/.test(file) ? `/api/records/${encodeURIComponent(file)}` : url;
  const needsFetch = token.value !== '' && path !== undefined && path.startsWith('/api/');
  const [blob, setBlob] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (!needsFetch) return undefined;
    let made: string | undefined;
    let alive = true;
    void fetch(path, { headers: authHeaders() }).then((r) => (r.ok ? r.blob() : undefined)).then((b) => {
      if (b === undefined || !alive) return;
      made = URL.createObjectURL(b);
      setBlob(made);
    }, () => undefined);
    return () => {
      alive = false;
      if (made !== undefined) URL.revokeObjectURL(made);
    };
  }, [path, needsFetch]);
  if (path === undefined) return <>{file}</>;
  return <audio controls preload="none" src={needsFetch ? blob : path} aria-label={t('voiceMessage')} />;
}

function Forward({ seg }: { seg: Segment }) {
  const [open, setOpen] = useState(false);
  const nodes = Array.isArray(seg.data['content']) ? (seg.data['content'] as Segment[]) : [];
  return (
    <span class="forward">
      <button aria-expanded={open} onClick={(e) => { e.stopPropagation(); setOpen(!open); }}>{t('forwardShow')}</button>
      {open && (nodes.length > 0
        ? <ul>{nodes.map((n, i) => <li key={i}>{String(n.data['name'] ?? n.data['user_id'] ?? '')}: {Array.isArray(n.data['content']) ? plain(n.data['content'] as Segment[]) : String(n.data['content'] ?? '')}</li>)}</ul>
        : <code>{JSON.stringify(seg.data)}</code>)}
    </span>
  );
}

export function SegmentView({ seg, groupId }: { seg: Segment; groupId?: number | undefined }) {
  const d = seg.data;
  switch (seg.type) {
    case 'text': return <span class="text">{String(d['text'] ?? '')}</span>;
    case 'at': return <span class="at">@{d['qq'] === 'all' ? t('atAll') : displayName(Number(d['qq']), groupId)}</span>;
    case 'face': return <span class="face" title={`face ${String(d['id'])}`}>[{faceLabel(Number(d['id']))}]</span>;
    case 'image': return typeof d['url'] === 'string' ? <img class="image" src={d['url']} alt={t('image')} loading="lazy" /> : <span class="chip">🖼 {String(d['file'] ?? t('image'))}</span>;
    case 'record': return <span class="record">🎤 <RecordPlayer file={String(d['file'] ?? '')} url={typeof d['url'] === 'string' ? d['url'] : undefined} /></span>;
    case 'video': return <span class="chip">🎬 {String(d['file'] ?? '')}</span>;
    case 'file': return <span class="chip">📎 {String(d['name'] ?? d['file'] ?? '')}</span>;
    case 'reply': {
      const quoted = findMessage(Number(d['id']));
      return <blockquote class="quote">{quoted === undefined ? `#${String(d['id'])}` : `${displayName(quoted.user_id, groupId)}: ${plain(quoted.message, groupId)}`}</blockquote>;
    }
    case 'forward': case 'node': return <Forward seg={seg} />;
    case 'poke': return <span class="chip">👉 {t('poke')}</span>;
    default: return <span class="chip">[{seg.type}]</span>;
  }
}

export function Bubble({ m }: { m: Message }) {
  const self = m.user_id === selfId.value;
  const isSelected = selected.value?.kind === 'message' && selected.value.messageId === m.message_id;
  const time = new Date(m.time * 1000).toLocaleTimeString();
  const inspect = (): void => { selected.value = { kind: 'message', messageId: m.message_id }; };
  const who = m.anonymous !== undefined ? `${m.anonymous.name} (${t('anonymous')})` : displayName(m.user_id, m.group_id);
  return (
    <li class={`msg${self ? ' self' : ''}${m.recalled ? ' recalled' : ''}${isSelected ? ' picked' : ''}`} data-message-id={m.message_id}>
      <div class="meta"><span class="who">{who}</span> <span class="qq">{m.user_id}</span> <time>{time}</time>{m.recalled && <span class="badge recalled-tag">{t('recalled')}</span>}</div>
      <div class="bubble" onClick={inspect}>
        {m.message.map((seg, i) => <SegmentView key={i} seg={seg} groupId={m.group_id} />)}
      </div>
      <div class="msg-acts">
        <button aria-pressed={isSelected} aria-label={t('inspectLabel', { id: m.message_id })} onClick={inspect}>{t('inspect')}</button>
        <button onClick={() => { replyTo.value = m.message_id; document.getElementById('composer-text')?.focus(); }}>{t('reply')}</button>
        {!m.recalled && <button onClick={() => void act(t('recall'), 'POST', '/api/recall', { operator: speaker.value, message_id: m.message_id })}>{t('recall')}</button>}
        {m.group_id !== undefined && <button onClick={() => void act(t('essence'), 'POST', '/api/essence', { operator: speaker.value, message_id: m.message_id })}>{t('essence')}</button>}
      </div>
    </li>
  );
}
