// The charts' axis maths: round axis ends with a few ticks, and bucket labels thinned so that at
// any width and any number of buckets (a week of days to a year of days) none overlaps or is cut.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { labelStep, labelWidthPx, niceStep, placeLabels, valueAxis } from '../../src/app/dashboard/axis.ts';

describe('value axis', () => {
  it('rounds steps up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 0.4, 1, 1.2, 2.5, 3, 7, 11, 240, 260, 999].map(niceStep)).toEqual([
      1, 1, 1, 2, 5, 5, 10, 20, 500, 500, 1000,
    ]);
  });

  it('ends on a round number at or above the largest value with at most five ticks', () => {
    expect(valueAxis(37)).toEqual({ top: 40, ticks: [0, 10, 20, 30, 40] });
    expect(valueAxis(3)).toEqual({ top: 3, ticks: [0, 1, 2, 3] });
    expect(valueAxis(0)).toEqual({ top: 1, ticks: [0, 1] });
    expect(valueAxis(1234)).toEqual({ top: 1500, ticks: [0, 500, 1000, 1500] });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), (max) => {
        const { top, ticks } = valueAxis(max);
        expect(top).toBeGreaterThanOrEqual(max);
        expect(ticks[0]).toBe(0);
        expect(ticks.at(-1)).toBe(top);
        expect(ticks.length).toBeGreaterThanOrEqual(2);
        expect(ticks.length).toBeLessThanOrEqual(5);
        // The top is never more than one step above what a round step needs.
        if (max > 0) expect(top - max).toBeLessThan(ticks[1]!);
      }),
    );
  });
});

describe('bucket labels', () => {
  it('labels every bucket when they fit and thins a month of days on a 320 px phone', () => {
    const px = labelWidthPx(5);
    expect(labelStep(4, 1000, px)).toBe(1);
    expect(labelStep(7, 288, px)).toBe(2);
    expect(labelStep(31, 288, px)).toBe(9);
    expect(placeLabels(31, 288, px).map((l) => l.index)).toEqual([0, 9, 18, 27]);
  });

  it('never overlaps or leaves the chart, for 1 to 400 buckets at 200 to 1,600 px', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 200, max: 1600 }),
        fc.integer({ min: 3, max: 9 }),
        (count, width, chars) => {
          const px = labelWidthPx(chars);
          const placed = placeLabels(count, width, px);
          expect(placed[0]!.index).toBe(0);
          // Thinned, but never down to fewer than half of what fits.
          expect(placed.length).toBeGreaterThanOrEqual(
            Math.min(count, Math.max(1, Math.floor(width / px / 2))),
          );
          for (const [i, l] of placed.entries()) {
            expect(l.left).toBeGreaterThanOrEqual(0);
            expect(l.left + l.width).toBeLessThanOrEqual(100 + 1e-9);
            const next = placed[i + 1];
            if (next) expect(l.left + l.width).toBeLessThanOrEqual(next.left + 1e-9);
          }
        },
      ),
    );
  });
});
