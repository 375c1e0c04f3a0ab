/**
 * Tells whether a visitor is using the kiosk: idle once no touch, pointer,
 * key or wheel input arrived for `timeoutMs`. Used to find a safe moment to
 * apply an app update (never while someone is reading or typing).
 */

/** Input that counts as a visitor being present. */
export const ACTIVITY_EVENTS = [
  'pointerdown',
  'pointermove',
  'keydown',
  'wheel',
  'touchstart',
] as const;

/** Timer functions, injectable so tests can drive the detector with a fake clock. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Watches input on `target` and calls `onIdle` each time the kiosk becomes idle. */
export class IdleDetector {
  private lastActivity: number;
  private timer: unknown;
  private started = false;

  constructor(
    private readonly target: EventTarget,
    private readonly timeoutMs: number,
    private readonly onIdle: () => void,
    private readonly clock: Clock = realClock,
  ) {
    this.lastActivity = clock.now();
  }

  /** True when no input arrived for the timeout. */
  get idle(): boolean {
    return this.clock.now() - this.lastActivity >= this.timeoutMs;
  }

  /** Milliseconds since the last input. */
  get idleForMs(): number {
    return this.clock.now() - this.lastActivity;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const type of ACTIVITY_EVENTS)
      this.target.addEventListener(type, this.activity, { capture: true, passive: true });
    this.arm();
  }

  stop(): void {
    this.started = false;
    for (const type of ACTIVITY_EVENTS)
      this.target.removeEventListener(type, this.activity, { capture: true });
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private readonly activity = (): void => {
    this.lastActivity = this.clock.now();
    this.arm();
  };

  private arm(): void {
    this.clock.clearTimeout(this.timer);
    const remaining = Math.max(0, this.timeoutMs - (this.clock.now() - this.lastActivity));
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.idle) this.onIdle();
      else this.arm();
    }, remaining);
  }
}
