// Calendar periods of the own tallies: today, this week (Monday to Sunday) and this month, as
// inclusive `YYYY-MM-DD` ranges in the device's local time.
import { localDay } from '../../shared/index.ts';

export type PeriodId = 'today' | 'week' | 'month';
export interface Period {
  id: PeriodId;
  from: string;
  to: string;
}

export function periods(now: Date = new Date()): Period[] {
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
export function lastDays(n: number, now: Date = new Date()): { from: string; to: string } {
  const first = new Date(now.getFullYear(), now.getMonth(), now.getDate() - (n - 1));
  return { from: localDay(first), to: localDay(now) };
}
