import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import type { Alert, Attachment, Calendar, Item, Notice } from '../content/types.ts';
import { sha256Hex } from '../content/bundle.ts';
import { preloadCrypto } from '../content/crypto.ts';
import { loadConfig, type ConfigProblem, type KioskConfig } from '../config/load.ts';
import {
  DB_NAME,
  defaultPackDir,
  openStore,
  openStoreSafely,
  StoreCorruptError,
  deleteStore,
  type Store,
} from '../data/db.ts';
import { SyncEngine } from '../sync/engine.ts';
import { toSyncError } from '../sync/errors.ts';
import { restoreLocalCopy, restoreOptions, verifiedLocalCopy } from '../sync/restore.ts';
import { packedFiles, sideloadFiles } from '../sync/sources.ts';
import {
  initialStatus,
  originNotice,
  reportStoreFailures,
  type SyncStatus,
} from '../sync/status.ts';
import { describeDuration, TrustedClock } from '../sync/time.ts';
import { ingestFromUrl } from '../sync/bench.ts';
import { ClockController } from '../display/clock.ts';
import {
  AdminGestureController,
  IndexScheduleController,
  LockdownController,
  SyncController,
} from './controllers.ts';
import type { StatusMessage } from '../components/gk-status-banner.ts';
import type { AdminCounts, AdminExportKind, AdminStatusRow } from '../components/gk-admin-panel.ts';
import type { ItemOpenEvent, SearchDoneEvent } from '../components/gk-kiosk.ts';
import { CountsController, saveCsv } from './counts.ts';
import { loadPdfjs } from './pdf.ts';
import { itemTitle } from '../content/types.ts';
import { engineLabel, parseEngine, Tier, tierOf, TIERS } from '../compat/engine.ts';
import '../components/gk-clock.ts';
import '../components/gk-notice-list.ts';
import '../components/gk-status-banner.ts';
import '../components/gk-admin-panel.ts';
import '../components/gk-display.ts';
import '../components/gk-kiosk.ts';
import type { SearchIndex } from '../search/index.ts';
import { rotationDecision } from '../display/schedule.ts';
import {
  KIOSK_DEFAULT_SETTINGS,
  wipeBrowserTraces,
  type VisitorSettings,
} from '../display/session.ts';
import type { SearchHit } from '../components/gk-search-view.ts';
import { loadBundleExtras, prepareSearch } from './content.ts';

/** The engine this page runs on, read once (src/compat/engine.ts). */
const ENGINE = parseEngine(navigator.userAgent);

