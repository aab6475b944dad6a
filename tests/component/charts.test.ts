// The dashboard's charts keep one height and the container's width whatever the period (a week of
// days to a year of days), thin their bucket labels so none overlaps, end their value axis on a
// round number, keep long labels whole, and put every figure in a table behind the drawing.
import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { labelWidthPx } from '../../src/app/dashboard/axis.ts';
import type { Bar } from '../../src/app/dashboard/report.ts';
import BarChart from '../../src/app/ui/dashboard/BarChart.svelte';
import TrendChart from '../../src/app/ui/dashboard/TrendChart.svelte';
import { axeViolations, shellFrame } from './support/axe.ts';

/** `count` consecutive days from 1 Jan 2026, with counts that vary (some zero). */
function days(count: number): Bar[] {
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10);
    return { key: d, label: `${d.slice(8, 10)}/${d.slice(5, 7)}`, value: (i * 7919) % 13 };
  });
}

function pctOf(style: string): number {
  return Number(style.replace('%', ''));
}

describe('trend chart', () => {
  it.each([7, 31, 92, 273, 365])('keeps one height and thins the labels of %i buckets', (n) => {
    const bars = days(n);
    const { container } = render(TrendChart, { props: { bars, unit: 'day' } });
    const chart = container.querySelector<HTMLElement>('[data-chart="trend"]')!;

    const plot = chart.querySelector<HTMLElement>('[data-plot]')!;
    expect(plot.style.height).toBe('176px');
    // Nothing is sized in pixels sideways: the chart takes its container's width.
    for (const el of chart.querySelectorAll<HTMLElement>('[style]'))
      expect(el.style.width).not.toMatch(/px$/);
    expect(chart.querySelector('svg')).toBeNull();

    const buckets = [...chart.querySelectorAll('[data-bucket]')];
    expect(buckets.map((b) => b.getAttribute('data-bucket'))).toEqual(bars.map((b) => b.key));
    expect(buckets.map((b) => Number(b.getAttribute('data-value')))).toEqual(bars.map((b) => b.value));

    // Labels: the first bucket's, then evenly spaced, side by side without touching, all inside.
    const labels = [...chart.querySelectorAll<HTMLElement>('[data-label]')];
    const fits = Math.floor(250 / labelWidthPx(5));
    expect(labels.length).toBeGreaterThanOrEqual(Math.min(n, 2));
    expect(labels.length).toBeLessThanOrEqual(fits);
    expect(labels[0]!.getAttribute('data-label')).toBe(bars[0]!.key);
    expect(labels[0]!.textContent).toBe(bars[0]!.label);
    for (const [i, l] of labels.entries()) {
      const left = pctOf(l.style.left);
      const right = left + pctOf(l.style.width);
      expect(left).toBeGreaterThanOrEqual(0);
      expect(right).toBeLessThanOrEqual(100.0001);
      const next = labels[i + 1];
      if (next) expect(right).toBeLessThanOrEqual(pctOf(next.style.left) + 0.0001);
    }
    if (n > fits) expect(labels.length).toBeLessThan(n);

    // The value axis: 0 to a round number at or above the largest count.
    const ticks = [...chart.querySelectorAll('[data-tick]')].map((t) => Number(t.getAttribute('data-tick')));
    expect(ticks[0]).toBe(0);
    expect(ticks.at(-1)).toBeGreaterThanOrEqual(Math.max(...bars.map((b) => b.value)));

    // The table behind the chart holds every bucket's count.
    const table = chart.querySelector('details table')!;
    expect(chart.querySelector('details summary')!.textContent).toBe('Xem bảng số liệu');
    expect(table.querySelector('caption')!.textContent).toBe('Diễn biến theo thời gian (theo ngày)');
    const rows = [...table.querySelectorAll('tbody tr')];
    expect(rows.map((r) => r.querySelector('th')!.textContent)).toEqual(bars.map((b) => b.label));
    expect(rows.map((r) => r.querySelector('td')!.textContent)).toEqual(bars.map((b) => String(b.value)));
  });

  it('sets its text at 0.875rem (14 px) and writes counts above the columns only when they fit', () => {
    const few = render(TrendChart, {
      props: { bars: [{ key: '2026-Q1', label: 'Q1/2026', value: 1234 }], unit: 'quarter' },
    }).container;
    expect(few.querySelector('[data-bucket="2026-Q1"]')!.textContent).toContain('1.234');
    const frame = few.querySelector<HTMLElement>('[data-chart="trend"] [role="img"]')!;
    expect(getComputedStyle(frame).fontSize).toBe('0.875rem');

    const many = render(TrendChart, { props: { bars: days(92), unit: 'day' } }).container;
    expect(many.querySelector('[data-bucket="2026-01-02"]')!.textContent!.trim()).toBe('');
  });
});

