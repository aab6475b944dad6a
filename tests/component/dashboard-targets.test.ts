// "Đặt chỉ tiêu" on the dashboard: only an admin sees the form; a valid target for the commune, a
// team or a hamlet is PUT with the token, then the report reloads with its progress in its own
// scope; a zero target is refused in the field and nothing is sent; an answer that is not our
// server's JSON fails in Vietnamese.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import DashboardScreen from '../../src/app/ui/dashboard/DashboardScreen.svelte';
import type { ReportTarget } from '../../src/shared/index.ts';
import { makeReportSummary } from '../support/report-summary.ts';
import { HAMLETS, json } from './support/fake-server.ts';
import { reportingServer } from './support/reporting-server.ts';

// The printout has its own tests; here it only stands in.
vi.mock('../../src/app/ui/dashboard/PrintReport.svelte', () => import('./support/print-stub.ts'));

const TOKEN = 'tok-admin-0123456789';
const TODAY = '2026-11-28';

/** The report before any target is stored: no targets, the commune's hamlets and two teams. */
const EMPTY = { ...makeReportSummary(), targets: [] };

/** A stored target as the report lists it, with its progress counted in its own scope. */
function listed(input: Record<string, unknown>, scope: ReportTarget['scope']): ReportTarget {
  return {
    id: 'tg-new',
    period: input.period as ReportTarget['period'],
    category: input.category as string,
    outcome: (input.outcome as string | null) ?? null,
    hamletId: (input.hamletId as string | null) ?? null,
    teamId: (input.teamId as string | null) ?? null,
    label: (input.label as string | undefined) ?? null,
    target: input.target as number,
    achieved: 320,
    percent: 40,
    text: '320/800, đạt 40,00 %',
    scope,
  };
}

/** A reporting server keeping the targets PUT to it; `putAnswer` replaces its answer to the PUT. */
function targetsServer(putAnswer?: () => Response) {
  const server: ReturnType<typeof reportingServer> = reportingServer({
    summary: EMPTY,
    routes: [
      (url, init) => {
        if (url.pathname !== '/api/v1/targets' || init?.method !== 'PUT') return undefined;
        if (putAnswer) return putAnswer();
        const input = JSON.parse(String(init.body)) as Record<string, unknown>;
        const scope: ReportTarget['scope'] = input.teamId
          ? { kind: 'team', id: String(input.teamId), label: 'Tổ CNS số 2' }
          : input.hamletId
            ? { kind: 'hamlet', id: String(input.hamletId), label: 'Thôn Tây' }
            : { kind: 'commune', id: '26734', label: 'Toàn xã' };
        const target = listed(input, scope);
        server.setSummary({ ...EMPTY, targets: [target] });
        const { achieved: _a, percent: _p, text: _t, scope: _s, ...stored } = target;
        return json(200, { target: stored });
      },
    ],
  });
  return server;
}

function renderAs(role: 'lead' | 'supervisor' | 'admin', fetchImpl: typeof fetch) {
  return render(DashboardScreen, {
    props: { token: TOKEN, role, hamlets: HAMLETS, fetch: fetchImpl, today: TODAY },
  });
}

async function fillForm(target: string, scope = 'hamlet:h-b'): Promise<void> {
  await fireEvent.change(screen.getByLabelText('Loại hỗ trợ'), { target: { value: 'vneid_l2' } });
  await fireEvent.change(screen.getByLabelText('Áp dụng cho'), { target: { value: scope } });
  await fireEvent.input(screen.getByLabelText('Chỉ tiêu'), { target: { value: target } });
}

