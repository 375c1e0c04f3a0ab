import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { sharedStyles } from './theme.ts';
import { t, type UiLang } from './i18n.ts';
import './gk-qr.ts';

/** The pdf.js module (pdfjs-dist), loaded by the shell only when a PDF is opened. */
export type PdfjsModule = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

/** Loads pdf.js with its worker set up (the shell owns the worker URL and its Trusted Types policy). */
export type PdfjsLoader = () => Promise<PdfjsModule>;

/**
 * Options every document is opened with. pdf.js's display API never runs a
 * document's JavaScript (only its viewer does, with `enableScripting` and a
 * sandbox, neither of which is loaded here); eval-compiled font paths, XFA
 * forms and WebAssembly decoders are off, so it works under the app's CSP
 * (no 'unsafe-eval', no 'wasm-unsafe-eval').
 */
export const SAFE_PDF_OPTIONS = {
  isEvalSupported: false,
  enableXfa: false,
  useWasm: false,
  useSystemFonts: true,
  disableAutoFetch: true,
  disableStream: true,
  disableRange: true,
} as const;

/**
 * A PDF attachment rendered to canvases, page by page, with its text (for
 * screen readers and read-aloud) and its external links as QR codes: nothing
 * in it can navigate, run a script or submit a form (no annotation layer).
 *
 * @csspart page - each page's canvas
 */
@customElement('gk-pdf-view')
export class GkPdfView extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .pages {
        display: flex;
        flex-direction: column;
        gap: 0.5em;
      }
      canvas {
        display: block;
        max-width: 100%;
        height: auto;
        border: 1px solid var(--gk-line, #8a8a8a);
        background: #fff;
      }
      .links {
        display: flex;
        flex-wrap: wrap;
        gap: 1em;
      }
      .qr {
        width: 8em;
        height: 8em;
        display: block;
      }
    `,
  ];

  /** The PDF file's bytes. */
  @property({ attribute: false }) data: Uint8Array | null = null;
  /** The attachment's name (labels the pages). */
  @property() label = '';
  /** Loads pdf.js (see {@link PdfjsLoader}). */
  @property({ attribute: false }) loadPdfjs: PdfjsLoader | null = null;
  /** Pages rendered at most; the rest are named, not drawn (memory on kiosk hardware). */
  @property({ type: Number, attribute: 'max-pages' }) maxPages = 20;
  /** UI language. */
  @property({ attribute: 'ui-lang' }) uiLang: UiLang = 'zh-Hans';

  @state() private _status: 'idle' | 'loading' | 'ready' | 'failed' = 'idle';
  @state() private _pageCount = 0;
  @state() private _text = '';
  @state() private _links: string[] = [];

  @query('.pages') private _pagesEl!: HTMLElement | null;

  private _doc: { destroy(): Promise<void> } | null = null;
  private _run = 0;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._run++;
    void this._doc?.destroy();
    this._doc = null;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('data') || changed.has('loadPdfjs')) void this._render();
  }

  override render() {
    const L = this.uiLang;
    const more = this._pageCount > this.maxPages;
    return html`<p role="status" class="muted">
        ${
          this._status === 'loading'
            ? t(L, 'pdfLoading')
            : this._status === 'failed'
              ? t(L, 'pdfFailed')
              : this._status === 'ready'
                ? t(L, 'pages', { n: this._pageCount })
                : nothing
        }
        ${more ? t(L, 'pdfFirstPages', { n: this.maxPages }) : nothing}
      </p>
      <div class="pages"></div>
      ${
        this._links.length
          ? html`<h3>${t(L, 'externalLink')}</h3>
              <div class="links">
                ${this._links.map(
                  (href) =>
                    html`<div>
                      <gk-qr class="qr" .value=${href} .label=${href}></gk-qr>${href}
                    </div>`,
                )}
              </div>`
          : nothing
      }
      ${
        this._text
          ? html`<details>
              <summary>${t(L, 'pdfText')}</summary>
              <p class="text">${this._text}</p>
            </details>`
          : nothing
      }`;
  }

  private async _render(): Promise<void> {
    const run = ++this._run;
    void this._doc?.destroy();
    this._doc = null;
    this._pagesEl?.replaceChildren();
    this._text = '';
    this._links = [];
    this._pageCount = 0;
    if (!this.data || !this.loadPdfjs) {
      this._status = 'idle';
      return;
    }
    this._status = 'loading';
    try {
      const pdfjs = await this.loadPdfjs();
      if (run !== this._run) return;
      // pdf.js takes ownership of the buffer it is given: pass a copy.
      const task = pdfjs.getDocument({ data: this.data.slice(), ...SAFE_PDF_OPTIONS });
      this._doc = task;
      const doc = await task.promise;
      if (run !== this._run) return;
      this._pageCount = doc.numPages;
      const texts: string[] = [];
      const links = new Set<string>();
      const width = Math.max(320, this._pagesEl?.clientWidth ?? 800);
      for (let n = 1; n <= Math.min(doc.numPages, this.maxPages); n++) {
        const page = await doc.getPage(n);
        if (run !== this._run) return;
        const base = page.getViewport({ scale: 1 });
        const scale = Math.min(3, (width * Math.min(2, devicePixelRatio || 1)) / base.width);
        const viewport = page.getViewport({ scale });
        const canvas = document.createElement('canvas');
        canvas.width = Math.floor(viewport.width);
        canvas.height = Math.floor(viewport.height);
        canvas.setAttribute('part', 'page');
        canvas.setAttribute('role', 'img');
        canvas.setAttribute('aria-label', `${this.label} ${t(this.uiLang, 'pageN', { n })}`);
        this._pagesEl?.append(canvas);
        await page.render({ canvas, viewport }).promise;
        const content = await page.getTextContent();
        texts.push(content.items.map((i) => ('str' in i ? i.str : '')).join(' '));
        // Links are never followed: external ones become QR codes, the rest are dropped.
        for (const a of (await page.getAnnotations()) as { subtype?: string; url?: string }[]) {
          if (a.subtype === 'Link' && a.url && /^https?:\/\//i.test(a.url)) links.add(a.url);
        }
        page.cleanup();
      }
      if (run !== this._run) return;
      this._text = texts.join('\n').replace(/\s+/g, ' ').trim();
      this._links = [...links];
      this._status = 'ready';
    } catch (err) {
      if (run !== this._run) return;
      console.warn('[gongkai] PDF not shown:', err);
      this._status = 'failed';
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gk-pdf-view': GkPdfView;
  }
}
