import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Now } from './clock.ts';
import { carryCredits, dwellMs, pickNext, type PlaylistEntry, type SlidePage } from './playlist.ts';

/** The slide on screen and when it leaves. */
export interface CurrentSlide {
  entry: PlaylistEntry;
  page: SlidePage;
  since: number;
  until: number;
  /** Increments on every change, so a view can key a transition on it. */
  seq: number;
}

/**
 * The rotation state machine: which entry and page is on screen, advanced by
 * `tick(now)`. Pure apart from its own state; no timers (the controller
 * below drives it, tests call `tick` with a fake clock).
 */
export class Rotation {
  current: CurrentSlide | null = null;
  private entries: readonly PlaylistEntry[] = [];
  private credits: Float64Array = new Float64Array(0);
  private seq = 0;

  constructor(private dwellSeconds: number) {}

  /**
   * Replaces the playlist. The slide on screen stays (with its refreshed
   * entry) when its item still rotates; otherwise the next one shows now.
   */
  setEntries(
    entries: readonly PlaylistEntry[],
    now: number,
    dwellSeconds = this.dwellSeconds,
  ): boolean {
    this.credits = carryCredits(this.entries, this.credits, entries);
    this.entries = entries;
    this.dwellSeconds = dwellSeconds;
    const cur = this.current;
    if (cur) {
      const same = entries.find((e) => e.item.id === cur.entry.item.id);
      if (same && cur.page.index < same.pages.length) {
        cur.entry = same;
        cur.page = same.pages[cur.page.index];
        return false;
      }
      // Its item left the rotation: no further pages of it either.
      this.current = null;
    }
    return this.advance(now) || cur !== null;
  }

  /** Moves on when the current slide's time is up. True when the slide changed. */
  tick(now: number): boolean {
    if (this.current && now < this.current.until) return false;
    if (!this.current && !this.entries.length) return false;
    return this.advance(now);
  }

  /**
   * What `advance()` would show next if the playlist stays as it is, without
   * moving: lets the display warm caches (pages, the QR code) while idle.
   */
  peek(): { entry: PlaylistEntry; page: SlidePage } | null {
    const cur = this.current;
    if (cur && cur.page.index + 1 < cur.entry.pages.length)
      return { entry: cur.entry, page: cur.entry.pages[cur.page.index + 1] };
    const i = pickNext(this.entries, this.credits.slice());
    return i < 0 ? null : { entry: this.entries[i], page: this.entries[i].pages[0] };
  }

  /** Shows the next page of the current item, or the next item. */
  advance(now: number): boolean {
    const cur = this.current;
    if (cur && cur.page.index + 1 < cur.entry.pages.length) {
      this.show(cur.entry, cur.entry.pages[cur.page.index + 1], now);
      return true;
    }
    const i = pickNext(this.entries, this.credits);
    if (i < 0) {
      const changed = this.current !== null;
      this.current = null;
      return changed;
    }
    this.show(this.entries[i], this.entries[i].pages[0], now);
    return true;
  }

  private show(entry: PlaylistEntry, page: SlidePage, now: number): void {
    this.current = {
      entry,
      page,
      since: now,
      until: now + dwellMs(page.chars, this.dwellSeconds),
      seq: ++this.seq,
    };
  }
}

/**
 * Calls `onTick` every `periodMs` while the host is connected (the display's
 * heartbeat: slide changes, alert expiry, clock, pixel shift). One timer,
 * cleared on disconnect. Tests skip the timer and call `tick()` directly.
 */
export class TickController implements ReactiveController {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    host: ReactiveControllerHost,
    private readonly onTick: () => void,
    private readonly periodMs = 250,
    /** When false the timer never starts: a test drives `tick()` itself. */
    private readonly autoStart: () => boolean = () => true,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    if (this.autoStart()) this.schedule();
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Runs one heartbeat now. */
  tick(): void {
    this.onTick();
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.onTick();
      this.schedule();
    }, this.periodMs);
  }
}

export type { Now };
