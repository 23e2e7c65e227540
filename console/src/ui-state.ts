/** View state shared by the panels: the tab, the theme. */
import { signal } from '@preact/signals';

export type Tab = 'chat' | 'connections' | 'api';
export type Theme = 'auto' | 'light' | 'dark';

const THEME_KEY = 'cqhttpd.theme';

export const tab = signal<Tab>('chat');
export const theme = signal<Theme>((localStorage.getItem(THEME_KEY) as Theme | null) ?? 'auto');

export function setTheme(value: Theme): void {
  localStorage.setItem(THEME_KEY, value);
  theme.value = value;
  applyTheme();
}

/** Put the theme on <html data-theme> (auto follows the system through CSS). */
export function applyTheme(): void {
  document.documentElement.dataset['theme'] = theme.value;
}
