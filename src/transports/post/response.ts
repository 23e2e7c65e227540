/**
 * Reading an event POST's response as a quick operation (CQHTTP 4.15 §3.3): the body must be
 * UTF-8 JSON (a leading BOM is skipped, as nlohmann does) whose top level is an object.
 */
import { isUtf8 } from 'node:buffer';
import { parseQuickOperation } from '../../protocol/json.js';

const BOM = 0xfeff;

/**
 * The quick-operation object of a response body, or `null` when the body is not a JSON object
 * (not UTF-8, not JSON, an array, a string, `null`…). When `reply` holds segments with non-string
 * `data` values, their numbers keep their lexemes (§5: they are stringified as nlohmann does,
 * `1.0` → `"1.0"`; protocol/json.ts).
 */
export function parseOperation(body: Buffer): Record<string, unknown> | null {
  if (body.length === 0 || !isUtf8(body)) return null;
  const text = body.toString('utf8');
  return parseQuickOperation(text.charCodeAt(0) === BOM ? text.slice(1) : text);
}
