/**
 * Owns the service worker's lifecycle on an unattended kiosk, with
 * workbox-window:
 *
 * - registers `sw.js` (a name that never changes) with `updateViaCache: 'none'`;
 * - calls `registration.update()` every `checkIntervalMs`, because a page that
 *   never navigates is never checked by the browser itself;
 * - reads `registration.waiting` directly on every check rather than trusting
 *   events only (workbox-window calls an update found more than 60 s after
 *   register() "external", and after two deploys without a reload it may fire
 *   nothing at all), so several deploys in a row converge to the newest;
 * - activates a waiting worker only at a safe moment, once no visitor touched
 *   the kiosk for `idleMs`, by posting SKIP_WAITING, then reloads on
 *   `controllerchange`;
 * - reports a refused deploy (the new worker became redundant during install,
 *   with the reason the worker sends) in {@link PwaStatusStore}; the running
 *   version stays.
 */
import { Workbox } from 'workbox-window';
import { INSTALL_FAILED } from './csp.ts';
import { IdleDetector, realClock, type Clock } from './idle.ts';
import type { PwaStatusStore } from './status.ts';

/** A script URL as accepted by `navigator.serviceWorker.register` under Trusted Types. */
export type ScriptUrl = string | { toString(): string };

export interface UpdaterOptions {
  /** The worker's URL, a TrustedScriptURL when Trusted Types are enforced. */
  swUrl: ScriptUrl;
  scope: string;
  checkIntervalMs: number;
  idleMs: number;
  status: PwaStatusStore;
  /** Where visitor input is watched (the window). */
  activityTarget: EventTarget;
  /** Called once the new worker controls the page. */
  reload: () => void;
  clock?: Clock;
  /** For the log; console by default. */
  log?: Pick<Console, 'info' | 'warn' | 'error'>;
}

/** How long to wait for `controllerchange` after SKIP_WAITING before trying again later. */
const APPLY_TIMEOUT_MS = 15_000;

/** Keeps a kiosk on the newest good deploy without ever interrupting a visitor. */
export class KioskUpdater {
  private wb: Workbox | null = null;
  private registration: ServiceWorkerRegistration | null = null;
  private readonly idle: IdleDetector;
  private readonly clock: Clock;
  private readonly log: Pick<Console, 'info' | 'warn' | 'error'>;
  private checkTimer: unknown;
  private applyTimer: unknown;
  private applying = false;
  private stopped = false;
  /** When the newest install attempt started, to tell its failure from older ones. */
  private attemptAt = 0;

  constructor(private readonly options: UpdaterOptions) {
    this.clock = options.clock ?? realClock;
    this.log = options.log ?? console;
    this.idle = new IdleDetector(
      options.activityTarget,
      options.idleMs,
      () => this.maybeApply('idle'),
      this.clock,
    );
  }

  /** Registers the worker and starts the check timer and the idle detector. */
  async start(): Promise<void> {
    const container = navigator.serviceWorker as ServiceWorkerContainer | undefined;
    if (!container) {
      this.options.status.update({ state: 'unsupported' });
      return;
    }
    container.addEventListener('message', this.onMessage);
    container.addEventListener('controllerchange', this.onControllerChange);
    // workbox-window takes a TrustedScriptURL as well as a string (its typings name it).
    this.wb = new Workbox(this.options.swUrl as string, {
      scope: this.options.scope,
      updateViaCache: 'none',
    });
    this.wb.addEventListener('waiting', () => this.refresh());
    let registration: ServiceWorkerRegistration | undefined;
    try {
      registration = await this.wb.register({ immediate: true });
    } catch (e) {
      this.options.status.update({ state: 'unsupported', checkError: message(e) });
      this.log.error(`[gongkai] service worker registration failed: ${message(e)}`);
      return;
    }
    if (!registration || this.stopped) return;
    this.registration = registration;
    registration.addEventListener('updatefound', this.onUpdateFound);
    if (registration.installing) this.track(registration.installing);
    this.refresh();
    this.idle.start();
    this.scheduleCheck();
  }

  /** Removes every timer and listener. */
  stop(): void {
    this.stopped = true;
    this.idle.stop();
    this.clock.clearTimeout(this.checkTimer);
    this.clock.clearTimeout(this.applyTimer);
    this.registration?.removeEventListener('updatefound', this.onUpdateFound);
    navigator.serviceWorker?.removeEventListener('message', this.onMessage);
    navigator.serviceWorker?.removeEventListener('controllerchange', this.onControllerChange);
  }

