/**
 * A screen's playlist: which items, split into pages, for how long, how
 * often, and whether the screen is open at all.
 *
 * Pure functions: the rotation controller and `<gk-display>` call them with
 * the trusted time.
 */
import type { Item, KioskConfigDisplay, ProcedureStep, TaskRow } from './types.ts';
import { rotationDecision, type ScheduleContext } from './schedule.ts';
import { parseHhMm, zonedParts } from './zoned.ts';

/** Orientation of a screen. */
export type Orientation = 'portrait' | 'landscape';

/** The body of one page of a slide. */
export type SlideBody =
  | { type: 'summary'; text: string }
  | { type: 'tasks'; rows: TaskRow[] }
  | { type: 'steps'; steps: ProcedureStep[]; first: number }
  | { type: 'list'; heading: string; lines: string[] }
  | { type: 'none' };

/** One page of an item on the rotation. */
export interface SlidePage {
  body: SlideBody;
  /** 0-based page number within the item. */
  index: number;
  count: number;
  /** Characters of body text on this page (drives the dwell time). */
  chars: number;
}

/** An item in the playlist with its pages and weight. */
export interface PlaylistEntry {
  item: Item;
  pages: SlidePage[];
  /** Relative frequency (1 + priority, capped at 10). */
  weight: number;
}

/** Characters per page before a page break, by orientation (tuned for 3 m type). */
export const PAGE_BUDGET = {
  portrait: { summary: 230, tableChars: 300, tableRows: 4, steps: 5, list: 6 },
  landscape: { summary: 150, tableChars: 240, tableRows: 3, steps: 3, list: 4 },
} as const;

/** Reading speed assumed for dwell times: characters per second at 3 m. */
export const CHARS_PER_SECOND = 5;

/**
 * How long a page stays on screen: at least `dwellSeconds`, longer for more
 * text (3 s plus the reading time), at most three times `dwellSeconds`.
 */
export function dwellMs(chars: number, dwellSeconds: number): number {
  const reading = 3 + chars / CHARS_PER_SECOND;
  return Math.round(Math.min(dwellSeconds * 3, Math.max(dwellSeconds, reading)) * 1000);
}

/** Splits text into pages of at most `budget` characters, at sentence ends where possible. */
export function splitText(text: string, budget: number): string[] {
  const sentences = text
    .split(/(?<=[。；！？;!?\n])/)
    .map((s) => s.trim())
    .filter(Boolean);
  const pages: string[] = [];
  let cur = '';
  for (const s of sentences) {
    if (cur && cur.length + s.length > budget) {
      pages.push(cur);
      cur = '';
    }
    if (s.length > budget) {
      // One sentence longer than a page: break it rather than shrink the type.
      for (let i = 0; i < s.length; i += budget) {
        const piece = s.slice(i, i + budget);
        if (piece.length === budget && i + budget < s.length) pages.push(piece);
        else cur = piece;
      }
    } else cur += s;
  }
  if (cur) pages.push(cur);
  return pages;
}

function rowChars(r: TaskRow): number {
  return (
    String(r.seq).length +
    r.task.length +
    (r.requirement?.length ?? 0) +
    (r.lead ?? r.responsible ?? '').length +
    (r.deadline?.length ?? 0)
  );
}

/** A task row whose requirement is cut to fit one page, pointing to the original. */
function fitRow(r: TaskRow, budget: number): TaskRow {
  const over = rowChars(r) - budget;
  if (over <= 0 || !r.requirement) return r;
  const keep = Math.max(20, r.requirement.length - over - 8);
  return { ...r, requirement: `${r.requirement.slice(0, keep)}…（详见原文）` };
}

function chunk<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

const pageCache = {
  portrait: new WeakMap<Item, SlidePage[]>(),
  landscape: new WeakMap<Item, SlidePage[]>(),
};

/** The pages of an item's body: summary, task table or office-guide steps. */
export function paginate(item: Item, orientation: Orientation): SlidePage[] {
  // Items are immutable once loaded; a playlist rebuild over 10,000 items reuses their pages.
  const cached = pageCache[orientation].get(item);
  if (cached) return cached;
  const pages = paginateUncached(item, orientation);
  pageCache[orientation].set(item, pages);
  return pages;
}

function paginateUncached(item: Item, orientation: Orientation): SlidePage[] {
  const b = PAGE_BUDGET[orientation];
  const bodies: { body: SlideBody; chars: number }[] = [];
  if (item.kind === 'notice') {
    const summary = item.summary?.['zh-Hans'];
    if (summary) {
      for (const text of splitText(summary, b.summary))
        bodies.push({ body: { type: 'summary', text }, chars: text.length });
    }
    if (item.tasks?.length) {
      let rows: TaskRow[] = [];
      let chars = 0;
      for (const raw of item.tasks) {
        const row = fitRow(raw, b.tableChars);
        const c = rowChars(row);
        if (rows.length && (rows.length >= b.tableRows || chars + c > b.tableChars)) {
          bodies.push({ body: { type: 'tasks', rows }, chars });
          rows = [];
          chars = 0;
        }
        rows.push(row);
        chars += c;
      }
      if (rows.length) bodies.push({ body: { type: 'tasks', rows }, chars });
    }
  } else {
    const steps = item.procedure ?? [];
    if (steps.length) {
      chunk(steps, b.steps).forEach((group, i) =>
        bodies.push({
          body: { type: 'steps', steps: group, first: i * b.steps + 1 },
          chars: group.reduce((n, s) => n + s.step.length + (s.desc?.length ?? 0), 0),
        }),
      );
    } else {
      const [heading, lines] = item.conditions?.length
        ? ['申请条件', item.conditions]
        : item.serviceCommitments?.length
          ? ['服务承诺', item.serviceCommitments]
          : ['', []];
      for (const group of chunk(lines, b.list))
        bodies.push({
          body: { type: 'list', heading, lines: group },
          chars: group.reduce((n, l) => n + l.length, 0),
        });
    }
  }
  if (!bodies.length) bodies.push({ body: { type: 'none' }, chars: 0 });
  return bodies.map((x, index) => ({ ...x, index, count: bodies.length }));
}

