/** The console's frame: header, the token prompt, and the current tab; starts the live stream. */
import { useEffect } from 'preact/hooks';
import { needToken, token } from './api';
import { Chat } from './chat';
import { ApiPanel } from './api-panel';
import { Connections } from './connections';
import { Header } from './header';
import { Inspector } from './inspector';
import { loadMeta } from './meta';
import { RefusalNotice } from './refusal';
import { cycleSpeaker } from './speaker';
import { addCalls, live, loadChat, loadWorld, receive, resetAll } from './store';
import { openStream } from './stream';
import { TokenPrompt } from './token-prompt';
import type { Call } from './types';
import { api } from './api';
import { current, tab } from './ui-state';
import { WorldPanel, openChat } from './world-panel';
import { Requests } from './requests';
import { FaultsPanel } from './faults-panel';
import { loadFaults } from './faults';

async function loadAll(): Promise<void> {
  void loadFaults();
  await loadWorld();
  const { calls } = await api<{ calls: Call[] }>('GET', '/api/calls');
  addCalls(calls);
  if (current.value !== null) await loadChat(current.value);
}

function start(): () => void {
  void loadMeta();
  return openStream({
    // A new page (replaying the last page's frames or not) loads the world, its chat and the
    // journal's calls; a resume after a drop gets what it missed from the stream alone.
    onOpen: (kind) => { if (kind !== 'resumed') void loadAll().then(() => { if (current.value === null) pickFirstChat(); }); },
    onFrame: receive,
    onReset: () => { resetAll(); void loadAll(); },
  });
}

function pickFirstChat(): void {
  const params = new URLSearchParams(location.search);
  const g = params.get('group');
  if (g !== null && /^\d+$/.test(g)) openChat(`g:${Number(g)}`);
}

export function App() {
  const blocked = needToken.value !== false;
  useEffect(() => (blocked ? undefined : start()), [blocked, token.value]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'F2' && current.value !== null) {
        e.preventDefault();
        cycleSpeaker(current.value, e.shiftKey ? -1 : 1);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  if (blocked) return <TokenPrompt />;
  return (
    <div class="app">
      <Header live={live.value} />
      <RefusalNotice />
      {tab.value === 'chat' && (
        <main class="main three">
          <div class="left"><WorldPanel /><Requests /><FaultsPanel /></div>
          <Chat />
          <Inspector />
        </main>
      )}
      {tab.value === 'connections' && <main class="main"><Connections /></main>}
      {tab.value === 'api' && <main class="main"><ApiPanel /></main>}
    </div>
  );
}
