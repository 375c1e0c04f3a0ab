// Entry point of the kiosk page: registers the shell element, then the
// service worker with its safe-update policy (src/pwa).
import './app/gk-app.ts';
import { startPwa } from './pwa/index.ts';

startPwa();
