import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { defaultConfig, loadConfig, resolveConnections, reverseClients } from '../../src/config/index.js';
import type { Config, ResolvedConnection } from '../../src/config/index.js';
import { put, tempDir } from './helpers.js';

/** The defaults with some keys changed (through the loader, so values are validated). */
function configWith(overrides: Record<string, unknown>): Readonly<Config> {
  return loadConfig({ searchDir: '/nonexistent-cqhttpd-dir', env: {}, overrides }).config;
}

const FORMAT_STRING = { messageFormat: 'string', backwardCompatibility: false } as const;

test('the defaults have no event connection', () => {
  assert.deepEqual(resolveConnections(defaultConfig()), []);
});

test('the flat post_url is an http_post connection with the flat secret, timeout, format, filter and compat', () => {
  const config = configWith({
    post_url: 'http://127.0.0.1:8080/', secret: 's', post_timeout: 7, post_message_format: 'array',
    event_filter: 'filter.json', enable_backward_compatibility: true,
  });
  assert.deepEqual(resolveConnections(config), [{
    type: 'http_post', name: 'post_url', url: 'http://127.0.0.1:8080/', secret: 's', timeout: 7,
    format: { messageFormat: 'array', backwardCompatibility: true }, eventFilter: 'filter.json',
  }]);
});

test('the flat reverse WS: only with use_ws_reverse, Universal by default (P3)', () => {
  assert.deepEqual(resolveConnections(configWith({ ws_reverse_url: 'ws://a/' })), [], 'use_ws_reverse is off');
  assert.deepEqual(resolveConnections(configWith({ use_ws_reverse: true })), [], 'no URL: nothing to dial');
  const config = configWith({
    use_ws_reverse: true, ws_reverse_url: 'ws://a/', access_token: 'tok', ws_reverse_authorization_scheme: 'Token',
    ws_reverse_reconnect_interval: 50, ws_reverse_reconnect_on_code_1000: false,
  });
  assert.deepEqual(resolveConnections(config), [{
    type: 'ws_reverse', name: 'ws_reverse', clients: [{ role: 'Universal', url: 'ws://a/' }], accessToken: 'tok',
    authorizationScheme: 'Token', reconnectInterval: 50, reconnectOnCode1000: false, format: FORMAT_STRING, eventFilter: '',
  }]);
});

test('the flat reverse WS: split API/Event clients only when an API or Event URL is set and Universal is not forced', () => {
  const clientsOf = (overrides: Record<string, unknown>): unknown => {
    const [connection] = resolveConnections(configWith({ use_ws_reverse: true, ...overrides }));
    return connection?.type === 'ws_reverse' ? connection.clients : connection;
  };
  assert.deepEqual(clientsOf({ ws_reverse_url: 'ws://u/', ws_reverse_api_url: 'ws://api/' }), [
    { role: 'API', url: 'ws://api/' }, { role: 'Event', url: 'ws://u/' },
  ]);
  assert.deepEqual(clientsOf({ ws_reverse_api_url: 'ws://api/', ws_reverse_event_url: 'ws://event/' }), [
    { role: 'API', url: 'ws://api/' }, { role: 'Event', url: 'ws://event/' },
  ]);
  assert.deepEqual(clientsOf({ ws_reverse_event_url: 'ws://event/' }), [{ role: 'Event', url: 'ws://event/' }]);
  assert.deepEqual(clientsOf({ ws_reverse_url: 'ws://u/', ws_reverse_api_url: 'ws://api/', ws_reverse_use_universal_client: true }), [
    { role: 'Universal', url: 'ws://u/' },
  ]);
  assert.equal(clientsOf({ ws_reverse_api_url: 'ws://api/', ws_reverse_use_universal_client: true }), undefined, 'Universal without a URL');
});

test('reverseClients: P3 on its own', () => {
  assert.deepEqual(reverseClients('', '', '', false), []);
  assert.deepEqual(reverseClients('ws://u/', '', '', true), [{ role: 'Universal', url: 'ws://u/' }]);
  assert.deepEqual(reverseClients('ws://u/', 'ws://u/', 'ws://u/', false), [{ role: 'API', url: 'ws://u/' }, { role: 'Event', url: 'ws://u/' }]);
  assert.deepEqual(reverseClients('', 'ws://api/', '', false), [{ role: 'API', url: 'ws://api/' }]);
});