describe('dashboard targets form', () => {
  it('lets an admin PUT a target with the token and shows its progress after reloading', async () => {
    const server = targetsServer();
    const { container } = renderAs('admin', server.fetch);
    await waitFor(() => expect(screen.getByText('Chưa có chỉ tiêu cho kỳ này.')).toBeTruthy());

    expect(screen.getByRole('heading', { name: 'Đặt chỉ tiêu' })).toBeTruthy();
    const outcome = screen.getByLabelText('Kết quả') as HTMLSelectElement;
    expect(outcome.selectedOptions[0]!.textContent).toBe('Hoàn thành');
    const scope = screen.getByLabelText('Áp dụng cho') as HTMLSelectElement;
    expect(scope.selectedOptions[0]!.textContent).toBe('Toàn xã');
    // One choice among the commune, the teams and the hamlets: a target never names both.
    expect([...scope.querySelectorAll('optgroup')].map((g) => g.getAttribute('label'))).toEqual([
      'Tổ',
      'Thôn/ấp',
    ]);
    expect([...scope.options].map((o) => o.textContent)).toEqual([
      'Toàn xã',
      'Tổ CNS số 1',
      'Tổ CNS số 2',
      'Thôn Đông',
      'Thôn Tây',
    ]);
    const category = screen.getByLabelText('Loại hỗ trợ') as HTMLSelectElement;
    expect([...category.options].map((o) => o.textContent)).toContain('Kích hoạt VNeID mức 2');

    await fillForm('800');
    await fireEvent.click(screen.getByRole('button', { name: 'Lưu chỉ tiêu' }));

    await waitFor(() => expect(container.querySelector('[data-target="tg-new"]')).toBeTruthy());
    const puts = server.seen.filter((s) => s.method === 'PUT');
    expect(puts).toHaveLength(1);
    expect(puts[0]!.url.pathname).toBe('/api/v1/targets');
    expect(puts[0]!.auth).toBe(`Bearer ${TOKEN}`);
    expect(puts[0]!.body).toEqual({
      period: { from: '2026-11-01', to: '2026-11-30' },
      category: 'vneid_l2',
      outcome: 'done',
      hamletId: 'h-b',
      teamId: null,
      target: 800,
    });
    expect(server.asked('/api/v1/targets').filter((s) => s.method === 'GET')).toHaveLength(0);
    expect(server.asked('/api/v1/report')).toHaveLength(2);
    const row = container.querySelector('[data-target="tg-new"]')!;
    expect(row.querySelector('.text')!.textContent).toBe('320/800, đạt 40,00 %');
    expect(row.querySelector('.name')!.textContent).toBe('Kích hoạt VNeID mức 2 (Hoàn thành)');
    expect(row.querySelector('.scope')!.textContent).toBe('Phạm vi: Thôn Tây');
    expect(screen.getByText('Đã lưu chỉ tiêu.').getAttribute('role')).toBe('status');
  });

  it('sends a null outcome when "any outcome" is chosen', async () => {
    const server = targetsServer();
    renderAs('admin', server.fetch);
    await waitFor(() => expect(screen.getByText('Chưa có chỉ tiêu cho kỳ này.')).toBeTruthy());
    await fireEvent.change(screen.getByLabelText('Kết quả'), { target: { value: '' } });
    await fillForm('50');
    await fireEvent.click(screen.getByRole('button', { name: 'Lưu chỉ tiêu' }));
    await waitFor(() => expect(server.seen.some((s) => s.method === 'PUT')).toBe(true));
    const put = server.seen.find((s) => s.method === 'PUT')!;
    expect(put.body).toMatchObject({ outcome: null, hamletId: 'h-b', target: 50 });
  });

  it('sets a target for one team, naming the team and no hamlet, and lists it in the team scope', async () => {
    const server = targetsServer();
    const { container } = renderAs('admin', server.fetch);
    await waitFor(() => expect(screen.getByText('Chưa có chỉ tiêu cho kỳ này.')).toBeTruthy());
    await fillForm('800', 'team:t-2');
    await fireEvent.click(screen.getByRole('button', { name: 'Lưu chỉ tiêu' }));
    await waitFor(() => expect(container.querySelector('[data-target="tg-new"]')).toBeTruthy());
    const put = server.seen.find((s) => s.method === 'PUT')!;
    expect(put.body).toMatchObject({ teamId: 't-2', hamletId: null, target: 800 });
    const row = container.querySelector('[data-target="tg-new"]')!;
    expect(row.getAttribute('data-scope')).toBe('team');
    expect(row.querySelector('.scope')!.textContent).toBe('Phạm vi: Tổ CNS số 2');
  });

  it('shows no form to a supervisor or a lead', async () => {
    for (const role of ['supervisor', 'lead'] as const) {
      const { unmount } = renderAs(role, targetsServer().fetch);
      await waitFor(() => expect(screen.getByText('Chưa có chỉ tiêu cho kỳ này.')).toBeTruthy());
      expect(screen.queryByRole('heading', { name: 'Đặt chỉ tiêu' })).toBeNull();
      expect(screen.queryByRole('button', { name: 'Lưu chỉ tiêu' })).toBeNull();
      unmount();
    }
  });

  it('refuses a zero target with a field error and sends nothing', async () => {
    const server = targetsServer();
    renderAs('admin', server.fetch);
    await waitFor(() => expect(screen.getByText('Chưa có chỉ tiêu cho kỳ này.')).toBeTruthy());

    await fillForm('0');
    await fireEvent.click(screen.getByRole('button', { name: 'Lưu chỉ tiêu' }));

    expect(await screen.findByText('Chỉ tiêu phải là số nguyên dương.')).toBeTruthy();
    expect(screen.getByLabelText('Chỉ tiêu').getAttribute('aria-invalid')).toBe('true');
    await Promise.resolve();
    expect(server.seen.filter((s) => s.method === 'PUT')).toHaveLength(0);
  });

  it('refuses a target name holding a disguised ID number at the field, sends nothing, keeps the name', async () => {
    const server = targetsServer();
    renderAs('admin', server.fetch);
    await waitFor(() => expect(screen.getByText('Chưa có chỉ tiêu cho kỳ này.')).toBeTruthy());
    await fillForm('800');
    const typed = `Chỉ tiêu của ${[...'001099012345'].join('\u200d')}`;
    const field = screen.getByLabelText('Tên chỉ tiêu (không bắt buộc)');
    await fireEvent.input(field, { target: { value: typed } });
    await fireEvent.click(screen.getByRole('button', { name: 'Lưu chỉ tiêu' }));

    const message = await screen.findByText(
      'Tên chỉ tiêu có vẻ chứa số định danh cá nhân. Không ghi số định danh; hãy xoá số này.',
    );
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(field.getAttribute('aria-describedby')).toBe(message.id);
    expect((field as HTMLInputElement).value).toBe(typed);
    await Promise.resolve();
    expect(server.seen.filter((s) => s.method === 'PUT')).toHaveLength(0);

    await fireEvent.input(field, { target: { value: 'Đề án 06, quý IV' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Lưu chỉ tiêu' }));
    await waitFor(() => expect(server.seen.filter((s) => s.method === 'PUT')).toHaveLength(1));
    expect(server.seen.find((s) => s.method === 'PUT')?.body).toMatchObject({ label: 'Đề án 06, quý IV' });
  });

  it('fails in Vietnamese when the PUT is answered with HTML', async () => {
    const server = targetsServer(
      () =>
        new Response('<html>Wi-Fi login</html>', { status: 200, headers: { 'content-type': 'text/html' } }),
    );
    renderAs('admin', server.fetch);
    await waitFor(() => expect(screen.getByText('Chưa có chỉ tiêu cho kỳ này.')).toBeTruthy());

    await fillForm('800');
    await fireEvent.click(screen.getByRole('button', { name: 'Lưu chỉ tiêu' }));

    const alert = await screen.findByText(/^Không lưu được chỉ tiêu\./);
    expect(alert.textContent).toContain('Máy chủ trả lời không đúng định dạng');
    expect(screen.getByText('Chưa có chỉ tiêu cho kỳ này.')).toBeTruthy();
  });
});
