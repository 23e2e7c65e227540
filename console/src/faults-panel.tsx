/**
 * The Faults panel (left column): the faults set now (GET /api/faults) with their hits and times
 * left, each cleared with DELETE /api/faults/:id or all at once with DELETE /api/faults; a new one
 * from a profile (with a probability and a number of times, if wanted) or as a fault object in
 * JSON, with POST /api/faults. A refused object shows every problem the server listed.
 */
import { useState } from 'preact/hooks';
import { act, refusal } from './acts';
import { activeFaults, faultGroups, faultTarget, loadFaults, type ActiveFault } from './faults';
import { FAULT_PROFILES, PROFILE_ABOUT, type FaultProfile } from './fault-profiles';
import { t } from './i18n';

function partText(f: ActiveFault): string {
  const left = f.remaining === null ? '' : ` · ${t('faultLeft', { n: f.remaining })}`;
  return `${faultTarget(f)} ${String(f.effect ?? '')} · ${t('faultHits', { n: f.hits })}${left}`;
}

async function add(body: Record<string, unknown>): Promise<boolean> {
  const answer = await act(t('faultAdd'), 'POST', '/api/faults', body);
  await loadFaults();
  return answer !== undefined;
}

export function FaultsPanel() {
  const [profile, setProfile] = useState<FaultProfile>(FAULT_PROFILES[0]);
  const [probability, setProbability] = useState('');
  const [times, setTimes] = useState('');
  const [raw, setRaw] = useState('');
  const groups = faultGroups(activeFaults.value);
  const fromProfile = (): void => {
    void add({ profile, ...(probability.trim() !== '' ? { probability: Number(probability) } : {}), ...(times.trim() !== '' ? { times: Number(times) } : {}) });
  };
  const fromJson = (): void => {
    let body: unknown;
    try { body = JSON.parse(raw); } catch (err) {
      refusal.value = { act: t('faultAdd'), status: 0, code: 'BAD_JSON', message: `${t('apiBadJson')}: ${(err as Error).message}`, retcode: undefined, wording: undefined };
      return;
    }
    void add(body as Record<string, unknown>).then((ok) => { if (ok) setRaw(''); });
  };
  return (
    <section class="faults" aria-label={t('faults')}>
      <h2>{t('faults')}{groups.length > 0 && <span class="badge fault-count">{groups.length}</span>}</h2>
      <form class="row" aria-label={t('faultAdd')} onSubmit={(e) => { e.preventDefault(); fromProfile(); }}>
        <select aria-label={t('faultProfile')} aria-describedby="fault-about" value={profile} onChange={(e) => setProfile(e.currentTarget.value as FaultProfile)}>
          {FAULT_PROFILES.map((p) => <option key={p} value={p}>{p}</option>)}
        </select>
        <p id="fault-about" class="fault-about">{t(PROFILE_ABOUT[profile])}</p>
        <div class="fault-knobs">
          <input type="number" min={0} max={1} step={0.05} aria-label={t('faultProbability')} placeholder={t('faultProbability')} value={probability} onInput={(e) => setProbability(e.currentTarget.value)} />
          <input type="number" min={1} step={1} aria-label={t('faultTimes')} placeholder={t('faultTimes')} value={times} onInput={(e) => setTimes(e.currentTarget.value)} />
        </div>
        <button type="submit">{t('faultAdd')}</button>
      </form>
      <details class="fault-json">
        <summary>{t('faultCustom')}</summary>
        <textarea rows={3} aria-label={t('faultObject')} placeholder='{"action":"send_msg","effect":"fail","retcode":100}' value={raw} onInput={(e) => setRaw(e.currentTarget.value)} />
        <button disabled={raw.trim() === ''} onClick={fromJson}>{t('faultAddJson')}</button>
      </details>
      {groups.length === 0 ? <p class="none">{t('faultsNone')}</p> : (
        <>
          <ul aria-label={t('faultsActive')}>
            {groups.map((g) => (
              <li key={g.id}>
                <div class="fault-line">
                  <strong>{g.id}</strong> <span>{g.parts[0]?.profile ?? ''}</span>
                  <button aria-label={t('faultDelete', { id: g.id })} onClick={() => void act(t('faultDelete', { id: g.id }), 'DELETE', `/api/faults/${encodeURIComponent(g.id)}`).then(loadFaults)}>×</button>
                </div>
                {g.parts.map((p) => <div key={p.id} class="fault-part">{partText(p)}</div>)}
              </li>
            ))}
          </ul>
          <button onClick={() => void act(t('faultsClear'), 'DELETE', '/api/faults').then(loadFaults)}>{t('faultsClear')}</button>
        </>
      )}
    </section>
  );
}
