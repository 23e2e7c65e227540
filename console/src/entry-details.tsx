/** One timeline entry in full: JSON (messages in both forms), copy as curl / JSON, the way back to the chat, and the faults that hit it. */
import { toCq } from './cq';
import { connectionLabel, deliveriesOf, outcomeLabel } from './deliveries';
import { faultsOn, hitBy } from './faults';
import { t } from './i18n';
import { faultSummary, messageIdOf, summary } from './links';
import { apiBase, ignoredParams } from './meta';
import { chatOf, selfId, chats, type Entry } from './store';
import type { Segment } from './types';
import { current, selected } from './ui-state';
import { openChat } from './world-panel';

function segmentsOf(v: unknown): Segment[] | undefined {
  return Array.isArray(v) && v.every((s) => s !== null && typeof s === 'object' && typeof (s as Segment).type === 'string') ? (v as Segment[]) : undefined;
}

function curlOf(e: Extract<Entry, { kind: 'call' }>): string {
  const body = JSON.stringify(e.call.params).replace(/'/g, `'\\''`);
  return `curl -X POST '${apiBase.value}/${e.call.action}' -H 'content-type: application/json' -d '${body}'`;
}

function showInChat(messageId: number): void {
  for (const [key, list] of chats.value) {
    const m = list.find((x) => x.message_id === messageId);
    if (m === undefined) continue;
    const k = chatOf(m, selfId.value) ?? key;
    if (current.value !== k) openChat(k);
    selected.value = { kind: 'message', messageId };
    requestAnimationFrame(() => document.querySelector(`[data-message-id="${messageId}"]`)?.scrollIntoView({ block: 'center' }));
    return;
  }
}

/** The connections an event was delivered on, each with its outcome. */
function Deliveries({ eventKey }: { eventKey: string | undefined }) {
  const list = deliveriesOf(eventKey);
  if (list.length === 0) return <p class="deliveries-none">{t('notDelivered')}</p>;
  return (
    <ul class="deliveries" aria-label={t('deliveries')}>
      {list.map((d, i) => <li key={i} class={`outcome-${d.outcome}`}>{connectionLabel(d.connection, d.channel)} — {outcomeLabel(d.outcome)}</li>)}
    </ul>
  );
}

/** An injected fault: what it did, to which call, event or connection — and the way to what it hit. */
function FaultDetails({ e }: { e: Extract<Entry, { kind: 'fault' }> }) {
  const f = e.fault;
  const hit = hitBy(e.seq);
  const c = f.connection;
  return (
    <section class="entry-details fault-details" aria-label={t('faultOf', { id: f.id })}>
      <div class="detail-acts">
        <button onClick={() => void navigator.clipboard.writeText(JSON.stringify(f, null, 2))}>{t('copyJson')}</button>
        {hit !== undefined && <button onClick={() => { selected.value = { kind: 'entry', seq: hit.seq }; }}>{t(hit.kind === 'call' ? 'showHitCall' : 'showHitEvent')}</button>}
      </div>
      <p class="fault-what">{faultSummary(f)}</p>
      <dl class="fault-facts">
        <dt>{t('faultEffect')}</dt><dd>{f.effect}{f.profile !== undefined ? ` (${f.profile})` : ''}</dd>
        <dt>{t('faultTargetLabel')}</dt><dd>{f.target === 'action' ? `${f.action ?? ''} · ${f.channel ?? ''}` : f.target === 'event' ? JSON.stringify(f.event ?? {}) : c !== undefined && typeof c.id === 'number' ? connectionLabel(c.id) : `${c?.transport ?? ''} ${c?.role ?? ''}`}</dd>
        <dt>{t('faultHitLabel')}</dt><dd>{hit !== undefined ? summary(hit) : f.target === 'connection' ? t('faultOnConnection') : t('faultHitUnseen')}</dd>
      </dl>
      <pre class="json">{JSON.stringify(f, null, 2)}</pre>
    </section>
  );
}

/** The faults injected on a call or an event, each with the way to its own entry. */
function HitBy({ seq }: { seq: number }) {
  const faults = faultsOn(seq);
  if (faults.length === 0) return null;
  return (
    <ul class="hit-by" aria-label={t('faultsHere')}>
      {faults.map((x) => (
        <li key={x.seq} class="warn">⚡ {t('faultHere', { id: x.fault.id, effect: x.fault.effect })} <button onClick={() => { selected.value = { kind: 'entry', seq: x.seq }; }}>{t('showFault', { id: x.fault.id })}</button></li>
      ))}
    </ul>
  );
}

export function Details({ e }: { e: Entry }) {
  if (e.kind === 'fault') return <FaultDetails e={e} />;
  const value = e.kind === 'call' ? e.call : e.event;
  const message = e.kind === 'call' ? e.call.params['message'] : e.event['message'];
  const segs = segmentsOf(message);
  const mid = messageIdOf(e);
  const ignored = e.kind === 'call' ? ignoredParams(e.call.action, e.call.params) : [];
  return (
    <section class="entry-details" aria-label={e.kind === 'call' ? t('callOf', { action: e.call.action }) : t('kindEvent')}>
      <div class="detail-acts">
        {e.kind === 'call' && <button onClick={() => void navigator.clipboard.writeText(curlOf(e))}>{t('copyCurl')}</button>}
        <button onClick={() => void navigator.clipboard.writeText(JSON.stringify(value, null, 2))}>{t('copyJson')}</button>
        {mid !== undefined && <button onClick={() => showInChat(mid)}>{t('showInChat', { id: mid })}</button>}
      </div>
      <HitBy seq={e.seq} />
      {e.kind === 'call' && e.call.unknown === true && <p class="warn">{t('unknownAction')}</p>}
      {e.kind === 'call' && e.call.msg !== undefined && <p class="warn">{e.call.msg}: {e.call.wording}</p>}
      {ignored.length > 0 && <p class="warn">{t('ignoredParams', { names: ignored.join(', ') })}</p>}
      {segs !== undefined && <p class="cq"><span>{t('asCq')}</span> <code>{toCq(segs)}</code></p>}
      {typeof message === 'string' && <p class="cq"><span>{t('asCq')}</span> <code>{message}</code></p>}
      {e.kind === 'event' && <Deliveries eventKey={e.key} />}
      <pre class="json">{JSON.stringify(value, null, 2)}</pre>
    </section>
  );
}
