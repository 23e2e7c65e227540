/**
 * Heartbeat meta events (§7.8, §11.2): the first at start, then `interval` ms after the previous
 * one; `status` is exactly `get_status`'s data at that moment.
 */
import type { OneBotEvent } from './channel.js';

export interface HeartbeatOptions {
  selfId: number;
  intervalMs: number;
  status: () => unknown;
  publish: (event: OneBotEvent) => void;
  now?: () => number;
}

/** Start beating; returns the stop function. */
export function startHeartbeat(options: HeartbeatOptions): () => void {
  const now = options.now ?? Date.now;
  let timer: NodeJS.Timeout | undefined;
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
    timer = setTimeout(beat, options.intervalMs);
    timer.unref();
  };
  beat();
  return () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
  };
}
