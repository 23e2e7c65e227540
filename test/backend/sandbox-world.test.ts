/** World files: JSON and YAML seeding, validation listing every problem, seed-once behaviour. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { openSandbox, parseWorld, WorldFileError } from '../../src/backend/sandbox/index.js';
import { cleanupDir, makeTempDir } from './helpers.js';

const WORLD = {
  self_id: 777,
  bot: { nickname: 'file-bot' },
  users: [
    { user_id: 1001, nickname: 'Ann', sex: 'female', age: 30 },
    { user_id: 1002, nickname: 'Ben' },
  ],
  friends: [{ user_id: 1001, remark: 'annie' }],
  groups: [{ group_id: 5001, group_name: 'Files', max_member_count: 500, members: [
    { user_id: 1001, role: 'owner', title: 'boss' },
    { user_id: 777, role: 'admin', card: 'the bot' },
    { user_id: 1002, role: 'member' },
  ] }],
};

const YAML_WORLD = `# the same world, in YAML
self_id: 777
bot: { nickname: file-bot }
users:
  - { user_id: 1001, nickname: Ann, sex: female, age: 30 }
  - { user_id: 1002, nickname: Ben }
friends:
  - { user_id: 1001, remark: annie }
groups:
  - group_id: 5001
    group_name: Files
    max_member_count: 500
    members:
      - { user_id: 1001, role: owner, title: boss }
      - { user_id: 777, role: admin, card: the bot }
      - { user_id: 1002, role: member }
`;

describe('sandbox world files', () => {
  for (const [ext, body] of [['json', JSON.stringify(WORLD)], ['yaml', YAML_WORLD], ['yml', YAML_WORLD]] as const) {
    it(`seeds a ${ext} world file`, async (t) => {
      const dir = makeTempDir();
      cleanupDir(t, dir);
      const file = join(dir, `world.${ext}`);
      writeFileSync(file, body);
      const sb = openSandbox({ dataDir: join(dir, 'data'), worldFile: file });
      try {
        assert.equal(sb.selfId, 777);
        assert.deepEqual(await sb.getLoginInfo(), { userId: 777, nickname: 'file-bot' });
        assert.deepEqual(await sb.getFriendList(), [{ userId: 1001, nickname: 'Ann', remark: 'annie' }]);
        assert.deepEqual(await sb.getGroupList(), [{ groupId: 5001, groupName: 'Files', memberCount: 3, maxMemberCount: 500 }]);
        const bot = await sb.getGroupMemberInfo(5001, 777, false);
        assert.deepEqual([bot.role, bot.card], ['admin', 'the bot']);
        const ann = await sb.getGroupMemberInfo(5001, 1001, false);
        assert.deepEqual([ann.role, ann.title, ann.sex, ann.age, ann.cardChangeable], ['owner', 'boss', 'female', 30, false]);
        assert.deepEqual(await sb.getStrangerInfo(1002, false), { userId: 1002, nickname: 'Ben', sex: 'unknown', age: 0 });
      } finally {
        await sb.close();
      }
    });
  }

  it('lists every problem of an invalid world file', (t) => {
    const dir = makeTempDir();
    cleanupDir(t, dir);
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({
      bot: {},
      users: [{ user_id: -1, nickname: 'x' }, { user_id: 2, nickname: '', sex: 'robot' }],
      groups: [{ group_id: 9, group_name: 'g', members: [{ user_id: 2, role: 'king' }] }],
      colour: 'blue',
    }));
    assert.throws(() => openSandbox({ dataDir: join(dir, 'data'), worldFile: file }), (e: unknown) => {
      assert.ok(e instanceof WorldFileError);
      const paths = e.problems.map((p) => p.split(':')[0]);
      for (const p of ['bot.nickname', 'users.0.user_id', 'users.1.nickname', 'users.1.sex', 'groups.0.members.0.role', '(top level)']) {
        assert.ok(paths.includes(p), `problem at ${p} not reported in:\n${e.message}`);
      }
      assert.match(e.message, /bad\.json \(6 problems\)/);
      return true;
    });
  });

  it('words a value of the wrong type as the configuration does', () => {
    assert.throws(() => parseWorld({ bot: { nickname: 5 }, users: [{ user_id: 2, nickname: null }] }, 'inline'), (e: unknown) => {
      assert.ok(e instanceof WorldFileError);
      assert.ok(e.problems.includes('bot.nickname: Invalid input: expected string, received number'), e.message);
      assert.ok(e.problems.includes('users.0.nickname: Invalid input: expected string, received null'), e.message);
      return true;
    });
  });

  it('lists every consistency problem once the structure is right', () => {
    const bad = {
      bot: { nickname: 'b' },
      users: [{ user_id: 1, nickname: 'a' }, { user_id: 1, nickname: 'a again' }, { user_id: 10001000, nickname: 'bot twin' }],
      friends: [{ user_id: 3 }],
      groups: [
        { group_id: 7, group_name: 'no owner', members: [{ user_id: 1, role: 'member' }, { user_id: 4, role: 'admin' }] },
        { group_id: 7, group_name: 'two owners', max_member_count: 1, members: [{ user_id: 1, role: 'owner' }, { user_id: 10001000, role: 'owner' }] },
      ],
    };
    assert.throws(() => parseWorld(bad, 'inline'), (e: unknown) => {
      assert.ok(e instanceof WorldFileError);
      const expected = [
        /user_id 1 appears more than once/, /10001000 is the bot's own id/, /friends\[0\]: user_id 3 is not in users/,
        /group_id 7 appears more than once/, /group 7\): a group needs exactly one owner, found 0/, /members\[1\]: user_id 4 is not in users/,
        /found 2/, /2 members exceed max_member_count 1/,
      ];
      for (const re of expected) assert.ok(e.problems.some((p) => re.test(p)), `${re} missing from:\n${e.message}`);
      assert.equal(e.problems.length, expected.length);
      return true;
    });
  });

  it('bots: further bot accounts must be users, not the world\'s own bot, each once', () => {
    const world = { bot: { nickname: 'b' }, users: [{ user_id: 1, nickname: 'a' }, { user_id: 2, nickname: 'helper' }] };
    assert.deepEqual(parseWorld({ ...world, bots: [2] }, 'inline').bots, [2]);
    assert.deepEqual(parseWorld(world, 'inline').bots, []);
    assert.throws(() => parseWorld({ ...world, bots: [2, 3, 10001000, 2] }, 'inline'), (e: unknown) => {
      assert.ok(e instanceof WorldFileError);
      assert.deepEqual(e.problems, [
        'bots[1]: user_id 3 is not in users',
        'bots[2]: 10001000 is the world\'s own bot; list only the other bot accounts',
        'bots: user_id 2 appears more than once',
      ]);
      return true;
    });
  });

  it('reports unreadable and unparsable files', (t) => {
    const dir = makeTempDir();
    cleanupDir(t, dir);
    const yaml = join(dir, 'broken.yaml');
    writeFileSync(yaml, 'users: [unclosed');
    assert.throws(() => openSandbox({ dataDir: join(dir, 'd1'), worldFile: yaml }), /not valid YAML/);
    assert.throws(() => openSandbox({ dataDir: join(dir, 'd2'), worldFile: join(dir, 'missing.json') }), /cannot read the file/);
  });

  it('seeds only once: a later world file is ignored with a warning that says how to start over', async (t) => {
    const dir = makeTempDir();
    cleanupDir(t, dir);
    const file = join(dir, 'world.json');
    writeFileSync(file, JSON.stringify(WORLD));
    const data = join(dir, 'data');
    await openSandbox({ dataDir: data }).close(); // default world
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (s: string) => { lines.push(s); } });
    const sb = openSandbox({ dataDir: data, worldFile: file, logger });
    try {
      assert.equal(sb.selfId, 10001000);
      assert.equal(sb.getWorld().groups.length, 3);
      const line = lines.map((l) => JSON.parse(l) as { level: number; msg: string }).find((l) => l.msg.includes('ignored'));
      assert.ok(line, lines.join(''));
      assert.equal(line.level, 40, 'a warning');
      const db = join(data, 'sandbox.db');
      assert.ok(line.msg.includes(`world file ${file} ignored: ${db} already holds a world (bot 10001000)`), line.msg);
      assert.ok(line.msg.endsWith(`to start over from the file, stop cqhttpd and delete ${db}`), line.msg);
    } finally {
      await sb.close();
    }
  });

  it('the selfId option overrides the file\'s self_id', async (t) => {
    const dir = makeTempDir();
    cleanupDir(t, dir);
    const file = join(dir, 'world.json');
    writeFileSync(file, JSON.stringify({ ...WORLD, self_id: undefined, groups: [] }));
    const sb = openSandbox({ dataDir: join(dir, 'data'), worldFile: file, selfId: 888 });
    try {
      assert.equal(sb.selfId, 888);
      assert.deepEqual(await sb.getGroupList(), []);
    } finally {
      await sb.close();
    }
  });

  it('a configured self_id that differs from the world file\'s is one clear error; the same one is fine', async (t) => {
    const dir = makeTempDir();
    cleanupDir(t, dir);
    const file = join(dir, 'world.json');
    writeFileSync(file, JSON.stringify(WORLD));
    assert.throws(() => openSandbox({ dataDir: join(dir, 'data'), worldFile: file, selfId: 10001000 }), (e: unknown) => {
      assert.ok(e instanceof WorldFileError);
      assert.deepEqual(e.problems, [
        'self_id: the world is built around bot 777, but the configuration sets self_id = 10001000; unset self_id in the configuration (the world\'s bot is then used) or make the two agree',
      ]);
      return true;
    });
    const sb = openSandbox({ dataDir: join(dir, 'data'), worldFile: file, selfId: 777 });
    try {
      assert.equal(sb.selfId, 777);
    } finally {
      await sb.close();
    }
  });
});
