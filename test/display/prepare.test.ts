import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Item } from '../../src/content/types.ts';
import { buildPlaylist } from '../../src/display/playlist.ts';
import { activePlaylist, preparePlaylist } from '../../src/display/prepare.ts';
import { runInSlices, sortInSlices, type SlicedWork } from '../../src/display/slices.ts';
import { rotationWindow, WindowCache, zonedInstant } from '../../src/display/window.ts';
import { CALENDAR, config, guide, notice, shanghai } from './fixtures.ts';

/** Runs sliced work to the end synchronously. */
function drain<T>(work: SlicedWork<T>): T {
  for (;;) {
    const r = work.next();
    if (r.done) return r.value;
  }
}

const DAY = 86_400_000;
const BASE = Date.parse('2025-09-25T00:00:00Z');

/** Dates and times around the base, in every form the content model allows, plus junk. */
const spec = fc.oneof(
  fc.integer({ min: -20, max: 40 }).map((d) => new Date(BASE + d * DAY).toISOString().slice(0, 10)),
  fc
    .tuple(fc.integer({ min: -20, max: 40 }), fc.integer({ min: 0, max: 1439 }))
    .map(([d, m]) => new Date(BASE + d * DAY + m * 60_000).toISOString().slice(0, 16)),
  fc
    .tuple(fc.integer({ min: -20, max: 40 }), fc.integer({ min: 0, max: 86_399 }))
    .map(([d, s]) => new Date(BASE + d * DAY + s * 1000).toISOString().replace('.000Z', '+08:00')),
  fc.integer({ min: -20, max: 40 }).map((d) => new Date(BASE + d * DAY).toISOString()),
  fc.constantFrom('2025-02-30', '2025-13-01', 'soon', '2025-10-1', '2025-10-08T25:00', ''),
);

const item = fc
  .record({
    id: fc.string({ minLength: 1, maxLength: 6 }),
    guide: fc.boolean(),
    rotate: fc.constantFrom(undefined, true, false),
    screens: fc.constantFrom(undefined, 'reading-room-1', 'hall-2'),
    status: fc.constantFrom(null, '有效' as const, '失效' as const, '废止' as const),
    validFrom: fc.option(spec, { nil: undefined }),
    validUntil: fc.option(spec, { nil: undefined }),
    showFrom: fc.option(spec, { nil: undefined }),
    showUntil: fc.option(spec, { nil: undefined }),
    period: fc.option(
      fc.record({
        start: fc
          .integer({ min: -20, max: 20 })
          .map((d) => new Date(BASE + d * DAY).toISOString().slice(0, 10)),
        days: fc.integer({ min: 1, max: 15 }),
        unit: fc.constantFrom('工作日', '自然日'),
      }),
      { nil: undefined },
    ),
    priority: fc.integer({ min: 0, max: 9 }),
    publishDate: fc.constantFrom('2025-09-01', '2025-09-20', '2024-12-31'),
  })
  .map((r): Item => {
    const display = {
      rotate: r.rotate,
      screens: r.screens ? [r.screens] : undefined,
      showFrom: r.showFrom,
      showUntil: r.showUntil,
      priority: r.priority,
    };
    const validity =
      r.status || r.validFrom || r.validUntil
        ? {
            status: r.status,
            validFrom: r.validFrom,
            validUntil: r.validUntil,
          }
        : undefined;
    if (r.guide) return guide({ id: r.id, display, validity, updatedAt: r.publishDate });
    return notice({
      id: r.id,
      display,
      validity,
      publishDate: r.publishDate,
      noticePeriod: r.period,
    });
  });

const uniqueItems = fc.uniqueArray(item, { selector: (i) => i.id, maxLength: 12 });
const zone = fc.constantFrom('Asia/Shanghai', 'UTC', 'America/New_York', 'Europe/Berlin');
const instant = fc.integer({ min: -25 * 24 * 60, max: 45 * 24 * 60 }).map((m) => BASE + m * 60_000);

