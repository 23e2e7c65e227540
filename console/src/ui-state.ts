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

/** The open conversation. */
export const current = signal<`g:${number}` | `p:${number}` | null>(null);
/** Who speaks and acts: a user's QQ number (0 = none chosen yet). */
export const speaker = signal(0);
/** What the inspector shows in detail: a timeline entry, or every entry linked to a message. */
export const selected = signal<{ kind: 'entry'; seq: number } | { kind: 'message'; messageId: number } | null>(null);
/** A message the composer replies to. */
export const replyTo = signal<number | null>(null);
/** Whether the member list is shown beside the conversation. */
export const showMembers = signal(true);
