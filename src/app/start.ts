// The app proper: the shell element and the service worker with its safe-update
// policy. Loaded by src/main.ts after any polyfills this engine needs.
import './gk-app.ts';
import { afterFirstPaint, startPwa } from '../pwa/index.ts';

afterFirstPaint(() => startPwa());