describe('bar chart', () => {
  const long = 'Liên thông khai sinh – thường trú – thẻ BHYT trẻ dưới 6 tuổi';
  const bars: Bar[] = [
    { key: 'XA-04', label: long, value: 37 },
    { key: 'XA-01', label: 'Đăng ký khai sinh', value: 3 },
    { key: 'XA-02', label: 'Đăng ký khai tử', value: 0 },
  ];

  it('keeps labels whole, scales bars to a round axis and tables its figures', () => {
    const { container } = render(BarChart, { props: { title: 'Theo dịch vụ', bars, name: 'service' } });
    const chart = container.querySelector('[data-chart="service"]')!;
    const row = chart.querySelector<HTMLElement>('[data-bar="XA-04"]')!;
    expect(row.getAttribute('data-value')).toBe('37');
    expect(row.querySelector('.label')!.textContent).toBe(long);
    expect(getComputedStyle(row.querySelector('.label')!).overflowWrap).toBe('anywhere');

    const ticks = [...chart.querySelectorAll('[data-tick]')].map((t) => Number(t.getAttribute('data-tick')));
    expect(ticks).toEqual([0, 10, 20, 30, 40]);
    const width = (key: string) => chart.querySelector<HTMLElement>(`[data-bar="${key}"] .fill`)!.style.width;
    expect(width('XA-04')).toBe('92.5%');
    expect(width('XA-01')).toBe('7.5%');
    expect(width('XA-02')).toBe('0%');

    const rows = [...chart.querySelectorAll('details table tbody tr')].map((r) => r.textContent);
    expect(rows).toEqual([`${long}37`, 'Đăng ký khai sinh3', 'Đăng ký khai tử0']);
    expect(chart.querySelector('details caption')!.textContent).toBe('Theo dịch vụ');
  });

  it('numbers every other tick when five-digit ticks would not fit side by side', () => {
    const { container } = render(BarChart, {
      props: {
        title: 'Theo thôn/ấp',
        bars: [{ key: 'h', label: 'Thôn Đông', value: 12_345 }],
        name: 'hamlet',
      },
    });
    const ticks = [...container.querySelectorAll('[data-tick]')].map((t) => t.textContent);
    expect(ticks).toEqual(['0', '10.000']);
    expect(container.querySelector<HTMLElement>('.fill')!.style.width).toBe('82.3%');
  });

  it('has no axe violation, with the tables behind both charts open', async () => {
    const target = shellFrame();
    render(BarChart, { target, props: { title: 'Theo dịch vụ', bars, name: 'service' } });
    render(TrendChart, { target, props: { bars: days(31), unit: 'day' } });
    for (const d of document.querySelectorAll('details')) d.open = true;
    expect(await axeViolations()).toEqual([]);
  });

  it('says there is no figure when it has no bar', () => {
    const { container } = render(BarChart, { props: { title: 'Theo thôn/ấp', bars: [], name: 'hamlet' } });
    expect(container.textContent).toContain('Chưa có số liệu trong kỳ.');
  });
});
