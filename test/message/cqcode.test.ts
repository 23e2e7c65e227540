/**
 * Tables of the CQ-code edge cases of CQHTTP 4.15 §8.2 (every "Consequences" bullet), §8.3
 * (escaping, serialisation, code-point key order) and §8.4 (merge step), beyond the shared vectors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  escapeText,
  escapeValue,
  mergeSegments,
  parseCQ,
  serialiseCQ,
  unescape,
  type Segment,
} from '../../src/message/index.js';

const text = (t: string): Segment => ({ type: 'text', data: { text: t } });
const seg = (type: string, data: Record<string, string> = {}): Segment => ({ type, data });

function parseTable(rows: ReadonlyArray<readonly [string, Segment[]]>): void {
  for (const [input, expected] of rows) {
    assert.deepEqual(parseCQ(input), expected, JSON.stringify(input));
  }
}

test('§8.2 function names are ASCII alphanumerics only; any such name is accepted', () => {
  parseTable([
    ['[CQ:my_code]', [text('[CQ:my_code]')]],
    ['[CQ:a-b]', [text('[CQ:a-b]')]],
    ['[CQ:é]', [text('[CQ:é]')]],
    ['[CQ: face]', [text('[CQ: face]')]],
    ['[CQ:face ,id=1]', [text('[CQ:face ,id=1]')]],
    ['[CQ:0]', [seg('0')]],
    ['[CQ:Face9]', [seg('Face9')]],
    ['[cq:face]', [text('[cq:face]')]],
    ['[CQ：face]', [text('[CQ：face]')]],
  ]);
});

test('§8.2 "[" inside parameters does not open a code; the first "]" closes it; aborted prefixes stay text', () => {
  parseTable([
    ['[CQ:a,b=[CQ:c,d=1]', [seg('a', { b: '[CQ:c', d: '1' })]],
    ['[CQ:a,[CQ:b]', [seg('a')]],
    ['[CQ:a[CQ:b]', [text('[CQ:a'), seg('b')]],
    ['[CQ:a,b=1]]', [seg('a', { b: '1' }), text(']')]],
    ['x[CQ:a b[CQ:c,d=e]y', [text('x[CQ:a b'), seg('c', { d: 'e' }), text('y')]],
    ['[CQ:CQ:a]', [text('[CQ:CQ:a]')]],
    ['[CQ:[CQ:a]', [text('[CQ:'), seg('a')]],
    ['[[[CQ:a]', [text('[['), seg('a')]],
  ]);
});

test('§8.2 keys may hold anything but , = ]; values may hold =; empty keys; pieces without = are dropped', () => {
  parseTable([
    ['[CQ:a,k=b=c]', [seg('a', { k: 'b=c' })]],
    ['[CQ:a,=1]', [seg('a', { '': '1' })]],
    ['[CQ:a,]', [seg('a')]],
    ['[CQ:a,,b=1]', [seg('a', { b: '1' })]],
    ['[CQ:a,x,b=1,y]', [seg('a', { b: '1' })]],
    ['[CQ:a,b=]', [seg('a', { b: '' })]],
    ['[CQ:a,[k&=1]', [seg('a', { '[k&': '1' })]],
    ['[CQ:a,k=1,k=2,k=3]', [seg('a', { k: '3' })]],
    ['[CQ:a,__proto__=1]', [seg('a', Object.fromEntries([['__proto__', '1']]))]],
  ]);
  // `__proto__` is an own data key, not a prototype change.
  const [a] = parseCQ('[CQ:a,__proto__=1]');
  assert.ok(Object.hasOwn(a?.data ?? {}, '__proto__'));
  assert.equal(Object.getPrototypeOf(a?.data), Object.prototype);
});

test('§8.2 keys are trimmed with C isspace only and never unescaped; values are unescaped, never trimmed', () => {
  parseTable([
    ['[CQ:face, id =1 ]', [seg('face', { id: '1 ' })]],
    ['[CQ:a,\t\n\v\f\r k \r\f\v\n\t=v]', [seg('a', { k: 'v' })]],
    ['[CQ:a,\u00a0k=1]', [seg('a', { '\u00a0k': '1' })]],
    ['[CQ:a,k\u3000=1]', [seg('a', { 'k\u3000': '1' })]],
    ['[CQ:a,\ufeffk=1]', [seg('a', { '\ufeffk': '1' })]],
    ['[CQ:a,k\u2028=1]', [seg('a', { 'k\u2028': '1' })]],
    ['[CQ:a,&#44;=1]', [seg('a', { '&#44;': '1' })]],
    ['[CQ:a,&amp;=&amp;]', [seg('a', { '&amp;': '&' })]],
    ['[CQ:a,k= v &#44;&#91;&#93;&amp; ]', [seg('a', { k: ' v ,[]& ' })]],
    ['[CQ:a, =1]', [seg('a', { '': '1' })]],
  ]);
});

test('§8.2 no merge step on string input; the empty string gives no segments', () => {
  parseTable([
    ['', []],
    ['x[CQ:text,text=a]', [text('x'), text('a')]],
    ['[CQ:text,text=a][CQ:text,text=b]', [text('a'), text('b')]],
    ['a[CQ:face,id=1][CQ:face,id=2]b', [text('a'), seg('face', { id: '1' }), seg('face', { id: '2' }), text('b')]],
  ]);
});

test('§8.2 "[CQ:]" and any "[CQ:" with fewer than 5 characters after "[" are text; unterminated codes are text', () => {
  parseTable([
    ['[CQ:]', [text('[CQ:]')]],
    ['[CQ:', [text('[CQ:')]],
    ['[CQ:a', [text('[CQ:a')]],
    ['[CQ', [text('[CQ')]],
    ['[', [text('[')]],
    ['[CQ:ab', [text('[CQ:ab')]],
    ['[CQ:]]', [text('[CQ:]]')]],
    ['[CQ:a]', [seg('a')]],
    ['[CQ:image,file=a.jpg', [text('[CQ:image,file=a.jpg')]],
    ['x[CQ:image,file=a&#44;b', [text('x[CQ:image,file=a,b')]],
    ['[CQ:a]&#91;CQ:b', [seg('a'), text('[CQ:b')]],
  ]);
});

test('§8.2 "[CQ:," gives the only empty type, dropped when serialised', () => {
  parseTable([
    ['[CQ:,a=1]', [seg('', { a: '1' })]],
    ['[CQ:,]', [seg('')]],
    ['x[CQ:,a=1]y', [text('x'), seg('', { a: '1' }), text('y')]],
  ]);
  assert.equal(serialiseCQ(parseCQ('x[CQ:,a=1]y')), 'xy');
});

test('§8.2 [CQ:text…] codes are text segments as they are', () => {
  parseTable([
    ['[CQ:text]', [seg('text')]],
    ['[CQ:text,text=]', [text('')]],
    ['[CQ:text,text=a,x=1]', [seg('text', { text: 'a', x: '1' })]],
    ['[CQ:text,x=1]', [seg('text', { x: '1' })]],
  ]);
});

test('§8.2 UTF-16 scanning: surrogate pairs, U+E000–U+FFFF, U+10FFFF, NUL and lone surrogates pass through', () => {
  parseTable([
    ['[CQ:😀]', [text('[CQ:😀]')]],
    ['[CQ:😀', [text('[CQ:😀')]],
    ['[CQ:a😀]', [text('[CQ:a😀]')]],
    ['😀[CQ:a,😀=😀]😀', [text('😀'), seg('a', { '😀': '😀' }), text('😀')]],
    ['\ue000[CQ:a,\uffff=\u{10ffff}]', [text('\ue000'), seg('a', { '\uffff': '\u{10ffff}' })]],
    ['\0[CQ:a,\0=\0]\0', [text('\0'), seg('a', { '\0': '\0' }), text('\0')]],
    ['\ud800[CQ:a,b=\udc00]\udfff', [text('\ud800'), seg('a', { b: '\udc00' }), text('\udfff')]],
  ]);
});

test('§8.3 unescape decodes exactly four entities in one left-to-right pass, amp last', () => {
  const rows: ReadonlyArray<readonly [string, string]> = [
    ['&amp;#91;', '&#91;'],
    ['&amp;amp;', '&amp;'],
    ['&#44;&#91;&#93;&amp;', ',[]&'],
    ['&&#44;', '&,'],
    ['&#&#91;', '&#['],
    ['&#38;&lt;&#x5B;&#091;&AMP;&#91&amp&#9;&#', '&#38;&lt;&#x5B;&#091;&AMP;&#91&amp&#9;&#'],
    ['a&#44;b', 'a,b'],
    ['&', '&'],
    ['', ''],
    ['no entities', 'no entities'],
    ['&#91;&#91;', '[['],
  ];
  for (const [input, expected] of rows) assert.equal(unescape(input), expected, input);
  // Text unescape also decodes &#44;.
  assert.deepEqual(parseCQ('a&#44;b'), [text('a,b')]);
});

test('§8.3 escape tables: text keeps commas, values escape them; & first', () => {
  const rows: ReadonlyArray<readonly [string, string, string]> = [
    ['a,b', 'a,b', 'a&#44;b'],
    ['[x]', '&#91;x&#93;', '&#91;x&#93;'],
    ['&#91;', '&amp;#91;', '&amp;#91;'],
    ['&amp;', '&amp;amp;', '&amp;amp;'],
    ['', '', ''],
    ['plain 😀', 'plain 😀', 'plain 😀'],
    [',[&]', ',&#91;&amp;&#93;', '&#44;&#91;&amp;&#93;'],
  ];
  for (const [input, asText, asValue] of rows) {
    assert.equal(escapeText(input), asText, input);
    assert.equal(escapeValue(input), asValue, input);
  }
});

test('§8.3 serialisation: empty types skipped, text bare, others as codes, types and keys verbatim', () => {
  const rows: ReadonlyArray<readonly [Segment[], string]> = [
    [[seg('shake')], '[CQ:shake]'],
    [[seg('', { a: '1' }), text('x')], 'x'],
    [[seg('text')], ''],
    [[seg('text', { text: 'a]', other: 'ignored' })], 'a&#93;'],
    [[text('a,b')], 'a,b'],
    [[seg('face', { id: 'a,b' })], '[CQ:face,id=a&#44;b]'],
    [[seg('a,b', { x: '1' })], '[CQ:a,b,x=1]'],
    [[seg('te xt')], '[CQ:te xt]'],
    [[seg('x', { ' k ': 'a]b', '=': '', '': '&#44;' })], '[CQ:x,=&amp;#44;, k =a&#93;b,==]'],
    [
      [seg('share', { url: 'http://a/?x=1&y=2', title: 'Hi, there' })],
      '[CQ:share,title=Hi&#44; there,url=http://a/?x=1&amp;y=2]',
    ],
    [[text('a'), text('b')], 'ab'],
    [[], ''],
  ];
  for (const [segments, expected] of rows) assert.equal(serialiseCQ(segments), expected, expected);
  // Unusual segments do not survive serialise → parse.
  assert.deepEqual(parseCQ('[CQ:a,b,x=1]'), [seg('a', { x: '1' })]);
  assert.deepEqual(parseCQ('[CQ:te xt]'), [text('[CQ:te xt]')]);
});

test('§8.3 keys are ordered by code point (UTF-8 bytes), not by UTF-16 code units', () => {
  const data = { '😀': '1', '！': '2', '\ue000': '3', z: '4', a: '5', A: '6', '2': '7', '10': '8', '': '9' };
  assert.equal(serialiseCQ([seg('face', data)]), '[CQ:face,=9,10=8,2=7,A=6,a=5,z=4,\ue000=3,！=2,😀=1]');
  // The default JS sort would put the emoji first: the test above is not vacuous.
  assert.deepEqual(['！', '😀'].sort(), ['😀', '！']);
  assert.equal(serialiseCQ([seg('face', { '😀': '1', '！': '2' })]), '[CQ:face,！=2,😀=1]');
  // Integer-like keys, which JS objects enumerate first in numeric order.
  assert.equal(serialiseCQ([seg('a', { '2': 'x', '10': 'y', '1': 'z' })]), '[CQ:a,1=z,10=y,2=x]');
});

test('§8.4 merge: adjacent text segments with a text key merge; the first keeps its other keys', () => {
  const rows: ReadonlyArray<readonly [Segment[], Segment[]]> = [
    [[seg('text', { text: 'a', x: '1' }), seg('text', { text: 'b', y: '2' })], [seg('text', { text: 'ab', x: '1' })]],
    [[text('a'), text('b'), text('c')], [text('abc')]],
    [[text('a'), seg('text'), text('b')], [text('a'), seg('text'), text('b')]],
    [[seg('text', { x: '1' }), text('a'), text('b')], [seg('text', { x: '1' }), text('ab')]],
    [[text(''), seg('face', { id: '1' })], [text(''), seg('face', { id: '1' })]],
    [[text('a'), seg('face', { id: '1' }), text('b'), text('c')], [text('a'), seg('face', { id: '1' }), text('bc')]],
    [[seg('', { a: '1' })], [seg('', { a: '1' })]],
    [[text('a'), seg(''), text('b')], [text('a'), seg(''), text('b')]],
    [[seg('text'), text('')], [seg('text'), text('')]],
    [[], []],
  ];
  for (const [input, expected] of rows) assert.deepEqual(mergeSegments(input), expected, JSON.stringify(input));
});

test('§8.4 merge: a lone text segment with an empty or missing text empties the message', () => {
  assert.deepEqual(mergeSegments([text('')]), []);
  assert.deepEqual(mergeSegments([text(''), text('')]), []);
  assert.deepEqual(mergeSegments([seg('text')]), []); // the original crashed here (§15.23)
  assert.deepEqual(mergeSegments([seg('text', { x: '1' })]), []);
  assert.deepEqual(mergeSegments([seg('text', { text: '', x: '1' })]), []);
  assert.deepEqual(mergeSegments([text('a')]), [text('a')]);
  assert.deepEqual(mergeSegments([seg('face')]), [seg('face')]);
});

test('§8.4 merge never mutates its input', () => {
  const first = seg('text', { text: 'a', x: '1' });
  const input = [first, text('b')];
  const snapshot = structuredClone(input);
  const out = mergeSegments(input);
  assert.deepEqual(input, snapshot);
  assert.notEqual(out[0], first);
  assert.equal(out[0]?.data.text, 'ab');
});

test('§8.4 string form of an event merges the parsed raw message', () => {
  assert.equal(serialiseCQ(mergeSegments(parseCQ('x[CQ:text,text=a]'))), 'xa');
  assert.equal(serialiseCQ(mergeSegments(parseCQ('[CQ:text,text=]'))), '');
});

/** A literal, slow transcription of the §8.2 state machine and §8.3 unescape, to diff against. */
function referenceUnescape(s: string): string {
  return s.replaceAll('&#44;', ',').replaceAll('&#91;', '[').replaceAll('&#93;', ']').replaceAll('&amp;', '&');
}

