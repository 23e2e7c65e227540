/**
 * The right column: every event the bot was sent (with the connections it went to and how that
 * ended) and every call it made, filtered and searched, in a windowed list; the chosen entry (or
 * every entry about the chosen message) in detail.
 */
import { computed, signal } from '@preact/signals';
import { connectionLabel, connectionsSeen, deliveriesOf, deliveryVersion } from './deliveries';
import { Details } from './entry-details';
import { faultsOn, hitBy } from './faults';
import { t } from './i18n';
import { entriesFor, summary, whoOf } from './links';
import { entryTime, timeline, type Entry } from './store';
import { selected } from './ui-state';
import { VirtualList } from './virtual-list';

type Kind = 'all' | 'call' | 'event' | 'fault';
const kind = signal<Kind>('all');
const action = signal('');
const retcode = signal('');
const user = signal('');
const group = signal('');
const search = signal('');
/** A connection id: only the events delivered on it ('' = every entry). */
const connection = signal('');
/** A bot's QQ number: only its calls and events ('' = every bot's). */
const bot = signal('');

/** The bot an entry belongs to: the call's or the event's `self_id`. */
function botOf(e: Entry): number | undefined {
  if (e.kind === 'fault') return undefined;
  const id = e.kind === 'call' ? e.call.self_id : e.event['self_id'];
  return typeof id === 'number' ? id : undefined;
}

/** The bots the timeline has seen (the filter is shown with two or more). */
const botsSeen = computed(() => {
  const seen = new Set<number>();
  for (const e of timeline.value) {
    const id = botOf(e);
    if (id !== undefined) seen.add(id);
  }
  return [...seen].sort((a, b) => a - b);
});

const shown = computed(() => {
  const k = kind.value;
  const a = action.value.trim();
  const r = retcode.value.trim();
  const u = user.value.trim();
  const g = group.value.trim();
  const q = search.value.trim().toLowerCase();
  const c = connection.value === '' ? undefined : Number(connection.value);
  const b = bot.value === '' ? undefined : Number(bot.value);
  if (c !== undefined) void deliveryVersion.value;
  if (k === 'all' && a === '' && r === '' && u === '' && g === '' && q === '' && c === undefined && b === undefined) return timeline.value;
  return timeline.value.filter((e) => {
    if (b !== undefined && botOf(e) !== b) return false;
    if (c !== undefined && (e.kind !== 'event' || !deliveriesOf(e.key).some((d) => d.connection === c))) return false;
    if (k !== 'all' && e.kind !== k) return false;
    if (a !== '' && !nameOf(e).includes(a)) return false;
    if (r !== '' && String(e.kind === 'call' ? e.call.retcode : e.kind === 'fault' ? e.fault.retcode : '') !== r) return false;
    const who = u !== '' || g !== '' ? whoOf(e) : {};
    if (u !== '' && String(who.user) !== u) return false;
    if (g !== '' && String(who.group) !== g) return false;
    if (q !== '' && !JSON.stringify(e.kind === 'call' ? e.call : e.kind === 'event' ? e.event : e.fault).toLowerCase().includes(q)) return false;
    return true;
  });
});

/** What the action filter matches: the call's action, the event's kind, the fault's action and effect. */
function nameOf(e: Entry): string {
  if (e.kind === 'call') return e.call.action;
  if (e.kind === 'fault') return `${e.fault.action ?? ''} ${e.fault.effect}`;
  return String(e.event['notice_type'] ?? e.event['message_type'] ?? e.event.post_type);
}

/** The mark before an entry's text, and its accessible name: an unknown action, a failure, an injected fault (or one that hit it). */
function marks(e: Entry): [string, string | undefined] {
  if (e.kind === 'fault') return ['⚡', t('faultInjected')];
  if (faultsOn(e.seq).length > 0) return ['⚡', t('faultHit')];
  if (e.kind !== 'call') return ['', undefined];
  if (e.call.unknown === true) return ['⚠', t('unknownAction')];
  return e.call.retcode !== 0 && e.call.retcode !== 1 ? ['✖', t('failed')] : ['', undefined];
}

/** " ⇢ call #12", " ⇢ message group/normal: hi": what an injected fault hit, once seen. */
function hitText(e: Entry): string {
  if (e.kind !== 'fault') return '';
  const hit = hitBy(e.seq);
  if (hit === undefined) return '';
  return ` ⇢ ${hit.kind === 'call' ? `${t('kindCall')} #${hit.call.id}` : summary(hit)}`;
}

