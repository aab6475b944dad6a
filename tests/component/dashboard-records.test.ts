// The dashboard's drill-down to the records behind a table cell (paged), the review-state filter
// (the table, trend, lists and exports ask the server for it; the report keeps the one definition)
// and the trend by quarter, against a fake reporting server.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import DashboardScreen from '../../src/app/ui/dashboard/DashboardScreen.svelte';
import { HAMLETS, json } from './support/fake-server.ts';
import { reportingServer as fakeReporting, type Route } from './support/reporting-server.ts';

// The printout has its own tests; here it only stands in.
vi.mock('../../src/app/ui/dashboard/PrintReport.svelte', () => import('./support/print-stub.ts'));

const TOKEN = 'tok-lead-0123456789';
const TODAY = '2026-11-28';

function record(n: number, extra: Record<string, unknown> = {}) {
  return {
    id: `0190a000-0000-7000-8000-00000000000${n}`,
    version: n,
    occurredOn: `2026-11-0${n}`,
    hamletId: 'h-a',
    category: 'vneid_l2',
    outcome: 'done',
    serviceCode: null,
    teamId: 't1',
    volunteerId: 'v-1',
    reviewState: null,
    reviewComment: null,
    note: null,
    ...extra,
  };
}

function reportingServer(routes: Route[] = []) {
  const server = fakeReporting({ routes });
  return {
    fetch: server.fetch,
    get seen() {
      return server.seen.map((x) => x.url);
    },
  };
}

function renderDashboard(fetchImpl: typeof fetch) {
  return render(DashboardScreen, {
    props: { token: TOKEN, role: 'lead', hamlets: HAMLETS, fetch: fetchImpl, today: TODAY },
  });
}

const drillAsks = (seen: URL[]) => seen.filter((u) => u.pathname === '/api/v1/tallies/records');

