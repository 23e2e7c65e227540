import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IniSyntaxError, parseIni } from '../../src/config/ini.js';

test('sections, trimmed keys and values, comments at line start', () => {
  const doc = parseIni('; comment\n# also a comment\n  [ general ]  \n  port =  5700  \n\nuse_ws=yes\n[10001000]\nport = 5800\n');
  assert.deepEqual([...doc.sections.keys()], ['general', '10001000']);
  assert.deepEqual([...(doc.sections.get('general') ?? [])], [['port', '5700'], ['use_ws', 'yes']]);
  assert.equal(doc.sections.get('10001000')?.get('port'), '5800');
  assert.equal(doc.topLevel.size, 0);
});

test('inline # and ; are part of the value; no unquoting; = in values kept', () => {
  const doc = parseIni('[general]\naccess_token = abc # secret\nsecret = a;b\npost_url = "http://x/?a=b"\n');
  const general = doc.sections.get('general');
  assert.equal(general?.get('access_token'), 'abc # secret');
  assert.equal(general?.get('secret'), 'a;b');
  assert.equal(general?.get('post_url'), '"http://x/?a=b"');
});

test('CRLF line endings, a BOM and keys before any section', () => {
  const doc = parseIni('\uFEFFtop = 1\r\n[general]\r\nport = 1\r\n');
  assert.equal(doc.topLevel.get('top'), '1');
  assert.equal(doc.sections.get('general')?.get('port'), '1');
});

test('syntax errors carry the line number', () => {
  const cases: [string, number, RegExp][] = [
    ['[general\n', 1, /unmatched/],
    ['[general]\nport 5700\n', 2, /'=' not found/],
    ['[general]\n= 5\n', 2, /key expected/],
    ['[general]\nport = 1\nport = 2\n', 3, /duplicate key/],
    ['[general]\n[general]\n', 2, /duplicate section/],
  ];
  for (const [text, line, pattern] of cases) {
    assert.throws(() => parseIni(text), (error: unknown) => error instanceof IniSyntaxError && error.line === line && pattern.test(error.message), text);
  }
});
