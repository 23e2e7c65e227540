/** The console's two languages: English and Simplified Chinese, chosen by `?lang=`, then the saved choice, then the browser. */
import { computed, signal } from '@preact/signals';
import { EN } from './strings-en';
import { ZH } from './strings-zh';

export type Lang = 'en' | 'zh-CN';
export type Key = keyof typeof EN;

const LANG_KEY = 'cqhttpd.lang';

function initialLang(): Lang {
  const asked = new URLSearchParams(location.search).get('lang') ?? localStorage.getItem(LANG_KEY) ?? navigator.language;
  return /^zh/i.test(asked) ? 'zh-CN' : 'en';
}

export const lang = signal<Lang>(initialLang());
const table = computed(() => (lang.value === 'zh-CN' ? ZH : EN));

export function setLang(value: Lang): void {
  localStorage.setItem(LANG_KEY, value);
  lang.value = value;
  document.documentElement.lang = value;
}

/** The text of `key` in the current language, `{name}` placeholders filled from `vars`. */
export function t(key: Key, vars: Record<string, string | number> = {}): string {
  const text: string = table.value[key];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}
