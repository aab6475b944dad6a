// Group sessions on the dashboard and on paper (docs/reporting.md, "Group sessions"): a section of
// their own after individual assistance, every figure read back from the DOM equal to the report's
// answer; their targets shown with them; the admin sets one without an outcome; a report from a
// server older than sessions shows no section and nothing else changes.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import DashboardScreen from '../../src/app/ui/dashboard/DashboardScreen.svelte';
import PrintReport from '../../src/app/ui/dashboard/PrintReport.svelte';
import {
  formatProgressVi,
  percentOf,
  type ReportSummary,
  type ReportTarget,
} from '../../src/shared/index.ts';
import { makeReportSessions, makeReportSummary } from '../support/report-summary.ts';
import { HAMLETS, json } from './support/fake-server.ts';
import { reportingServer } from './support/reporting-server.ts';

const TODAY = '2026-11-28';

function sessionTarget(category: 'group_sessions' | 'group_attendees', target: number): ReportTarget {
  const achieved = category === 'group_sessions' ? 9 : 213;
  return {
    id: `tg-${category}`,
    period: { from: '2026-10-01', to: '2026-12-31' },
    category,
    outcome: null,
    hamletId: null,
    teamId: null,
    label: null,
    target,
    achieved,
    percent: percentOf(achieved, target),
    text: formatProgressVi(achieved, target),
    scope: { kind: 'commune', id: '26734', label: 'Toàn xã' },
  };
}

function withSessions(): ReportSummary {
  const summary = makeReportSummary();
  return {
    ...summary,
    sessions: makeReportSessions(),
    targets: [...summary.targets, sessionTarget('group_sessions', 12), sessionTarget('group_attendees', 300)],
  };
}