describe('dashboard records and filters', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('opens the records behind a hamlet × category cell, then the next page after its cursor', async () => {
    const server = reportingServer([
      (url) => {
        if (url.pathname !== '/api/v1/tallies/records') return undefined;
        return url.searchParams.get('after') === 'page-2'
          ? json(200, { records: [record(3)], next: null })
          : json(200, {
              records: [
                record(1, { reviewState: 'has_issues', reviewComment: 'Thiếu thủ tục', note: 'Gọi lại' }),
                record(2),
              ],
              next: 'page-2',
            });
      },
    ]);
    const { container } = renderDashboard(server.fetch);

    const cell = await screen.findByRole('button', {
      name: 'Xem 5 bản ghi: Thôn Đông, Kích hoạt VNeID mức 2',
    });
    await fireEvent.click(cell);

    await waitFor(() => expect(container.querySelectorAll('[data-record]')).toHaveLength(2));
    const [first] = drillAsks(server.seen);
    expect(first!.searchParams.get('hamlet')).toBe('h-a');
    expect(first!.searchParams.get('category')).toBe('vneid_l2');
    expect([first!.searchParams.get('from'), first!.searchParams.get('to')]).toEqual([
      '2026-11-01',
      '2026-11-30',
    ]);
    expect(first!.searchParams.has('after')).toBe(false);
    const row = container.querySelector(`[data-record="${record(1).id}"]`)!;
    expect(row.textContent).toContain('01/11/2026');
    expect(row.textContent).toContain('Thôn Đông');
    expect(row.textContent).toContain('Tình nguyện viên Một');
    expect(row.textContent).toContain('Cần sửa');
    expect(row.textContent).toContain('Thiếu thủ tục');
    expect(row.textContent).toContain('Gọi lại');
    expect(container.querySelector(`[data-record="${record(2).id}"] [data-review]`)!.textContent).toBe(
      'Chưa duyệt',
    );

    await fireEvent.click(screen.getByRole('button', { name: 'Xem thêm' }));
    await waitFor(() => expect(container.querySelectorAll('[data-record]')).toHaveLength(3));
    expect(drillAsks(server.seen).at(-1)!.searchParams.get('after')).toBe('page-2');
    expect(screen.queryByRole('button', { name: 'Xem thêm' })).toBeNull();
    expect(screen.getByText('Đang hiện 3 bản ghi')).toBeTruthy();
  });

  it('keeps the list and says why in Vietnamese when a page fails, and retries that page', async () => {
    let fail = true;
    const server = reportingServer([
      (url) => {
        if (url.pathname !== '/api/v1/tallies/records') return undefined;
        if (url.searchParams.get('after') !== 'page-2')
          return json(200, { records: [record(1)], next: 'page-2' });
        if (fail) return new Response('<html>portal</html>', { headers: { 'content-type': 'text/html' } });
        return json(200, { records: [record(2)], next: null });
      },
    ]);
    const { container } = renderDashboard(server.fetch);
    await fireEvent.click(
      await screen.findByRole('button', { name: 'Xem 5 bản ghi: Thôn Đông, Kích hoạt VNeID mức 2' }),
    );
    await waitFor(() => expect(container.querySelectorAll('[data-record]')).toHaveLength(1));

    await fireEvent.click(screen.getByRole('button', { name: 'Xem thêm' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Máy chủ trả lời không đúng định dạng');
    expect(container.querySelectorAll('[data-record]')).toHaveLength(1);

    fail = false;
    await fireEvent.click(screen.getByRole('button', { name: 'Thử lại' }));
    await waitFor(() => expect(container.querySelectorAll('[data-record]')).toHaveLength(2));
    expect(drillAsks(server.seen).at(-1)!.searchParams.get('after')).toBe('page-2');
  });

  it('asks tallies, record lists and exports for the chosen review state', async () => {
    const server = reportingServer([
      (url) =>
        url.pathname === '/api/v1/tallies/records' ? json(200, { records: [], next: null }) : undefined,
      (url) =>
        url.pathname === '/api/v1/export/logs.csv'
          ? new Response('id\r\n', { headers: { 'content-type': 'text/csv; charset=utf-8' } })
          : undefined,
    ]);
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    renderDashboard(server.fetch);
    await screen.findByRole('button', { name: 'Xem 5 bản ghi: Thôn Đông, Kích hoạt VNeID mức 2' });
    const talliesBefore = server.seen.filter((u) => u.pathname === '/api/v1/tallies');
    expect(talliesBefore.every((u) => !u.searchParams.has('reviewState'))).toBe(true);

    const select = screen.getByRole('combobox', { name: 'Trạng thái duyệt' }) as HTMLSelectElement;
    await fireEvent.change(select, { target: { value: 'has_issues' } });

    await waitFor(() =>
      expect(
        server.seen.filter((u) => u.pathname === '/api/v1/tallies' && u.searchParams.get('reviewState')),
      ).toHaveLength(2),
    );
    for (const u of server.seen.filter(
      (x) => x.pathname === '/api/v1/tallies' && x.searchParams.has('reviewState'),
    ))
      expect(u.searchParams.get('reviewState')).toBe('has_issues');
    // The report keeps the one definition; the table says it holds only that state.
    expect(
      server.seen
        .filter((u) => u.pathname === '/api/v1/report')
        .every((u) => !u.searchParams.has('reviewState')),
    ).toBe(true);
    expect(
      await screen.findByRole('heading', { name: 'Bảng theo thôn/ấp và loại hỗ trợ, chỉ bản ghi “Cần sửa”' }),
    ).toBeTruthy();
    expect(document.querySelector('[data-review-note]')).toBeTruthy();

    await fireEvent.click(
      await screen.findByRole('button', { name: 'Xem 5 bản ghi: Thôn Đông, Kích hoạt VNeID mức 2' }),
    );
    await screen.findByText('Không có bản ghi nào.');
    expect(drillAsks(server.seen).at(-1)!.searchParams.get('reviewState')).toBe('has_issues');

    await fireEvent.click(screen.getByRole('button', { name: 'Xuất CSV' }));
    await waitFor(() => expect(server.seen.some((u) => u.pathname === '/api/v1/export/logs.csv')).toBe(true));
    const exported = server.seen.find((u) => u.pathname === '/api/v1/export/logs.csv')!;
    expect(exported.searchParams.get('reviewState')).toBe('has_issues');

    await fireEvent.change(select, { target: { value: 'none' } });
    await waitFor(() =>
      expect(server.seen.filter((u) => u.searchParams.get('reviewState') === 'none')).toHaveLength(2),
    );
  });

  it('shows the trend by quarter when the reader picks it', async () => {
    const server = reportingServer([
      (url) =>
        url.pathname === '/api/v1/tallies' && url.searchParams.get('groupBy')?.startsWith('quarter')
          ? json(200, {
              rows: [{ key: { quarter: '2026-Q4' }, count: 4, citizens: 4 }],
              total: { count: 4, citizens: 4 },
            })
          : undefined,
    ]);
    const { container } = renderDashboard(server.fetch);
    await fireEvent.click(await screen.findByRole('button', { name: 'theo quý' }));

    await waitFor(() =>
      expect(container.querySelector('[data-chart="trend"]')!.getAttribute('data-unit')).toBe('quarter'),
    );
    const trendAsk = server.seen.filter((u) => u.pathname === '/api/v1/tallies').at(-1)!;
    expect(trendAsk.searchParams.get('groupBy')).toBe('quarter');
    const bucket = container.querySelector('[data-chart="trend"] [data-bucket="2026-Q4"]')!;
    expect(bucket.getAttribute('data-value')).toBe('4');
    expect(bucket.getAttribute('title')).toBe('Q4/2026: 4 lượt');
  });
});
