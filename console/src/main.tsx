/** The console's entry point: render the app into #app. */
import { render } from 'preact';
import { App } from './app';
import { applyTheme } from './ui-state';
import './styles.css';

applyTheme();
const root = document.getElementById('app');
if (root !== null) render(<App />, root);
