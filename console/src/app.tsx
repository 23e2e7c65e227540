/** The console's frame: header (tabs, language, theme), the token prompt, and the current tab. */
import { needToken } from './api';
import { Header } from './header';
import { TokenPrompt } from './token-prompt';

export function App() {
  if (needToken.value !== false) return <TokenPrompt />;
  return (
    <div class="app">
      <Header />
      <main class="main" />
    </div>
  );
}
