// The supervisors' "Tổng hợp" dashboard against a mocked reporting server: totals, bars, the
// Đề án 06 view, drill-down, targets, reconciliation marks, exports, the printable report, and a
// Vietnamese error for an answer that is not our server's JSON.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import DashboardScreen from '../../src/app/ui/dashboard/DashboardScreen.svelte';
import { HAMLETS, json } from './support/fake-server.ts';

const TOKEN = 'tok-supervisor-0123456789';
const TODAY = '2026-11-28';

const MAIN = {
  rows: [
    { key: { hamlet: 'h1', category: 'vneid_l2', service: null }, count: 5, citizens: 5 },
    { key: { hamlet: 'h1', category: 'online_filing', service: 'CA-03' }, count: 2, citizens: 2 },
    { key: { hamlet: 'h2', category: 'can_cuoc', service: null }, count: 3, citizens: 3 },
    { key: { hamlet: 'h2', category: 'digital_skills', service: null }, count: 4, citizens: 3 },
    { key: { hamlet: 'h3', category: 'online_filing', service: 'UB-01' }, count: 1, citizens: 1 },
  ],
  total: { count: 15, citizens: 12 },
};

const TREND = {
  rows: [
    { key: { day: '2026-11-03', category: 'vneid_l2', service: null }, count: 5, citizens: 5 },
    { key: { day: '2026-11-20', category: 'digital_skills', service: null }, count: 10, citizens: 8 },
  ],
  total: { count: 15, citizens: 12 },
};

const TARGETS = {
  targets: [
    {
      id: 'tg-1',
      period: { from: '2026-01-01', to: '2026-12-31' },
      category: 'vneid_l2',
      outcome: 'done',
      hamletId: null,
      target: 800,
      label: null,
      achieved: 320,
      percent: 40,
      text: '320/800, đạt 40,00 %',
    },
  ],
};

const RECON = {
  from: '2026-11-01',
  to: '2026-11-30',
  rows: [
    {
      volunteerId: 'u-an',
      displayName: 'Nguyễn Văn An',
      teamId: 't1',
      deviceCount: 7,
      serverCount: 7,
      pendingAtLastContact: 0,
      lastContactAt: '2026-11-27T02:00:00Z',
      lastSyncedAt: '2026-11-27T02:00:00Z',
      complete: true,
    },
    {
      volunteerId: 'u-binh',
      displayName: 'Trần Thị Bình',
      teamId: 't2',
      deviceCount: 8,
      serverCount: 5,
      pendingAtLastContact: 3,
      lastContactAt: '2026-11-26T02:00:00Z',
      lastSyncedAt: '2026-11-20T02:00:00Z',
      complete: false,
    },
    {
      volunteerId: 'u-cuong',
      displayName: 'Lê Văn Cường',
      teamId: 't1',
      deviceCount: null,
      serverCount: 3,
      pendingAtLastContact: null,
      lastContactAt: null,
      lastSyncedAt: null,
      complete: false,
    },
  ],
};

const HTML = () =>
  new Response('<html><body>Wi-Fi login</body></html>', {
    status: 200,
    headers: { 'content-type': 'text/html' },
  });

type Route = (url: URL) => Response | undefined | Promise<Response | undefined>;

/** A fetch that answers reporting paths from `routes` (first match) and records every request. */
function reportingServer(overrides: Route[] = []) {
  const seen: { url: URL; auth: string | null }[] = [];
  const defaults: Route = (url) => {
    const groupBy = url.searchParams.get('groupBy') ?? '';
    if (url.pathname === '/api/v1/tallies') return json(200, groupBy.startsWith('hamlet') ? MAIN : TREND);
    if (url.pathname === '/api/v1/targets') return json(200, TARGETS);
    if (url.pathname === '/api/v1/reconciliation') return json(200, RECON);
    return undefined;
  };
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = new URL(String(input), 'http://localhost');
    seen.push({ url, auth: new Headers(init?.headers).get('authorization') });
    for (const route of [...overrides, defaults]) {
      const res = await route(url);
      if (res) return res;
    }
    return json(404, { error: { code: 'not_found', message: 'not found' } });
  };
  return { fetch: fetchImpl, seen };
}

