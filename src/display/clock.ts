import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** A source of the current time in ms, injectable so tests can use a fake clock. */
export type Now = () => number;

/**
 * Re-renders its host at the start of every second and exposes `now`.
 * The timer lives here, not in the element, and is cleared on disconnect.
 */
export class ClockController implements ReactiveController {
  now: number;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly clock: Now = Date.now,
    private readonly periodMs = 1000,
  ) {
    this.now = clock();
    host.addController(this);
  }

  hostConnected(): void {
    this.tick();
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private tick = (): void => {
    this.now = this.clock();
    this.host.requestUpdate();
    // Align to the period boundary so the displayed seconds never skip.
    this.timer = setTimeout(this.tick, this.periodMs - (this.now % this.periodMs) + 5);
  };
}

const clockFormats = new Map<string, { date: Intl.DateTimeFormat; time: Intl.DateTimeFormat }>();

/** Date and time of `now` in `timeZone`, e.g. 2026年11月24日 星期二 and 09:05. */
export function formatClock(now: number, timeZone: string): { date: string; time: string } {
  // Building an Intl.DateTimeFormat costs milliseconds on a small kiosk CPU: one per zone.
  let f = clockFormats.get(timeZone);
  if (!f) {
    f = {
      date: new Intl.DateTimeFormat('zh-CN', {
        timeZone,
        year: 'numeric',
        month: 'long',
        day: 'numeric',
        weekday: 'long',
      }),
      time: new Intl.DateTimeFormat('zh-CN', {
        timeZone,
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }),
    };
    clockFormats.set(timeZone, f);
  }
  return { date: f.date.format(now), time: f.time.format(now) };
}
