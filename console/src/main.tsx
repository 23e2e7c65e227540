/** The console's entry point: render the app into #app. */
import { render } from 'preact';
import { App } from './app';
import { lang } from './i18n';
import { applyTheme } from './ui-state';
import './styles.css';

applyTheme();
document.documentElement.lang = lang.value;
const root = document.getElementById('app');
if (root !== null) render(<App />, root);
