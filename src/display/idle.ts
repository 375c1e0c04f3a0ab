import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Now } from './clock.ts';

/** Input events that count as a visitor being present. */
export const ACTIVITY_EVENTS = [
  'pointerdown',
  'pointermove',
  'keydown',
  'touchstart',
  'wheel',
] as const;

/** Options of an {@link IdleController}. */
export interface IdleOptions {
  /** No input for this long means idle (config.idle.timeoutSeconds × 1000). */
  timeoutMs: number;
  /** Where input is listened for; the window by default. */
  target?: EventTarget;
  clock?: Now;
  /** Called once when the screen becomes idle (start the attract loop, forget the visitor). */
  onIdle?: () => void;
  /** Called once when input arrives while idle. */
  onActive?: () => void;
}

/**
 * Tracks visitor input and reports idle after `timeoutMs` without any. The
 * touch kiosk uses it to return to the attract loop (the rotation) and the
 * PWA to clear a session. Listeners are added on connect and removed on
 * disconnect; the one timer is re-armed lazily, not on every pointer move.
 */
export class IdleController implements ReactiveController {
  /** True after `timeoutMs` without input. */
  idle = false;
  private lastInput: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly clock: Now;
  private readonly target: EventTarget | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: IdleOptions,
  ) {
    if (!(options.timeoutMs > 0))
      throw new RangeError(`idle timeout must be > 0 ms: ${options.timeoutMs}`);
    this.clock = options.clock ?? Date.now;
    this.target = options.target ?? (typeof window === 'undefined' ? undefined : window);
    this.lastInput = this.clock();
    host.addController(this);
  }

  hostConnected(): void {
    for (const type of ACTIVITY_EVENTS)
      this.target?.addEventListener(type, this.onInput, { passive: true });
    this.lastInput = this.clock();
    this.arm(this.options.timeoutMs);
  }

  hostDisconnected(): void {
    for (const type of ACTIVITY_EVENTS) this.target?.removeEventListener(type, this.onInput);
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Milliseconds since the last input. */
  get idleFor(): number {
    return this.clock() - this.lastInput;
  }

  /** Re-evaluates now (the timer calls it; tests call it after moving a fake clock). */
  check(): void {
    const left = this.options.timeoutMs - this.idleFor;
    if (left <= 0) {
      if (!this.idle) {
        this.idle = true;
        this.options.onIdle?.();
        this.host.requestUpdate();
      }
      return;
    }
    this.arm(left);
  }

  /** Counts as input, e.g. after a programmatic navigation. */
  poke(): void {
    this.onInput();
  }

  private arm(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.check(), ms);
  }

  private onInput = (): void => {
    this.lastInput = this.clock();
    if (this.idle) {
      this.idle = false;
      this.options.onActive?.();
      this.host.requestUpdate();
      this.arm(this.options.timeoutMs);
    } else if (this.timer === undefined) this.arm(this.options.timeoutMs);
    // Otherwise the running timer fires, sees the newer input, and re-arms for the rest.
  };
}
