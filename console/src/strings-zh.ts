/** 控制台的简体中文文本；键与 strings-en.ts 相同。 */
import type { EN } from './strings-en';

export const ZH: Record<keyof typeof EN, string> = {
  title: 'cqhttpd 沙盒',
  language: '语言',
  theme: '主题',
  themeLight: '浅色',
  themeDark: '深色',
  themeAuto: '跟随系统',
  tabChat: '聊天',
  tabConnections: '连接',
  tabApi: '接口',
  tokenTitle: '此沙盒需要令牌',
  tokenWrong: '令牌错误。',
  tokenLabel: '沙盒令牌',
  tokenSubmit: '打开',
  live: '已连接',
  offline: '正在重连…',
};
