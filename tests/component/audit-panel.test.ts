// The admin's "Nhật ký truy cập" on the dashboard: only an admin gets the panel (a lazily loaded
// chunk); it lists entries newest first with Vietnamese labels, filters by action and by a user
// clicked in the list, loads older pages with "Xem thêm", refuses an inverted date range in the
// field without sending it, and shows a Vietnamese message when the server refuses.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { AuditItem } from '../../src/shared/index.ts';
import DashboardScreen from '../../src/app/ui/dashboard/DashboardScreen.svelte';
import { HAMLETS, json } from './support/fake-server.ts';
import { makeReportSummary } from '../support/report-summary.ts';

// The printout has its own tests; here it only stands in.
vi.mock('../../src/app/ui/dashboard/PrintReport.svelte', () => import('./support/print-stub.ts'));

const TOKEN = 'tok-admin-0123456789';
const TODAY = '2026-11-28';

function entry(n: number, over: Partial<AuditItem> = {}): AuditItem {
  return {
    id: `0193a000-0000-7000-8000-${String(1000 - n).padStart(12, '0')}`,
    at: `2026-11-28T0${n % 10}:00:00.000Z`,
    userId: n % 2 === 0 ? 'u-gs' : 'u-tnv',
    username: n % 2 === 0 ? 'demo-gs' : 'demo-tnv',
    role: n % 2 === 0 ? 'supervisor' : 'volunteer',
    action: n % 2 === 0 ? 'view' : 'login_ok',
    target: n % 2 === 0 ? 'tallies' : null,
    detail: null,
    ip: '10.0.0.7',
    status: 200,
    ...over,
  };
}

/** A server with 3 pages of 50 + 10 audit entries that honours action, userId and before. */
function auditServer(status = 200) {
  const all = [
    ...Array.from({ length: 60 }, (_, i) => entry(i)),
    // Routine pulls, older than the rest: listed only when they are not hidden.
    ...Array.from({ length: 5 }, (_, i) =>
      entry(60 + i, { action: 'view', target: 'sync/pull', detail: { rows: 3 } }),
    ),
  ];
  const seen: URL[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = new URL(String(input), 'http://localhost');
    await Promise.resolve();
    if (url.pathname === '/api/v1/tallies') return json(200, { rows: [], total: { count: 0, citizens: 0 } });
    if (url.pathname === '/api/v1/reconciliation') return json(200, { from: TODAY, to: TODAY, rows: [] });
    if (url.pathname === '/api/v1/report') return json(200, { ...makeReportSummary(), targets: [] });
    if (url.pathname === '/api/v1/audit') {
      seen.push(url);
      expect(new Headers(init?.headers).get('authorization')).toBe(`Bearer ${TOKEN}`);
      if (status !== 200) return json(status, { error: { code: 'forbidden', message: 'x' } });
      const q = url.searchParams;
      let rows = all.filter(
        (e) =>
          (!q.get('action') || e.action === q.get('action')) &&
          (!q.get('userId') || e.userId === q.get('userId')) &&
          !(q.get('hideSync') === '1' && e.target === 'sync/pull') &&
          (!q.get('before') || e.id < (q.get('before') ?? '')),
      );
      const limit = Number(q.get('limit'));
      const more = rows.length > limit;
      rows = rows.slice(0, limit);
      return json(200, { entries: rows, next: more ? (rows.at(-1)?.id ?? null) : null });
    }
    return json(404, { error: { code: 'not_found', message: 'not found' } });
  };
  return { fetch: fetchImpl, seen };
}

function renderAs(role: 'lead' | 'supervisor' | 'admin', fetchImpl: typeof fetch) {
  return render(DashboardScreen, {
    props: { token: TOKEN, role, hamlets: HAMLETS, fetch: fetchImpl, today: TODAY },
  });
}

const rows = () => document.querySelectorAll('[data-audit] tbody tr');

