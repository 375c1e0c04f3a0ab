import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { itemTitle, type Item, type Notice } from '../content/types.ts';
import { IdleController } from '../display/idle.ts';
import {
  KIOSK_DEFAULT_SETTINGS,
  freshSession,
  type VisitorSession,
  type VisitorSettings,
} from '../display/session.ts';
import { SpeechController, type SpeechEngine, type UtteranceFactory } from '../display/speech.ts';
import type { ItemSelectEvent } from './gk-notice-list.ts';
import type { AttachmentLoader } from './gk-notice-view.ts';
import type { PdfjsLoader } from './gk-pdf-view.ts';
import type { BrowseEvent } from './gk-home.ts';
import type {
  CandidatesFn,
  FiltersChangeEvent,
  QueryChangeEvent,
  SearchFn,
} from './gk-search-view.ts';
import type { ReadAloudEvent, SettingsChangeEvent } from './gk-settings-bar.ts';
import { applyTheme, sharedStyles } from './theme.ts';
import { langTag, t } from './i18n.ts';
import './gk-home.ts';
import './gk-search-view.ts';
import './gk-notice-view.ts';
import './gk-guide-view.ts';
import './gk-settings-bar.ts';

/** Why a session ended. */
export type ResetReason = 'idle' | 'manual';

/** The visitor session was wiped; the shell clears sessionStorage and any state it holds. */
export class SessionResetEvent extends Event {
  static readonly eventName = 'gk-session-reset';
  constructor(readonly reason: ResetReason) {
    super(SessionResetEvent.eventName, { bubbles: true, composed: true });
  }
}

/** A visitor started a session (touched the attract loop). */
export class SessionStartEvent extends Event {
  static readonly eventName = 'gk-session-start';
  constructor() {
    super(SessionStartEvent.eventName, { bubbles: true, composed: true });
  }
}

/** A visitor opened an item (for anonymous view counts). */
export class ItemOpenEvent extends Event {
  static readonly eventName = 'gk-item-open';
  constructor(readonly itemId: string) {
    super(ItemOpenEvent.eventName, { bubbles: true, composed: true });
  }
}

/**
 * A visitor finished a search: they opened a result, left the search screen,
 * or walked away. Fired once per typed query (not per keystroke), for the
 * anonymous search counts; `resultCount` 0 marks a search that found nothing.
 */
export class SearchDoneEvent extends Event {
  static readonly eventName = 'gk-search-done';
  constructor(
    readonly query: string,
    readonly resultCount: number,
  ) {
    super(SearchDoneEvent.eventName, { bubbles: true, composed: true });
  }
}

/** Converts Simplified text to Traditional (OpenCC cn → hk). */
export type Converter = (s: string) => string;

/**
 * The touch kiosk: attract loop → home → search → notice/guide reader, with
 * display settings and the idle privacy reset. Presentational: data and the
 * search come in as properties, everything the visitor does goes out as
 * events; it never pushes history entries and never navigates.
 *
 * @slot attract - the rotation shown while nobody touches the screen
 * @fires gk-session-start - a visitor touched the attract loop ({@link SessionStartEvent})
 * @fires gk-session-reset - the session was wiped ({@link SessionResetEvent})
 * @fires gk-item-open - an item was opened ({@link ItemOpenEvent})
 * @fires gk-search-done - a typed query was finished with ({@link SearchDoneEvent})
 */
