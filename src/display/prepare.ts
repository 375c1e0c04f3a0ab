/**
 * The playlist of a screen, prepared once per content change and filtered
 * cheaply afterwards.
 *
 * `preparePlaylist` does everything that depends only on the content and the
 * configuration (category and screen filters, weights, order, the schedule
 * window of every item) as sliced work that yields, so a 10,000-item switch
 * never blocks the screen. `activePlaylist` then answers "what rotates now"
 * with two comparisons per item and says when the answer next changes, so
 * `<gk-display>` re-filters only at those instants, never per slide.
 * Pages are cut lazily, the first time an item is shown.
 */
import type { Item, KioskConfigDisplay } from './types.ts';
import {
  compareEntries,
  inCategories,
  paginate,
  type Orientation,
  type PlaylistEntry,
} from './playlist.ts';
import { missingYear, rotationDecision, type ScheduleContext } from './schedule.ts';
import { sortInSlices, type SlicedWork } from './slices.ts';
import { inWindow, rotationWindow, WindowCache, type RotationWindow } from './window.ts';

/** A playlist entry with its schedule window. */
export interface PreparedEntry extends RotationWindow {
  entry: PlaylistEntry;
}

/** The result of {@link preparePlaylist}. */
export interface PreparedPlaylist {
  /** Every item that may ever rotate on this screen, in playlist order. */
  entries: readonly PreparedEntry[];
  /** Some entry needs `rotationDecision()` at each evaluation (and a minute re-check). */
  dynamic: boolean;
  ctx: Omit<ScheduleContext, 'now'>;
}

/** What rotates at one instant. */
export interface ActivePlaylist {
  entries: PlaylistEntry[];
  /** Calendar years a working-day 公示 period needs and the bundle lacks. */
  calendarMissing: string[];
  /** The next instant at which the answer may change (Infinity: never). */
  nextChange: number;
}

/** An entry whose pages are cut the first time they are read. */
function lazyEntry(item: Item, weight: number, orientation: Orientation): PlaylistEntry {
  return {
    item,
    weight,
    get pages() {
      return paginate(item, orientation);
    },
  };
}

/**
 * Prepares a screen's playlist from the whole bundle, yielding every few
 * dozen items (run it with `runInSlices`).
 */
export function* preparePlaylist(
  items: readonly Item[],
  display: KioskConfigDisplay,
  ctx: Omit<ScheduleContext, 'now'>,
  orientation: Orientation,
): SlicedWork<PreparedPlaylist> {
  const cache = new WindowCache(ctx);
  const byEntry = new Map<PlaylistEntry, PreparedEntry>();
  const entries: PlaylistEntry[] = [];
  let dynamic = false;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (inCategories(item, display.categories)) {
      const w = rotationWindow(item, cache);
      // Never in the rotation, whatever the time: no entry at all.
      if (w.eligible && (w.dynamic || w.from < w.until)) {
        const priority = Math.max(0, Math.min(9, item.display?.priority ?? 0));
        const entry = lazyEntry(item, 1 + priority, orientation);
        byEntry.set(entry, { ...w, entry });
        entries.push(entry);
        if (w.dynamic) dynamic = true;
      }
    }
    if (i % 32 === 31) yield;
  }
  const sorted = yield* sortInSlices(entries, compareEntries);
  return {
    entries: sorted.map((e) => byEntry.get(e) as PreparedEntry),
    dynamic,
    ctx,
  };
}

/** What rotates at `now`: a linear pass of comparisons over the prepared entries. */
export function activePlaylist(p: PreparedPlaylist, now: number): ActivePlaylist {
  const entries: PlaylistEntry[] = [];
  const missing = new Set<string>();
  let next = Infinity;
  const ctx = { ...p.ctx, now };
  for (const pe of p.entries) {
    if (pe.dynamic) {
      const d = rotationDecision(pe.entry.item, ctx);
      if (d.calendarMissing) missing.add(d.calendarMissing);
      if (d.rotates) entries.push(pe.entry);
      continue;
    }
    if (pe.from > now) {
      if (pe.from < next) next = pe.from;
    } else if (pe.until > now) {
      if (pe.until < next) next = pe.until;
    }
    if (!inWindow(pe, now)) continue;
    entries.push(pe.entry);
    if (pe.calendarMissingFrom)
      missing.add(missingYear(pe.calendarMissingFrom, now, ctx.timeZone, ctx.calendar));
  }
  // Rules that could not be turned into bounds are re-checked each minute, as before.
  if (p.dynamic) next = Math.min(next, (Math.floor(now / 60_000) + 1) * 60_000);
  return { entries, calendarMissing: [...missing].sort(), nextChange: next };
}