  /** Asks the server for a new `sw.js` now, then applies a waiting worker if the kiosk is idle. */
  async check(): Promise<void> {
    const reg = this.registration;
    if (!reg || !this.wb) return;
    // An install in progress would be restarted by update(): let it finish.
    if (!reg.installing) {
      try {
        await this.wb.update();
        this.options.status.update({ lastCheckAt: this.clock.now(), checkError: null });
      } catch (e) {
        // Offline or server down: the kiosk keeps running what it has.
        this.options.status.update({ lastCheckAt: this.clock.now(), checkError: message(e) });
      }
    }
    this.refresh();
    this.maybeApply('check');
  }

  private scheduleCheck(): void {
    this.clock.clearTimeout(this.checkTimer);
    this.checkTimer = this.clock.setTimeout(() => {
      void this.check().finally(() => {
        if (!this.stopped) this.scheduleCheck();
      });
    }, this.options.checkIntervalMs);
  }

  /** Sets the state from the registration itself. */
  private refresh(): void {
    const reg = this.registration;
    if (!reg || this.applying) return;
    // During its statechange to redundant, a failed worker may still sit in `installing`.
    const installing = reg.installing !== null && reg.installing.state !== 'redundant';
    const state = installing ? 'installing' : reg.waiting ? 'waiting' : 'current';
    if (this.options.status.get().state !== state) this.options.status.update({ state });
  }

  /** Activates the waiting worker if there is one and nobody is using the kiosk. */
  private maybeApply(why: 'idle' | 'check' | 'installed' | 'retry'): void {
    const waiting = this.registration?.waiting;
    // No active worker means a first install: it activates on its own, nothing to reload.
    if (!waiting || !this.registration?.active || this.applying || this.stopped) return;
    if (!this.idle.idle) return;
    this.applying = true;
    this.options.status.update({ state: 'applying' });
    this.log.info(
      `[gongkai] applying the new app version (${why}, idle for ${this.idle.idleForMs} ms)`,
    );
    // Posts SKIP_WAITING to registration.waiting: the newest worker, whatever events fired.
    this.wb?.messageSkipWaiting();
    this.clock.clearTimeout(this.applyTimer);
    this.applyTimer = this.clock.setTimeout(() => {
      // No controllerchange: the worker was replaced or is still busy. Try again
      // (every APPLY_TIMEOUT_MS while the kiosk stays idle), else at the next check.
      this.applying = false;
      this.refresh();
      this.maybeApply('retry');
    }, APPLY_TIMEOUT_MS);
  }

  private track(worker: ServiceWorker): void {
    this.attemptAt = this.clock.now();
    const attempt = this.attemptAt;
    let installed = false;
    this.refresh();
    const onState = (): void => {
      if (worker.state === 'installed') {
        installed = true;
        this.options.status.update({ deployFailure: null });
        this.refresh();
        this.maybeApply('installed');
      } else if (worker.state === 'redundant') {
        worker.removeEventListener('statechange', onState);
        // A waiting worker replaced by a newer one is redundant too: not a failure.
        if (!installed) this.fail('新版本安装失败（sw.js 安装中止）', attempt, false);
        this.refresh();
      } else if (worker.state === 'activated') {
        worker.removeEventListener('statechange', onState);
        this.refresh();
      }
    };
    worker.addEventListener('statechange', onState);
  }

  private fail(reason: string, attempt: number, fromWorker: boolean): void {
    const previous = this.options.status.get().deployFailure;
    // The worker's own reason names the file; keep it over the generic one.
    if (!fromWorker && previous && previous.at >= attempt) return;
    this.options.status.update({ deployFailure: { reason, at: this.clock.now() } });
    this.log.error(`[gongkai] app update refused, keeping the running version: ${reason}`);
  }

  private readonly onUpdateFound = (): void => {
    const worker = this.registration?.installing;
    if (worker) this.track(worker);
  };

  private readonly onMessage = (event: MessageEvent): void => {
    const data: unknown = event.data;
    if (
      typeof data === 'object' &&
      data !== null &&
      'type' in data &&
      data.type === INSTALL_FAILED &&
      'reason' in data &&
      typeof data.reason === 'string'
    ) {
      this.fail(data.reason, this.attemptAt, true);
    }
  };

  private readonly onControllerChange = (): void => {
    // The first install claims the page: nothing to reload then.
    if (!this.applying) return;
    this.clock.clearTimeout(this.applyTimer);
    this.options.reload();
  };
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