describe('audit-log panel', () => {
  it('is not there for a supervisor or a lead, and nothing is asked of /api/v1/audit', async () => {
    for (const role of ['supervisor', 'lead'] as const) {
      const server = auditServer();
      const { unmount } = renderAs(role, server.fetch);
      await waitFor(() => expect(screen.getByText('Chưa có chỉ tiêu cho kỳ này.')).toBeTruthy());
      expect(screen.queryByRole('heading', { name: 'Nhật ký truy cập' })).toBeNull();
      expect(server.seen).toEqual([]);
      unmount();
    }
  });

  it('lists the newest 50 for an admin with Vietnamese labels, then older ones with "Xem thêm"', async () => {
    const server = auditServer();
    renderAs('admin', server.fetch);
    await waitFor(() => expect(rows()).toHaveLength(50));
    expect(screen.getByRole('heading', { name: 'Nhật ký truy cập' })).toBeTruthy();
    const first = rows()[0]!;
    expect(first.textContent).toContain('demo-gs (giám sát)');
    expect(first.textContent).toContain('Xem');
    expect(first.textContent).toContain('tallies');
    expect(rows()[1]!.textContent).toContain('Đăng nhập');
    await fireEvent.click(screen.getByRole('button', { name: 'Xem thêm' }));
    await waitFor(() => expect(rows()).toHaveLength(60));
    expect(screen.queryByRole('button', { name: 'Xem thêm' })).toBeNull();
    expect(server.seen[1]?.searchParams.get('before')).toBe(entry(49).id);
  });

  it('filters by action and by a user picked in the list, and clears the user filter', async () => {
    const server = auditServer();
    renderAs('admin', server.fetch);
    await waitFor(() => expect(rows()).toHaveLength(50));
    await fireEvent.change(screen.getByLabelText('Loại hành động'), { target: { value: 'login_ok' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Lọc' }));
    await waitFor(() => expect(rows()).toHaveLength(30));
    expect([...rows()].every((r) => r.getAttribute('data-action') === 'login_ok')).toBe(true);
    expect(server.seen.at(-1)?.searchParams.get('action')).toBe('login_ok');

    await fireEvent.change(screen.getByLabelText('Loại hành động'), { target: { value: '' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Lọc' }));
    await waitFor(() => expect(rows()).toHaveLength(50));
    await fireEvent.click(screen.getAllByRole('button', { name: 'demo-gs (giám sát)' })[0]!);
    await waitFor(() => expect(server.seen.at(-1)?.searchParams.get('userId')).toBe('u-gs'));
    await waitFor(() => expect(rows()).toHaveLength(30));
    expect([...rows()].every((r) => r.textContent?.includes('demo-gs'))).toBe(true);
    await fireEvent.click(screen.getByRole('button', { name: 'Bỏ lọc theo demo-gs' }));
    await waitFor(() => expect(rows()).toHaveLength(50));
    expect(server.seen.at(-1)?.searchParams.has('userId')).toBe(false);
  });

  it('refuses an end day before the start day in the field and sends nothing', async () => {
    const server = auditServer();
    renderAs('admin', server.fetch);
    await waitFor(() => expect(rows()).toHaveLength(50));
    const sent = server.seen.length;
    await fireEvent.change(screen.getByLabelText('Nhật ký từ ngày'), { target: { value: '2026-11-20' } });
    await fireEvent.change(screen.getByLabelText('Nhật ký đến ngày'), { target: { value: '2026-11-10' } });
    const to = screen.getByLabelText('Nhật ký đến ngày');
    expect(to.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Lọc' }) as HTMLButtonElement).disabled).toBe(true);
    expect(server.seen.length).toBe(sent);
    // The chosen days stay in the form.
    expect((screen.getByLabelText('Nhật ký từ ngày') as HTMLInputElement).value).toBe('2026-11-20');
  });

  it('says in Vietnamese that the account may not see it when the server answers 403', async () => {
    const server = auditServer(403);
    renderAs('admin', server.fetch);
    await waitFor(() => expect(document.querySelector('[data-audit] [role="alert"]')).toBeTruthy());
    expect(document.querySelector('[data-audit] [role="alert"]')?.textContent).toMatch(/quyền/);
  });

  it('hides routine sync pulls by default, and shows them when the box is unticked', async () => {
    const server = auditServer();
    renderAs('admin', server.fetch);
    await waitFor(() => expect(rows()).toHaveLength(50));
    const box = screen.getByLabelText('Ẩn các lần đồng bộ thường lệ') as HTMLInputElement;
    expect(box.checked).toBe(true);
    expect(server.seen[0]?.searchParams.get('hideSync')).toBe('1');
    await fireEvent.click(screen.getByRole('button', { name: 'Xem thêm' }));
    await waitFor(() => expect(rows()).toHaveLength(60));
    expect([...rows()].some((r) => r.textContent?.includes('sync/pull'))).toBe(false);

    await fireEvent.click(box);
    await waitFor(() => expect(server.seen.at(-1)?.searchParams.has('hideSync')).toBe(false));
    await waitFor(() => expect(rows()).toHaveLength(50));
    await fireEvent.click(screen.getByRole('button', { name: 'Xem thêm' }));
    await waitFor(() => expect(rows()).toHaveLength(65));
    expect([...rows()].filter((r) => r.textContent?.includes('sync/pull'))).toHaveLength(5);
  });
});
