// The "Tổng hợp" dashboard against a fake reporting server: one report answer per period and view
// draws every figure (totals with comparisons, charts, the hamlet × category table, services,
// outcomes, teams, volunteers, targets), the trend comes from /tallies, the title names whose
// figures they are, refused records are stated apart, and a figure shown twice is the same figure.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import DashboardScreen from '../../src/app/ui/dashboard/DashboardScreen.svelte';
import {
  CATEGORIES,
  COUNTED_DEFINITION_VI,
  FAIL_REASONS,
  OUTCOMES,
  SERVICE_CATALOGUE,
  type ReportSummary,
} from '../../src/shared/index.ts';
import { makeReportSummary } from '../support/report-summary.ts';
import { HAMLETS, json } from './support/fake-server.ts';
import { printed } from './support/print-stub.ts';
import { reportingServer, type Route } from './support/reporting-server.ts';

vi.mock('../../src/app/ui/dashboard/PrintReport.svelte', () => import('./support/print-stub.ts'));

const TOKEN = 'tok-supervisor-0123456789';
const TODAY = '2026-11-28';

const HTML = () =>
  new Response('<html><body>Wi-Fi login</body></html>', {
    status: 200,
    headers: { 'content-type': 'text/html' },
  });

function renderDashboard(fetchImpl: typeof fetch, role: 'lead' | 'supervisor' | 'admin' = 'supervisor') {
  return render(DashboardScreen, {
    props: {
      token: TOKEN,
      role,
      hamlets: HAMLETS,
      fetch: fetchImpl,
      communeName: 'Xã Thử Nghiệm',
      today: TODAY,
    },
  });
}

async function ready(container: HTMLElement): Promise<void> {
  await waitFor(() => expect(container.querySelector('[data-total="count"]')).toBeTruthy());
}

/** "1.234" → 1234 */
const num = (el: Element | null | undefined): number => {
  expect(el, 'a figure is missing').toBeTruthy();
  return Number(el!.textContent!.replace(/\./g, '').replace(/[^\d-]/g, ''));
};
const nums = (els: Iterable<Element>): number[] => [...els].map((e) => num(e));
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const attrValues = (container: HTMLElement, selector: string) =>
  [...container.querySelectorAll(selector)].map((e) => Number(e.getAttribute('data-value')));