/**
 * The kiosk shell: the only element that talks to services (configuration,
 * storage, sync). It renders something from the first frame: a status line
 * while starting or re-syncing, the last good content afterwards, never a
 * blank page. Ctrl+Shift+A or a 3-second press on the header opens the
 * PIN-protected admin panel.
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
    .engine-too-old {
      margin: 2rem;
      font-size: 28px;
      line-height: 1.6;
    }
    .engine-too-old h2 {
      color: #8e0000;
      font-size: 40px;
    }
    /* Margins, not flex gap (Chromium 84; the display tier starts at 66). */
    header > * + * {
      margin-left: 1rem;
    }
    header {
      display: flex;
      justify-content: space-between;
      align-items: center;
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
    main.bare {
      padding: 0;
      display: flex;
      flex-direction: column;
    }
    main.bare > gk-kiosk,
    main.bare > gk-display {
      flex: 1;
      min-height: 0;
    }
    .hot-corner {
      position: fixed;
      top: 0;
      left: 0;
      width: 120px;
      height: 120px;
      z-index: 10;
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
  /** A touch configuration on an engine of the display tier (Chromium 66–82): says so, runs nothing. */
  @state() private _touchNeedsNewerEngine = false;
  @state() private _error = '';
  @state() private _status: SyncStatus = initialStatus(Date.now());
  @state() private _blocked = false;
  @state() private _alerts: Alert[] = [];
  @state() private _calendar: Calendar | null = null;
  @state() private _index: SearchIndex | null = null;
  @state() private _generatedAt = 0;
  @state() private _visitorActive = false;
  @state() private _admin: 'closed' | 'locked' | 'open' = 'closed';
  @state() private _pinError = '';
  @state() private _adminMessage = '';
  @state() private _busy = false;
  @state() private _adminCounts: AdminCounts | null = null;

  private _store: Store | null = null;
  /** Why the database is unusable right now (closed by the browser, cannot open); null when fine. */
  @state() private _storeLost: string | null = null;
  /** Version shown read-only from the pack files while the database cannot be opened. */
  @state() private _readOnlyCopy: number | null = null;
  /** Version restored at start from the kiosk's own copy after the database lost its content. */
  @state() private _restored: number | null = null;
  private _storeRetry: ReturnType<typeof setTimeout> | null = null;
  /** When the search index is readied (start-up delay, first visitor, bundle switch). */
  private readonly _indexing = new IndexScheduleController<SearchIndex>(
    this,
    (index) => {
      this._index = index;
      this._searchFn = (query) => index.search(query);
      this._candidatesFn = (prefix) => index.candidates(prefix);
    },
    // Without an index the kiosk still browses and rotates; search says it found nothing.
    (err: unknown) => console.error('[gongkai] search index failed:', err),
  );
  private _storeAttempts = 0;
  /** trustedNow that a wall clock set back during the run cannot pull back (issue #11). */
  private readonly _time = new TrustedClock();
  private readonly _timeNow = (): number => this._time.now();
  private readonly _clock = new ClockController(this, this._timeNow);
  private readonly _sync = new SyncController(this);
  private readonly _gesture = new AdminGestureController(this, () => this._openAdmin());
  /** Anonymous counts and the proof-of-display log. */
  private readonly _counts = new CountsController(this);
  /** Nothing navigates away from the app (links, forms, window.open, drops, back). */
  readonly lockdown = new LockdownController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this._start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this._storeRetry !== null) clearTimeout(this._storeRetry);
    this._storeRetry = null;
    this._store?.close();
    this._store = null;
  }

  override render() {
    const config = this._config;
    const chrome = this._showChrome();
    return html`
      ${
        chrome
          ? html`<header
              @pointerdown=${this._gesture.start}
              @pointerup=${this._gesture.cancel}
              @pointerleave=${this._gesture.cancel}
              @pointercancel=${this._gesture.cancel}
            >
              <div>
                <h1>${config?.name ?? '政务公开查阅终端'}</h1>
                ${config ? html`<p class="location">${config.location}</p>` : nothing}
              </div>
              <gk-clock
                .now=${this._clock.now}
                time-zone=${config?.timeZone ?? 'Asia/Shanghai'}
              ></gk-clock>
            </header>`
          : html`<div
              class="hot-corner"
              aria-hidden="true"
              @pointerdown=${this._gesture.start}
              @pointerup=${this._gesture.cancel}
              @pointerleave=${this._gesture.cancel}
              @pointercancel=${this._gesture.cancel}
            ></div>`
      }
      ${
        // A new <main> when content first appears (not the starting one moved up
        // under a header that goes away): what appears is not a layout shift.
        keyed(
          this._hasContent(),
          html`<main class=${chrome ? '' : 'bare'}>
            <gk-status-banner .messages=${this._messages()}></gk-status-banner>
            ${this._touchNeedsNewerEngine ? this._renderEngineTooOld() : this._renderContent()}
          </main>`,
        )
      }
      ${
        chrome && this._isDemo()
          ? html`<div class="watermark" aria-label="演示内容">演示</div>`
          : nothing
      }
      ${
        this._admin === 'closed'
          ? nothing
          : html`<gk-admin-panel
              ?unlocked=${this._admin === 'open'}
              .pinError=${this._pinError}
              .notice=${ORIGIN_NOTICE ?? ''}
              .rows=${this._adminRows()}
              .message=${this._adminMessage}
              ?busy=${this._busy}
              .counts=${this._adminCounts}
              .diagnostics=${this._admin === 'open' ? this._diagnostics() : []}
              proof-count=${this._counts.proof.size}
              @gk-admin-export=${this._onExport}
              @gk-admin-pin=${this._onPin}
              @gk-admin-check=${this._onCheckNow}
              @gk-admin-sideload=${this._onSideload}
              @gk-admin-close=${this._onCloseAdmin}
            ></gk-admin-panel>`
      }
    `;
  }

  /**
   * The shell's own header and watermark show while starting, on the touch
   * screens a visitor uses, and when there is nothing to show; the display
   * (rotation) has its own header, clock and 演示 mark.
   */
  private _showChrome(): boolean {
    const config = this._config;
    if (!config || !this._hasContent()) return true;
    return config.role === 'touch' && this._visitorActive;
  }

  /** Whether there is content to rotate or browse (else the starting/empty screen shows). */
  private _hasContent(): boolean {
    return this._config !== null && this._phase === 'ready' && this._items.length > 0;
  }

  /** The touch role on a display-tier engine (README "Which browsers"). */
  private _renderEngineTooOld() {
    return html`<section class="engine-too-old" role="alert">
      <h2>此设备的浏览器内核版本过低，无法运行触摸查询</h2>
      <p>
        触摸查询需要 Chromium ${TIERS.supported} 或更高版本的浏览器内核，本机为
        ${engineLabel(ENGINE)}。
      </p>
      <p>
        本机可以运行阅览室轮播和电子公告屏（需要 Chromium ${TIERS.display} 或更高版本）。请升级系统
        WebView 或浏览器，或请管理员为本机改用阅览室或公告屏配置。
      </p>
    </section>`;
  }

  /** The touch kiosk (with the rotation as its attract loop) or the reading-room display. */
  private _renderContent() {
    const config = this._config;
    if (this._phase !== 'ready' || this._items.length === 0 || !config) return nothing;
    const display = html`<gk-display
      slot="attract"
      .items=${this._items}
      .alerts=${this._alerts}
      .config=${config}
      .calendar=${this._calendar}
      .trustedNow=${this._trustedNow()}
      .clock=${this._timeNow}
      .bundleGeneratedAt=${this._generatedAt}
      ?demo=${this._isDemo()}
      @gk-slide-shown=${this._counts.onSlideShown}
    ></gk-display>`;
    if (config.role !== 'touch') return display;
    return html`<gk-kiosk
      .items=${this._items}
      .search=${this._searchFn}
      .candidates=${this._candidatesFn}
      .isNoticeActive=${this._noticeActive}
      .loadConverter=${loadTraditionalConverter}
      .defaults=${VISITOR_DEFAULTS}
      idle-seconds=${config.idle.timeoutSeconds}
      @gk-session-start=${this._onSessionStart}
      @gk-session-reset=${this._onSessionReset}
      .loadAttachment=${this._attachmentFn}
      .loadPdfjs=${loadPdfjs}
      @gk-item-open=${this._onItemOpen}
      @gk-search-done=${this._onSearchDone}
      >${display}</gk-kiosk
    >`;
  }

  private _trustedNow(): number {
    return this._time.now();
  }

  /** Device clock behind trustedNow: live, so a clock set back shows before the next sync. */
  private _skewMs(): number {
    return Math.max(this._status.clockSkewMs, this._time.skewMs());
  }

  /**
   * Search and candidates over the current index. New functions with each index: a visitor
   * who typed before the index was ready sees results and candidates as soon as it is,
   * without another keystroke (the views re-render when these change).
   */
  private _searchFn = (_query: string): SearchHit[] => [];
  private _candidatesFn = (_prefix: string): string[] => [];

  /** A 公示 (or any item) is "in its window" when the schedule would rotate it now. */
  private readonly _noticeActive = (n: Notice): boolean =>
    rotationDecision(n, {
      now: this._trustedNow(),
      timeZone: this._config?.timeZone ?? 'Asia/Shanghai',
      calendar: this._calendar,
      rotateByDefault: true,
    }).rotates;

  /** An attachment's bytes, if the active version lists it (content-addressed by sha256). */
  private readonly _attachmentFn = async (a: Attachment): Promise<Uint8Array | null> => {
    const store = this._store;
    const record = await store?.activeVersion();
    if (!store || !record?.files.some((f) => f.role === 'attachment' && f.sha256 === a.sha256))
      return null;
    const bytes = (await store.getObjects([a.sha256])).get(a.sha256)?.bytes;
    return bytes ? new Uint8Array(bytes) : null;
  };

  private _onItemOpen(e: ItemOpenEvent): void {
    this._counts.view(e.itemId);
  }

  private _onSearchDone(e: SearchDoneEvent): void {
    this._counts.search(e.query, e.resultCount);
  }

  private readonly _titleOf = (id: string): string => {
    const item = this._items.find((i) => i.id === id);
    return item ? itemTitle(item) : '';
  };

  private async _onExport(e: CustomEvent<{ kind: AdminExportKind }>): Promise<void> {
    const id = this._config?.id ?? 'kiosk';
    const day = new Date(this._trustedNow()).toISOString().slice(0, 10);
    try {
      if (e.detail.kind === 'proof') {
        saveCsv(`gongkai-${id}-proof-${day}.csv`, this._counts.proofCsv());
        this._adminMessage = `已导出播放记录 ${this._counts.proof.size} 条。`;
      } else {
        saveCsv(`gongkai-${id}-stats-${day}.csv`, await this._counts.statsCsv(this._titleOf));
        this._adminMessage = '已导出使用统计。';
      }
    } catch (err) {
      this._adminMessage = `导出失败：${err instanceof Error ? err.message : String(err)}`;
    }
  }

  /** What staff need when a screen misbehaves, in one place. */
  private _diagnostics(): AdminStatusRow[] {
    const config = this._config;
    const mem = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
    const deviceZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const uptimeMin = Math.round(performance.now() / 60_000);
    return [
      {
        label: '终端配置',
        value: config ? `${config.id}（${config.role}，${config.orientation}）` : '未加载',
      },
      {
        label: '屏幕',
        value: `${screen.width}×${screen.height}，窗口 ${innerWidth}×${innerHeight}，像素比 ${devicePixelRatio}`,
      },
      { label: '浏览器', value: navigator.userAgent },
      { label: '网络', value: navigator.onLine ? '在线' : '离线' },
      {
        label: '时区',
        value: `${config?.timeZone ?? 'Asia/Shanghai'}（设备：${deviceZone}）`,
      },
      { label: '页面运行', value: `${Math.floor(uptimeMin / 60)} 小时 ${uptimeMin % 60} 分` },
      {
        label: '内存（JS 堆）',
        value: mem ? `${(mem.usedJSHeapSize / 1e6).toFixed(1)} MB` : '未知',
      },
      { label: '搜索索引', value: this._index ? '就绪' : '未就绪（仅可浏览）' },
      {
        label: '离线程序',
        value: navigator.serviceWorker?.controller ? '已由 Service Worker 接管' : '未接管',
      },
      {
        label: '播放记录',
        value: `${this._counts.proof.size} 条（最多 ${this._counts.proof.capacity} 条）`,
      },
    ];
  }

  private _onSessionStart(): void {
    this._visitorActive = true;
    // A visitor is here: the search index is needed now, not after the start-up delay.
    this._indexing.run();
  }

  /** Readies the search index when {@link IndexScheduleController} decides (at once if a visitor is here). */
  private _scheduleIndex(job: () => Promise<SearchIndex>): void {
    this._indexing.schedule(job, this._visitorActive);
  }

  /** The visitor is gone: wipe what the browser kept (components may not touch storage). */
  private _onSessionReset(): void {
    this._visitorActive = false;
    wipeBrowserTraces({
      sessionStorage: window.sessionStorage,
      history: window.history,
      startUrl: location.pathname + location.search,
    });
  }

  private _messages(): StatusMessage[] {
    const s = this._status;
    const messages: StatusMessage[] = [];
    // Alerts take over the display itself; the banner repeats them only on the touch screens' pages.
    if (this._config?.role === 'touch') {
      for (const a of this._alerts)
        messages.push({ level: 'error', text: `预警信息：${alertText(a)}` });
    }
    for (const p of this._configProblems) {
      messages.push({
        level: 'error',
        text: `配置错误 ${p.file} ${p.field}：${p.problem}（已使用上一份有效配置）`,
      });
    }
    // Plain http from an intranet host: no service worker, so no offline start (issue #17).
    if (ORIGIN_NOTICE) messages.push({ level: 'warning', text: ORIGIN_NOTICE });
    if (this._storeLost && this._phase !== 'failed') {
      messages.push({ level: 'error', text: this._storeLost });
    }
    if (this._readOnlyCopy !== null) {
      messages.push({
        level: 'warning',
        text: `正在显示本机保存的已验证副本（版本 ${this._readOnlyCopy}）；本机存储恢复前，内容不会更新，查询暂不可用。`,
      });
    }
    if (this._blocked) {
      messages.push({ level: 'info', text: '正在升级本地数据库，等待其他窗口关闭…' });
    }
    if (s.recovered) {
      messages.push({
        level: 'warning',
        text:
          this._restored !== null
            ? `本地数据库曾损坏，已从本机保存的已验证副本恢复（版本 ${this._restored}）。`
            : s.activeVersion === null
              ? '本地数据已损坏，已清除，正在重新同步公开信息…'
              : '本地数据曾损坏，已清除并重新同步。',
      });
    }
    if (this._phase === 'starting') messages.push({ level: 'info', text: '正在加载公开信息…' });
    if (this._phase === 'failed') messages.push({ level: 'error', text: this._error });
    if (this._phase === 'ready' && this._items.length === 0) {
      messages.push({
        level: 'info',
        text: s.progress
          ? `正在同步公开信息…（${s.progress.done} / ${s.progress.total}）`
          : '正在同步公开信息…',
      });
    }
    if (s.lastError) {
      const keep = s.activeVersion !== null ? `继续显示当前内容（版本 ${s.activeVersion}）。` : '';
      messages.push({ level: 'warning', text: `内容更新失败：${s.lastError.message}。${keep}` });
    }
    if (s.stale && s.activeExpiresAt) {
      messages.push({
        level: 'warning',
        text: `内容可能已过时：本内容包有效期至 ${s.activeExpiresAt.slice(0, 10)}，尚未收到更新版本。`,
      });
    }
    const skew = this._skewMs();
    if (skew > 0) {
      messages.push({
        level: 'warning',
        text: `设备时钟比可信时间慢 ${describeDuration(skew)}，请校准时钟。`,
      });
    }
    const ahead = this._time.aheadMs();
    if (ahead > 0) {
      messages.push({
        level: 'warning',
        text: `设备时钟比服务器时间快 ${describeDuration(ahead)}，可能不准，请校准时钟（内容可能被误判为已过期）。`,
      });
    }
    return messages;
  }

  private _adminRows(): AdminStatusRow[] {
    const s = this._status;
    const time = (iso: string | null) => (iso ? new Date(iso).toLocaleString('zh-CN') : '—');
    return [
      { label: '当前版本', value: s.activeVersion === null ? '无' : String(s.activeVersion) },
      { label: '内容生成时间', value: time(s.activeGeneratedAt) },
      { label: '有效期至', value: time(s.activeExpiresAt) + (s.stale ? '（已过期）' : '') },
      { label: '条目数', value: String(s.itemCount) },
      { label: '上次检查', value: time(s.lastCheck) },
      { label: '上次成功', value: time(s.lastSuccess) },
      { label: '上次错误', value: s.lastError?.message ?? '无' },
      { label: '下次检查', value: time(s.nextCheck) },
      {
        label: '已用存储',
        value: s.bytesStored === null ? '未知' : `${(s.bytesStored / 1e6).toFixed(1)} MB`,
      },
      {
        label: '持久存储',
        value:
          s.persisted === null
            ? // No navigator.storage on plain http: the browser may evict under storage pressure.
              ORIGIN_NOTICE
              ? '不可用（http 方式访问，可能被浏览器清除）'
              : '未知'
            : s.persisted
              ? '已获准'
              : '未获准（可能被浏览器清除）',
      },
      {
        label: '时钟偏差',
        value:
          this._skewMs() > 0
            ? `设备慢 ${describeDuration(this._skewMs())}`
            : this._time.aheadMs() > 0
              ? `设备比服务器快 ${describeDuration(this._time.aheadMs())}`
              : '正常',
      },
      { label: '预警序号', value: String(s.alertsSequence) },
      { label: '预警文件错误', value: s.alertsError?.message ?? '无' },
    ];
  }

  private _isDemo(): boolean {
    return (
      (this._config?.trustedKeys.some((k) => k.demo) ?? false) || this._items.some((i) => i.demo)
    );
  }

  private async _openStore(): Promise<{ store: Store; recovered: string | null }> {
    return openStoreSafely({
      onBlocked: () => {
        this._blocked = true;
      },
      // A newer version of the app wants the database: the connection is closed; run the new code.
      onBlocking: () => location.reload(),
      onTerminated: () => this._onStoreLost(),
    });
  }

  /**
   * A store without an active version may still have the kiosk's own verified
   * copy in its pack directory (the database was lost, the files were not):
   * restore it before anything else, so the screen is not left empty until a
   * sync. Returns a recovery note when it restored one.
   */
  private async _restore(store: Store, config: KioskConfig): Promise<string | null> {
    const restored = await restoreLocalCopy(store, restoreOptions(config)).catch((err: unknown) => {
      console.warn('[gongkai] restoring the local copy failed', err);
      return null;
    });
    if (!restored) return null;
    this._restored = restored.version;
    console.info(`[gongkai] restored version ${restored.version} from the local copy`);
    return `restored version ${restored.version} from the local copy`;
  }

  /**
   * The database cannot be opened at all (Chromium refuses its backing store,
   * and no watchdog has cleared it yet): show the kiosk's own verified copy
   * from its pack files, read-only, rather than nothing. The store retry goes
   * on, and the page restarts on the store once it opens. Without the store
   * there is no search index, calendar or sync meanwhile.
   */
  private async _showLocalCopy(): Promise<void> {
    const packs = defaultPackDir(DB_NAME);
    if (!packs) return;
    const config = this._config ?? loadConfig(location.search, null).config;
    const copy = await verifiedLocalCopy(packs, restoreOptions(config)).catch((err: unknown) => {
      console.warn('[gongkai] reading the local copy failed', err);
      return null;
    });
    // The store may have come back meanwhile: it wins.
    if (!copy || this._store) return;
    this._config ??= config;
    this._generatedAt = Date.parse(copy.generatedAt) || 0;
    this._items = sortForDisplay(copy.items.map((f) => f.item as Item));
    this._readOnlyCopy = copy.version;
    this._phase = 'ready';
    console.info(`[gongkai] showing version ${copy.version} from the local copy, read-only`);
  }

  private async _start(): Promise<void> {
    let opened = false;
    // Without WebCrypto (plain http) the pure-JS verifier is fetched now, while the server is reachable.
    preloadCrypto();
    try {
      let { store, recovered } = await this._openStore();
      opened = true;
      reportStoreFailures(0);
      this._blocked = false;
      this._store = store;
      const loaded = loadConfig(location.search, (await store.getMeta('lastValidConfig')) ?? null);
      const config = loaded.config;
      this._config = config;
      this._configProblems = loaded.problems;
      if (loaded.origin === 'requested') await store.setMeta('lastValidConfig', config);
      if (config.role === 'touch' && tierOf(ENGINE) !== Tier.supported) {
        // Search, the on-screen keyboard, PDF and the workers need Chromium 83: say so
        // rather than start a kiosk that would half work.
        this._touchNeedsNewerEngine = true;
        this._phase = 'ready';
        return;
      }
      // Before anything is shown: a device clock behind the last verified time must not
      // put ended items back on screen at start.
      this._time.observeFloor(await store.getMeta('timeFloor'));

      try {
        recovered = (await this._restore(store, config)) ?? recovered;
        await this._loadContent();
      } catch (err) {
        if (!(err instanceof StoreCorruptError)) throw err;
        // Listed objects are missing: never show a mix. Start over: restore or re-sync.
        recovered = err.message;
        console.error('[gongkai] stored content is inconsistent, deleting:', err.message);
        store.close();
        await deleteStore(store.name);
        ({ store } = await this._openStore());
        this._store = store;
        await store.setMeta('lastValidConfig', config);
        this._items = [];
        try {
          await this._restore(store, config);
          await this._loadContent();
        } catch (again) {
          if (!(again instanceof StoreCorruptError)) throw again;
          console.error('[gongkai] the restored copy is inconsistent too:', again.message);
          this._items = [];
          this._restored = null;
        }
      }
      this._phase = 'ready';
      this._counts.attach(store.name, config.timeZone, () => this._trustedNow());
      if (new URLSearchParams(location.search).has('bench')) {
        window.gongkaiBench = { ingestFromUrl };
      }

      const params = new URLSearchParams(location.search);
      const timeoutMs = Number(params.get('sync-timeout-ms')) || undefined;
      const engine = new SyncEngine({
        store,
        config,
        baseUrl: document.baseURI,
        storage: navigator.storage ?? null,
        timeoutMs,
        // The display's clock: status, banner and fleet reports see the same trustedNow.
        clock: this._time,
        onStatus: (status) => {
          // trustedNow changes when the engine re-reads storage (start, after each check):
          // the persisted floor (verified generatedAt, server Date) may have risen.
          const reread = status.trustedNow !== this._status.trustedNow;
          this._status = status;
          if (reread) {
            void store
              .getMeta('timeFloor')
              .then((f) => this._time.observeFloor(f))
              .catch(() => undefined);
          }
        },
        onSwitched: () => void this._loadContent(),
        onAlerts: (alerts) => {
          this._alerts = alerts as Alert[];
        },
        fleetExtras: () => ({ ...this._counts.fleetExtras() }),
      });
      engine.setRecovered(recovered);
      this._alerts = ((await store.getMeta('alerts'))?.alerts ?? []) as Alert[];
      // Starts polling: the first check runs at once.
      await this._sync.run(engine);
    } catch (err) {
      this._phase = this._items.length ? 'ready' : 'failed';
      const why = err instanceof Error ? `${err.name}：${err.message}` : String(err);
      this._error = opened
        ? `无法加载公开信息：${err instanceof Error ? err.message : String(err)}`
        : `无法打开本机存储（存储空间已满，或浏览器存储不可用），暂时无法保存和显示公开信息，正在自动重试。（${why}）`;
      console.error('[gongkai]', err);
      if (!opened) {
        // The watchdog reads this: a store that stays unopenable with free disk gets cleared.
        reportStoreFailures(1);
        this._storeLost = this._error;
        this._retryStore(2000);
        void this._showLocalCopy();
      }
    }
  }

  /**
   * The browser closed the database under the running kiosk: a full disk
   * fails a write that way, and so does storage cleared by the browser. The
   * content on screen stays (it is in memory); the engine stops; the store is
   * reopened without deleting anything, and once it opens the page restarts on
   * it (re-syncing if the content is gone). Reloading at once instead would
   * meet the same full disk at start, where an unopenable store is deleted.
   */
  private _onStoreLost(): void {
    if (this._storeLost) return;
    this._sync.engine?.stop();
    this._store = null;
    const quota = this._status.lastError?.code === 'quota';
    this._storeLost = quota
      ? '本机存储空间已满：新内容无法保存，继续显示当前内容；腾出空间后自动恢复。'
      : '本机存储不可用（存储空间已满，或数据被浏览器清除）：继续显示当前内容，正在自动重试。';
    // Right after the browser closed it, an open is still refused: try again in a second.
    this._retryStore(1000);
  }

  /** Tries to reopen the store after `delayMs`, backing off to a minute; restarts the page once it opens. */
  private _retryStore(delayMs: number): void {
    if (this._storeRetry !== null) clearTimeout(this._storeRetry);
    this._storeRetry = setTimeout(() => {
      this._storeRetry = null;
      void (async () => {
        try {
          const store = await openStore();
          await store.probe();
          store.close();
          location.reload();
        } catch (err) {
          console.warn('[gongkai] storage still unusable:', err);
          this._storeAttempts++;
          reportStoreFailures(this._storeAttempts + 1);
          this._retryStore(Math.min(60_000, 1000 * 2 ** this._storeAttempts));
        }
      })();
    }, delayMs);
  }

  /** Reads the active version from storage and shows it, then readies its search index. */
  private async _loadContent(): Promise<void> {
    const store = this._store;
    if (!store) return;
    const content = await store.loadActive();
    if (!content) {
      this._items = [];
      return;
    }
    const extras = await loadBundleExtras(store, content.record);
    this._calendar = extras.calendar;
    this._generatedAt = Date.parse(content.record.generatedAt) || 0;
    this._items = sortForDisplay(content.items.map((f) => f.item as Item));
    // Only visitors search: a reading-room or notice-board screen (the display tier's
    // only roles, on engines down to Chromium 66) never builds or holds the index.
    if (this._config?.role === 'touch') {
      this._scheduleIndex(() => prepareSearch(store, content.record, content.items, extras));
    }
  }

  private _openAdmin(): void {
    if (this._admin === 'closed') this._admin = 'locked';
  }

  private async _onPin(e: CustomEvent<{ pin: string }>): Promise<void> {
    const expected = this._config?.admin.pinSha256;
    if (!expected) {
      this._pinError = '本机未设置管理密码（admin.pinSha256），管理功能已停用。';
      return;
    }
    let hash: string;
    try {
      hash = await sha256Hex(new TextEncoder().encode(`gongkai:${e.detail.pin}`));
    } catch (err) {
      // No WebCrypto and no usable fallback here (see the sync status for why).
      this._pinError = `无法校验密码：${toSyncError(err).message}`;
      return;
    }
    if (hash === expected) {
      this._admin = 'open';
      this._pinError = '';
      this._adminCounts = null;
      void this._counts.adminCounts(this._titleOf).then((c) => {
        if (this._admin === 'open') this._adminCounts = c;
      });
    } else {
      this._pinError = '密码错误。';
    }
  }

  private async _onCheckNow(): Promise<void> {
    if (this._storeLost) {
      // Staff freed space: try the store now rather than at the next back-off step.
      this._adminMessage = '正在重新打开本机存储…';
      this._retryStore(0);
      return;
    }
    const engine = this._sync.engine;
    if (!engine) return;
    this._busy = true;
    await engine.checkNow();
    this._busy = false;
    const s = engine.status;
    this._adminMessage = s.lastError
      ? `检查失败：${s.lastError.message}`
      : `检查完成，当前版本 ${s.activeVersion ?? '无'}。`;
  }

  private async _onSideload(e: CustomEvent<{ files: File[] }>): Promise<void> {
    const engine = this._sync.engine;
    if (!engine) return;
    this._busy = true;
    this._adminMessage = '正在校验并导入内容包…';
    try {
      const [first] = e.detail.files;
      const packed = e.detail.files.length === 1 && first.name.endsWith('.gkb');
      await engine.sideload(
        packed
          ? packedFiles(new Uint8Array(await first.arrayBuffer()), first.name)
          : sideloadFiles(e.detail.files),
      );
      this._adminMessage = `导入成功，当前版本 ${engine.status.activeVersion ?? '无'}。`;
    } catch (err) {
      this._adminMessage = `导入失败：${err instanceof Error ? err.message : String(err)}（继续显示当前内容）`;
    } finally {
      this._busy = false;
    }
  }

  private _onCloseAdmin(): void {
    this._admin = 'closed';
    this._pinError = '';
    this._adminMessage = '';
    // Today's counts (with today's zero-result queries) leave the page's memory with the panel.
    this._adminCounts = null;
  }
}

