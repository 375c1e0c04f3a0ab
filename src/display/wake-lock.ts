import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** The parts of the Screen Wake Lock API used here (absent on some browsers). */
interface WakeLockSentinelLike {
  released: boolean;
  release(): Promise<void>;
}
interface WakeLockLike {
  request(type: 'screen'): Promise<WakeLockSentinelLike>;
}

/**
 * Keeps the screen on while the host is connected, where the Screen Wake Lock
 * API exists. The browser drops the lock when the page is hidden, so it is
 * requested again when the page becomes visible. Released on disconnect.
 */
export class WakeLockController implements ReactiveController {
  /** 'held', 'unsupported', 'denied' (e.g. no user activation or a policy), or 'released'. */
  state: 'held' | 'unsupported' | 'denied' | 'released' = 'released';
  private sentinel: WakeLockSentinelLike | undefined;
  private connected = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly wakeLock: WakeLockLike | undefined = typeof navigator === 'undefined'
      ? undefined
      : (navigator as Navigator & { wakeLock?: WakeLockLike }).wakeLock,
    private readonly doc: Document | undefined = typeof document === 'undefined'
      ? undefined
      : document,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.connected = true;
    this.doc?.addEventListener('visibilitychange', this.onVisibility);
    void this.acquire();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.doc?.removeEventListener('visibilitychange', this.onVisibility);
    const s = this.sentinel;
    this.sentinel = undefined;
    this.state = 'released';
    if (s && !s.released) void s.release().catch(() => undefined);
  }

  private async acquire(): Promise<void> {
    if (!this.wakeLock) {
      this.state = 'unsupported';
      return;
    }
    if (this.sentinel && !this.sentinel.released) return;
    try {
      const s = await this.wakeLock.request('screen');
      // Disconnected while the request was pending: give the lock back at once.
      if (!this.connected) {
        await s.release();
        return;
      }
      this.sentinel = s;
      this.state = 'held';
    } catch {
      this.state = 'denied';
    }
    this.host.requestUpdate();
  }

  private onVisibility = (): void => {
    if (this.doc?.visibilityState === 'visible') void this.acquire();
  };
}
