import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';

/** One labelled line of the status table (already formatted for people). */
export interface AdminStatusRow {
  label: string;
  value: string;
}

/**
 * The minimal PIN-protected admin panel: a PIN form, then the sync status and
 * sideload pickers for a packed bundle file (`.gkb`) or a bundle folder. Presentational: the shell checks the
 * PIN and does the work.
 *
 * @fires gk-admin-pin - `{pin}` when a PIN is submitted
 * @fires gk-admin-sideload - `{files: File[]}` when a `.gkb` file or a bundle folder is chosen
 * @fires gk-admin-check - "check for updates now" was pressed
 * @fires gk-admin-close - the panel should close
 * @csspart dialog - the panel box
 */
@customElement('gk-admin-panel')
export class GkAdminPanel extends LitElement {
  static override styles = css`
    :host {
      position: fixed;
      inset: 0;
      display: flex;
      align-items: center;
      justify-content: center;
      background: rgb(0 0 0 / 0.55);
      z-index: 100;
      font-size: 1.1rem;
    }
    section {
      background: #fff;
      color: #1a1a1a;
      border-radius: 0.6rem;
      padding: 1.5rem 2rem;
      min-width: min(34rem, 90vw);
      max-width: 90vw;
      max-height: 90vh;
      overflow: auto;
    }
    h2 {
      margin: 0 0 1rem;
      font-size: 1.4rem;
    }
    dl {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 0.4rem 1rem;
      margin: 0 0 1rem;
    }
    dt {
      font-weight: 700;
    }
    dd {
      margin: 0;
      overflow-wrap: anywhere;
    }
    .row {
      display: flex;
      gap: 0.75rem;
      flex-wrap: wrap;
      align-items: center;
      margin-top: 1rem;
    }
    button,
    input {
      font: inherit;
      min-height: 3rem;
      padding: 0.4rem 1rem;
    }
    button {
      border-radius: 0.4rem;
      border: 1px solid #0b3a8c;
      background: #0b57d0;
      color: #fff;
      cursor: pointer;
    }
    button.secondary {
      background: #fff;
      color: #0b3a8c;
    }
    .error {
      color: #7f1d1d;
    }
    .message {
      margin: 0.75rem 0 0;
    }
  `;

  /** True once the shell accepted the PIN. */
  @property({ type: Boolean }) unlocked = false;
  /** Shown under the PIN field (wrong PIN, no PIN configured). */
  @property() pinError = '';
  /** Status lines to show once unlocked. */
  @property({ attribute: false }) rows: AdminStatusRow[] = [];
  /** Outcome of the last sideload or manual check, in plain words. */
  @property() message = '';
  /** True while a check or a sideload runs. */
  @property({ type: Boolean }) busy = false;

  @query('#pin') private _pin?: HTMLInputElement;

  override render() {
    return html`<section part="dialog" role="dialog" aria-modal="true" aria-labelledby="title">
      <h2 id="title">管理</h2>
      ${this.unlocked ? this._renderStatus() : this._renderPin()}
      <div class="row">
        <button class="secondary" @click=${this._onClose}>关闭</button>
      </div>
    </section>`;
  }

  private _renderPin() {
    return html`<form @submit=${this._onPin}>
      <label for="pin">管理密码（PIN）</label>
      <div class="row">
        <input id="pin" type="password" inputmode="numeric" autocomplete="off" />
        <button type="submit">确定</button>
      </div>
      ${this.pinError ? html`<p class="message error" role="alert">${this.pinError}</p>` : nothing}
    </form>`;
  }

  private _renderStatus() {
    return html`<dl>
        ${this.rows.map(
          (r) =>
            html`<dt>${r.label}</dt>
              <dd>${r.value}</dd>`,
        )}
      </dl>
      <div class="row">
        <button ?disabled=${this.busy} @click=${this._onCheck}>立即检查更新</button>
        <label for="sideload-file">导入内容包文件（.gkb）：</label>
        <input
          id="sideload-file"
          type="file"
          accept=".gkb"
          ?disabled=${this.busy}
          @change=${this._onFiles}
        />
      </div>
      <div class="row">
        <label for="sideload">或从文件夹导入：</label>
        <input
          id="sideload"
          type="file"
          webkitdirectory
          multiple
          ?disabled=${this.busy}
          @change=${this._onFiles}
        />
      </div>
      ${this.message ? html`<p class="message" role="status">${this.message}</p>` : nothing}`;
  }

  private _onPin(e: Event): void {
    e.preventDefault();
    const pin = this._pin?.value ?? '';
    if (this._pin) this._pin.value = '';
    this.dispatchEvent(
      new CustomEvent('gk-admin-pin', { detail: { pin }, bubbles: true, composed: true }),
    );
  }

  private _onCheck(): void {
    this.dispatchEvent(new CustomEvent('gk-admin-check', { bubbles: true, composed: true }));
  }

  private _onFiles(e: Event): void {
    const input = e.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    if (files.length === 0) return;
    this.dispatchEvent(
      new CustomEvent('gk-admin-sideload', { detail: { files }, bubbles: true, composed: true }),
    );
  }

  private _onClose(): void {
    this.dispatchEvent(new CustomEvent('gk-admin-close', { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gk-admin-panel': GkAdminPanel;
  }
}