describe('preparePlaylist and activePlaylist', () => {
  it('give exactly what buildPlaylist (rule by rule) gives, at any instant, in any zone', () => {
    fc.assert(
      fc.property(uniqueItems, zone, instant, fc.boolean(), (items, timeZone, now, missing) => {
        const calendar = missing ? { '2025': CALENDAR['2025'] } : CALENDAR;
        const cfg = config();
        const ctx = { timeZone, calendar, rotateByDefault: true, screenId: cfg.id };
        const prepared = drain(preparePlaylist(items, cfg.display, ctx, 'landscape'));
        const fast = activePlaylist(prepared, now);
        const ref = buildPlaylist(items, cfg.display, { ...ctx, now }, 'landscape');
        expect(fast.entries.map((e) => e.item.id)).toEqual(ref.entries.map((e) => e.item.id));
        expect(fast.calendarMissing).toEqual(ref.calendarMissing);
        expect(fast.entries.map((e) => e.pages)).toEqual(ref.entries.map((e) => e.pages));
        // Nothing changes before nextChange: the display may skip re-filtering until then.
        if (Number.isFinite(fast.nextChange)) {
          expect(fast.nextChange).toBeGreaterThan(now);
          const before = activePlaylist(prepared, fast.nextChange - 1);
          expect(before.entries.map((e) => e.item.id)).toEqual(fast.entries.map((e) => e.item.id));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('turns each kind of rule into a bound at the right instant', () => {
    const cache = new WindowCache({
      timeZone: 'Asia/Shanghai',
      calendar: CALENDAR,
      rotateByDefault: true,
    });
    const w = rotationWindow(
      notice({ display: { showFrom: '2025-10-09', showUntil: '2025-10-20T18:30' } }),
      cache,
    );
    expect(w.from).toBe(shanghai('2025-10-09', '00:00'));
    expect(w.until).toBe(shanghai('2025-10-20', '18:31'));
    expect(w.dynamic).toBe(false);
    // An instant with an offset: shown at it, gone one millisecond after.
    const o = rotationWindow(
      notice({ validity: { status: '有效', validUntil: '2025-10-20T18:30:00+08:00' } }),
      cache,
    );
    expect([o.until, o.dynamic]).toEqual([shanghai('2025-10-20', '18:30') + 1, false]);
    // 公示 of 5 working days from Thu 2025-09-25: 25, 26, 28 (调休 Sunday), 29, 30 → gone on 10-01.
    const g = rotationWindow(
      notice({ noticePeriod: { start: '2025-09-25', days: 5, unit: '工作日' } }),
      cache,
    );
    expect([g.until, g.dynamic]).toEqual([shanghai('2025-10-01', '00:00'), false]);
    // A date that does not exist cannot be confirmed: judged rule by rule each time.
    expect(rotationWindow(notice({ display: { showFrom: '2025-02-30' } }), cache).dynamic).toBe(
      true,
    );
    expect(rotationWindow(notice({ validity: { status: '废止' } }), cache).eligible).toBe(false);
  });

  it('finds local midnight in zones with and without daylight saving', () => {
    expect(zonedInstant(2025, 10, 1, 0, 'Asia/Shanghai')).toBe(Date.parse('2025-09-30T16:00Z'));
    expect(zonedInstant(2025, 7, 1, 0, 'America/New_York')).toBe(Date.parse('2025-07-01T04:00Z'));
    expect(zonedInstant(2025, 12, 1, 0, 'America/New_York')).toBe(Date.parse('2025-12-01T05:00Z'));
  });

  it('prepares 10,000 items in slices, yielding, with the same result', async () => {
    const items = Array.from({ length: 10_000 }, (_, i) =>
      notice({ id: `n${i}`, display: { priority: i % 5, showUntil: `2025-10-${10 + (i % 9)}` } }),
    );
    const cfg = config();
    const ctx = { timeZone: 'Asia/Shanghai', calendar: CALENDAR, rotateByDefault: true };
    const run = runInSlices(preparePlaylist(items, cfg.display, ctx, 'landscape'), 1);
    // Not finished inside the first 1 ms slice: the rest ran in later tasks.
    expect(run.value).toBe(undefined);
    const prepared = await run.done;
    const now = shanghai('2025-10-12');
    const ref = buildPlaylist(items, cfg.display, { ...ctx, now }, 'landscape');
    expect(activePlaylist(prepared!, now).entries.map((e) => e.item.id)).toEqual(
      ref.entries.map((e) => e.item.id),
    );
  });

  it('a cancelled preparation settles with null and stops', async () => {
    let steps = 0;
    const run = runInSlices(
      (function* () {
        for (let i = 0; i < 1e6; i++) {
          steps++;
          yield;
        }
        return 'done';
      })(),
      0.5,
    );
    run.cancel();
    expect(await run.done).toBe(null);
    expect(steps).toBeLessThan(1e6);
  });

  it('sorts stably in slices, like Array#sort', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 700 }), (xs) => {
        const tagged = xs.map((v, i) => ({ v, i }));
        const cmp = (a: { v: number }, b: { v: number }) => a.v - b.v;
        expect(drain(sortInSlices(tagged, cmp, 16))).toEqual(tagged.slice().sort(cmp));
      }),
      { numRuns: 200 },
    );
  });
});