@customElement('gk-kiosk')
export class GkKiosk extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        height: 100%;
        box-sizing: border-box;
        overflow: hidden;
        overscroll-behavior: none;
      }
      header {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4em;
        align-items: center;
        padding: 0.4em 0.6em;
        border-bottom: 2px solid var(--gk-line, #8a8a8a);
      }
      nav {
        display: flex;
        gap: 0.4em;
      }
      main {
        flex: 1;
        min-height: 0;
        overflow: auto;
        overscroll-behavior: contain;
        padding: 0.6em 0.8em;
      }
      main.search {
        display: flex;
        flex-direction: column;
        overflow: hidden;
      }
      gk-search-view {
        flex: 1;
      }
      .attract {
        flex: 1;
        display: flex;
        flex-direction: column;
        min-height: 0;
      }
      .attract ::slotted(*) {
        flex: 1;
        min-height: 0;
      }
      .start {
        width: 100%;
        font-size: 1.5em;
        min-height: calc(var(--gk-target, 60px) * 1.5);
      }
    `,
  ];

  /** All items of the active bundle. */
  @property({ attribute: false }) items: Item[] = [];
  /** The search function (from src/search, passed in by the shell). */
  @property({ attribute: false }) search: SearchFn = () => [];
  /** Vocabulary words for a pinyin prefix, for the candidate bar. */
  @property({ attribute: false }) candidates: CandidatesFn = () => [];
  /** Whether a 公示公告 is in its window now (the shell's clock decides). */
  @property({ attribute: false }) isNoticeActive: (n: Notice) => boolean = () => false;
  /** The kiosk's default settings (from kiosk-config); a reset returns to them. */
  @property({ attribute: false }) defaults: VisitorSettings = KIOSK_DEFAULT_SETTINGS;
  /** Idle time before the privacy reset, in seconds. */
  @property({ type: Number, attribute: 'idle-seconds' }) idleSeconds = 90;
  /** Public URL of an item for its QR code (portal page), if known. */
  @property({ attribute: false }) publicUrl: (item: Item) => string = (i) => i.source?.url ?? '';
  /** Loads the OpenCC converter on first use (the shell passes a dynamic import). */
  @property({ attribute: false }) loadConverter: (() => Promise<Converter>) | null = null;
  /** Reads an attachment's bytes from the active bundle (images and PDFs are shown). */
  @property({ attribute: false }) loadAttachment: AttachmentLoader | null = null;
  /** Loads pdf.js when a PDF attachment is opened (never at start). */
  @property({ attribute: false }) loadPdfjs: PdfjsLoader | null = null;
  /** Speech engine (window.speechSynthesis by default; tests pass a fake). */
  @property({ attribute: false }) speechEngine: SpeechEngine | undefined =
    typeof speechSynthesis === 'undefined' ? undefined : speechSynthesis;
  /** Makes utterances (SpeechSynthesisUtterance by default). */
  @property({ attribute: false }) makeUtterance: UtteranceFactory | undefined =
    typeof SpeechSynthesisUtterance === 'undefined'
      ? undefined
      : (text) => new SpeechSynthesisUtterance(text);

  /** The visitor's session: everything a reset forgets. */
  @state() private _session: VisitorSession = freshSession();
  @state() private _converter: Converter | null = null;
  @state() private _message = '';

  @query('main') private _main!: HTMLElement | null;

  private _idle: IdleController | null = null;
  private _idleMs = 0;
  private _speech: SpeechController | null = null;
  /**
   * The longest query of the current edit run, not yet reported as a finished
   * search (forgotten once reported): clearing the field reports it, so a
   * query given up on still counts, and backspacing does not count each prefix.
   */
  private _unreported = '';

  /** The current session (read-only copy, for the shell and tests). */
  get session(): VisitorSession {
    return structuredClone(this._session);
  }

  /**
   * Forgets the visitor: query, filters, results, opened item, scroll
   * position, settings (back to `defaults`), speech; returns to the attract
   * loop and fires `gk-session-reset` so the shell can wipe sessionStorage.
   */
  resetSession(reason: ResetReason = 'manual'): void {
    this._reportSearch();
    this._speech?.stop();
    this._session = freshSession(this.defaults, 'attract');
    this._message = '';
    if (this._main) this._main.scrollTop = 0;
    this.dispatchEvent(new SessionResetEvent(reason));
  }

  /** Opens the home screen as if a visitor touched the attract loop. */
  startSession(): void {
    this._session = { ...freshSession(this.defaults), screen: 'home' };
    this.dispatchEvent(new SessionStartEvent());
    this._idle?.poke();
  }

  /**
   * Opens an item's reader, e.g. when a visitor touches a rotating slide.
   * Unknown ids are ignored (the bundle may have changed under the slide).
   */
  openItem(id: string): void {
    const item = this.items.find((i) => i.id === id);
    if (!item) return;
    const from = this._session.screen === 'search' ? 'search' : 'home';
    if (from === 'search') this._reportSearch();
    this._set({ screen: item.kind, openItemId: item.id, returnTo: from });
    if (this._main) this._main.scrollTop = 0;
    this.dispatchEvent(new ItemOpenEvent(item.id));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('contextmenu', this._prevent);
    this.addEventListener('dragstart', this._prevent);
    this.addEventListener('selectstart', this._onSelectStart);
    this.addEventListener('click', this._onAnyClick, { capture: true });
    this._speech ??= new SpeechController(this, this.speechEngine, this.makeUtterance);
    this._idle ??= this._makeIdle();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('contextmenu', this._prevent);
    this.removeEventListener('dragstart', this._prevent);
    this.removeEventListener('selectstart', this._onSelectStart);
    this.removeEventListener('click', this._onAnyClick, { capture: true });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('defaults') && this._session.screen === 'attract')
      this._session = freshSession(this.defaults, 'attract');
    if (changed.has('idleSeconds') && this._idle && this._idleMs !== this.idleSeconds * 1000) {
      // The idle time is fixed per controller: swap in one with the new time.
      this._idle.hostDisconnected();
      this.removeController(this._idle);
      this._idle = this._makeIdle();
    }
  }

  protected override updated(): void {
    applyTheme(this, this._session.settings);
    this.lang = langTag(this._session.settings.uiLang);
    const wantConverter = this._session.settings.traditionalContent;
    if (wantConverter && !this._converter && this.loadConverter)
      void this.loadConverter().then((c) => (this._converter = c));
  }

  override render() {
    const s = this._session;
    if (s.screen === 'attract')
      return html`<div class="attract">
        <slot name="attract"></slot>
        <button class="start primary" type="button" @click=${this.startSession}>
          ${t(s.settings.uiLang, 'touchToStart')}
        </button>
      </div>`;
    const L = s.settings.uiLang;
    const convert = s.settings.traditionalContent && this._converter ? this._converter : null;
    const c = convert ?? ((x: string) => x);
    const open = s.openItemId ? this.items.find((i) => i.id === s.openItemId) : undefined;
    return html`<header>
        <nav aria-label=${t(L, 'home')}>
          <button type="button" @click=${this._onHome} aria-pressed=${s.screen === 'home'}>
            ${t(L, 'home')}
          </button>
          ${
            s.screen === 'notice' || s.screen === 'guide'
              ? html`<button type="button" @click=${this._onBack}>← ${t(L, 'back')}</button>`
              : nothing
          }
          <button type="button" @click=${this._onSearch} aria-pressed=${s.screen === 'search'}>
            ${t(L, 'search')}
          </button>
        </nav>
        <gk-settings-bar
          .settings=${s.settings}
          ?canSpeak=${this._speech?.canSpeak(langTag(L)) ?? false}
          ?speaking=${this._speech?.speaking ?? false}
          .message=${this._message}
          @gk-settings-change=${this._onSettings}
          @gk-read-aloud=${this._onReadAloud}
        ></gk-settings-bar>
      </header>
      <main
        class=${s.screen}
        tabindex="0"
        aria-label=${t(L, s.screen === 'search' ? 'search' : s.screen === 'home' ? 'home' : 'open')}
      >
        ${
          s.screen === 'home'
            ? html`<gk-home
                .items=${this.items}
                .isNoticeActive=${this.isNoticeActive}
                .convert=${c}
                .uiLang=${L}
                @gk-browse=${this._onBrowse}
                @gk-item-select=${this._onSelect}
              ></gk-home>`
            : s.screen === 'search'
              ? html`<gk-search-view
                  .items=${this.items}
                  .search=${this.search}
                  .candidates=${this.candidates}
                  .query=${s.query}
                  .filters=${s.filters}
                  .convert=${c}
                  .uiLang=${L}
                  .suggestions=${this._suggestions()}
                  @gk-query-change=${this._onQuery}
                  @gk-filters-change=${this._onFilters}
                  @gk-item-select=${this._onSelect}
                ></gk-search-view>`
              : open?.kind === 'notice'
                ? html`<gk-notice-view
                    .item=${open}
                    .publicUrl=${this.publicUrl(open)}
                    .convert=${convert}
                    .uiLang=${L}
                    .loadAttachment=${this.loadAttachment}
                    .loadPdfjs=${this.loadPdfjs}
                  ></gk-notice-view>`
                : open?.kind === 'guide'
                  ? html`<gk-guide-view
                      .item=${open}
                      .convert=${convert}
                      .uiLang=${L}
                    ></gk-guide-view>`
                  : nothing
        }
      </main>`;
  }

  private _makeIdle(): IdleController {
    this._idleMs = this.idleSeconds * 1000;
    return new IdleController(this, {
      timeoutMs: this._idleMs,
      onIdle: () => {
        if (this._session.screen !== 'attract') this.resetSession('idle');
      },
    });
  }

  /** A few titles' first words as example queries for the empty state. */
  private _suggestions(): string[] {
    return [...new Set(this.items.flatMap((i) => (i.kind === 'notice' ? (i.keywords ?? []) : [])))]
      .slice(0, 4)
      .concat(this.items.filter((i) => i.kind === 'guide').map((g) => itemTitle(g).slice(0, 6)))
      .slice(0, 6);
  }

  private _set(patch: Partial<VisitorSession>) {
    this._session = { ...this._session, ...patch };
  }

  /** Reports the query once as a finished search (for anonymous counts). */
  private _reportSearch(query = this._unreported ? this._session.query.trim() : '') {
    this._unreported = '';
    if (!query) return;
    let count = 0;
    try {
      count = this.search(query).length;
    } catch {
      // A failing search found nothing, which is what the count should say.
    }
    this.dispatchEvent(new SearchDoneEvent(query, count));
  }

  private _onHome() {
    if (this._session.screen === 'search') this._reportSearch();
    this._set({ screen: 'home', openItemId: null });
  }

  private _onSearch() {
    this._set({ screen: 'search', openItemId: null });
  }

  private _onBack() {
    this._set({ screen: this._session.returnTo, openItemId: null });
  }

  private _onBrowse(e: BrowseEvent) {
    const f = e.filter;
    this._set({
      screen: 'search',
      query: f.query ?? '',
      filters: { category: f.category ?? '', issuer: f.issuer ?? '', year: '', validity: '' },
    });
  }

  private _onSelect(e: ItemSelectEvent) {
    this.openItem(e.itemId);
  }

  private _onQuery(e: QueryChangeEvent) {
    const peak = this._unreported;
    if (!e.query.trim()) this._reportSearch(peak.trim());
    else if (!peak.startsWith(e.query)) this._unreported = e.query;
    this._set({ query: e.query });
  }

  private _onFilters(e: FiltersChangeEvent) {
    this._set({ filters: e.filters });
  }

  private _onSettings(e: SettingsChangeEvent) {
    this._set({ settings: e.settings });
    this._message = '';
  }

  private _onReadAloud(e: ReadAloudEvent) {
    if (!this._speech) return;
    if (e.stop) {
      this._speech.stop();
      this.requestUpdate();
      return;
    }
    const L = this._session.settings.uiLang;
    const text = (this._main?.querySelector('*')?.shadowRoot?.textContent ?? '')
      .replace(/\s+/g, ' ')
      .trim();
    const voiceLang = L === 'en' ? 'en' : L === 'zh-Hant' ? 'zh-HK' : 'zh-CN';
    this._message = this._speech.speak(text, voiceLang) ? '' : t(L, 'noVoice');
  }

  private readonly _prevent = (e: Event) => e.preventDefault();

  private readonly _onSelectStart = (e: Event) => {
    // Text selection only inside the search field (for the OS IME and caret).
    if (!(e.composedPath()[0] instanceof HTMLInputElement)) e.preventDefault();
  };

  private readonly _onAnyClick = (e: MouseEvent) => {
    // Nothing in the kiosk may navigate away: anchors are inert.
    if (e.composedPath().some((n) => n instanceof HTMLAnchorElement)) e.preventDefault();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'gk-kiosk': GkKiosk;
  }
  interface HTMLElementEventMap {
    'gk-session-reset': SessionResetEvent;
    'gk-session-start': SessionStartEvent;
    'gk-item-open': ItemOpenEvent;
    'gk-search-done': SearchDoneEvent;
  }
}
