/**
 * Every line of the CQ-code vectors in test/fixtures/cqcode-vectors.jsonl (produced by running the
 * original plugin's message code; see test/fixtures/README.md):
 * parse, escape, serialise and get_message (direct and as the send actions see it).
 * `throws` = the original crashed; we answer an empty message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  decodeMessage,
  decodeSendMessage,
  escapeText,
  escapeValue,
  mergeSegments,
  parseCQ,
  serialiseCQ,
  unescape,
  type Segment,
} from '../../src/message/index.js';
import { parseJsonParams } from '../../src/protocol/json.js';

interface Outcome {
  segments: Segment[];
  serialised: string;
}

type Vector =
  | { op: 'parse'; in: string; segments: Segment[]; serialised: string; event_string: string }
  | { op: 'escape'; in: string; escape_text: string; escape_value: string; unescape: string }
  | { op: 'serialise'; segments: Segment[]; out: string }
  | { op: 'get_message'; params: string; direct: Outcome | 'throws'; send: Outcome | 'throws'; note?: string };

const url = new URL('../fixtures/cqcode-vectors.jsonl', import.meta.url);
const vectors = readFileSync(url, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Vector);

/** `get_bool` (docs/protocol.md §5): JSON boolean, or a yes/true/1 / no/false/0 string (any case); else false. */
function getBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return ['yes', 'true', '1'].includes(v.toLowerCase());
  return false;
}

function checkOutcome(actual: Segment[], expected: Outcome | 'throws', label: string): void {
  if (expected === 'throws') {
    assert.deepEqual(actual, [], `${label}: the original crashed, we answer an empty message`);
    return;
  }
  assert.deepEqual(actual, expected.segments, `${label}: segments`);
  assert.equal(serialiseCQ(actual), expected.serialised, `${label}: serialised`);
}

test('the vector file is complete', () => {
  const ops = new Set(vectors.map((v) => v.op));
  assert.deepEqual([...ops].sort(), ['escape', 'get_message', 'parse', 'serialise']);
  assert.ok(vectors.length >= 57);
});

for (const [n, v] of vectors.entries()) {
  const name = `#${n + 1} ${v.op} ${JSON.stringify(v.op === 'get_message' ? v.params : v.op === 'serialise' ? v.out : v.in)}`;
  test(name, () => {
    switch (v.op) {
      case 'parse': {
        const segments = parseCQ(v.in);
        assert.deepEqual(segments, v.segments);
        assert.equal(serialiseCQ(segments), v.serialised);
        const event = serialiseCQ(mergeSegments(segments));
        assert.equal(event, v.event_string === 'throws' ? '' : v.event_string);
        if (v.event_string === 'throws') assert.deepEqual(mergeSegments(segments), []);
        break;
      }
      case 'escape':
        assert.equal(escapeText(v.in), v.escape_text);
        assert.equal(escapeValue(v.in), v.escape_value);
        assert.equal(unescape(v.in), v.unescape);
        break;
      case 'serialise':
        assert.equal(serialiseCQ(v.segments), v.out);
        break;
      case 'get_message': {
        const params = parseJsonParams(v.params);
        assert.ok(params !== null, 'params parse');
        const autoEscape = getBool(params.auto_escape);
        checkOutcome(decodeMessage(params.message, autoEscape), v.direct, 'direct');
        checkOutcome(decodeSendMessage(params.message, autoEscape), v.send, 'send');
        break;
      }
    }
  });
}

test('the 1e23 vector gets the Grisu2 digits of the original, not the shortest-digit approximation', () => {
  const v = vectors.find((x) => x.op === 'get_message' && x.params.includes('1e23'));
  assert.ok(v !== undefined && v.op === 'get_message');
  const params = parseJsonParams(v.params);
  assert.ok(params !== null);
  const [seg] = decodeMessage(params.message, false);
  assert.equal(seg?.data.h, '9.999999999999999e+22');
});
