// The printout and the screen draw from one report answer: every figure both show (totals, refused
// records, hamlet × category cells, services and paid online, outcomes, fail reasons, teams,
// volunteers, targets) is read from the rendered dashboard and from the printout and must agree,
// for the whole commune, the Đề án 06 view and a team lead.
import { render, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import DashboardScreen from '../../src/app/ui/dashboard/DashboardScreen.svelte';
import { HAMLETS } from './support/fake-server.ts';
import type { SummaryOptions } from '../support/report-summary.ts';
import { reportingServer } from './support/reporting-server.ts';

/** "1.234" → 1234 */
function num(el: Element | null | undefined): number {
  const text = (el?.textContent ?? '').trim();
  expect(text, 'a figure').toMatch(/^\d{1,3}(\.\d{3})*$/);
  return Number(text.replace(/\./g, ''));
}

/** Figures by key from rows `rowSel` (key in `attr`), the figure in `cellSel`, within `root`. */
function figures(root: Element, rowSel: string, attr: string, cellSel: string): Map<string, number> {
  return new Map(
    [...root.querySelectorAll(rowSel)].map((r) => [
      r.getAttribute(attr) ?? '',
      num(r.querySelector(cellSel)),
    ]),
  );
}

async function both(role: 'supervisor' | 'lead', options: SummaryOptions) {
  const server = reportingServer({ options });
  const { container } = render(DashboardScreen, {
    props: {
      token: 'tok-0123456789abcdef',
      role,
      hamlets: HAMLETS,
      fetch: server.fetch,
      communeName: 'Xã Thử Nghiệm',
      today: '2026-11-28',
    },
  });
  await waitFor(() =>
    expect(container.querySelector('[data-print-report] [data-section="targets"]')).toBeTruthy(),
  );
  await waitFor(() => expect(container.querySelector('[data-total="count"]')).toBeTruthy());
  const report = container.querySelector('[data-print-report]')!;
  const screen = container.querySelector('.screen') ?? container;
  return { screen, report, summary: server.summary };
}

describe('printout equals the screen', () => {
  it.each([
    ['the whole commune', 'supervisor', {}],
    ['the Đề án 06 view', 'supervisor', { view: 'de_an_06' }],
    ['a team lead', 'lead', { scope: { kind: 'team', id: 't-1', label: 'Tổ CNS số 1' } }],
  ] as const)('for %s', async (_, role, options) => {
    const { screen, report } = await both(role, options as SummaryOptions);
    const section = (name: string) => report.querySelector(`[data-section="${name}"]`)!;

    expect(num(screen.querySelector('[data-total="count"] dd'))).toBe(
      num(section('totals').querySelector('[data-row="count"] [data-current]')),
    );
    expect(num(screen.querySelector('[data-total="citizens"] dd'))).toBe(
      num(section('totals').querySelector('[data-row="citizens"] [data-current]')),
    );
    const rejected = Number(screen.querySelector('[data-rejected]')?.getAttribute('data-rejected') ?? 0);
    expect(rejected).toBe(num(section('totals').querySelector('[data-row="rejected"] [data-current]')));

    // Hamlet × category cells shown on both.
    const printed = section('hamlets');
    for (const row of screen.querySelectorAll('[data-table="hamlet-category"] tr[data-hamlet]')) {
      const hamlet = row.getAttribute('data-hamlet');
      const target = printed.querySelector(`tr[data-hamlet="${hamlet}"]`)!;
      const columns = [...printed.querySelectorAll('thead th')].map((th) => th.getAttribute('data-category'));
      for (const cell of row.querySelectorAll('td[data-category]')) {
        const col = columns.indexOf(cell.getAttribute('data-category'));
        expect(col, `column ${cell.getAttribute('data-category')}`).toBeGreaterThan(0);
        expect(num(cell.querySelector('button') ?? cell)).toBe(num(target.children[col]));
      }
    }

    const pairs: [string, string, string, string, string][] = [
      [
        '[data-table="services"] tr[data-service]',
        '[data-section="services"] tr[data-service]',
        'data-service',
        '[data-count]',
        '[data-current]',
      ],
      [
        '[data-table="services"] tr[data-service]',
        '[data-section="services"] tr[data-service]',
        'data-service',
        '[data-paid]',
        '[data-paid]',
      ],
      [
        '[data-table="outcomes"] tr[data-outcome]',
        '[data-section="outcomes"] tr[data-outcome]',
        'data-outcome',
        '[data-count]',
        '[data-current]',
      ],
      [
        '[data-table="fail-reasons"] tr[data-reason]',
        '[data-section="outcomes"] tr[data-reason]',
        'data-reason',
        '[data-count]',
        '[data-current]',
      ],
      [
        '[data-table="teams"] tr[data-team]',
        '[data-section="teams"] tr[data-team]',
        'data-team',
        '[data-count]',
        '[data-current]',
      ],
      [
        '[data-table="volunteers"] tr[data-volunteer]',
        '[data-section="teams"] tr[data-volunteer]',
        'data-volunteer',
        '[data-count]',
        '[data-current]',
      ],
      [
        '[data-table="volunteers"] tr[data-volunteer]',
        '[data-section="teams"] tr[data-volunteer]',
        'data-volunteer',
        '[data-rank]',
        '[data-rank]',
      ],
    ];
    for (const [onScreen, inPrint, attr, screenCell, printCell] of pairs) {
      const a = figures(screen, onScreen, attr, screenCell);
      expect(a.size, onScreen).toBeGreaterThan(0);
      expect(figures(report, inPrint, attr, printCell), onScreen).toEqual(a);
    }

    const targets = (root: Element, sel: string, text: string) =>
      [...root.querySelectorAll(sel)].map((t) => t.querySelector(text)!.textContent!.trim());
    expect(targets(report, 'tr[data-target]', '[data-progress]')).toEqual(
      targets(screen, 'li[data-target]', '.text'),
    );
    expect(targets(report, 'tr[data-target]', '[data-scope]')).toEqual(
      [...screen.querySelectorAll('li[data-target]')].map((li) =>
        li
          .querySelector('.scope')!
          .textContent!.trim()
          .replace(/^.*?:\s*/, ''),
      ),
    );
  });
});
