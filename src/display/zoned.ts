/**
 * Wall-clock dates and times in the kiosk's configured time zone.
 *
 * A screen in Shanghai whose device is set to UTC must still change day at
 * local midnight (peers.md 2.8: players in the wrong zone miss events), so
 * every day boundary in the display goes through these helpers, never
 * through `Date#getDate()` and friends, which use the device's zone.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // Throws a RangeError naming the zone when it is not a valid IANA zone.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Local calendar fields of `now` in `timeZone`. */
export interface ZonedParts {
  /** ISO date, e.g. 2026-11-24. */
  date: string;
  /** Minutes since local midnight (0–1439). */
  minutes: number;
  /** Day of week, 0 = Sunday. */
  weekday: number;
}

let last: { minute: number; timeZone: string; parts: ZonedParts } | undefined;

/** The local date, minute of day and weekday of `now` in `timeZone`. */
export function zonedParts(now: number, timeZone: string): ZonedParts {
  // One entry of memo: a playlist build asks for the same minute thousands of times.
  const minute = Math.floor(now / 60_000);
  if (last && last.minute === minute && last.timeZone === timeZone) return last.parts;
  const parts = partsFormatter(timeZone).formatToParts(now);
  const get = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((p) => p.type === type)?.value ?? '00';
  const date = `${get('year')}-${get('month')}-${get('day')}`;
  const minutes = Number(get('hour')) * 60 + Number(get('minute'));
  // The weekday of a civil date does not depend on the zone: compute it in UTC.
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  last = { minute, timeZone, parts: { date, minutes, weekday } };
  return last.parts;
}

/** The local ISO date (YYYY-MM-DD) of `now` in `timeZone`. */
export function localDate(now: number, timeZone: string): string {
  return zonedParts(now, timeZone).date;
}

/** Minutes since midnight of a `HH:MM` string. */
export function parseHhMm(text: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  if (!m || +m[1] > 24 || +m[2] > 59) throw new RangeError(`not a time of day (HH:MM): ${text}`);
  return +m[1] * 60 + +m[2];
}
