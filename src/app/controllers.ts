import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { SyncEngine } from '../sync/engine.ts';

/** Owns a {@link SyncEngine}: stops its timers when the shell disconnects. */
export class SyncController implements ReactiveController {
  private _engine: SyncEngine | null = null;

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  get engine(): SyncEngine | null {
    return this._engine;
  }

  /** Starts `engine` (stopping a previous one). */
  async run(engine: SyncEngine): Promise<void> {
    this._engine?.stop();
    this._engine = engine;
    await engine.start();
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this._engine?.stop();
    this._engine = null;
  }
}

/** How long a press on the header must last to open the admin panel. */
export const LONG_PRESS_MS = 3000;

/**
 * Opens the admin panel on Ctrl+Shift+A (keyboard) or a 3-second press on the
 * header (touch): hard to hit by accident, easy for staff.
 */
export class AdminGestureController implements ReactiveController {
  private _timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    host: ReactiveControllerHost & HTMLElement,
    private readonly onOpen: () => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('keydown', this._onKey);
  }

  hostDisconnected(): void {
    window.removeEventListener('keydown', this._onKey);
    this.cancel();
  }

  /** Call from pointerdown on the press target. */
  start = (): void => {
    this.cancel();
    this._timer = setTimeout(() => {
      this._timer = null;
      this.onOpen();
    }, LONG_PRESS_MS);
  };

  /** Call from pointerup / pointerleave / pointercancel. */
  cancel = (): void => {
    if (this._timer !== null) clearTimeout(this._timer);
    this._timer = null;
  };

  private _onKey = (e: KeyboardEvent): void => {
    if (e.ctrlKey && e.shiftKey && (e.key === 'A' || e.key === 'a')) {
      e.preventDefault();
      this.onOpen();
    }
  };
}
