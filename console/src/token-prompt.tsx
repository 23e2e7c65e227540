/** Asked when the control API refuses the request for want of the right `sandbox_token`. */
import { useState } from 'preact/hooks';
import { needToken, setToken } from './api';
import { t } from './i18n';

export function TokenPrompt() {
  const [value, setValue] = useState('');
  return (
    <form class="token" onSubmit={(e) => { e.preventDefault(); setToken(value); }}>
      <h1>{t('tokenTitle')}</h1>
      {needToken.value === 'wrong' && <p role="alert">{t('tokenWrong')}</p>}
      <label>
        {t('tokenLabel')}
        <input type="password" autoComplete="off" value={value} onInput={(e) => setValue(e.currentTarget.value)} />
      </label>
      <button type="submit">{t('tokenSubmit')}</button>
    </form>
  );
}
