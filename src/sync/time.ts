/** Floors of the kiosk's notion of "now", persisted across restarts. */
export interface TimeFloor {
  /** Newest verified manifest generatedAt (ms since the epoch). */
  generatedAt: number;
  /** Last HTTP Date header seen from the content server (ms since the epoch). */
  httpDate: number;
}

/**
 * trustedNow = the latest of the device clock, the newest verified generatedAt
 * and the last HTTP Date header. A clock that was set back (no RTC battery, no
 * NTP while offline) can therefore never make an expired or older bundle look
 * acceptable.
 */
export function trustedNow(deviceNow: number, floor: TimeFloor | undefined): number {
  return Math.max(deviceNow, floor?.generatedAt ?? 0, floor?.httpDate ?? 0);
}

/** Skew under this is ordinary clock drift and not reported. */
export const SKEW_TOLERANCE_MS = 5 * 60_000;

/** How far the device clock is behind trustedNow, or 0 within tolerance. */
export function clockSkewMs(deviceNow: number, floor: TimeFloor | undefined): number {
  const skew = trustedNow(deviceNow, floor) - deviceNow;
  return skew > SKEW_TOLERANCE_MS ? skew : 0;
}

/** Raises the floor with new observations (never lowers it). */
export function raiseFloor(
  floor: TimeFloor | undefined,
  seen: { generatedAt?: number; httpDate?: number | null },
): TimeFloor {
  return {
    generatedAt: Math.max(floor?.generatedAt ?? 0, seen.generatedAt ?? 0),
    httpDate: Math.max(floor?.httpDate ?? 0, seen.httpDate ?? 0),
  };
}

/** A duration in plain Chinese: 3 天 4 小时, 25 分钟. */
export function describeDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} 分钟`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} 小时${minutes % 60 ? ` ${minutes % 60} 分钟` : ''}`;
  const days = Math.floor(hours / 24);
  return `${days} 天${hours % 24 ? ` ${hours % 24} 小时` : ''}`;
}

/**
 * trustedNow for a page that runs for weeks: the latest of the device clock
 * and every observed floor (a verified generatedAt, a server Date) advanced by
 * the monotonic time elapsed since it was observed. A wall clock set back
 * during a run (an RTC reset, a bad NTP answer) cannot pull the screen's time
 * back, and no sync is needed to notice; a clock set forward is followed at
 * once. Device readings are never used as floors, so a clock that was wrongly
 * ahead and gets corrected is not held ahead.
 */
export class TrustedClock {
  private floor = Number.NEGATIVE_INFINITY;
  private floorAt = 0;
  /** The last server Date seen, and the monotonic time it was seen at. */
  private server: { ms: number; at: number } | null = null;

  constructor(
    private readonly deviceNow: () => number = () => Date.now(),
    /** A monotonic clock (performance.now): unaffected when the wall clock is set. */
    private readonly monotonicNow: () => number = () => performance.now(),
  ) {}

  /** Real time is known to be at least `ms` now. Lower or unknown values are ignored. */
  observe(ms: number): void {
    if (!Number.isFinite(ms)) return;
    const at = this.monotonicNow();
    if (ms > this.floor + (at - this.floorAt)) {
      this.floor = ms;
      this.floorAt = at;
    }
  }

  /** Observes a persisted {@link TimeFloor} (at start, before anything is shown). */
  observeFloor(floor: TimeFloor | undefined): void {
    if (floor) this.observe(Math.max(floor.generatedAt, floor.httpDate));
  }

  /**
   * A server's `Date` (plus any `Age`) just received: a floor like any other,
   * and the reference for {@link aheadMs}. Kept even when lower than the
   * floor, since a device clock ahead of it is exactly what it reveals.
   */
  observeServerDate(ms: number): void {
    if (!Number.isFinite(ms)) return;
    this.server = { ms, at: this.monotonicNow() };
    this.observe(ms);
  }

  /**
   * How far the device clock is ahead of the last server Date (advanced by the
   * monotonic time since), or 0 within tolerance or when no server was heard.
   * Only a hint: the Date header is not signed, so it never lowers trustedNow.
   */
  aheadMs(): number {
    if (!this.server) return 0;
    const serverNow = this.server.ms + (this.monotonicNow() - this.server.at);
    const ahead = this.deviceNow() - serverNow;
    return ahead > SKEW_TOLERANCE_MS ? ahead : 0;
  }

  /** Trusted epoch milliseconds. */
  now(): number {
    return Math.max(this.deviceNow(), this.floor + (this.monotonicNow() - this.floorAt));
  }

  /** How far the device clock is behind {@link now}, or 0 within tolerance. */
  skewMs(): number {
    const device = this.deviceNow();
    const skew = Math.max(device, this.floor + (this.monotonicNow() - this.floorAt)) - device;
    return skew > SKEW_TOLERANCE_MS ? skew : 0;
  }
}