/**
 * What a visitor reset returns to: the kiosk defaults, in elder mode (适老化)
 * when the page is opened with `?elder` (a kiosk set up for older visitors;
 * also how the Lighthouse bench audits elder mode).
 */
const VISITOR_DEFAULTS: VisitorSettings = new URLSearchParams(location.search).has('elder')
  ? Object.freeze({ ...KIOSK_DEFAULT_SETTINGS, elder: true })
  : KIOSK_DEFAULT_SETTINGS;

/** Said once in the status line and the admin panel when the page is not a secure context. */
const ORIGIN_NOTICE = originNotice({ isSecureContext: window.isSecureContext });

/** OpenCC Simplified → Traditional (Hong Kong), loaded only when a visitor asks for it. */
async function loadTraditionalConverter(): Promise<(s: string) => string> {
  const { Converter } = await import('opencc-js/cn2t');
  return Converter({ from: 'cn', to: 'hk' });
}

/** A one-line text for an alert of unknown shape (the display engine owns the full view). */
function alertText(alert: unknown): string {
  if (typeof alert !== 'object' || alert === null) return String(alert);
  const a = alert as { title?: unknown; text?: unknown };
  const t = a.title ?? a.text;
  if (typeof t === 'string') return t;
  if (
    typeof t === 'object' &&
    t !== null &&
    typeof (t as { 'zh-Hans'?: unknown })['zh-Hans'] === 'string'
  ) {
    return (t as { 'zh-Hans': string })['zh-Hans'];
  }
  return JSON.stringify(alert).slice(0, 200);
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
  interface Window {
    /** Set with `?bench`: the benchmark calls `gongkaiBench.ingestFromUrl(url, options)`. */
    gongkaiBench?: { ingestFromUrl: typeof ingestFromUrl };
  }
}
