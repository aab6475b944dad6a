// Report periods as Vietnamese reports count them: Monday weeks, calendar months and quarters,
// "9 tháng" from 1 January to 30 September, stepping between periods and the trend granularity.
import { describe, expect, it } from 'vitest';
import { isValidPeriod, periodDays, periodOf, shiftAnchor, trendUnit } from '../../src/shared/periods.ts';

describe('report periods', () => {
  it('puts 28/11/2026 in the fourth quarter, 01/10/2026 to 31/12/2026', () => {
    expect(periodOf('quarter', '2026-11-28')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
  });

  it('counts "9 tháng" from 1 January to 30 September of the anchor year', () => {
    expect(periodOf('nine_months', '2026-11-28')).toEqual({ from: '2026-01-01', to: '2026-09-30' });
    expect(periodOf('nine_months', '2026-03-02')).toEqual({ from: '2026-01-01', to: '2026-09-30' });
  });

  it('starts a week on Monday and ends it on Sunday, across a month end', () => {
    // 28/11/2026 is a Saturday.
    expect(periodOf('week', '2026-11-28')).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(periodOf('week', '2026-11-30')).toEqual({ from: '2026-11-30', to: '2026-12-06' });
    expect(periodOf('week', '2026-11-29')).toEqual({ from: '2026-11-23', to: '2026-11-29' });
  });

  it('gives a month its real last day, February of a leap year included', () => {
    expect(periodOf('month', '2028-02-10')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(periodOf('month', '2026-02-10')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(periodOf('year', '2026-11-28')).toEqual({ from: '2026-01-01', to: '2026-12-31' });
  });

  it('steps to the previous month from the 31st without skipping a short month', () => {
    const anchor = shiftAnchor('month', '2026-03-31', -1);
    expect(periodOf('month', anchor)).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(periodOf('quarter', shiftAnchor('quarter', '2026-11-28', 1))).toEqual({
      from: '2027-01-01',
      to: '2027-03-31',
    });
    expect(periodOf('week', shiftAnchor('week', '2026-11-28', -1)).from).toBe('2026-11-16');
  });

  it('shifts a custom range by its own length', () => {
    const custom = { from: '2026-11-01', to: '2026-11-10' };
    expect(periodDays(custom)).toBe(10);
    expect(shiftAnchor('custom', custom.from, 1, custom)).toBe('2026-11-11');
  });

  it('refuses a custom range that ends before it starts or is not a real day', () => {
    expect(isValidPeriod({ from: '2026-11-10', to: '2026-11-01' })).toBe(false);
    expect(isValidPeriod({ from: '2026-02-30', to: '2026-03-01' })).toBe(false);
    expect(isValidPeriod({ from: '2026-11-01', to: '2026-11-01' })).toBe(true);
  });

  it('draws the trend by day for a month, by week for a quarter and by month for 9 months', () => {
    expect(trendUnit(periodOf('month', '2026-11-28'))).toBe('day');
    expect(trendUnit(periodOf('quarter', '2026-11-28'))).toBe('week');
    expect(trendUnit(periodOf('nine_months', '2026-11-28'))).toBe('month');
  });
});
