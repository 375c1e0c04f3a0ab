import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Runs `work` once in the next idle period after `schedule()` (the display
 * warms the next slide's pages and QR code there, so the slide change itself
 * does not pay for them). Falls back to a short timer where
 * `requestIdleCallback` is missing; cancelled on disconnect.
 */
export class IdleWorkController implements ReactiveController {
  private idle: number | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    host: ReactiveControllerHost,
    private readonly work: () => void,
  ) {
    host.addController(this);
  }

  /** Asks for one run; several requests before it runs give one run. */
  schedule(): void {
    if (this.idle !== undefined || this.timer !== undefined) return;
    if (typeof requestIdleCallback === 'function') {
      // The timeout bounds the wait on a screen that is never idle.
      this.idle = requestIdleCallback(this.run, { timeout: 2000 });
    } else {
      this.timer = setTimeout(this.run, 50);
    }
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    if (this.idle !== undefined) cancelIdleCallback(this.idle);
    clearTimeout(this.timer);
    this.idle = undefined;
    this.timer = undefined;
  }

  private run = (): void => {
    this.idle = undefined;
    this.timer = undefined;
    this.work();
  };
}