test('items: unset fields fall back to the flat keys, set ones win; default names by list position', () => {
  const config = configWith({
    secret: 'flat-secret', post_timeout: 3, post_message_format: 'array', event_filter: 'flat.json',
    access_token: 'flat-token', ws_reverse_authorization_scheme: 'Token', ws_reverse_reconnect_interval: 10,
    connections: [
      { type: 'ws_reverse', url: 'ws://bare/' },
      { type: 'http_post', url: 'http://bare/' },
      {
        type: 'http_post', name: 'own', url: 'http://own/', secret: '', timeout: 0, post_message_format: 'string',
        event_filter: '', enable_backward_compatibility: true,
      },
      {
        type: 'ws_reverse', name: 'own-ws', url: 'ws://own/', access_token: '', authorization_scheme: 'Bearer',
        reconnect_interval: 0, reconnect_on_code_1000: false,
      },
    ],
  });
  const flatFormat = { messageFormat: 'array', backwardCompatibility: false } as const;
  assert.deepEqual(resolveConnections(config), [
    { type: 'http_post', name: 'connections[1]', url: 'http://bare/', secret: 'flat-secret', timeout: 3, format: flatFormat, eventFilter: 'flat.json' },
    { type: 'http_post', name: 'own', url: 'http://own/', secret: '', timeout: 0, format: { messageFormat: 'string', backwardCompatibility: true }, eventFilter: '' },
    {
      type: 'ws_reverse', name: 'connections[0]', clients: [{ role: 'Universal', url: 'ws://bare/' }], accessToken: 'flat-token',
      authorizationScheme: 'Token', reconnectInterval: 10, reconnectOnCode1000: true, format: flatFormat, eventFilter: 'flat.json',
    },
    {
      type: 'ws_reverse', name: 'own-ws', clients: [{ role: 'Universal', url: 'ws://own/' }], accessToken: '',
      authorizationScheme: 'Bearer', reconnectInterval: 0, reconnectOnCode1000: false, format: flatFormat, eventFilter: 'flat.json',
    },
  ] satisfies ResolvedConnection[]);
});

test('order: the flat http_post first, then http_post items; the flat reverse WS first, then ws_reverse items', () => {
  const config = configWith({
    post_url: 'http://flat/', use_ws_reverse: true, ws_reverse_url: 'ws://flat/',
    connections: [
      { type: 'ws_reverse', name: 'w1', url: 'ws://w1/' },
      { type: 'http_post', name: 'h1', url: 'http://h1/' },
      { type: 'ws_reverse', name: 'w2', url: 'ws://w2/' },
      { type: 'http_post', name: 'h2', url: 'http://h2/' },
    ],
  });
  assert.deepEqual(resolveConnections(config).map((c) => `${c.type} ${c.name}`), [
    'http_post post_url', 'http_post h1', 'http_post h2', 'ws_reverse ws_reverse', 'ws_reverse w1', 'ws_reverse w2',
  ]);
});

test('an item\'s role follows its own URLs: the flat use_universal_client and URLs are not inherited', () => {
  const config = configWith({
    ws_reverse_use_universal_client: true, ws_reverse_url: 'ws://flat/',
    connections: [
      { type: 'ws_reverse', api_url: 'ws://api/', event_url: 'ws://event/' },
      { type: 'ws_reverse', url: 'ws://u/', event_url: 'ws://event/', use_universal_client: true },
      { type: 'ws_reverse', api_url: 'ws://api-only/' },
    ],
  });
  const clients = resolveConnections(config).map((c) => (c.type === 'ws_reverse' ? c.clients : []));
  assert.deepEqual(clients, [
    [{ role: 'API', url: 'ws://api/' }, { role: 'Event', url: 'ws://event/' }],
    [{ role: 'Universal', url: 'ws://u/' }],
    [{ role: 'API', url: 'ws://api-only/' }],
  ]);
});

test('the JSON and INI examples of docs/config.md "Several connections" load and resolve identically', (t) => {
  const doc = readFileSync(new URL('../../docs/config.md', import.meta.url), 'utf8');
  const section = doc.slice(doc.indexOf('## Several connections'), doc.indexOf('## Examples'));
  const json = /```json\n([\s\S]*?)```/.exec(section)?.[1];
  const ini = /```ini\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(json !== undefined && ini !== undefined, 'both examples are present');
  const dir = tempDir(t);
  const fromJson = loadConfig({ file: put(dir, 'config.json', json), env: {} });
  const fromIni = loadConfig({ file: put(dir, 'config.ini', ini), env: {} });
  assert.deepEqual([fromJson.warnings, fromIni.warnings], [[], []]);
  const resolved = resolveConnections(fromJson.config);
  assert.deepEqual(resolveConnections(fromIni.config), resolved);
  assert.deepEqual(resolved.map((c) => c.name), ['logger', 'ws_reverse', 'second_bot']);
  assert.deepEqual(resolved[0], {
    type: 'http_post', name: 'logger', url: 'http://127.0.0.1:9100/events', secret: 'logger-secret', timeout: 5,
    format: FORMAT_STRING, eventFilter: '',
  });
  assert.deepEqual(resolved[2], {
    type: 'ws_reverse', name: 'second_bot', clients: [{ role: 'Universal', url: 'ws://127.0.0.1:9000/ws' }],
    accessToken: 'shared-token', authorizationScheme: 'Token', reconnectInterval: 3000, reconnectOnCode1000: true,
    format: { messageFormat: 'array', backwardCompatibility: false }, eventFilter: '',
  });
});