function renderDashboard(fetchImpl: typeof fetch) {
  return render(DashboardScreen, {
    props: {
      token: TOKEN,
      role: 'supervisor',
      hamlets: HAMLETS,
      fetch: fetchImpl,
      communeName: 'Xã Thử Nghiệm',
      today: TODAY,
    },
  });
}

function bar(container: HTMLElement, chart: string, key: string): Element | null {
  return container.querySelector(`[data-chart="${chart}"] [data-bar="${key}"]`);
}

describe('dashboard', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('shows the month totals and bars by hamlet and category from the tallies answer, asked with the token', async () => {
    const server = reportingServer();
    const { container } = renderDashboard(server.fetch);

    await waitFor(() => expect(container.querySelector('[data-total="count"]')).toBeTruthy());
    expect(container.querySelector('[data-total="count"] dd')!.textContent).toBe('15');
    expect(container.querySelector('[data-total="citizens"] dd')!.textContent).toBe('12');
    expect(bar(container, 'hamlet', 'h1')!.getAttribute('data-value')).toBe('7');
    expect(bar(container, 'hamlet', 'h2')!.getAttribute('data-value')).toBe('7');
    expect(bar(container, 'hamlet', 'h3')!.getAttribute('data-value')).toBe('1');
    expect(bar(container, 'hamlet', 'h1')!.querySelector('title')!.textContent).toBe('Thôn Đông: 7 lượt');
    expect(bar(container, 'category', 'online_filing')!.getAttribute('data-value')).toBe('3');
    expect(screen.getByRole('img', { name: 'Theo thôn/ấp' })).toBeTruthy();

    const tallies = server.seen.filter((s) => s.url.pathname === '/api/v1/tallies');
    expect(tallies.map((s) => s.url.searchParams.get('groupBy')).sort()).toEqual([
      'day,category,service',
      'hamlet,category,service',
    ]);
    for (const s of server.seen) {
      expect(s.auth).toBe(`Bearer ${TOKEN}`);
      expect(s.url.searchParams.get('from')).toBe('2026-11-01');
      expect(s.url.searchParams.get('to')).toBe('2026-11-30');
    }
    const trend = container.querySelector('[data-chart="trend"]')!;
    expect(trend.getAttribute('data-unit')).toBe('day');
    expect(trend.querySelectorAll('[data-bucket]')).toHaveLength(30);
    expect(trend.querySelector('[data-bucket="2026-11-20"]')!.getAttribute('data-value')).toBe('10');
  });

  it('fills the hamlet × category table with row and column totals', async () => {
    const { container } = renderDashboard(reportingServer().fetch);
    await waitFor(() => expect(container.querySelector('tr[data-hamlet="h1"]')).toBeTruthy());
    const h1 = container.querySelector('tr[data-hamlet="h1"]')!;
    expect(h1.querySelector('[data-category="vneid_l2"]')!.textContent).toBe('5');
    expect(h1.querySelector('[data-category="can_cuoc"]')!.textContent).toBe('0');
    expect(h1.querySelector('.sum')!.textContent).toBe('7');
  });

  it('keeps only ID card, VNeID and police services in the Đề án 06 view', async () => {
    const { container } = renderDashboard(reportingServer().fetch);
    await waitFor(() => expect(container.querySelector('[data-total="count"]')).toBeTruthy());

    await fireEvent.click(screen.getByRole('button', { name: 'Đề án 06 (công an xã)' }));

    // vneid_l2 5 + CA-03 filing 2 + can_cuoc 3; digital skills and the commune's UB-01 drop out.
    await waitFor(() => expect(container.querySelector('[data-total="count"] dd')!.textContent).toBe('10'));
    expect(container.querySelector('[data-total="citizens"] dt')!.textContent).toContain('tối đa');
    expect(bar(container, 'hamlet', 'h3')).toBeNull();
    expect(bar(container, 'category', 'digital_skills')).toBeNull();
    expect(bar(container, 'category', 'online_filing')!.getAttribute('data-value')).toBe('2');
    expect(
      container.querySelector('[data-chart="trend"] [data-bucket="2026-11-20"]')!.getAttribute('data-value'),
    ).toBe('0');
  });

  it('drills into a hamlet: asks the counts by volunteer for it and names the volunteers', async () => {
    const server = reportingServer([
      (url) =>
        url.searchParams.get('groupBy') === 'volunteer,category,service'
          ? json(200, {
              rows: [
                { key: { volunteer: 'u-an', category: 'vneid_l2', service: null }, count: 5, citizens: 5 },
                {
                  key: { volunteer: 'u-binh', category: 'online_filing', service: 'CA-03' },
                  count: 2,
                  citizens: 2,
                },
              ],
              total: { count: 7, citizens: 7 },
            })
          : undefined,
    ]);
    const { container } = renderDashboard(server.fetch);
    await waitFor(() => expect(container.querySelector('tr[data-hamlet="h1"]')).toBeTruthy());
    await waitFor(() => expect(container.querySelector('tr[data-mark]')).toBeTruthy());

    await fireEvent.click(
      within(container.querySelector('tr[data-hamlet="h1"]')!).getByRole('button', { name: 'Thôn Đông' }),
    );

    const panel = await screen.findByRole('region', { name: 'Chi tiết theo tình nguyện viên: Thôn Đông' });
    await waitFor(() => expect(panel.querySelectorAll('tr[data-volunteer]')).toHaveLength(2));
    expect(panel.querySelector('tr[data-volunteer="u-an"]')!.textContent).toContain('Nguyễn Văn An');
    expect(panel.querySelector('tr[data-volunteer="u-an"] td')!.textContent).toBe('5');
    const drill = server.seen.find((s) => s.url.searchParams.get('groupBy') === 'volunteer,category,service');
    expect(drill!.url.searchParams.get('hamlet')).toBe('h1');
  });

  it('lists targets with a progress bar and the "320/800, đạt 40,00 %" text', async () => {
    const { container } = renderDashboard(reportingServer().fetch);
    const target = await waitFor(() => {
      const el = container.querySelector('li[data-target="tg-1"]');
      expect(el).toBeTruthy();
      return el!;
    });
    expect(target.textContent).toContain('320/800, đạt 40,00 %');
    expect(target.textContent).toContain('Kích hoạt VNeID mức 2 · Hoàn thành · Toàn xã');
    const progress = target.querySelector('progress')!;
    expect(progress.getAttribute('value')).toBe('320');
    expect(progress.getAttribute('max')).toBe('800');
  });

  it('marks each volunteer "Đủ", "Thiếu N" or "Chưa báo cáo" in the reconciliation', async () => {
    const { container } = renderDashboard(reportingServer().fetch);
    await waitFor(() => expect(container.querySelectorAll('tr[data-mark]')).toHaveLength(3));
    const row = (id: string) => container.querySelector(`tr[data-volunteer="${id}"]`)!;
    expect(row('u-an').getAttribute('data-mark')).toBe('complete');
    expect(row('u-an').querySelector('.mark')!.textContent).toContain('Đủ');
    expect(row('u-binh').querySelector('.mark')!.textContent).toContain('Thiếu 3');
    expect(row('u-cuong').querySelector('.mark')!.textContent).toContain('Chưa báo cáo');
    expect(row('u-cuong').textContent).toContain('Chưa bao giờ');
    expect(screen.getByText('1/3 tình nguyện viên đủ số liệu')).toBeTruthy();
  });

  it('shows a Vietnamese error instead of numbers when a captive portal answers 200 HTML', async () => {
    const { container } = renderDashboard(reportingServer([() => HTML()]).fetch);
    await waitFor(() => expect(screen.getAllByRole('alert').length).toBeGreaterThan(0));
    expect(screen.getAllByRole('alert')[0]!.textContent).toBe(
      'Máy chủ trả lời không đúng định dạng (có thể mạng đang chặn). Vui lòng thử lại.',
    );
    expect(container.querySelector('[data-total="count"]')).toBeNull();
    expect(screen.getByRole('button', { name: 'Thử lại' })).toBeTruthy();
  });

  it('treats JSON of the wrong shape as a failure, and the retry loads the numbers', async () => {
    let broken = true;
    const server = reportingServer([
      (url) => (broken && url.pathname === '/api/v1/tallies' ? json(200, { rows: 'nope' }) : undefined),
    ]);
    const { container } = renderDashboard(server.fetch);
    await screen.findByText(
      'Máy chủ trả lời không đúng định dạng (có thể mạng đang chặn). Vui lòng thử lại.',
    );
    expect(container.querySelector('[data-total="count"]')).toBeNull();

    broken = false;
    await fireEvent.click(screen.getByRole('button', { name: 'Thử lại' }));
    await waitFor(() => expect(container.querySelector('[data-total="count"] dd')!.textContent).toBe('15'));
  });

  it('says the network is needed when the request never gets an answer', async () => {
    renderDashboard(async () => {
      throw new TypeError('Failed to fetch');
    });
    expect((await screen.findAllByText('Không có mạng. Cần kết nối để xem số liệu tổng hợp.')).length).toBe(
      3,
    );
  });

  it('asks the quarter when "Quý" is chosen and shows the range as dd/mm/yyyy', async () => {
    const server = reportingServer();
    const { container } = renderDashboard(server.fetch);
    await waitFor(() => expect(container.querySelector('[data-total="count"]')).toBeTruthy());

    await fireEvent.click(screen.getByRole('button', { name: 'Quý' }));

    expect(screen.getByText('Từ 01/10/2026 đến 31/12/2026')).toBeTruthy();
    await waitFor(() =>
      expect(server.seen.some((s) => s.url.searchParams.get('groupBy') === 'week,category,service')).toBe(
        true,
      ),
    );
    const last = server.seen.at(-1)!;
    expect([last.url.searchParams.get('from'), last.url.searchParams.get('to')]).toEqual([
      '2026-10-01',
      '2026-12-31',
    ]);
    await fireEvent.click(screen.getByRole('button', { name: 'Kỳ trước' }));
    expect(screen.getByText('Từ 01/07/2026 đến 30/09/2026')).toBeTruthy();
  });

  it('shows "Đang xuất…" while the CSV downloads with the token, then offers the file', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const server = reportingServer([
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
    ]);
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
    const asked = server.seen.find((s) => s.url.pathname === '/api/v1/export/logs.csv')!;
    expect(asked.auth).toBe(`Bearer ${TOKEN}`);
    expect(asked.url.searchParams.get('from')).toBe('2026-11-01');
  });

  it('refuses an HTML page served in place of the XLSX file', async () => {
    const server = reportingServer([
      (url) => (url.pathname === '/api/v1/export/logs.xlsx' ? HTML() : undefined),
    ]);
    renderDashboard(server.fetch);
    await fireEvent.click(screen.getByRole('button', { name: 'Xuất Excel (XLSX)' }));
    await screen.findByText(/^Không xuất được tệp\. Máy chủ trả lời không đúng định dạng/);
    expect(screen.queryByRole('link')).toBeNull();
  });

  it('builds the printable report with the national header, commune, title, period, table and targets', async () => {
    const { container } = renderDashboard(reportingServer().fetch);
    await waitFor(() => expect(container.querySelector('[data-print-report]')).toBeTruthy());
    await waitFor(() =>
      expect(container.querySelector('[data-print-report]')!.textContent).toContain('40,00 %'),
    );
    const report = container.querySelector<HTMLElement>('[data-print-report]')!;
    expect(report.textContent).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(report.textContent).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(report.textContent).toContain('UBND Xã Thử Nghiệm');
    expect(report.textContent).toContain('Xã Thử Nghiệm, ngày 28 tháng 11 năm 2026');
    expect(report.textContent).toContain('BÁO CÁO KẾT QUẢ HỖ TRỢ NGƯỜI DÂN');
    expect(report.textContent).toContain('(Từ ngày 01/11/2026 đến ngày 30/11/2026)');
    expect(within(report).getByText('Ấp Bắc')).toBeTruthy();
    expect(report.textContent).toContain('Thẻ căn cước');
  });
});
