/** A refused act: which act, QQ's rule (the sentence), the retcode and wording the bot would get. */
import { refusal } from './acts';
import { t } from './i18n';

export function RefusalNotice() {
  const r = refusal.value;
  if (r === null) return null;
  return (
    <div class="refusal" role="alert">
      <strong>{t('refused', { act: r.act })}</strong>
      <dl>
        <dt>{t('rule')}</dt><dd>{r.message}</dd>
        <dt>{t('retcode')}</dt><dd>{r.retcode ?? '—'}</dd>
        <dt>{t('wording')}</dt><dd>{r.code}{r.wording !== undefined ? ` — ${r.wording}` : ''}</dd>
      </dl>
      <button aria-label={t('dismiss')} onClick={() => { refusal.value = null; }}>×</button>
    </div>
  );
}
