/**
 * The touch-kiosk visitor session: what one visitor has done (screen, query,
 * filters, opened item, display settings), and the privacy reset that
 * forgets all of it. Idle detection itself is `IdleController` in idle.ts.
 *
 * Pure functions. Browser storage is passed in by the caller (only src/data
 * may name the storage globals), so this file stays testable in Node.
 */
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
