import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { Item } from '../content/types.ts';
import { loadConfig, type ConfigProblem, type KioskConfig } from '../config/load.ts';
import { openStore, type Store } from '../data/db.ts';
import { fetchDemoItems } from '../sync/first-run.ts';
import { ClockController } from '../display/clock.ts';
import type { StatusMessage } from '../components/gk-status-banner.ts';
import '../components/gk-clock.ts';
import '../components/gk-notice-list.ts';
import '../components/gk-status-banner.ts';

/**
 * The kiosk shell: the only element that talks to services (configuration,
 * storage, sync). It renders something from the first frame: a status line
 * while starting, the last good content afterwards, never a blank page.
 */
@customElement('gk-app')
export class GkApp extends LitElement {
  static override styles = css`
    :host {
      display: flex;
      flex-direction: column;
      height: 100vh;
      box-sizing: border-box;
      background: var(--gk-bg, #f4f1ea);
      color: var(--gk-ink, #1a1a1a);
      font-family:
        'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif;
      font-size: 20px;
    }
    header {
      display: flex;
      justify-content: space-between;
      align-items: center;
      gap: 1rem;
      padding: 1rem 2rem;
      background: var(--gk-accent, #b71c1c);
      color: #fff;
    }
    h1 {
      margin: 0;
      font-size: 1.6em;
    }
    .location {
      margin: 0.25rem 0 0;
      font-size: 1em;
    }
    main {
      flex: 1;
      padding: 1.5rem 2rem;
      min-height: 0;
      overflow-y: auto;
    }
    h2 {
      font-size: 1.3em;
      margin: 0 0 1rem;
    }
    .watermark {
      position: fixed;
      right: 1.5rem;
      bottom: 1rem;
      padding: 0.25rem 0.75rem;
      border: 2px solid #7f1d1d;
      border-radius: 0.3rem;
      color: #7f1d1d;
      background: rgb(255 255 255 / 0.85);
      font-size: 1.1em;
      font-weight: 700;
      pointer-events: none;
    }
  `;

  @state() private _config: KioskConfig | null = null;
  @state() private _configProblems: ConfigProblem[] = [];
  @state() private _items: Item[] = [];
  @state() private _phase: 'starting' | 'ready' | 'failed' = 'starting';
  @state() private _error = '';

  private _store: Store | null = null;
  private readonly _clock = new ClockController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this._start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._store?.close();
    this._store = null;
  }

  override render() {
    const config = this._config;
    return html`
      <header>
        <div>
          <h1>${config?.name ?? '政务公开查阅终端'}</h1>
          ${config ? html`<p class="location">${config.location}</p>` : nothing}
        </div>
        <gk-clock
          .now=${this._clock.now}
          time-zone=${config?.timeZone ?? 'Asia/Shanghai'}
        ></gk-clock>
      </header>
      <main>
        <gk-status-banner .messages=${this._messages()}></gk-status-banner>
        ${
          this._phase === 'ready'
            ? html`<h2>最新公开信息</h2>
                <gk-notice-list label="最新公开信息" .items=${this._items}></gk-notice-list>`
            : nothing
        }
      </main>
      ${this._isDemo() ? html`<div class="watermark" aria-label="演示内容">演示</div>` : nothing}
    `;
  }

  private _messages(): StatusMessage[] {
    const messages: StatusMessage[] = this._configProblems.map((p) => ({
      level: 'error',
      text: `配置错误 ${p.file} ${p.field}：${p.problem}（已使用上一份有效配置）`,
    }));
    if (this._phase === 'starting') messages.push({ level: 'info', text: '正在加载公开信息…' });
    if (this._phase === 'failed') messages.push({ level: 'error', text: this._error });
    return messages;
  }

  private _isDemo(): boolean {
    return (
      (this._config?.trustedKeys.some((k) => k.demo) ?? false) || this._items.some((i) => i.demo)
    );
  }

  private async _start(): Promise<void> {
    try {
      const store = await openStore();
      this._store = store;
      const loaded = loadConfig(location.search, (await store.getMeta('lastValidConfig')) ?? null);
      this._config = loaded.config;
      this._configProblems = loaded.problems;
      if (loaded.origin === 'requested') await store.setMeta('lastValidConfig', loaded.config);

      let items = await store.activeItems();
      if (items.length === 0) {
        const demo = await fetchDemoItems(document.baseURI);
        await store.commitVersion(
          {
            version: 1,
            bundleId: 'gongkai-demo',
            generatedAt: new Date().toISOString(),
            expiresAt: null,
            keyId: 'demo',
            demo: true,
            itemCount: demo.length,
            committedAt: new Date().toISOString(),
          },
          demo,
        );
        items = await store.activeItems();
      }
      this._items = sortForDisplay(items);
      this._phase = 'ready';
    } catch (err) {
      this._phase = 'failed';
      this._error = `无法加载公开信息：${err instanceof Error ? err.message : String(err)}`;
      console.error('[gongkai]', err);
    }
  }
}

/** Newest first; guides after notices of the same date. */
function sortForDisplay(items: Item[]): Item[] {
  const date = (i: Item) => (i.kind === 'notice' ? i.publishDate : (i.updatedAt ?? ''));
  return [...items].sort((a, b) => date(b).localeCompare(date(a)) || a.id.localeCompare(b.id));
}

declare global {
  interface HTMLElementTagNameMap {
    'gk-app': GkApp;
  }
}
