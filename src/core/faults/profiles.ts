/**
 * Named fault profiles: failures bots meet on real QQ implementations, each expanded into plain
 * fault objects (docs/testing.md "Profiles" describes what each reproduces and its wire shape).
 */
import type { FaultInput, FaultProfile } from '../../protocol/fault-spec.js';

/** The actions that send a message. */
export const SEND_ACTIONS = ['send_msg', 'send_group_msg', 'send_private_msg', 'send_discuss_msg', 'send_forward_msg', 'send_group_forward_msg', 'send_private_forward_msg'] as const;

const send = [...SEND_ACTIONS];

/** The parts of a profile, in order. */
export const PROFILES: Readonly<Record<FaultProfile, readonly FaultInput[]>> = {
  // go-cqhttp, when QQ's risk control swallowed a send: retcode 100, msg SEND_MSG_API_ERROR, and a
  // wording that only points at its own console output. Nothing reaches the chat.
  'gocq-risk-control': [
    { action: send, effect: 'fail', retcode: 100, msg: 'SEND_MSG_API_ERROR', wording: '请参考 go-cqhttp 端输出' },
  ],
  // NapCat, when the NT kernel never confirmed a send: the call hangs 10 s, then a failure 1200
  // carrying the kernel event's timeout text. The message often did reach the chat: it is sent.
  'napcat-send-timeout': [
    {
      action: send, effect: 'fail', duration: 10_000, execute: true, retcode: 1200,
      msg: 'Timeout: NTEvent serviceAndMethod:NodeIKernelMsgService/sendMsg ListenerName:NodeIKernelMsgListener/onMsgInfoListUpdate EventRet:\n{}\n',
      wording: 'Timeout: NTEvent serviceAndMethod:NodeIKernelMsgService/sendMsg ListenerName:NodeIKernelMsgListener/onMsgInfoListUpdate EventRet:\n{}\n',
    },
  ],
  // NapCat / LLBot when the account is logged in elsewhere: a `bot_offline` notice (tag and message
  // from QQ's kick tips), then the event connections close.
  'kicked-offline': [
    {
      connection: {}, effect: 'drop', code: 1000, reason: 'kicked offline',
      notice: { notice_type: 'bot_offline', tag: '下线通知', message: '你的帐号在另一台设备登录，当前设备已下线。' },
    },
  ],
  // A stalled link: messages, notices and requests are held for 5 s, then arrive all at once.
  'stall-then-burst': [
    { event: { post_type: ['message', 'notice', 'request'] }, effect: 'burst', duration: 5_000 },
  ],
  // A poor network: one call in twenty is never answered, a third of the others answer 800 ms
  // late, one event in twenty is delivered twice.
  'flaky-network': [
    { action: '*', effect: 'timeout', duration: 30_000, probability: 0.05 },
    { action: '*', effect: 'delay', duration: 800, probability: 0.33 },
    { event: { post_type: ['message', 'notice', 'request'] }, effect: 'duplicate', probability: 0.05 },
  ],
};
