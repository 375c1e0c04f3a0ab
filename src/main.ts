// Entry point of the kiosk page: registers the shell element.
import './app/gk-app.ts';
