import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import {
  addWorkingDays,
  calendarFromDayTable,
  isWorkingDay,
  noticePeriodEnd,
  workingDaysBetween,
} from '../../src/content/calendar.ts';

const require = createRequire(import.meta.url);
const table = require('chinese-days/dist/chinese-days.json') as {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
};
const calendar = calendarFromDayTable(table);

describe('calendar from chinese-days', () => {
  it('covers every year of the source, sorted, with 调休 days', () => {
    expect(Object.keys(calendar)[0]).toBe('2004');
    expect(calendar['2026'].makeupWorkdays).toContain('2026-10-10');
    expect(calendar['2026'].holidays).toContain('2026-10-01');
  });
});

describe('isWorkingDay', () => {
  it('treats a make-up Saturday as a working day and a weekday holiday as not', () => {
    expect(isWorkingDay('2026-10-10', calendar)).toBe(true); // Saturday, 调休上班
    expect(isWorkingDay('2026-10-01', calendar)).toBe(false); // Thursday, 国庆
    expect(isWorkingDay('2026-11-24', calendar)).toBe(true); // ordinary Tuesday
    expect(isWorkingDay('2026-11-28', calendar)).toBe(false); // ordinary Saturday
  });
  it("answers 'unknown' for a year the calendar lacks, never a Mon–Fri guess", () => {
    expect(isWorkingDay('2027-03-01', calendar)).toBe('unknown');
    expect(isWorkingDay('2026-11-24', {})).toBe('unknown');
    expect(isWorkingDay('2026-11-24', null)).toBe('unknown');
  });
  it('rejects a malformed date', () => {
    expect(() => isWorkingDay('2026-02-30', calendar)).toThrow(/ISO date/);
  });
});

describe('addWorkingDays / workingDaysBetween', () => {
  it('skips the National Day week and counts the make-up Saturday', () => {
    // Sept 30 (Wed) + 1 working day: Oct 1–7 off, Oct 8 (Thu) is next.
    expect(addWorkingDays('2026-09-30', 1, calendar)).toBe('2026-10-08');
    // Oct 8 Thu, Oct 9 Fri, Oct 10 Sat (调休) → 3rd working day is the Saturday.
    expect(addWorkingDays('2026-10-07', 3, calendar)).toBe('2026-10-10');
    expect(workingDaysBetween('2026-09-30', '2026-10-10', calendar)).toBe(3);
    expect(workingDaysBetween('2026-10-10', '2026-09-30', calendar)).toBe(-3);
    expect(addWorkingDays('2026-09-30', 0, calendar)).toBe('2026-09-30');
  });
  it("is 'unknown' when the span reaches a missing year", () => {
    expect(addWorkingDays('2026-12-28', 10, calendar)).toBe('unknown');
    expect(workingDaysBetween('2026-12-01', '2027-01-10', calendar)).toBe('unknown');
  });
});

describe('noticePeriodEnd', () => {
  it('counts 工作日 from the start inclusive and 自然日 as calendar days', () => {
    // Start Wed Sept 30: day 1 = Sep 30, days 2–7 = Oct 8,9,10,12,13,14.
    expect(noticePeriodEnd({ start: '2026-09-30', days: 7, unit: '工作日' }, calendar)).toBe(
      '2026-10-14',
    );
    expect(noticePeriodEnd({ start: '2026-09-30', days: 7, unit: '自然日' }, calendar)).toBe(
      '2026-10-06',
    );
    expect(
      noticePeriodEnd({ start: '2026-09-30', end: '2026-10-09', unit: '工作日' }, calendar),
    ).toBe('2026-10-09');
    expect(noticePeriodEnd({ start: '2027-01-04', days: 5, unit: '工作日' }, calendar)).toBe(
      'unknown',
    );
  });
});
