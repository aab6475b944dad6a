import { describe, expect, it } from 'vitest';
import { lastDays, ownPeriods } from '../../src/shared/periods.ts';

describe('tally periods', () => {
  it('gives today, the Monday-to-Sunday week and the calendar month of a Sunday', () => {
    const [today, week, month] = ownPeriods(new Date(2025, 10, 30, 23, 0));
    expect(today).toEqual({ id: 'today', from: '2025-11-30', to: '2025-11-30' });
    expect(week).toEqual({ id: 'week', from: '2025-11-24', to: '2025-11-30' });
    expect(month).toEqual({ id: 'month', from: '2025-11-01', to: '2025-11-30' });
  });
  it('counts the last 30 days back across a month boundary', () => {
    expect(lastDays(30, new Date(2025, 2, 10))).toEqual({ from: '2025-02-09', to: '2025-03-10' });
  });
});
