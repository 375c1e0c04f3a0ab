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
 *   the kiosk for `idleMs` and the page's own requests have paused (see
 *   quiet.ts for why a request at that moment holds the switch back), by
 *   posting SKIP_WAITING, then reloads on `controllerchange`;
 * - reloads on any later `controllerchange` too (a new version took the page
 *   over, e.g. after the browser finally swapped a worker it had held back),
 *   but only while no visitor is there, so the page never runs one version's
 *   code under another version's worker for long;
 * - reports a refused deploy (the new worker became redundant during install,
 *   with the reason the worker sends) in {@link PwaStatusStore}; the running
 *   version stays.
 */
import { Workbox } from 'workbox-window';
import { INSTALL_FAILED, SKIP_WAITING } from './csp.ts';
import { IdleDetector, realClock, type Clock } from './idle.ts';
import { resourceActivity, waitForQuiet, type ActivitySource } from './quiet.ts';
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
  /** The page's requests, watched for a quiet moment before SKIP_WAITING; Resource Timing by default. */
  activity?: ActivitySource;
  /** For the log; console by default. */
  log?: Pick<Console, 'info' | 'warn' | 'error'>;
}

/**
 * How long to wait for `controllerchange` after SKIP_WAITING before trying
 * again: longer than Chromium's 30 s idle timeout of a worker, which is what
 * the switch waits for when a request restarted the old worker (quiet.ts).
 */
export const APPLY_TIMEOUT_MS = 45_000;

/** No request for this long counts as a quiet page. */
export const QUIET_MS = 1000;

/** Longest wait for a quiet page before SKIP_WAITING is posted anyway. */
export const QUIET_MAX_MS = 10_000;

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
  /** The page had a controller: a later `controllerchange` means another version took over. */
  private controlled = false;
  /** A new version took over while a visitor was there: reload once they are gone. */
  private reloadWhenIdle = false;
  private readonly activity: ActivitySource;
  /** When the newest install attempt started, to tell its failure from older ones. */
  private attemptAt = 0;

  constructor(private readonly options: UpdaterOptions) {
    this.clock = options.clock ?? realClock;
    this.log = options.log ?? console;
    this.activity = options.activity ?? resourceActivity;
    this.idle = new IdleDetector(
      options.activityTarget,
      options.idleMs,
      () => this.onIdle(),
      this.clock,
    );
  }

  /** Registers the worker and starts the check timer and the idle detector. */
  async start(): Promise<void> {
    const container = navigator.serviceWorker as ServiceWorkerContainer | undefined;
    // Chromium before 70 exposes navigator.serviceWorker on insecure origins too and only
    // refuses at register(): plain http from an intranet host is 'unsupported', not an error.
    if (!container || (typeof isSecureContext === 'boolean' && !isSecureContext)) {
      this.options.status.update({ state: 'unsupported' });
      return;
    }
    this.controlled = container.controller !== null;
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

  private onIdle(): void {
    if (this.reloadWhenIdle) {
      this.reloadWhenIdle = false;
      this.options.reload();
      return;
    }
    this.maybeApply('idle');
  }

  /** Activates the waiting worker if there is one and nobody is using the kiosk. */
  private maybeApply(why: 'idle' | 'check' | 'installed' | 'retry'): void {
    if (!this.canApply()) return;
    this.applying = true;
    this.options.status.update({ state: 'applying' });
    this.log.info(
      `[gongkai] applying the new app version (${why}, idle for ${this.idle.idleForMs} ms)`,
    );
    void waitForQuiet(this.activity, this.clock, QUIET_MS, QUIET_MAX_MS).then(() => {
      if (this.stopped || !this.applying) return;
      const waiting = this.registration?.waiting;
      if (!waiting || !this.idle.idle) {
        // A visitor came back (or the worker went away) while the page settled: not now.
        this.applying = false;
        this.refresh();
        return;
      }
      // To registration.waiting: the newest worker, whatever events fired.
      waiting.postMessage({ type: SKIP_WAITING });
      this.clock.clearTimeout(this.applyTimer);
      this.applyTimer = this.clock.setTimeout(() => {
        // No controllerchange: the worker was replaced, or the old one was
        // restarted and Chromium still waits for it to idle. Try again (every
        // APPLY_TIMEOUT_MS while the kiosk stays idle), else at the next check.
        this.applying = false;
        this.refresh();
        this.maybeApply('retry');
      }, APPLY_TIMEOUT_MS);
    });
  }

  private canApply(): boolean {
    const reg = this.registration;
    // No active worker means a first install: it activates on its own, nothing to reload.
    if (!reg?.waiting || !reg.active || this.applying || this.stopped) return false;
    return this.idle.idle;
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
    // The first install claims the page: its code is already the worker's, nothing to reload.
    if (!this.controlled && !this.applying) {
      this.controlled = true;
      return;
    }
    this.clock.clearTimeout(this.applyTimer);
    // Another version controls the page now. Run its code, but never under a visitor's hands.
    if (this.idle.idle) this.options.reload();
    else this.reloadWhenIdle = true;
  };
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
