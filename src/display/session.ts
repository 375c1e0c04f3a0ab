/**
 * The touch-kiosk visitor session: what one visitor has done (screen, query,
 * filters, opened item, display settings), and the idle privacy reset that
 * forgets all of it.
 *
 * Pure functions plus one ReactiveController that owns the idle timer and
 * the activity listeners. Browser storage is passed in by the caller (only
 * src/data may name the storage globals), so this file stays testable in Node.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { FontSize } from '../components/theme.ts';
import type { UiLang } from '../components/i18n.ts';

/** The touch screens. `attract` is the rotation shown while nobody touches. */
export const KIOSK_SCREENS = ['attract', 'home', 'search', 'notice', 'guide'] as const;
export type KioskScreen = (typeof KIOSK_SCREENS)[number];

/** Display settings a visitor may change; reset to the kiosk's defaults on idle. */
export interface VisitorSettings {
  fontSize: FontSize;
  elder: boolean;
  highContrast: boolean;
  uiLang: UiLang;
  /** Show content converted to Traditional characters (OpenCC cn → hk). */
  traditionalContent: boolean;
}

/** Defaults when the kiosk configuration sets none. */
export const KIOSK_DEFAULT_SETTINGS: VisitorSettings = Object.freeze({
  fontSize: 'medium',
  elder: false,
  highContrast: false,
  uiLang: 'zh-Hans',
  traditionalContent: false,
});

/** Search filters; empty string means "all". */
export interface SearchFilters {
  category: string;
  issuer: string;
  year: string;
  validity: string;
}

/** Everything the kiosk remembers about the current visitor. */
export interface VisitorSession {
  screen: KioskScreen;
  query: string;
  filters: SearchFilters;
  /** The item being read, if any. */
  openItemId: string | null;
  /** Where "back" goes from the item view. */
  returnTo: 'home' | 'search';
  settings: VisitorSettings;
}

/** A session as if nobody had ever touched the kiosk. */
export function freshSession(
  defaults: VisitorSettings = KIOSK_DEFAULT_SETTINGS,
  screen: KioskScreen = 'attract',
): VisitorSession {
  return {
    screen,
    query: '',
    filters: { category: '', issuer: '', year: '', validity: '' },
    openItemId: null,
    returnTo: 'home',
    settings: { ...defaults },
  };
}

/** True when the session holds nothing a visitor did. */
export function isPristine(s: VisitorSession, defaults: VisitorSettings): boolean {
  const f = freshSession(defaults, s.screen);
  return JSON.stringify({ ...s, screen: f.screen }) === JSON.stringify(f);
}

/** What the reset wipes outside the component tree. */
export interface BrowserTraces {
  sessionStorage?: Pick<Storage, 'clear'>;
  history?: Pick<History, 'replaceState' | 'state'>;
  /** The URL to leave in the address bar: the kiosk's start URL, without query text or hash. */
  startUrl?: string;
}

/**
 * Wipes the traces a visitor can leave in the browser: sessionStorage, and
 * any history state or URL fragment (the kiosk never pushes history entries,
 * so there are none to pop; replaceState drops state on the current one).
 */
export function wipeBrowserTraces(t: BrowserTraces): void {
  t.sessionStorage?.clear();
  if (t.history && (t.history.state !== null || t.startUrl !== undefined))
    t.history.replaceState(null, '', t.startUrl);
}

/** Events that count as a visitor being present. */
export const ACTIVITY_EVENTS = [
  'pointerdown',
  'pointermove',
  'keydown',
  'wheel',
  'touchstart',
  'compositionupdate',
] as const;

/** Options of {@link IdleResetController}. */
export interface IdleResetOptions {
  /** Idle time after the last activity, in ms. */
  timeoutMs: number;
  /** Called once when the idle time has passed since the last activity. */
  onIdle: () => void;
  /** Whether a timer should run at all (false while the attract loop shows). */
  isActive: () => boolean;
  /** Where activity is listened for; the host element by default. */
  target?: EventTarget;
}

/**
 * Runs `onIdle` after `timeoutMs` without activity. The timer only runs while
 * `isActive()` (a visitor session is open); every listener and the timer are
 * removed on disconnect.
 */
export class IdleResetController implements ReactiveController {
  private _timer: ReturnType<typeof setTimeout> | undefined;
  private _connected = false;
  private readonly _onActivity = () => this.restart();

  constructor(
    private readonly host: ReactiveControllerHost & EventTarget,
    private readonly opts: IdleResetOptions,
  ) {
    host.addController(this);
  }

  /** Idle time in ms (may be changed by the host's configuration). */
  timeoutMs(): number {
    return this.opts.timeoutMs;
  }

  /** Changes the idle time and restarts the countdown. */
  setTimeoutMs(ms: number): void {
    this.opts.timeoutMs = ms;
    this.restart();
  }

  hostConnected(): void {
    this._connected = true;
    const target = this.opts.target ?? this.host;
    for (const type of ACTIVITY_EVENTS)
      target.addEventListener(type, this._onActivity, { capture: true, passive: true });
    this.restart();
  }

  hostDisconnected(): void {
    this._connected = false;
    const target = this.opts.target ?? this.host;
    for (const type of ACTIVITY_EVENTS)
      target.removeEventListener(type, this._onActivity, { capture: true });
    this._clear();
  }

  /** Starts the countdown again (on activity, or when a session begins). */
  restart(): void {
    this._clear();
    if (!this._connected || !this.opts.isActive()) return;
    this._timer = setTimeout(() => {
      this._timer = undefined;
      if (this.opts.isActive()) this.opts.onIdle();
    }, this.opts.timeoutMs);
  }

  /** Whether a countdown is running. */
  get running(): boolean {
    return this._timer !== undefined;
  }

  private _clear(): void {
    if (this._timer !== undefined) clearTimeout(this._timer);
    this._timer = undefined;
  }
}
