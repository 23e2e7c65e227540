/**
 * The backend contract (test/backend/contract.ts) against the `onebot` backend, its upstream a second
 * cqhttpd running the default sandbox world on a clock the test moves. The other side of the world
 * (requests, anonymous speakers) is acted out on the upstream's sandbox; each stimulus resolves once
 * the bridge has passed on the event it caused. Every case the sandbox passes runs here too.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { silentLogger } from '../../../src/app/logger.js';
import { openOnebot } from '../../../src/backend/onebot/index.js';
import { runBackendContract, type ContractStimuli, type ContractSubject } from '../contract.js';
import { FakeClock, makeTempDir, removeDir } from '../helpers.js';
import { defaultContractWorld, sandboxStimuli } from '../sandbox-fixture.js';
import { startTestApp } from '../../helpers/app.js';
import { PNG } from '../../media/helpers.js';

/** Resolves once `count()` has grown past `before`, or after `ms` (a stimulus the bot never hears of). */
async function grown(count: () => number, before: number, ms = 1000): Promise<void> {
  const end = Date.now() + ms;
  while (count() <= before && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 5));
}

async function makeBridgeSubject(): Promise<ContractSubject> {
  const clock = new FakeClock();
  const upstream = await startTestApp({ config: { use_ws: true, use_http: false }, now: clock.now });
  const dir = makeTempDir();
  // The contract's image-count case names an image `a.jpg` that the sandbox never looks at; a real
  // upstream wants the bytes, which the bridge sends from its data directory: put one there.
  mkdirSync(path.join(dir, 'image'));
  writeFileSync(path.join(dir, 'image', 'a.jpg'), PNG);
  const backend = await openOnebot({ dataDir: dir, url: `ws://127.0.0.1:${upstream.app.ws!.port}/`, accessToken: '', selfId: undefined, logger: silentLogger() });
  let seen = 0;
  backend.onEvent(() => seen++);
  backend.ready(); // listeners attached: the gate lets events through (as the composition root does)
  const direct = sandboxStimuli(upstream.app.backend);
  const heard = <A extends unknown[], R>(act: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    const before = seen;
    const result = await act(...args);
    await grown(() => seen, before);
    return result;
  };
  const stimuli: ContractStimuli = {
    requestFriend: heard(direct.requestFriend),
    applyToJoin: heard(direct.applyToJoin),
    inviteBot: heard(direct.inviteBot),
    setAnonymous: heard(direct.setAnonymous),
    speakAnonymously: heard(direct.speakAnonymously),
  };
  return {
    backend, world: defaultContractWorld(), stimuli,
    advanceSeconds: (s) => clock.advanceSeconds(s),
    async dispose() {
      await backend.close();
      await upstream.close();
      removeDir(dir);
    },
  };
}

runBackendContract('onebot bridge to a cqhttpd sandbox', makeBridgeSubject);
