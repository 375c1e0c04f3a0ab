// Entry point of the kiosk page: registers the shell element, then (once the
// first paint is done) the service worker with its safe-update policy (src/pwa).
import './app/gk-app.ts';
import { afterFirstPaint, startPwa } from './pwa/index.ts';

afterFirstPaint(() => startPwa());
