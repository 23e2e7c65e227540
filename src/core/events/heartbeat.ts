/**
 * Heartbeat meta events (§7.8, §11.2): the first at start, then `interval` ms after the previous
 * one; `status` is exactly `get_status`'s data at that moment. The timer comes from `schedule`
 * (default: the real `setTimeout`); a sandbox on a virtual clock schedules on that clock, so a jump
 * ahead fires the heartbeats that fall due within it, each with its own `time`.
 */
import type { OneBotEvent } from './channel.js';

/** Run `fn` once after `ms`; returns the cancel function. */
export type Schedule = (fn: () => void, ms: number) => () => void;

export interface HeartbeatOptions {
  selfId: number;
  intervalMs: number;
  status: () => unknown;
  publish: (event: OneBotEvent) => void;
  now?: () => number;
  schedule?: Schedule;
}

/** The real clock's timer, not keeping the process alive. */
const realSchedule: Schedule = (fn, ms) => {
  const timer = setTimeout(fn, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

/** Start beating; returns the stop function. */
export function startHeartbeat(options: HeartbeatOptions): () => void {
  const now = options.now ?? Date.now;
  const schedule = options.schedule ?? realSchedule;
  let cancel: (() => void) | undefined;
  let stopped = false;
  const beat = () => {
    if (stopped) return;
    options.publish({
      interval: options.intervalMs,
      meta_event_type: 'heartbeat',
      post_type: 'meta_event',
      self_id: options.selfId,
      status: options.status(),
      time: Math.floor(now() / 1000),
    });
    cancel = schedule(beat, options.intervalMs);
  };
  beat();
  return () => {
    stopped = true;
    cancel?.();
  };
}