const cellText = (el: Element | null | undefined): string =>
  (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
const num = (el: Element | null | undefined): number => Number(cellText(el).replace(/\./g, ''));

describe('group sessions on the dashboard', { timeout: 20_000 }, () => {
  function renderAs(role: 'lead' | 'supervisor' | 'admin', fetchImpl: typeof fetch) {
    return render(DashboardScreen, {
      props: { token: 'tok-0123456789abcdef', role, hamlets: HAMLETS, fetch: fetchImpl, today: TODAY },
    });
  }

  it('shows sessions and attendees apart, compared, by topic, hamlet and team, with their targets', async () => {
    const summary = withSessions();
    const server = reportingServer({ summary });
    const { container } = renderAs('supervisor', server.fetch);
    await waitFor(
      () =>
        expect(
          container.querySelector('.screen [data-sessions-panel]'),
          container.querySelector('.screen')?.textContent ?? '',
        ).toBeTruthy(),
      { timeout: 4000 },
    );
    const panel = container.querySelector<HTMLElement>('.screen [data-sessions-panel]')!;
    expect(cellText(panel.querySelector('h3'))).toBe('Buổi sinh hoạt nhóm');

    const totals = panel.querySelector('[data-sessions-totals]')!;
    expect(num(totals.querySelector('[data-row="sessions"] [data-count]'))).toBe(9);
    expect(num(totals.querySelector('[data-row="attendees"] [data-count]'))).toBe(213);
    expect(cellText(totals.querySelector('[data-row="sessions"] [data-compare="previous"]'))).toBe('6+3');
    expect(cellText(panel.querySelector('[data-sessions-rejected]'))).toContain(
      '1 buổi bị từ chối khi duyệt',
    );

    const s = summary.sessions!;
    for (const [name, rows] of [
      ['topic', s.byTopic],
      ['hamlet', s.byHamlet],
      ['team', s.byTeam],
    ] as const) {
      const table = panel.querySelector(`[data-sessions-by="${name}"]`)!;
      const shown = [...table.querySelectorAll('tbody tr')].map((tr) => [
        cellText(tr.querySelector('th')),
        num(tr.querySelector('[data-sessions]')),
        num(tr.querySelector('[data-attendees]')),
      ]);
      expect(shown).toEqual(rows.map((r) => [r.label, r.sessions, r.attendees]));
      expect(shown.reduce((n, r) => n + Number(r[1]), 0)).toBe(s.totals.current.sessions);
      expect(shown.reduce((n, r) => n + Number(r[2]), 0)).toBe(s.totals.current.attendees);
    }
    const grid = panel.querySelector('[data-attendance]')!;
    expect(num(grid.querySelector('[data-sex="female"] [data-total]'))).toBe(8 + 22 + 45 + 33);
    expect(num(grid.querySelector('tfoot [data-total]'))).toBe(213);

    // Their targets are with them, named in words; the records' list keeps its own.
    const targets = [...panel.querySelectorAll('[data-target]')].map((li) => [
      cellText(li.querySelector('.name')),
      cellText(li.querySelector('.text')),
    ]);
    expect(targets).toEqual([
      ['Số buổi sinh hoạt nhóm', '9/12, đạt 75,00 %'],
      ['Số lượt người tham dự', '213/300, đạt 71,00 %'],
    ]);
    const recordsTargets = container.querySelector('section[aria-labelledby="dash-targets"]')!;
    expect(
      [...recordsTargets.querySelectorAll('[data-target]')].map((li) => li.getAttribute('data-target')),
    ).toEqual(['tg-1']);
  });

  it('shows no sessions section for a report from a server older than sessions', async () => {
    const summary = makeReportSummary();
    const server = reportingServer({ summary });
    const { container } = renderAs('lead', server.fetch);
    await waitFor(() => expect(container.querySelector('[data-target="tg-1"]')).toBeTruthy());
    expect(container.querySelector('[data-sessions-panel]')).toBeNull();
  });

  it('downloads the sessions CSV of the period with the token', async () => {
    const server = reportingServer({
      summary: withSessions(),
      routes: [
        (url) =>
          url.pathname === '/api/v1/export/sessions.csv'
            ? new Response('\uFEFFNgày tổ chức\r\n', {
                status: 200,
                headers: {
                  'content-type': 'text/csv; charset=utf-8',
                  'content-disposition':
                    'attachment; filename="buoi-sinh-hoat-nhom-2026-11-01-2026-11-30.csv"',
                },
              })
            : undefined,
      ],
    });
    renderAs('supervisor', server.fetch);
    await fireEvent.click(screen.getByRole('button', { name: 'Xuất buổi sinh hoạt nhóm (CSV)' }));
    await waitFor(() =>
      expect(screen.getByText('buoi-sinh-hoat-nhom-2026-11-01-2026-11-30.csv')).toBeTruthy(),
    );
    const asked = server.asked('/api/v1/export/sessions.csv');
    expect(asked).toHaveLength(1);
    expect(asked[0]!.url.search).toBe('?from=2026-11-01&to=2026-11-30');
    expect(asked[0]!.auth).toBe('Bearer tok-0123456789abcdef');
    expect(server.asked('/api/v1/export/logs.csv')).toHaveLength(0);
  });

  it('lets an admin set a target on attendees, with no outcome', async () => {
    const server = reportingServer({
      summary: withSessions(),
      routes: [
        (url, init) => {
          if (url.pathname !== '/api/v1/targets' || init?.method !== 'PUT') return undefined;
          const body = JSON.parse(String(init.body)) as Record<string, unknown>;
          return json(200, { target: { id: 'tg-x', label: null, ...body } });
        },
      ],
    });
    renderAs('admin', server.fetch);
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Đặt chỉ tiêu' })).toBeTruthy());
    const category = screen.getByLabelText('Loại hỗ trợ') as HTMLSelectElement;
    const group = category.querySelector('optgroup[label="Buổi sinh hoạt nhóm"]')!;
    expect([...group.querySelectorAll('option')].map((o) => o.textContent)).toEqual([
      'Số buổi sinh hoạt nhóm',
      'Số lượt người tham dự',
    ]);
    expect(screen.getByLabelText('Kết quả')).toBeTruthy();
    await fireEvent.change(category, { target: { value: 'group_attendees' } });
    await waitFor(() => expect(screen.queryByLabelText('Kết quả')).toBeNull());
    await fireEvent.input(screen.getByLabelText('Chỉ tiêu'), { target: { value: '500' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Lưu chỉ tiêu' }));
    await waitFor(() => expect(server.seen.some((x) => x.method === 'PUT')).toBe(true));
    expect(server.seen.find((x) => x.method === 'PUT')!.body).toMatchObject({
      category: 'group_attendees',
      outcome: null,
      target: 500,
    });
  });
});

describe('group sessions in the printed report', () => {
  function print(summary: ReportSummary): HTMLElement {
    const { container } = render(PrintReport, {
      props: { summary, communeName: 'Xã An Bình', today: '2026-12-01' },
    });
    return container.querySelector<HTMLElement>('[data-print-report]')!;
  }

  it('prints a section of its own after individual assistance, figures equal to the report', () => {
    const summary = withSessions();
    const report = print(summary);
    const order = [...report.querySelectorAll('[data-section]')].map((el) => el.getAttribute('data-section'));
    expect(order.indexOf('sessions')).toBe(order.indexOf('teams') + 1);
    expect(order.indexOf('targets')).toBe(order.indexOf('sessions') + 1);
    const section = report.querySelector<HTMLElement>('[data-section="sessions"]')!;
    expect(cellText(section.querySelector('h2'))).toBe('VI. BUỔI SINH HOẠT NHÓM');
    expect(cellText(report.querySelector('[data-section="targets"] h2'))).toBe(
      'VII. TIẾN ĐỘ THỰC HIỆN CHỈ TIÊU',
    );
    expect(cellText(section.querySelector('[data-sessions-summary]'))).toContain(
      'tổ chức 9 buổi sinh hoạt nhóm với 213 lượt người tham dự',
    );
    expect(cellText(section.querySelector('[data-sessions-rejected]'))).toContain('1 buổi');
    const totals = section.querySelector('[data-sessions-totals]')!;
    expect(num(totals.querySelector('[data-row="sessions"] [data-current]'))).toBe(9);
    expect(num(totals.querySelector('[data-row="attendees"] [data-current]'))).toBe(213);

    const s = summary.sessions!;
    for (const [name, rows] of [
      ['topic', s.byTopic],
      ['hamlet', s.byHamlet],
    ] as const) {
      const table = section.querySelector(`[data-sessions-by="${name}"]`)!;
      const shown = [...table.querySelectorAll('tbody tr[data-row]')].map((tr) => [
        cellText(tr.querySelector('th')),
        num(tr.querySelector('[data-sessions]')),
        num(tr.querySelector('[data-attendees]')),
      ]);
      expect(shown).toEqual(rows.map((r) => [r.label, r.sessions, r.attendees]));
      const total = table.querySelector('[data-total-row]')!;
      expect(num(total.querySelector('[data-sessions]'))).toBe(9);
      expect(num(total.querySelector('[data-attendees]'))).toBe(213);
    }
    const grid = section.querySelector('[data-attendance]')!;
    expect([...grid.querySelectorAll('thead th')].map(cellText)).toEqual([
      'Giới tính',
      'Dưới 14 tuổi',
      '14–17 tuổi',
      '18–59 tuổi',
      'Từ 60 tuổi',
      'Tổng cộng',
    ]);
    expect([...grid.querySelectorAll('[data-sex="male"] td')].map(num)).toEqual([10, 20, 40, 35, 105]);
    expect(num(grid.querySelector('[data-total-row] [data-total]'))).toBe(213);

    // Individual assistance is printed as it was: no session added into it.
    const recordsTotals = report.querySelector('[data-section="totals"]')!;
    expect(recordsTotals.textContent).toContain(String(summary.totals.current.count));
    expect(recordsTotals.textContent).not.toContain('buổi');
    // Session targets are named in words among the targets.
    expect(report.querySelector('[data-section="targets"]')!.textContent).toContain('Số lượt người tham dự');
  });

  it('prints no sessions section without sessions, and the targets keep their number', () => {
    const report = print(makeReportSummary());
    expect(report.querySelector('[data-section="sessions"]')).toBeNull();
    expect(cellText(report.querySelector('[data-section="targets"] h2'))).toBe(
      'VI. TIẾN ĐỘ THỰC HIỆN CHỈ TIÊU',
    );
  });
});
