/** English strings of the console. Keys are shared with strings-zh.ts, which must list every one. */
export const EN = {
  title: 'cqhttpd sandbox',
  language: 'Language',
  theme: 'Theme',
  themeLight: 'Light',
  themeDark: 'Dark',
  themeAuto: 'System',
  tabChat: 'Chat',
  tabConnections: 'Connections',
  tabApi: 'API',
  tokenTitle: 'This sandbox needs a token',
  tokenWrong: 'That token is wrong.',
  tokenLabel: 'Sandbox token',
  tokenSubmit: 'Open',
  live: 'Live',
  offline: 'Reconnecting…',
} as const;