function referenceParse(s: string): Segment[] {
  const out: Segment[] = [];
  let state: 'TEXT' | 'FUNC' | 'PARAMS' = 'TEXT';
  let buffer = '';
  let name = '';
  let params = '';
  let start = 0;
  const finish = (): void => {
    const entries: [string, string][] = [];
    for (const piece of params.split(',')) {
      const eq = piece.indexOf('=');
      if (eq === -1) continue;
      const key = piece.slice(0, eq).replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '');
      entries.push([key, referenceUnescape(piece.slice(eq + 1))]);
    }
    if (buffer !== '') out.push(text(referenceUnescape(buffer)));
    out.push({ type: name, data: Object.fromEntries(entries) });
    buffer = '';
    name = '';
    params = '';
    state = 'TEXT';
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (state === 'TEXT') {
      if (c === '[' && s.length - i - 1 >= 5 && s.slice(i + 1, i + 4) === 'CQ:' && s[i + 4] !== ']') {
        start = i;
        i += 3;
        state = 'FUNC';
      } else {
        buffer += c;
      }
    } else if (state === 'FUNC') {
      if (/^[A-Za-z0-9]$/.test(c)) name += c;
      else if (c === ',') state = 'PARAMS';
      else if (c === ']') finish();
      else {
        buffer += s.slice(start, i);
        name = '';
        params = '';
        state = 'TEXT';
        i--;
      }
    } else if (c === ']') {
      finish();
    } else {
      params += c;
    }
  }
  if (state !== 'TEXT') buffer += s.slice(start);
  if (buffer !== '') out.push(text(referenceUnescape(buffer)));
  return out;
}

