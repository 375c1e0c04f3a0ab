import { LitElement, css, html, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import QRCode from 'qrcode';

/**
 * The dark modules of a QR code as one SVG path, horizontal runs merged
 * (a version-10 code is ~50 runs a row instead of ~1,500 squares).
 * Exported for tests, which decode nothing but compare against the matrix.
 */
export function qrPath(value: string): { size: number; d: string } {
  const { modules } = QRCode.create(value, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  let d = '';
  for (let r = 0; r < n; r++) {
    let c = 0;
    while (c < n) {
      if (!modules.get(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && modules.get(r, c)) c++;
      d += `M${start} ${r}h${c - start}v1h${start - c}z`;
    }
  }
  return { size: n, d };
}

/** Codes encoded ahead of time by `prepareQr`, oldest first, a few at most. */
const prepared = new Map<string, { size: number; d: string }>();

/**
 * Encodes `value` now, so a `<gk-qr>` created for it later renders without
 * encoding (the display calls this while idle for its next slide's public
 * URL). Keeps the last four; visitors' views never pass through here.
 */
export function prepareQr(value: string): void {
  if (!value || prepared.has(value)) return;
  prepared.set(value, qrPath(value));
  while (prepared.size > 4) prepared.delete(prepared.keys().next().value as string);
}

/**
 * A QR code drawn as inline SVG with Lit's `svg` template: no innerHTML, no
 * canvas, no data: URL, so it renders under the app's Trusted Types CSP.
 * Black on white with the 4-module quiet zone the standard asks for.
 *
 * @csspart svg - the code itself (size it with width/height)
 */
@customElement('gk-qr')
export class GkQr extends LitElement {
  static override styles = css`
    :host {
      display: inline-block;
      line-height: 0;
    }
    svg {
      width: 100%;
      height: 100%;
    }
  `;

  /** The text to encode, usually the item's public URL. */
  @property() value = '';
  /** What the code leads to, for assistive technology. */
  @property() label = '二维码';

  private cache: { value: string; size: number; d: string } | undefined;
  /** The encoding scheduled for the next task, if any (see `render`). */
  private pending: Promise<void> | null = null;

  override render() {
    if (!this.value) return html``;
    // Encoding is the costly part of a slide change: only redo it for a new value.
    if (this.cache?.value !== this.value) {
      const ready = prepared.get(this.value);
      if (ready) this.cache = { value: this.value, ...ready };
      else this.encodeSoon();
    }
    // Until the code is encoded, a blank code of the same box: the text around it
    // (the first notice on screen) paints without waiting for the encoder.
    const { size, d } = this.cache?.value === this.value ? this.cache : { size: 25, d: '' };
    const full = size + 8;
    return html`<svg
      part="svg"
      role="img"
      aria-label=${this.label}
      viewBox="-4 -4 ${full} ${full}"
      shape-rendering="crispEdges"
    >
      ${svg`<rect x="-4" y="-4" width=${full} height=${full} fill="#fff"></rect><path d=${d} fill="#000"></path>`}
    </svg>`;
  }

  private encodeSoon(): void {
    if (this.pending) return;
    this.pending = encodeLater(this).finally(() => {
      this.pending = null;
    });
  }

  /** Takes the encoding of `value` (called by the deferred encoder). */
  encoded(value: string, code: { size: number; d: string }): void {
    this.cache = { value, ...code };
    this.requestUpdate();
  }

  protected override async getUpdateComplete(): Promise<boolean> {
    let done = await super.getUpdateComplete();
    while (this.pending) {
      await this.pending;
      done = await super.getUpdateComplete();
    }
    return done;
  }
}

/**
 * Encoding a code is tens of milliseconds: it runs in a task of its own
 * after the render that needed it, so it never lengthens the task that
 * paints a slide or a notice. `updateComplete` waits for it.
 */
function encodeLater(el: GkQr): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(() => {
      // The value then, which may have changed since the render that asked.
      const value = el.value;
      if (value) el.encoded(value, prepared.get(value) ?? qrPath(value));
      resolve();
    }, 0);
  });
}

declare global {
  interface HTMLElementTagNameMap {
    'gk-qr': GkQr;
  }
}
