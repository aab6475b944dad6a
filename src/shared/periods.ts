// Report periods as Vietnamese reports count them (week Monday–Sunday, quarter, "9 tháng" = Jan 1 to
// Sep 30, year), the trend granularity for a period's length, stepping to the previous/next one, and
// the own tallies' periods (today, this week, this month) in the device's local time.
import { isCalendarDay, localDay } from './dates.ts';

export const PERIOD_KINDS = ['week', 'month', 'quarter', 'nine_months', 'year', 'custom'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** Inclusive range of calendar days, `YYYY-MM-DD`. */
export interface Period {
  from: string;
  to: string;
}

export const TREND_UNITS = ['day', 'week', 'month', 'quarter'] as const;
export type TrendUnit = (typeof TREND_UNITS)[number];

const DAY_MS = 86_400_000;

function parse(day: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y ?? 2000, (m ?? 1) - 1, d ?? 1));
}

function iso(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function ymd(y: number, m0: number, d: number): string {
  return iso(new Date(Date.UTC(y, m0, d)));
}

/** The period of `kind` that contains `anchor` (custom: the anchor day alone). */
export function periodOf(kind: PeriodKind, anchor: string): Period {
  const a = parse(anchor);
  const y = a.getUTCFullYear();
  const m = a.getUTCMonth();
  switch (kind) {
    case 'week': {
      const back = (a.getUTCDay() + 6) % 7; // Monday = 0
      const monday = new Date(a.getTime() - back * DAY_MS);
      return { from: iso(monday), to: iso(new Date(monday.getTime() + 6 * DAY_MS)) };
    }
    case 'month':
      return { from: ymd(y, m, 1), to: ymd(y, m + 1, 0) };
    case 'quarter': {
      const q = Math.floor(m / 3) * 3;
      return { from: ymd(y, q, 1), to: ymd(y, q + 3, 0) };
    }
    case 'nine_months':
      return { from: ymd(y, 0, 1), to: ymd(y, 8, 30) };
    case 'year':
      return { from: ymd(y, 0, 1), to: ymd(y, 11, 31) };
    case 'custom':
      return { from: anchor, to: anchor };
  }
}

/** The anchor one period earlier (-1) or later (+1); custom periods shift by their own length. */
export function shiftAnchor(kind: PeriodKind, anchor: string, step: -1 | 1, custom?: Period): string {
  const a = parse(anchor);
  const y = a.getUTCFullYear();
  const m = a.getUTCMonth();
  const clampDay = (yy: number, mm: number) =>
    Math.min(a.getUTCDate(), new Date(Date.UTC(yy, mm + 1, 0)).getUTCDate());
  switch (kind) {
    case 'week':
      return iso(new Date(a.getTime() + step * 7 * DAY_MS));
    case 'month':
      return ymd(y, m + step, clampDay(y, m + step));
    case 'quarter':
      return ymd(y, m + 3 * step, clampDay(y, m + 3 * step));
    case 'nine_months':
    case 'year':
      return ymd(y + step, m, clampDay(y + step, m));
    case 'custom':
      return custom ? iso(new Date(a.getTime() + step * periodDays(custom) * DAY_MS)) : anchor;
  }
}

/** Number of days in the period, both ends included. */
export function periodDays(p: Period): number {
  return Math.round((parse(p.to).getTime() - parse(p.from).getTime()) / DAY_MS) + 1;
}

/** A well-formed period: two real days, `from` not after `to`, at most ~3 years long. */
export function isValidPeriod(p: Period): boolean {
  return isCalendarDay(p.from) && isCalendarDay(p.to) && p.from <= p.to && periodDays(p) <= 1100;
}

/** Trend buckets: by day up to a month, by week up to a quarter, by month up to two years, then by quarter. */
export function trendUnit(p: Period): TrendUnit {
  const days = periodDays(p);
  return days <= 31 ? 'day' : days <= 92 ? 'week' : days <= 731 ? 'month' : 'quarter';
}

/** The units a reader may pick for a period: at most ~120 columns (no daily bars over a year). */
export function trendUnitsFor(p: Period): TrendUnit[] {
  const days = periodDays(p);
  return TREND_UNITS.filter((u) => (u === 'day' ? days <= 120 : u === 'week' ? days <= 800 : true));
}

/** Quarter number (1–4) of a day. */
export function quarterOf(day: string): number {
  return Math.floor(parse(day).getUTCMonth() / 3) + 1;
}

/** The own tallies' periods: today, this week (Monday to Sunday) and this month. */
export type OwnPeriodId = 'today' | 'week' | 'month';
export interface OwnPeriod extends Period {
  id: OwnPeriodId;
}

/** The own tallies' periods in the device's local time. */
export function ownPeriods(now: Date = new Date()): OwnPeriod[] {
  const day = (d: Date) => localDay(d);
  const monday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - ((now.getDay() + 6) % 7));
  const sunday = new Date(monday.getFullYear(), monday.getMonth(), monday.getDate() + 6);
  const first = new Date(now.getFullYear(), now.getMonth(), 1);
  const last = new Date(now.getFullYear(), now.getMonth() + 1, 0);
  return [
    { id: 'today', from: day(now), to: day(now) },
    { id: 'week', from: day(monday), to: day(sunday) },
    { id: 'month', from: day(first), to: day(last) },
  ];
}

/** The last `n` days up to and including today. */
export function lastDays(n: number, now: Date = new Date()): Period {
  const first = new Date(now.getFullYear(), now.getMonth(), now.getDate() - (n - 1));
  return { from: localDay(first), to: localDay(now) };
}
