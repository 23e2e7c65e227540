/** The top bar: the tabs, the live indicator, the language and theme switches. */
import { lang, setLang, t, type Lang } from './i18n';
import { setTheme, tab, theme, type Tab, type Theme } from './ui-state';

const TABS: [Tab, 'tabChat' | 'tabConnections' | 'tabApi'][] = [['chat', 'tabChat'], ['connections', 'tabConnections'], ['api', 'tabApi']];

export function Header({ live }: { live?: boolean }) {
  return (
    <header class="header">
      <h1 class="brand">{t('title')}</h1>
      <nav class="tabs" role="tablist" aria-label={t('title')}>
        {TABS.map(([id, key]) => (
          <button key={id} role="tab" aria-selected={tab.value === id} class={tab.value === id ? 'tab on' : 'tab'} onClick={() => { tab.value = id; }}>{t(key)}</button>
        ))}
      </nav>
      <span class={live === true ? 'live on' : 'live'} role="status">{live === true ? t('live') : t('offline')}</span>
      <label class="pick">
        <span class="sr">{t('language')}</span>
        <select aria-label={t('language')} value={lang.value} onChange={(e) => setLang((e.currentTarget.value as Lang))}>
          <option value="en">English</option>
          <option value="zh-CN">简体中文</option>
        </select>
      </label>
      <label class="pick">
        <span class="sr">{t('theme')}</span>
        <select aria-label={t('theme')} value={theme.value} onChange={(e) => setTheme(e.currentTarget.value as Theme)}>
          <option value="auto">{t('themeAuto')}</option>
          <option value="light">{t('themeLight')}</option>
          <option value="dark">{t('themeDark')}</option>
        </select>
      </label>
    </header>
  );
}
