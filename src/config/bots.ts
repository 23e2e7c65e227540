/**
 * `bots`: several bot accounts in one process, sharing one sandbox world (docs/config.md#several-bots).
 * Each listed account gets the general settings, overridden by its own `[<self_id>]` section (INI),
 * `"<self_id>"` object (JSON) or `config/<self_id>.*` file — as CQHTTP 4.15 configured each account
 * — and then by the item's own keys when the item is an object. This module reads the list and
 * checks what the accounts must not share (a port, a `self_id`) or must share (one data directory,
 * one control listener, one log).
 */
import type { Entry } from './entries.js';
import type { Config, ConfigKey } from './schema.js';
import { isJsonObject } from '../protocol/json.js';

/** One account of `bots`: its QQ number and the keys its item sets itself (an object item). */
export interface BotItem {
  readonly selfId: number;
  readonly entries: readonly Entry[];
}

/** A QQ number: a positive safe integer, written as a number or as a string of digits. */
function qq(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  return Number.isSafeInteger(n) && n >= 1 ? n : undefined;
}

/** The raw list: a JSON array, or (INI, environment) a string holding one or numbers separated by commas/blanks. */
function listOf(entry: Entry): unknown[] | string {
  let value = entry.value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('[')) {
      try {
        value = JSON.parse(text) as unknown;
      } catch (error) {
        return `bots (from ${entry.origin}): not valid JSON: ${(error as Error).message}`;
      }
    } else {
      return text.split(/[\s,]+/).filter((part) => part !== '');
    }
  }
  return Array.isArray(value) ? value : `bots (from ${entry.origin}): must be a list of QQ numbers, or of objects each with a self_id`;
}

/** The accounts of a `bots` entry, with one problem per malformed or repeated item. */
export function parseBots(entry: Entry): { items: BotItem[]; problems: string[] } {
  const list = listOf(entry);
  if (typeof list === 'string') return { items: [], problems: [list] };
  const items: BotItem[] = [];
  const problems: string[] = [];
  const seen = new Map<number, number>();
  list.forEach((item, index) => {
    const where = `bots[${index}]`;
    const object = isJsonObject(item) ? item : undefined;
    const selfId = qq(object === undefined ? item : object['self_id']);
    if (selfId === undefined) {
      const what = object === undefined ? JSON.stringify(item) ?? String(item) : `an object whose self_id is ${JSON.stringify(object['self_id']) ?? 'missing'}`;
      problems.push(`${where} (from ${entry.origin}): ${what} is not a bot account; write its QQ number, or an object with "self_id" and the keys it overrides`);
      return;
    }
    const first = seen.get(selfId);
    if (first !== undefined) {
      problems.push(`${where} (from ${entry.origin}): self_id ${selfId} is already bots[${first}]; each account runs once`);
      return;
    }
    seen.set(selfId, index);
    const origin = `${entry.origin} ${where}`;
    const entries = object === undefined ? [] : Object.entries(object).filter(([key]) => key !== 'self_id').map(([key, value]) => ({ key, value, origin }));
    items.push({ selfId, entries });
  });
  return { items, problems };
}

/**
 * Keys of the process, not of an account: one data directory and world, one control listener (and
 * console, metrics), one log, one media store. Every bot must see the same value.
 */
export const SHARED_KEYS: readonly ConfigKey[] = [
  'data_dir', 'world_file', 'backend', 'upstream_url', 'upstream_access_token',
  'sandbox_host', 'sandbox_port', 'sandbox_token', 'metrics', 'max_journal_size', 'max_stream_backlog_size',
  'log_level', 'log_format', 'max_log_file_size', 'max_log_files',
  'allowed_file_dirs', 'max_download_size', 'download_timeout', 'allowed_url_schemes', 'max_download_redirects',
  'max_concurrent_downloads', 'allowed_download_hosts', 'ffmpeg_path', 'ffmpeg_timeout', 'media_base_url',
];

const HIDDEN = new Set<ConfigKey>(['sandbox_token', 'upstream_access_token']);

/** What two bots of one process must not clash on, or must agree on; empty for a single bot. */
export function crossBotProblems(bots: readonly Readonly<Config>[]): string[] {
  if (bots.length < 2) return [];
  const problems: string[] = [];
  const first = bots[0] as Readonly<Config>;
  const name = (config: Readonly<Config>) => `bot ${config.self_id ?? '?'}`;
  if (first.backend !== 'sandbox') problems.push(`backend = "${first.backend}": several bots need backend = sandbox (a bridge drives one real account)`);
  for (const key of SHARED_KEYS) {
    const other = bots.find((config) => JSON.stringify(config[key]) !== JSON.stringify(first[key]));
    if (other === undefined) continue;
    const show = (config: Readonly<Config>) => (HIDDEN.has(key) ? '<hidden>' : JSON.stringify(config[key]));
    problems.push(`${key} is ${show(first)} for ${name(first)} but ${show(other)} for ${name(other)}: it belongs to the process (one data directory, control listener, log and media store for every bot); set it in [general] only`);
  }
  // Every listener of every bot on its own port (0 = an ephemeral one, never a clash).
  const ports = new Map<number, string>();
  const claim = (port: number, what: string) => {
    if (port === 0) return;
    const owner = ports.get(port);
    if (owner !== undefined) problems.push(`port ${port} is used twice: ${owner} and ${what}; give each bot its own port and ws_port`);
    else ports.set(port, what);
  };
  claim(first.sandbox_port, 'the control listener (sandbox_port)');
  for (const config of bots) {
    if (config.use_http) claim(config.port, `${name(config)}'s HTTP API (port)`);
    if (config.use_ws) claim(config.ws_port, `${name(config)}'s forward WebSocket (ws_port)`);
  }
  return problems;
}
