import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';

/** One labelled line of the status table (already formatted for people). */
export interface AdminStatusRow {
  label: string;
  value: string;
}

/** Anonymous counts over a period, as the admin panel shows them (see src/data/stats.ts). */
export interface AdminCounts {
  /** The period, in words, e.g. "2026-01-01 至 2026-11-24". */
  period: string;
  totals: { views: number; searches: number; zeroResults: number };
  /** Most viewed items, with their titles. */
  views: { id: string; title: string; count: number }[];
  /** Searches that found nothing: what visitors look for and cannot find. */
  zeroQueries: { query: string; count: number }[];
}

/** What an export button asks for. */
export type AdminExportKind = 'stats' | 'proof';

/**
 * The PIN-protected admin panel: a PIN form, then the sync status, sideload
 * pickers for a packed bundle file (`.gkb`) or a bundle folder, anonymous view
 * and search counts (with the searches that found nothing), CSV exports of the
 * counts and of the proof-of-display log, and diagnostics. Presentational: the
 * shell checks the PIN and does the work.
 *
 * @fires gk-admin-pin - `{pin}` when a PIN is submitted
 * @fires gk-admin-sideload - `{files: File[]}` when a `.gkb` file or a bundle folder is chosen
 * @fires gk-admin-check - "check for updates now" was pressed
 * @fires gk-admin-close - the panel should close
 * @fires gk-admin-export - `{kind: 'stats' | 'proof'}`: save counts or the proof-of-display log as CSV
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
    .notice {
      margin: 0 0 1rem;
      padding: 0.5rem 0.75rem;
      border-inline-start: 0.3rem solid #8a5a00;
      background: #fff7e0;
      color: #4a3000;
    }
    .message {
      margin: 0.75rem 0 0;
    }
    h3 {
      margin: 1.25rem 0 0.5rem;
      font-size: 1.2rem;
    }
    table {
      border-collapse: collapse;
      width: 100%;
    }
    th,
    td {
      border: 1px solid #8a8a8a;
      padding: 0.2rem 0.5rem;
      text-align: start;
      vertical-align: top;
    }
    td.n {
      text-align: end;
      font-variant-numeric: tabular-nums;
    }
    .muted {
      color: #4a4a4a;
    }
  `;

  /** True once the shell accepted the PIN. */
  @property({ type: Boolean }) unlocked = false;
  /** Shown under the PIN field (wrong PIN, no PIN configured). */
  @property() pinError = '';
  /** A standing warning about how this kiosk is set up (e.g. served over plain http); '' for none. */
  @property() notice = '';
  /** Status lines to show once unlocked. */
  @property({ attribute: false }) rows: AdminStatusRow[] = [];
  /** Outcome of the last sideload or manual check, in plain words. */
  @property() message = '';
  /** True while a check or a sideload runs. */
  @property({ type: Boolean }) busy = false;
  /** Anonymous counts to show once unlocked (null while loading or unavailable). */
  @property({ attribute: false }) counts: AdminCounts | null = null;
  /** Diagnostics lines (app, device, storage, screens). */
  @property({ attribute: false }) diagnostics: AdminStatusRow[] = [];
  /** Entries in the proof-of-display log (the export button says how many). */
  @property({ type: Number, attribute: 'proof-count' }) proofCount = 0;

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
    return html`${this.notice ? html`<p class="notice" role="note">${this.notice}</p>` : nothing}
      <dl>
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
      ${this.message ? html`<p class="message" role="status">${this.message}</p>` : nothing}
      ${this._renderCounts()}
      <div class="row">
        <button data-export="stats" @click=${this._onExport}>导出统计（CSV）</button>
        <button data-export="proof" @click=${this._onExport}>
          导出播放记录（CSV，${this.proofCount} 条）
        </button>
      </div>
      ${
        this.diagnostics.length
          ? html`<h3>诊断信息</h3>
              <dl class="diagnostics">
                ${this.diagnostics.map(
                  (r) =>
                    html`<dt>${r.label}</dt>
                      <dd>${r.value}</dd>`,
                )}
              </dl>`
          : nothing
      }`;
  }

  private _renderCounts() {
    const c = this.counts;
    if (!c)
      return html`<h3>使用统计</h3>
        <p class="muted">统计加载中…</p>`;
    return html`<h3>使用统计（匿名，按日汇总）</h3>
      <p class="muted">${c.period}</p>
      <dl class="totals">
        <dt>查看次数</dt>
        <dd>${c.totals.views}</dd>
        <dt>搜索次数</dt>
        <dd>${c.totals.searches}</dd>
        <dt>无结果搜索</dt>
        <dd>${c.totals.zeroResults}</dd>
      </dl>
      <h3>查看最多</h3>
      ${
        c.views.length
          ? html`<table class="views">
              <thead>
                <tr>
                  <th scope="col">标题</th>
                  <th scope="col">次数</th>
                </tr>
              </thead>
              <tbody>
                ${c.views.map(
                  (v) =>
                    html`<tr>
                      <td>${v.title || v.id}</td>
                      <td class="n">${v.count}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
          : html`<p class="muted">暂无</p>`
      }
      <h3>未找到结果的搜索（群众想找而找不到的）</h3>
      ${
        c.zeroQueries.length
          ? html`<table class="zero">
              <thead>
                <tr>
                  <th scope="col">搜索词</th>
                  <th scope="col">次数</th>
                </tr>
              </thead>
              <tbody>
                ${c.zeroQueries.map(
                  (z) =>
                    html`<tr>
                      <td>${z.query}</td>
                      <td class="n">${z.count}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
          : html`<p class="muted">暂无</p>`
      }`;
  }

  private _onExport(e: Event): void {
    const kind = (e.currentTarget as HTMLElement).dataset.export as AdminExportKind;
    this.dispatchEvent(
      new CustomEvent('gk-admin-export', { detail: { kind }, bubbles: true, composed: true }),
    );
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
