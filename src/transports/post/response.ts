/**
 * Reading an event POST's response as a quick operation (CQHTTP 4.15 §3.3): the body must be
 * UTF-8 JSON (a leading BOM is skipped, as nlohmann does) whose top level is an object.
 */
import { isUtf8 } from 'node:buffer';
import { parse as parseLossless } from 'lossless-json';
import type { DuplicateKeyInfo } from 'lossless-json';

const BOM = 0xfeff;

/** Like `JSON.parse` and nlohmann, the last of duplicate keys wins. */
const LOSSLESS_OPTIONS = { onDuplicateKey: (info: DuplicateKeyInfo): unknown => info.newValue };

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a `reply` (segment or segment array) has a `data` value that is not a string. */
function hasNonStringData(reply: unknown): boolean {
  const segments: unknown[] = Array.isArray(reply) ? reply : [reply];
  for (const segment of segments) {
    if (!isJsonObject(segment) || !isJsonObject(segment.data)) continue;
    for (const key in segment.data) if (typeof segment.data[key] !== 'string') return true;
  }
  return false;
}

/**
 * The quick-operation object of a response body, or `null` when the body is not a JSON object
 * (not UTF-8, not JSON, an array, a string, `null`…). When `reply` holds segments with non-string
 * `data` values, it is re-read with lossless-json so their numbers keep their lexemes (§5: they are
 * stringified as nlohmann does, `1.0` → `"1.0"`).
 */
export function parseOperation(body: Buffer): Record<string, unknown> | null {
  if (body.length === 0 || !isUtf8(body)) return null;
  let text = body.toString('utf8');
  if (text.charCodeAt(0) === BOM) text = text.slice(1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isJsonObject(value)) return null;
  if (typeof value.reply === 'object' && value.reply !== null && hasNonStringData(value.reply)) {
    try {
      value.reply = (parseLossless(text, null, LOSSLESS_OPTIONS) as Record<string, unknown>).reply;
    } catch {
      // Cannot happen for text JSON.parse accepted; keep the plain numbers if it does.
    }
  }
  return value;
}
