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

/** Keys that make a browser leave or reload the page; prevented outside text fields. */
const NAV_KEYS = ['BrowserBack', 'BrowserForward', 'BrowserHome', 'BrowserRefresh', 'F5'];

function isEditable(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    (target instanceof HTMLElement && target.isContentEditable)
  );
}

/**
 * Nothing on a kiosk may take a visitor away from the app. Components already
 * make links inert inside the kiosk; this is the page-wide net (defence in
 * depth, also for the reading-room display and the admin panel):
 * - link clicks (any mouse button) and form submissions are cancelled;
 * - `window.open` returns null;
 * - a dragged link or file dropped on the page is refused (the browser would open it);
 * - no context menu; Backspace (outside a text field), Alt+←/→, F5, Ctrl+R and
 *   the browser's back/forward/home keys do nothing;
 * - a guard history entry: "back" lands on the app's own first entry, where a
 *   new guard is pushed at once, so history never goes past the start.
 * Browser-reserved shortcuts (Ctrl+N/T/W/L) cannot be cancelled by a page: the
 * kiosk's Chromium flags handle them (docs/deploy.md).
 */
export class LockdownController implements ReactiveController {
  private _startUrl = '';
  private _open: typeof window.open | null = null;

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    this._startUrl = location.pathname + location.search;
    this._open = window.open;
    window.open = () => null;
    for (const [type, fn] of this._listeners) window.addEventListener(type, fn, true);
    window.addEventListener('popstate', this._onPopState);
    // A guard entry on top of the start entry: "back" pops to the start, never past it.
    history.pushState(null, '', this._startUrl);
  }

  hostDisconnected(): void {
    if (this._open) window.open = this._open;
    for (const [type, fn] of this._listeners) window.removeEventListener(type, fn, true);
    window.removeEventListener('popstate', this._onPopState);
  }

  private readonly _prevent = (e: Event): void => e.preventDefault();

  private readonly _onClick = (e: MouseEvent): void => {
    const a = e.composedPath().find((n) => n instanceof HTMLAnchorElement);
    // The admin panel's CSV export is a download of a blob URL, not a navigation.
    if (a && a.hasAttribute('href') && !(a.download && a.href.startsWith('blob:'))) {
      e.preventDefault();
    }
  };

  private readonly _onKey = (e: KeyboardEvent): void => {
    const leaves =
      NAV_KEYS.includes(e.key) ||
      (e.altKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight' || e.key === 'Home')) ||
      ((e.ctrlKey || e.metaKey) && (e.key === 'r' || e.key === 'R')) ||
      (e.key === 'Backspace' && !isEditable(e.composedPath()[0] ?? null));
    if (leaves) e.preventDefault();
  };

  private readonly _onPopState = (): void => {
    history.pushState(null, '', this._startUrl);
  };

  private readonly _listeners: [string, EventListener][] = [
    ['click', this._onClick as EventListener],
    ['auxclick', this._onClick as EventListener],
    ['submit', this._prevent],
    ['contextmenu', this._prevent],
    ['dragstart', this._prevent],
    ['dragover', this._prevent],
    ['drop', this._prevent],
    ['keydown', this._onKey as EventListener],
  ];
}

/** How long after content shows the start-up search index is readied when no visitor asks first. */
export const INDEX_DELAY_MS = 4000;

/**
 * Decides when the search index is readied, and owns the timer and idle
 * callback that wait for it (both cancelled on disconnect). Building or
 * reading the index (and the Simplified/Traditional tables its normalisation
 * loads) is a few hundred milliseconds of work that would delay the first
 * notice, so the start-up index waits `delayMs` after the content shows and
 * then for an idle moment; a visitor starting a session readies it at once,
 * and so does every later version (a bundle switch on a running kiosk: issue
 * #7 wants the index ready within 2 s of a switch).
 */
export class IndexScheduleController<T> implements ReactiveController {
  private _job: (() => Promise<T>) | null = null;
  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _idle: number | null = null;
  private _started = false;
  /** Number of the latest job run: an older one finishing later is not delivered. */
  private _seq = 0;

  /**
   * `onReady` receives each readied index unless a newer job was scheduled
   * or run meanwhile (its result follows); `onError` receives failures.
   */
  constructor(
    host: ReactiveControllerHost,
    private readonly onReady: (value: T) => void,
    private readonly onError: (err: unknown) => void,
    private readonly delayMs = INDEX_DELAY_MS,
  ) {
    host.addController(this);
  }

  /** Whether a job is waiting for its moment. */
  get pending(): boolean {
    return this._job !== null;
  }

  /**
   * Schedules `job` (replacing one still waiting): at once when `now` (a
   * visitor is here) or when an index was readied before; else after the
   * start-up delay, when idle.
   */
  schedule(job: () => Promise<T>, now: boolean): void {
    this._job = job;
    if (now || this._started) {
      this.run();
      return;
    }
    if (this._timer !== null || this._idle !== null) return;
    this._timer = setTimeout(() => {
      this._timer = null;
      if (typeof requestIdleCallback === 'function') {
        this._idle = requestIdleCallback(
          () => {
            this._idle = null;
            this.run();
          },
          { timeout: 2000 },
        );
      } else this.run();
    }, this.delayMs);
  }

  /** Runs the waiting job now, if any (a visitor started a session). */
  run(): void {
    const job = this._job;
    if (!job) return;
    this._job = null;
    this._started = true;
    this._cancel();
    const seq = ++this._seq;
    job().then((value) => {
      // A newer version scheduled or run meanwhile wins: a slow older build must not
      // replace its index.
      if (!this._job && seq === this._seq) this.onReady(value);
    }, this.onError);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this._cancel();
  }

  private _cancel(): void {
    if (this._timer !== null) clearTimeout(this._timer);
    this._timer = null;
    if (this._idle !== null && typeof cancelIdleCallback === 'function') {
      cancelIdleCallback(this._idle);
    }
    this._idle = null;
  }
}