/** Whether an item belongs to a screen that lists categories (`office-guide` for guides). */
export function inCategories(item: Item, categories: readonly string[] | undefined): boolean {
  if (!categories?.length) return true;
  return item.kind === 'notice'
    ? categories.includes(item.infoCategory)
    : categories.includes('office-guide');
}

/**
 * True when an item's schedule names a time of day (`2025-10-01T10:00`), so
 * the playlist must be rebuilt every minute; date-only rules change only at
 * local midnight.
 */
export function hasTimeOfDayRule(item: Item): boolean {
  const specs = [
    item.display?.showFrom,
    item.display?.showUntil,
    item.validity?.validFrom,
    item.validity?.validUntil,
  ];
  return specs.some((s) => !!s && s.includes('T'));
}

/** The rotating entries for a screen, highest priority first, then newest. */
export function buildPlaylist(
  items: readonly Item[],
  display: KioskConfigDisplay,
  ctx: ScheduleContext,
  orientation: Orientation,
): { entries: PlaylistEntry[]; calendarMissing: string[]; minutely: boolean } {
  const entries: PlaylistEntry[] = [];
  const missing = new Set<string>();
  let minutely = false;
  for (const item of items) {
    if (!inCategories(item, display.categories)) continue;
    if (!minutely && hasTimeOfDayRule(item)) minutely = true;
    const d = rotationDecision(item, ctx);
    if (d.calendarMissing) missing.add(d.calendarMissing);
    if (!d.rotates) continue;
    const priority = Math.max(0, Math.min(9, item.display?.priority ?? 0));
    entries.push({ item, pages: paginate(item, orientation), weight: 1 + priority });
  }
  entries.sort(compareEntries);
  return { entries, calendarMissing: [...missing].sort(), minutely };
}

// The same order as String#localeCompare without arguments, without building a collator per call.
const collator = new Intl.Collator();
const entryDate = (e: PlaylistEntry) =>
  e.item.kind === 'notice' ? e.item.publishDate : (e.item.updatedAt ?? '');

/** Playlist order: highest weight first, then newest, then by id. */
export function compareEntries(a: PlaylistEntry, b: PlaylistEntry): number {
  return (
    b.weight - a.weight ||
    collator.compare(entryDate(b), entryDate(a)) ||
    collator.compare(a.item.id, b.item.id)
  );
}

/**
 * Smooth weighted round robin (as in nginx): an item of weight w is picked w
 * times per cycle, spread out rather than in a burst. `credits[i]` belongs to
 * `entries[i]` and carries the state between picks. One pass over a typed
 * array: ~10,000 items cost well under a millisecond per slide change.
 */
export function pickNext(entries: readonly PlaylistEntry[], credits: Float64Array): number {
  if (!entries.length) return -1;
  if (credits.length !== entries.length)
    throw new RangeError(`credits (${credits.length}) must match entries (${entries.length})`);
  let total = 0;
  let best = 0;
  for (let i = 0; i < entries.length; i++) {
    const w = entries[i].weight;
    total += w;
    credits[i] += w;
    if (credits[i] > credits[best]) best = i;
  }
  credits[best] -= total;
  return best;
}

/** Credits for a rebuilt playlist, keeping each surviving item's place in the cycle. */
export function carryCredits(
  previous: readonly PlaylistEntry[],
  credits: Float64Array,
  next: readonly PlaylistEntry[],
): Float64Array {
  const byId = new Map<string, number>();
  previous.forEach((e, i) => byId.set(e.item.id, credits[i] ?? 0));
  return Float64Array.from(next, (e) => byId.get(e.item.id) ?? 0);
}

/** What the screen shows with respect to opening hours. */
export type OpeningState = 'open' | 'dim' | 'closed-card';

/** Open, dimmed or closed card, from config.display.openingHours in the screen's zone. */
export function openingState(
  now: number,
  display: KioskConfigDisplay,
  timeZone: string,
): OpeningState {
  const h = display.openingHours;
  if (!h) return 'open';
  const { minutes, weekday } = zonedParts(now, timeZone);
  const open = parseHhMm(h.open);
  const close = parseHhMm(h.close);
  const dayOk = !h.days || h.days.includes(weekday);
  // A closing time at or before the opening time means the hours run past midnight.
  const inHours =
    close > open ? minutes >= open && minutes < close : minutes >= open || minutes < close;
  return dayOk && inHours ? 'open' : (h.outside ?? 'dim');
}