describe('dashboard', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    printed.length = 0;
  });

  it('asks one report for the period with the token and draws totals, bars and the trend', async () => {
    const server = reportingServer();
    const s = server.summary;
    const { container } = renderDashboard(server.fetch);
    await ready(container);

    const reports = server.asked('/api/v1/report');
    expect(reports).toHaveLength(1);
    expect(reports[0]!.auth).toBe(`Bearer ${TOKEN}`);
    expect(reports[0]!.url.searchParams.get('from')).toBe('2026-11-01');
    expect(reports[0]!.url.searchParams.get('to')).toBe('2026-11-30');
    expect(reports[0]!.url.searchParams.has('view')).toBe(false);
    expect(server.asked('/api/v1/targets')).toHaveLength(0);
    const tallies = server.asked('/api/v1/tallies');
    expect(tallies.map((t) => t.url.searchParams.get('groupBy'))).toEqual(['day']);

    expect(num(container.querySelector('[data-total="count"] dd'))).toBe(s.totals.current.count);
    expect(num(container.querySelector('[data-total="citizens"] dd'))).toBe(s.totals.current.citizens);
    expect(container.querySelector('[data-total="citizens"] dt')!.textContent).toBe(
      'Người dân (không trùng)',
    );
    expect(container.textContent).not.toContain('tối đa');
    const hamletA = container.querySelector('[data-chart="hamlet"] [data-bar="h-a"]')!;
    expect(hamletA.getAttribute('data-value')).toBe('25');
    const canCuoc = s.categories.find((c) => c.category === 'can_cuoc')!.count.current;
    expect(
      container.querySelector('[data-chart="category"] [data-bar="can_cuoc"]')!.getAttribute('data-value'),
    ).toBe(String(canCuoc));
    const trend = container.querySelector('[data-chart="trend"]')!;
    expect(trend.getAttribute('data-unit')).toBe('day');
    expect(trend.querySelectorAll('[data-bucket]')).toHaveLength(30);
  });

  it('shows every figure that appears twice as the same figure', async () => {
    const server = reportingServer();
    const s = server.summary;
    const { container } = renderDashboard(server.fetch);
    await ready(container);
    await waitFor(() => expect(container.querySelector('[data-table="volunteers"]')).toBeTruthy());

    const total = num(container.querySelector('[data-total="count"] dd'));
    expect(total).toBe(s.totals.current.count);
    const table = container.querySelector('[data-table="hamlet-category"]')!;
    // The table's grand total, its row sums, its column sums and its cells.
    expect(num(table.querySelector('tfoot [data-total]'))).toBe(total);
    expect(sum(nums(table.querySelectorAll('tbody .sum')))).toBe(total);
    expect(sum(nums(table.querySelectorAll('tbody td[data-category]')))).toBe(total);
    const columnSums = nums([...table.querySelectorAll('tfoot td')].slice(0, -1));
    expect(sum(columnSums)).toBe(total);
    // The charts: by hamlet = the table's rows, by category = the table's columns, trend = the total.
    expect(attrValues(container, '[data-chart="hamlet"] [data-bar]')).toEqual(
      nums(table.querySelectorAll('tbody .sum')),
    );
    expect(attrValues(container, '[data-chart="category"] [data-bar]')).toEqual(columnSums);
    expect(sum(attrValues(container, '[data-chart="trend"] [data-bucket]'))).toBe(total);
    // The categories' comparison table: each current figure is its column's sum, the total too.
    const categories = container.querySelector('[data-table="categories"]')!;
    expect(num(categories.querySelector('tfoot [data-total]'))).toBe(total);
    const byCategory = nums(categories.querySelectorAll('tbody [data-count]')).filter((n) => n > 0);
    expect(byCategory).toEqual(columnSums);
    // Outcomes, teams, volunteers each add up to the total.
    const outcomes = container.querySelector('[data-table="outcomes"]')!;
    expect(sum(nums(outcomes.querySelectorAll('tbody [data-count]')))).toBe(total);
    expect(num(outcomes.querySelector('tfoot [data-total]'))).toBe(total);
    expect(sum(nums(container.querySelectorAll('[data-table="teams"] tbody [data-count]')))).toBe(total);
    expect(sum(nums(container.querySelectorAll('[data-table="volunteers"] tbody [data-count]')))).toBe(total);
    // Failed outcomes = the reasons' total.
    const failed = num(outcomes.querySelector('tr[data-outcome="failed"] [data-count]'));
    expect(num(container.querySelector('[data-table="fail-reasons"] tfoot [data-total]'))).toBe(failed);
    // Services: each agency's sum is its rows' sum; the paid-online share uses the same figures.
    const services = container.querySelector('[data-table="services"]')!;
    for (const group of services.querySelectorAll('tbody[data-agency]')) {
      const rows = group.querySelectorAll('tr[data-service]');
      const sumRow = group.querySelector('tr[data-group-sum]')!;
      expect(num(sumRow.querySelector('[data-count]'))).toBe(
        sum([...rows].map((r) => num(r.querySelector('[data-count]')))),
      );
      expect(num(sumRow.querySelector('[data-paid]'))).toBe(
        sum([...rows].map((r) => num(r.querySelector('[data-paid]')))),
      );
    }
    const withService = sum(nums(services.querySelectorAll('tr[data-group-sum] [data-count]')));
    const paid = sum(nums(services.querySelectorAll('tr[data-group-sum] [data-paid]')));
    expect(container.querySelector('[data-payment]')!.textContent).toContain(`${paid}/${withService}, đạt`);
  });

  it('names whose figures in the title: the commune for a supervisor, the team for a lead', async () => {
    const commune = reportingServer();
    const first = renderDashboard(commune.fetch);
    await ready(first.container);
    expect(screen.getByRole('heading', { level: 2 }).textContent!.trim()).toBe('Tổng hợp · Toàn xã');
    first.unmount();

    const team = reportingServer({
      options: { scope: { kind: 'team', id: 't-1', label: 'Tổ CNS số 1' } },
    });
    const { container } = renderDashboard(team.fetch, 'lead');
    await ready(container);
    expect(screen.getByRole('heading', { level: 2 }).textContent!.trim()).toBe('Tổng hợp · Tổ CNS số 1');
  });

  it('explains what counts and states the refused records apart, in one wording', async () => {
    const server = reportingServer();
    const { container } = renderDashboard(server.fetch);
    await ready(container);
    const details = container.querySelector('details.counted')!;
    expect(details.querySelector('summary')!.textContent).toBe('Cách tính số liệu');
    expect(details.textContent).toContain(COUNTED_DEFINITION_VI);

    const notes = [...container.querySelectorAll('[data-rejected]')];
    expect(notes.length).toBeGreaterThanOrEqual(2);
    for (const note of notes) {
      expect(note.getAttribute('data-rejected')).toBe('3');
      expect(note.textContent).toBe('Không tính vào tổng: 3 bản ghi bị từ chối khi duyệt (“Không duyệt”)');
    }
  });

  it('says nothing of refused records when there are none', async () => {
    const s = makeReportSummary();
    const summary: ReportSummary = {
      ...s,
      totals: { ...s.totals, current: { ...s.totals.current, rejected: 0 } },
    };
    const { container } = renderDashboard(reportingServer({ summary }).fetch);
    await ready(container);
    expect(container.querySelector('[data-rejected]')).toBeNull();
  });

  it('dates the figures when the period is not over and names the periods compared', async () => {
    const server = reportingServer({ options: { asOf: '2026-11-28' } });
    const { container } = renderDashboard(server.fetch);
    await ready(container);
    expect(container.querySelector('[data-as-of]')!.textContent).toBe('Số liệu tính đến ngày 28/11/2026');
    expect(container.querySelector('[data-period="previous"]')!.textContent).toBe(
      'Kỳ trước: 01/10–31/10/2026',
    );
    expect(container.querySelector('[data-period="lastYear"]')!.textContent).toBe(
      'Cùng kỳ năm trước: 01/11–30/11/2025',
    );
    const s = server.summary;
    const prev = container.querySelector('[data-total="count"] [data-compare="previous"]')!.textContent!;
    expect(prev.trim()).toBe(
      `Kỳ trước: ${s.totals.previous.count} (+${s.totals.current.count - s.totals.previous.count})`,
    );

    const closed = reportingServer();
    const again = renderDashboard(closed.fetch);
    await waitFor(() => expect(again.container.querySelector('[data-total="count"]')).toBeTruthy());
    expect(again.container.querySelector('[data-as-of]')).toBeNull();
  });

  it('lists the 25 services by agency with paid online, the previous period and last year', async () => {
    const server = reportingServer();
    const { container } = renderDashboard(server.fetch);
    await ready(container);
    const table = screen.getByRole('table', { name: 'Theo dịch vụ công thiết yếu' });
    expect(table.querySelectorAll('tr[data-service]')).toHaveLength(SERVICE_CATALOGUE.services.length);
    const groups = [...table.querySelectorAll('tbody[data-agency] tr.group th')].map((th) => th.textContent);
    expect(groups).toEqual(['Công an', 'UBND xã', 'Khác'].slice(0, groups.length));
    const first = SERVICE_CATALOGUE.services[0]!;
    const row = table.querySelector(`tr[data-service="${first.code}"]`)!;
    expect(row.querySelector('th')!.textContent).toBe(first.name);
    expect(row.querySelector('[data-count]')!.textContent).toBe('4');
    expect(row.querySelector('[data-paid]')!.textContent).toBe('2');
    expect(row.querySelector('[data-compare="previous"]')!.textContent).toBe('3+1');
    expect(row.querySelector('[data-compare="lastYear"]')!.textContent).toBe('0+4');
    expect(container.querySelector('[data-payment]')!.textContent!.trim()).toBe(
      'Thanh toán trực tuyến: 4/10, đạt 40,00 %',
    );
    expect(table.closest('[role="region"]')!.getAttribute('tabindex')).toBe('0');
  });

  it('shows outcomes and fail reasons by their Vietnamese names', async () => {
    const { container } = renderDashboard(reportingServer().fetch);
    await ready(container);
    const outcomes = screen.getByRole('table', { name: 'Theo kết quả' });
    expect([...outcomes.querySelectorAll('tbody th')].map((th) => th.textContent)).toEqual(
      OUTCOMES.map((o) => o.vi),
    );
    const reasons = screen.getByRole('table', { name: 'Lý do không thành công' });
    expect([...reasons.querySelectorAll('tbody th')].map((th) => th.textContent)).toEqual(
      FAIL_REASONS.map((r) => r.vi),
    );
    expect(
      reasons.querySelector(`tr[data-reason="${FAIL_REASONS[0]!.code}"] [data-count]`)!.textContent,
    ).toBe('1');
    expect(
      container.querySelector('[data-table="outcomes"] tr[data-outcome="done"] [data-compare="previous"]'),
    ).toBeTruthy();
  });

  it('ranks the volunteers for commendation with records per active day to one decimal', async () => {
    const server = reportingServer();
    const { container } = renderDashboard(server.fetch);
    await ready(container);
    const table = screen.getByRole('table', { name: 'Xếp hạng tình nguyện viên (đề xuất khen thưởng)' });
    const rows = [...table.querySelectorAll('tbody tr')];
    expect(rows.map((r) => r.querySelector('[data-rank]')!.textContent)).toEqual(['1', '2', '3']);
    const top = server.summary.volunteers[0]!;
    expect(rows[0]!.querySelector('th')!.textContent).toBe(top.name);
    expect(rows[0]!.textContent).toContain('Tổ CNS số 1');
    expect(rows[0]!.querySelector('[data-days]')!.textContent).toBe(String(top.activeDays));
    // 27 records over 6 active days.
    expect(rows[0]!.querySelector('[data-per-day]')!.textContent).toBe('4,5');
    expect(rows[1]!.querySelector('[data-per-day]')!.textContent).toBe('2,5');
    const teams = screen.getByRole('table', { name: 'Theo tổ' });
    expect([...teams.querySelectorAll('tbody th')].map((th) => th.textContent)).toEqual([
      'Tổ CNS số 1',
      'Tổ CNS số 2',
    ]);
    expect(teams.querySelector('tr[data-team="t-2"] [data-compare="previous"]')!.textContent).toBe('3+5');
    expect(container.querySelector('[data-table="teams"]')).toBeTruthy();
  });

  it('asks the Đề án 06 view of the report, the trend and the drill-downs', async () => {
    const server = reportingServer();
    const { container } = renderDashboard(server.fetch);
    await ready(container);

    server.setSummary(makeReportSummary({ view: 'de_an_06' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Đề án 06 (công an xã)' }));
    await waitFor(() => expect(server.asked('/api/v1/report')).toHaveLength(2));
    expect(server.asked('/api/v1/report')[1]!.url.searchParams.get('view')).toBe('de_an_06');
    await waitFor(() =>
      expect(server.asked('/api/v1/tallies').at(-1)!.url.searchParams.get('view')).toBe('de_an_06'),
    );
    await ready(container);
    await fireEvent.click(
      within(container.querySelector('tr[data-hamlet="h-a"]')!).getByRole('button', { name: 'Thôn Đông' }),
    );
    await waitFor(() =>
      expect(server.asked('/api/v1/tallies').at(-1)!.url.searchParams.get('groupBy')).toBe('volunteer'),
    );
    expect(server.asked('/api/v1/tallies').at(-1)!.url.searchParams.get('view')).toBe('de_an_06');
  });

  it('drills into a hamlet: asks the counts by volunteer for it and names the volunteers', async () => {
    const server = reportingServer({
      routes: [
        (url) =>
          url.searchParams.get('groupBy') === 'volunteer'
            ? json(200, {
                rows: [
                  { key: { volunteer: 'v-2' }, count: 5, citizens: 5 },
                  { key: { volunteer: 'v-1' }, count: 2, citizens: 2 },
                ],
                total: { count: 7, citizens: 7 },
              })
            : undefined,
      ],
    });
    const { container } = renderDashboard(server.fetch);
    await waitFor(() => expect(container.querySelector('tr[data-hamlet="h-a"]')).toBeTruthy());

    await fireEvent.click(
      within(container.querySelector('tr[data-hamlet="h-a"]')!).getByRole('button', { name: 'Thôn Đông' }),
    );

    const panel = await screen.findByRole('region', { name: 'Chi tiết theo tình nguyện viên: Thôn Đông' });
    await waitFor(() => expect(panel.querySelectorAll('tr[data-volunteer]')).toHaveLength(2));
    expect(panel.querySelector('tr[data-volunteer="v-2"]')!.textContent).toContain('Tình nguyện viên Hai');
    expect(panel.querySelector('tr[data-volunteer="v-2"] td')!.textContent).toBe('5');
    const drill = server
      .asked('/api/v1/tallies')
      .find((s) => s.url.searchParams.get('groupBy') === 'volunteer');
    expect(drill!.url.searchParams.get('hamlet')).toBe('h-a');
  });

  it('lists the targets from the report, each naming its own scope', async () => {
    const s = makeReportSummary();
    const team = {
      ...s.targets[0]!,
      id: 'tg-team',
      category: 'vneid_l2',
      outcome: 'done',
      teamId: 't-1',
      target: 800,
      achieved: 320,
      percent: 40,
      text: '320/800, đạt 40,00 %',
      scope: { kind: 'team' as const, id: 't-1', label: 'Tổ CNS số 1' },
    };
    const { container } = renderDashboard(
      reportingServer({ summary: { ...s, targets: [...s.targets, team] } }).fetch,
    );
    const row = await waitFor(() => {
      const el = container.querySelector('li[data-target="tg-team"]');
      expect(el).toBeTruthy();
      return el!;
    });
    expect(row.querySelector('.name')!.textContent).toBe('Kích hoạt VNeID mức 2 (Hoàn thành)');
    expect(row.querySelector('.scope')!.textContent).toBe('Phạm vi: Tổ CNS số 1');
    expect(row.querySelector('.text')!.textContent).toBe('320/800, đạt 40,00 %');
    expect(row.querySelector('progress')!.getAttribute('value')).toBe('320');
    expect(row.querySelector('progress')!.getAttribute('max')).toBe('800');
    const commune = container.querySelector('li[data-target="tg-1"]')!;
    expect(commune.querySelector('.scope')!.textContent).toBe('Phạm vi: Toàn xã');
    expect(commune.querySelector('.text')!.textContent).toBe(s.targets[0]!.text);
  });

  it('marks each volunteer "Đủ", "Thiếu N" or "Chưa báo cáo" in the reconciliation', async () => {
    const row = (volunteerId: string, over: Record<string, unknown>) => ({
      volunteerId,
      displayName: volunteerId,
      teamId: 't-1',
      deviceCount: 7,
      serverCount: 7,
      pendingAtLastContact: 0,
      lastContactAt: null,
      lastSyncedAt: null,
      complete: true,
      ...over,
    });
    const recon: Route = (url) =>
      url.pathname === '/api/v1/reconciliation'
        ? json(200, {
            from: '2026-11-01',
            to: '2026-11-30',
            rows: [
              row('u-an', {}),
              row('u-binh', { deviceCount: 8, serverCount: 5, pendingAtLastContact: 3, complete: false }),
              row('u-cuong', { deviceCount: null, pendingAtLastContact: null, complete: false }),
            ],
          })
        : undefined;
    const { container } = renderDashboard(reportingServer({ routes: [recon] }).fetch);
    await waitFor(() => expect(container.querySelectorAll('tr[data-mark]')).toHaveLength(3));
    const tr = (id: string) => container.querySelector(`tr[data-mark][data-volunteer="${id}"]`)!;
    expect(tr('u-an').querySelector('.mark')!.textContent).toContain('Đủ');
    expect(tr('u-binh').querySelector('.mark')!.textContent).toContain('Thiếu 3');
    expect(tr('u-cuong').querySelector('.mark')!.textContent).toContain('Chưa báo cáo');
    expect(screen.getByText('1/3 tình nguyện viên đủ số liệu')).toBeTruthy();
  });

  it('shows a Vietnamese error instead of numbers when a captive portal answers 200 HTML', async () => {
    const { container } = renderDashboard(reportingServer({ routes: [() => HTML()] }).fetch);
    await waitFor(() => expect(screen.getAllByRole('alert').length).toBeGreaterThan(0));
    expect(screen.getAllByRole('alert')[0]!.textContent).toBe(
      'Máy chủ trả lời không đúng định dạng (có thể mạng đang chặn). Vui lòng thử lại.',
    );
    expect(container.querySelector('[data-total="count"]')).toBeNull();
    expect(screen.getByRole('button', { name: 'Thử lại' })).toBeTruthy();
  });

  it('treats a report of the wrong shape as a failure, and the retry loads the numbers', async () => {
    let broken = true;
    const server = reportingServer({
      routes: [
        (url) => (broken && url.pathname === '/api/v1/report' ? json(200, { totals: 'nope' }) : undefined),
      ],
    });
    const { container } = renderDashboard(server.fetch);
    await screen.findByText(
      'Máy chủ trả lời không đúng định dạng (có thể mạng đang chặn). Vui lòng thử lại.',
    );
    expect(container.querySelector('[data-total="count"]')).toBeNull();

    broken = false;
    await fireEvent.click(screen.getByRole('button', { name: 'Thử lại' }));
    await waitFor(() =>
      expect(num(container.querySelector('[data-total="count"] dd'))).toBe(
        server.summary.totals.current.count,
      ),
    );
  });

  it('says the network is needed when the request never gets an answer', async () => {
    renderDashboard(async () => {
      throw new TypeError('Failed to fetch');
    });
    expect((await screen.findAllByText('Không có mạng. Cần kết nối để xem số liệu tổng hợp.')).length).toBe(
      2,
    );
  });

  it('asks the quarter when "Quý" is chosen and shows the range as dd/mm/yyyy', async () => {
    const server = reportingServer();
    const { container } = renderDashboard(server.fetch);
    await ready(container);

    await fireEvent.click(screen.getByRole('button', { name: 'Quý' }));

    expect(screen.getByText('Từ 01/10/2026 đến 31/12/2026')).toBeTruthy();
    await waitFor(() =>
      expect(server.asked('/api/v1/tallies').some((s) => s.url.searchParams.get('groupBy') === 'week')).toBe(
        true,
      ),
    );
    const report = server.asked('/api/v1/report').at(-1)!;
    expect([report.url.searchParams.get('from'), report.url.searchParams.get('to')]).toEqual([
      '2026-10-01',
      '2026-12-31',
    ]);
    await fireEvent.click(screen.getByRole('button', { name: 'Kỳ trước' }));
    expect(screen.getByText('Từ 01/07/2026 đến 30/09/2026')).toBeTruthy();
  });

  it('shows "Đang xuất…" while the CSV downloads with the token, then offers the file', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const server = reportingServer({
      routes: [
        async (url) => {
          if (url.pathname !== '/api/v1/export/logs.csv') return undefined;
          await gate;
          return new Response('id,occurredOn\n', {
            status: 200,
            headers: {
              'content-type': 'text/csv; charset=utf-8',
              'content-disposition': 'attachment; filename="so-tay-2026-11.csv"',
            },
          });
        },
      ],
    });
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    renderDashboard(server.fetch);
    await fireEvent.click(screen.getByRole('button', { name: 'Xuất CSV' }));

    await screen.findByText('Đang xuất…');
    expect((screen.getByRole('button', { name: 'Xuất CSV' }) as HTMLButtonElement).disabled).toBe(true);
    release();
    const link = await screen.findByRole('link', { name: 'so-tay-2026-11.csv' });
    expect(link.getAttribute('download')).toBe('so-tay-2026-11.csv');
    expect(link.getAttribute('href')).toMatch(/^blob:/);
    await waitFor(() => expect(clicked).toHaveBeenCalledTimes(1));
    const asked = server.asked('/api/v1/export/logs.csv')[0]!;
    expect(asked.auth).toBe(`Bearer ${TOKEN}`);
    expect(asked.url.searchParams.get('from')).toBe('2026-11-01');
  });

  it('refuses an HTML page served in place of the XLSX file', async () => {
    const server = reportingServer({
      routes: [(url) => (url.pathname === '/api/v1/export/logs.xlsx' ? HTML() : undefined)],
    });
    renderDashboard(server.fetch);
    await fireEvent.click(screen.getByRole('button', { name: 'Xuất Excel (XLSX)' }));
    await screen.findByText(/^Không xuất được tệp\. Máy chủ trả lời không đúng định dạng/);
    expect(screen.queryByRole('link')).toBeNull();
  });

  it('hands the printout the same report answer the screen shows, with the commune and the day', async () => {
    const server = reportingServer();
    const { container } = renderDashboard(server.fetch);
    await ready(container);
    await waitFor(() => expect(printed.length).toBeGreaterThan(0));
    const last = printed.at(-1)!;
    expect(last.summary).toEqual(server.summary);
    expect(last.communeName).toBe('Xã Thử Nghiệm');
    expect(last.today).toBe(TODAY);
  });

  it('shows no raw code of a category, outcome, reason, agency or service anywhere', async () => {
    const { container } = renderDashboard(reportingServer().fetch, 'admin');
    await ready(container);
    await waitFor(() => expect(container.querySelector('[data-table="volunteers"]')).toBeTruthy());
    // Visible text plus the names a screen reader reads.
    const named = [...container.querySelectorAll('[aria-label], [label], option')].map(
      (e) => `${e.getAttribute('aria-label') ?? ''} ${e.getAttribute('label') ?? ''}`,
    );
    const text = `${container.textContent} ${named.join(' ')}`;
    const codes = [
      ...CATEGORIES.map((c) => c.code),
      ...OUTCOMES.map((o) => o.code),
      ...FAIL_REASONS.map((r) => r.code),
      'police',
      'commune',
      ...SERVICE_CATALOGUE.services.map((sv) => sv.code),
    ];
    const leaks = codes.filter((code) =>
      new RegExp(`(^|[^\\p{L}\\p{N}_-])${code}($|[^\\p{L}\\p{N}_-])`, 'u').test(text),
    );
    expect(leaks).toEqual([]);
    expect(text).not.toMatch(/\b(undefined|null|NaN)\b/);
    // The check finds a code when one is there.
    expect(
      new RegExp(`(^|[^\\p{L}\\p{N}_-])digital_skills($|[^\\p{L}\\p{N}_-])`, 'u').test(
        'Loại: digital_skills',
      ),
    ).toBe(true);
  });

  it('puts every table in a focusable, named region that scrolls sideways on a 320 px phone', async () => {
    const { container } = renderDashboard(reportingServer().fetch);
    await ready(container);
    await waitFor(() => expect(container.querySelector('[data-table="volunteers"]')).toBeTruthy());
    // The charts' own data tables are the charts' business (charts.test.ts); these are the screen's.
    const tables = [...container.querySelectorAll('.screen table')].filter((t) => !t.closest('figure'));
    expect(tables.length).toBeGreaterThanOrEqual(6);
    for (const table of tables) {
      const region = table.closest('[role="region"]');
      expect(region, table.getAttribute('data-table') ?? table.outerHTML.slice(0, 80)).toBeTruthy();
      expect(region!.getAttribute('tabindex')).toBe('0');
      expect(region!.getAttribute('aria-label')).toMatch(/kéo ngang để xem hết/);
      expect(table.querySelector('caption')?.textContent).toBeTruthy();
    }
  });
});
