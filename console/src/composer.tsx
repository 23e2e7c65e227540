/**
 * The composer: who speaks (F2 cycles), the text ("Message"), @-picker, faces, reply, uploads, and a
 * raw CQ-code mode; ↑/↓ recall earlier inputs. Sending is POST /api/messages as the speaker.
 */
import { useState } from 'preact/hooks';
import { act } from './acts';
import { FACES } from './faces';
import { t } from './i18n';
import { displayName, group } from './names';
import { selfId, type ChatKey } from './store';
import type { Segment } from './types';
import { replyTo, speaker } from './ui-state';
import { SpeakerPicker } from './speaker';

interface Token { label: string; seg: Segment }

const history: string[] = [];

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The text with its inserted @s and faces as segments. */
function toSegments(text: string, tokens: readonly Token[]): Segment[] {
  const used = tokens.filter((tk) => text.includes(tk.label));
  if (used.length === 0) return text === '' ? [] : [{ type: 'text', data: { text } }];
  const re = new RegExp(`(${used.map((tk) => escapeRe(tk.label)).join('|')})`);
  return text.split(re).filter((part) => part !== '').map((part) => used.find((tk) => tk.label === part)?.seg ?? { type: 'text', data: { text: part } });
}

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

export function Composer({ chat }: { chat: ChatKey }) {
  const [text, setText] = useState('');
  const [raw, setRaw] = useState(false);
  const [tokens, setTokens] = useState<Token[]>([]);
  const [atOpen, setAtOpen] = useState(false);
  const [at, setAt] = useState(-1);
  const [media, setMedia] = useState<Segment[]>([]);
  const [kind, idText] = chat.split(':');
  const id = Number(idText);
  const g = kind === 'g' ? group(id) : undefined;

  function insert(label: string, seg: Segment): void {
    setTokens([...tokens, { label, seg }]);
    setText(`${text}${label} `);
    document.getElementById('composer-text')?.focus();
  }

  async function send(): Promise<void> {
    const reply = replyTo.value;
    let message: unknown;
    if (raw) message = `${reply === null ? '' : `[CQ:reply,id=${reply}]`}${text}`;
    else message = [...(reply === null ? [] : [{ type: 'reply', data: { id: String(reply) } }]), ...toSegments(text, tokens), ...media];
    if ((typeof message === 'string' && message === '') || (Array.isArray(message) && message.length === 0)) return;
    const body: Record<string, unknown> = { from: speaker.value, message };
    if (g !== undefined) body['group_id'] = id;
    if (text !== '') history.push(text);
    setAt(-1);
    const sent = await act(t('send'), 'POST', '/api/messages', body);
    if (sent !== undefined) {
      setText('');
      setTokens([]);
      setMedia([]);
      replyTo.value = null;
    }
  }

  function onKey(e: KeyboardEvent): void {
    const el = e.currentTarget as HTMLTextAreaElement;
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      void send();
    } else if (e.key === 'ArrowUp' && (text === '' || at >= 0) && el.selectionStart === 0 && history.length > 0) {
      e.preventDefault();
      const next = at < 0 ? history.length - 1 : Math.max(0, at - 1);
      setAt(next);
      setText(history[next] ?? '');
    } else if (e.key === 'ArrowDown' && at >= 0) {
      e.preventDefault();
      const next = at + 1;
      setAt(next >= history.length ? -1 : next);
      setText(next >= history.length ? '' : history[next] ?? '');
    }
  }

  async function upload(type: 'image' | 'record' | 'file', file: File): Promise<void> {
    const base64 = await readBase64(file);
    if (type === 'file') {
      if (g !== undefined) await act(t('uploadFile'), 'POST', `/api/groups/${id}/files`, { from: speaker.value, name: file.name, content_base64: base64 });
      return;
    }
    setMedia([...media, { type, data: { file: `base64://${base64}` } }]);
  }

  const members = g?.members.filter((m) => m.user_id !== selfId.value) ?? [];
  return (
    <form class="composer" onSubmit={(e) => { e.preventDefault(); void send(); }}>
      <div class="composer-tools">
        <SpeakerPicker chat={chat} />
        {g !== undefined && (
          <details class="picker" open={atOpen} onToggle={(e) => setAtOpen((e.currentTarget as HTMLDetailsElement).open)}>
            <summary aria-label={t('mention')}>@</summary>
            <ul role="listbox" aria-label={t('mention')}>
              <li><button type="button" role="option" onClick={() => { insert(`@${t('atAll')}`, { type: 'at', data: { qq: 'all' } }); setAtOpen(false); }}>@{t('atAll')}</button></li>
              {[{ user_id: selfId.value }, ...members].map((m) => (
                <li key={m.user_id}><button type="button" role="option" onClick={() => { insert(`@${displayName(m.user_id, id)}`, { type: 'at', data: { qq: String(m.user_id) } }); setAtOpen(false); }}>@{displayName(m.user_id, id)} ({m.user_id})</button></li>
              ))}
            </ul>
          </details>
        )}
        <details class="picker">
          <summary aria-label={t('faces')}>🙂</summary>
          <div class="faces" role="group" aria-label={t('faces')}>
            {Object.entries(FACES).map(([fid, [name, emoji]]) => (
              <button type="button" key={fid} title={`${name} (${fid})`} aria-label={name} onClick={() => insert(`/${name}`, { type: 'face', data: { id: fid } })}>{emoji}</button>
            ))}
          </div>
        </details>
        <label class="upload">{t('image')}<input type="file" accept="image/*" onChange={(e) => { const f = e.currentTarget.files?.[0]; if (f !== undefined) void upload('image', f); }} /></label>
        <label class="upload">{t('voice')}<input type="file" accept="audio/*" onChange={(e) => { const f = e.currentTarget.files?.[0]; if (f !== undefined) void upload('record', f); }} /></label>
        {g !== undefined && <label class="upload">{t('uploadFile')}<input type="file" onChange={(e) => { const f = e.currentTarget.files?.[0]; if (f !== undefined) void upload('file', f); }} /></label>}
        <label class="raw"><input type="checkbox" checked={raw} onChange={(e) => setRaw(e.currentTarget.checked)} />{t('rawCq')}</label>
      </div>
      {(replyTo.value !== null || media.length > 0) && (
        <div class="composer-chips">
          {replyTo.value !== null && <span class="chip">{t('replyingTo', { id: replyTo.value })} <button type="button" aria-label={t('cancelReply')} onClick={() => { replyTo.value = null; }}>×</button></span>}
          {media.map((m, i) => <span class="chip" key={i}>{m.type === 'image' ? '🖼' : '🎤'} <button type="button" aria-label={t('removeAttachment')} onClick={() => setMedia(media.filter((_, j) => j !== i))}>×</button></span>)}
        </div>
      )}
      <div class="composer-row">
        <textarea id="composer-text" aria-label={t('message')} placeholder={raw ? t('placeholderRaw') : t('placeholder')} rows={2} value={text}
          onInput={(e) => { setText(e.currentTarget.value); if (e.currentTarget.value.endsWith('@') && g !== undefined) setAtOpen(true); }} onKeyDown={onKey} />
        <button type="submit" class="primary">{t('send')}</button>
      </div>
    </form>
  );
}