test('§8.2 the scanner agrees with a literal transcription of the state machine on every short string', () => {
  const alphabet = ['[', 'C', 'Q', ':', ']', ',', '=', 'a', '-', ' '];
  let count = 0;
  const visit = (prefix: string, depth: number): void => {
    assert.deepEqual(parseCQ(prefix), referenceParse(prefix), JSON.stringify(prefix));
    count++;
    if (depth === 0) return;
    for (const c of alphabet) visit(prefix + c, depth - 1);
  };
  visit('', 5);
  assert.equal(count, 111111);
});

test('§8.3 unescape agrees with the four replace-all passes on every short string over its alphabet', () => {
  const alphabet = ['&', '#', '4', '9', '1', '3', ';', 'a', 'm', 'p'];
  const visit = (prefix: string, depth: number): void => {
    assert.equal(unescape(prefix), referenceUnescape(prefix), prefix);
    if (depth === 0) return;
    for (const c of alphabet) visit(prefix + c, depth - 1);
  };
  visit('', 6);
  for (const s of ['&amp;#44;&#44;&#9&#91', '&#91;&#93;&#44;&amp;amp;', '&&amp;&#44;;&#', 'x&amp;&amp;#93;y']) {
    assert.equal(unescape(s), referenceUnescape(s), s);
  }
});