/** "→ forward WS #1 ✓, HTTP POST … ✗": where an event went, in one line. */
function deliveredTo(e: Entry): string {
  if (e.kind !== 'event') return '';
  const list = deliveriesOf(e.key);
  if (list.length === 0) return '';
  return ` → ${list.map((d) => `${connectionLabel(d.connection, d.channel)} ${d.outcome === 'sent' ? '✓' : d.outcome === 'filtered' ? '⊘' : '✗'}`).join(', ')}`;
}

function Row({ e }: { e: Entry }) {
  const sel = selected.value;
  const on = sel !== null && sel.kind === 'entry' && sel.seq === e.seq;
  const failed = e.kind === 'call' && (e.call.unknown === true || (e.call.retcode !== 0 && e.call.retcode !== 1));
  const time = new Date(entryTime(e)).toLocaleTimeString();
  const [mark, markLabel] = marks(e);
  return (
    <button class={`entry ${e.kind}${failed ? ' failed' : ''}${mark === '⚡' && e.kind !== 'fault' ? ' faulted' : ''}${on ? ' on' : ''}`} aria-pressed={on} onClick={() => { selected.value = { kind: 'entry', seq: e.seq }; }}>
      <span class="entry-kind">{t(e.kind === 'call' ? 'kindCall' : e.kind === 'event' ? 'kindEvent' : 'kindFault')}</span>
      <time>{time}</time>
      <span class="entry-mark" aria-label={markLabel}>{mark}</span>
      <span class="entry-text">{summary(e)}{deliveredTo(e)}{hitText(e)}</span>
    </button>
  );
}

export function Inspector() {
  const sel = selected.value;
  const all = timeline.value;
  const picked: Entry[] = sel === null ? [] : sel.kind === 'entry' ? all.filter((e) => e.seq === sel.seq) : entriesFor(sel.messageId, all);
  return (
    <aside class="inspector" aria-label={t('inspector')}>
      <div class="filters">
        <select aria-label={t('filterKind')} value={kind.value} onChange={(e) => { kind.value = e.currentTarget.value as Kind; }}>
          <option value="all">{t('kindAll')}</option>
          <option value="call">{t('kindCalls')}</option>
          <option value="event">{t('kindEvents')}</option>
          <option value="fault">{t('kindFaults')}</option>
        </select>
        <input aria-label={t('filterAction')} placeholder={t('filterAction')} value={action.value} onInput={(e) => { action.value = e.currentTarget.value; }} />
        <input aria-label={t('filterRetcode')} placeholder={t('filterRetcode')} size={6} value={retcode.value} onInput={(e) => { retcode.value = e.currentTarget.value; }} />
        <input aria-label={t('filterUser')} placeholder={t('filterUser')} size={9} value={user.value} onInput={(e) => { user.value = e.currentTarget.value; }} />
        <input aria-label={t('filterGroup')} placeholder={t('filterGroup')} size={9} value={group.value} onInput={(e) => { group.value = e.currentTarget.value; }} />
        <input type="search" aria-label={t('search')} placeholder={t('search')} value={search.value} onInput={(e) => { search.value = e.currentTarget.value; }} />
        <select aria-label={t('filterConnection')} value={connection.value} onChange={(e) => { connection.value = e.currentTarget.value; }}>
          <option value="">{t('allConnections')}</option>
          {[...connectionsSeen.value.values()].map((c) => <option key={c.id} value={String(c.id)}>{connectionLabel(c.id)}</option>)}
        </select>
        {(botsSeen.value.length > 1 || bot.value !== '') && (
          <select aria-label={t('filterBot')} value={bot.value} onChange={(e) => { bot.value = e.currentTarget.value; }}>
            <option value="">{t('allBots')}</option>
            {botsSeen.value.map((id) => <option key={id} value={String(id)}>{id}</option>)}
          </select>
        )}
      </div>
      <VirtualList items={shown.value} rowHeight={26} label={t('timeline')} follow render={(e) => <Row e={e} />} />
      <div class="details" aria-label={t('details')} role="region">
        {sel?.kind === 'message' && <p class="linked-head">{t('linkedTo', { id: sel.messageId, n: picked.length })}</p>}
        {picked.map((e) => <Details key={e.seq} e={e} />)}
      </div>
    </aside>
  );
}
