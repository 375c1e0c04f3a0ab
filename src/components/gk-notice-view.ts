import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import DOMPurify from 'dompurify';
import type { Attachment, Notice } from '../content/types.ts';
import type { PdfjsLoader } from './gk-pdf-view.ts';
import { sharedStyles } from './theme.ts';
import { t, type UiLang } from './i18n.ts';
import './gk-qr.ts';
import './gk-pdf-view.ts';

/** Reads an attachment's bytes from the active bundle (null when it is not there). */
export type AttachmentLoader = (a: Attachment) => Promise<Uint8Array | null>;

/** Attachment types shown in the kiosk; others are listed only (take them home by QR). */
const VIEWABLE = /^(application\/pdf|image\/(png|jpeg|gif|webp))$/;

/** External links found in a body: they are shown as QR codes, never followed. */
export interface SanitisedBody {
  html: string;
  links: { text: string; href: string }[];
}

/** Records and strips links while DOMPurify walks the body. */
function linkHook(links: { text: string; href: string }[]) {
  return (node: Element) => {
    // A body image without a text alternative still gets one (axe: image-alt).
    if (node.nodeName === 'IMG' && !node.hasAttribute('alt')) node.setAttribute('alt', '图片');
    if (node.nodeName !== 'A') return;
    const href = node.getAttribute('href');
    node.removeAttribute('href');
    node.removeAttribute('target');
    if (href && /^https?:\/\//i.test(href))
      links.push({ text: (node.textContent ?? '').trim() || href, href });
  };
}

/**
 * Sanitises an item body again (defence in depth: bundles are sanitised at
 * build time) with DOMPurify in RETURN_TRUSTED_TYPE mode, so under the app's
 * Trusted Types CSP the HTML comes from the `dompurify` policy. Links lose
 * their href (nothing in the kiosk navigates) and are returned for QR codes.
 *
 * The shared DOMPurify instance is used because a second instance cannot
 * create a second `dompurify` policy under Trusted Types; the hook is added
 * and removed around this one synchronous call, so no other caller sees it.
 */
export function sanitiseBody(body: string): SanitisedBody {
  const links: { text: string; href: string }[] = [];
  const hook = linkHook(links);
  DOMPurify.addHook('afterSanitizeAttributes', hook);
  try {
    const out = DOMPurify.sanitize(body, {
      RETURN_TRUSTED_TYPE: true,
      FORBID_TAGS: ['style', 'form', 'input', 'button', 'iframe', 'object', 'embed'],
    });
    return { html: String(out), links };
  } finally {
    DOMPurify.removeHook('afterSanitizeAttributes', hook);
  }
}

/**
 * The notice reader: metadata block, body, task table, attachments, the
 * "以原文为准" note and a QR code to the public URL.
 *
 * @csspart body - the notice body
 */
@customElement('gk-notice-view')
export class GkNoticeView extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .top {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        gap: 1em;
        align-items: start;
      }
      dl {
        display: grid;
        grid-template-columns: max-content minmax(0, 1fr);
        gap: 0.2em 1em;
        margin: 0 0 1em;
        padding: 0.5em 0.8em;
        background: var(--gk-card, #fff);
        border: 1px solid var(--gk-line, #8a8a8a);
      }
      dt {
        color: var(--gk-muted, #4a4a4a);
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      .body {
        overflow-wrap: anywhere;
      }
      .body img {
        max-width: 100%;
      }
      table {
        border-collapse: collapse;
        width: 100%;
        font-size: 0.9em;
      }
      th,
      td {
        border: 1px solid var(--gk-line, #8a8a8a);
        padding: 0.3em;
        text-align: start;
        vertical-align: top;
      }
      .qrbox {
        text-align: center;
        max-width: 9em;
        font-size: 0.8em;
      }
      .qr {
        width: 8em;
        height: 8em;
        display: block;
        margin: 0 auto;
      }
      .links {
        display: flex;
        flex-wrap: wrap;
        gap: 1em;
      }
      .note {
        font-weight: 600;
      }
      .attachment img {
        display: block;
        max-width: 100%;
        height: auto;
      }
      .attachments li {
        margin-bottom: 0.5em;
      }
      .mt {
        border: 2px dashed var(--gk-line, #8a8a8a);
        padding: 0.2em 0.5em;
        display: inline-block;
      }
    `,
  ];

  /** The notice to show. */
  @property({ attribute: false }) item: Notice | null = null;
  /** Public URL for the QR code (the canonical portal page), if any. */
  @property() publicUrl = '';
  /** Converts content text for display (OpenCC cn → hk when Traditional is on). */
  @property({ attribute: false }) convert: ((s: string) => string) | null = null;
  /** UI language. */
  @property({ attribute: 'ui-lang' }) uiLang: UiLang = 'zh-Hans';
  /** Reads attachment bytes (the shell's storage); without it attachments are listed only. */
  @property({ attribute: false }) loadAttachment: AttachmentLoader | null = null;
  /** Loads pdf.js for PDF attachments (lazily: only when one is opened). */
  @property({ attribute: false }) loadPdfjs: PdfjsLoader | null = null;

  /** The attachment being viewed (index), its bytes, and an object URL for an image. */
  @state() private _open: { index: number; bytes: Uint8Array | null; url: string } | null = null;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._closeAttachment();
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('item') && changed.get('item') !== undefined) this._closeAttachment();
  }

  override render() {
    const n = this.item;
    if (!n) return nothing;
    const L = this.uiLang;
    const c = this.convert ?? ((s: string) => s);
    // Convert before sanitising, so what reaches the DOM is exactly DOMPurify's output.
    const body = n.body ? sanitiseBody(c(n.body)) : null;
    const url = this.publicUrl || n.source?.url || '';
    const row = (k: Parameters<typeof t>[1], v: string | null | undefined) =>
      v
        ? html`<dt>${t(L, k)}</dt>
            <dd>${v}</dd>`
        : nothing;
    return html`<article lang=${this.convert ? 'zh-Hant-HK' : 'zh-Hans'}>
      ${this.convert ? html`<p class="mt" lang="zh-Hant">${t(L, 'machineConverted')}</p>` : nothing}
      <div class="top">
        <div>
          <h1>${c(n.title['zh-Hans'])}</h1>
          <dl>
            ${row('indexNo', n.indexNo)} ${row('issuer', c(n.issuer.join('、')))}
            ${row('docNo', n.docNo)} ${row('writtenDate', n.writtenDate)}
            ${row('publishDate', n.publishDate)}
            ${row('validity', n.validity?.status ? c(n.validity.status) : null)}
          </dl>
        </div>
        ${
          url
            ? html`<div class="qrbox">
                <gk-qr class="qr" .value=${url} .label=${t(L, 'scanToOpen')}></gk-qr
                >${t(L, 'scanToOpen')}
              </div>`
            : nothing
        }
      </div>
      ${n.summary && !body ? html`<p>${c(n.summary['zh-Hans'])}</p>` : nothing}
      ${
        body
          ? html`<div class="body" part="body" @click=${this._onBodyClick}>
              ${unsafeHTML(body.html)}
            </div>`
          : nothing
      }
      ${n.tasks?.length ? this._tasks(n) : nothing}
      ${n.attachments?.length ? this._attachments(n.attachments) : nothing}
      ${
        body?.links.length
          ? html`<h2>${t(L, 'externalLink')}</h2>
              <div class="links">
                ${body.links.map(
                  (l) =>
                    html`<div class="qrbox">
                      <gk-qr class="qr" .value=${l.href} .label=${c(l.text)}></gk-qr>${c(l.text)}
                    </div>`,
                )}
              </div>`
          : nothing
      }
      <p class="note">${t(L, 'authoritative')}</p>
    </article>`;
  }

  private _attachments(list: Attachment[]) {
    const L = this.uiLang;
    const c = this.convert ?? ((s: string) => s);
    const open = this._open;
    return html`<h2>${t(L, 'attachments')}</h2>
      <ul class="attachments">
        ${list.map((a, i) => {
          const viewable = !!this.loadAttachment && VIEWABLE.test(a.mime);
          const isOpen = open?.index === i;
          return html`<li>
            ${c(a.name)}
            <span class="muted"
              >(${a.mime}${a.pages ? html`, ${t(L, 'pages', { n: a.pages })}` : nothing})</span
            >
            ${
              viewable
                ? html`<button
                    type="button"
                    data-attachment=${i}
                    aria-expanded=${isOpen ? 'true' : 'false'}
                    @click=${() => this._toggle(i, a)}
                  >
                    ${t(L, isOpen ? 'hideAttachment' : 'showAttachment')}
                  </button>`
                : nothing
            }
            ${isOpen ? this._viewer(a) : nothing}
          </li>`;
        })}
      </ul>`;
  }

  private _viewer(a: Attachment) {
    const open = this._open;
    if (!open) return nothing;
    const L = this.uiLang;
    if (!open.bytes) return html`<p class="muted" role="status">${t(L, 'pdfLoading')}</p>`;
    if (a.mime === 'application/pdf')
      return html`<gk-pdf-view
        class="attachment"
        .data=${open.bytes}
        .label=${a.name}
        .loadPdfjs=${this.loadPdfjs}
        .uiLang=${L}
      ></gk-pdf-view>`;
    return html`<div class="attachment"><img src=${open.url} alt=${a.name} /></div>`;
  }

  private async _toggle(index: number, a: Attachment) {
    if (this._open?.index === index) {
      this._closeAttachment();
      return;
    }
    this._closeAttachment();
    const opening = { index, bytes: null as Uint8Array | null, url: '' };
    this._open = opening;
    let bytes: Uint8Array | null = null;
    try {
      bytes = (await this.loadAttachment?.(a)) ?? null;
    } catch (err) {
      console.warn('[gongkai] attachment not readable:', err);
    }
    // Closed, or another attachment opened, while reading.
    if (this._open !== opening) return;
    if (!bytes) {
      this._open = null;
      return;
    }
    const url = a.mime.startsWith('image/')
      ? URL.createObjectURL(new Blob([bytes.slice()], { type: a.mime }))
      : '';
    this._open = { index, bytes, url };
  }

  private _closeAttachment() {
    if (this._open?.url) URL.revokeObjectURL(this._open.url);
    this._open = null;
  }

  private _tasks(n: Notice) {
    const L = this.uiLang;
    const c = this.convert ?? ((s: string) => s);
    return html`<h2>${t(L, 'tasks')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">${t(L, 'seq')}</th>
            <th scope="col">${t(L, 'task')}</th>
            <th scope="col">${t(L, 'requirement')}</th>
            <th scope="col">${t(L, 'lead')}</th>
            <th scope="col">${t(L, 'deadline')}</th>
          </tr>
        </thead>
        <tbody>
          ${(n.tasks ?? []).map(
            (r) =>
              html`<tr>
                <td>${r.seq}</td>
                <td>${c(r.task)}</td>
                <td>${c(r.requirement ?? '')}</td>
                <td>${c(r.lead ?? r.responsible ?? '')}</td>
                <td>${c(r.deadline ?? '')}</td>
              </tr>`,
          )}
        </tbody>
      </table>`;
  }

  private _onBodyClick(e: Event) {
    // Links have no href after sanitising; this also stops anything else that could navigate.
    if ((e.target as Element).closest('a')) e.preventDefault();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gk-notice-view': GkNoticeView;
  }
}
