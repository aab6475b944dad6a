// "Đặt chỉ tiêu" on the dashboard: only an admin sees the form; a valid target is PUT with the token
// and the TargetInput body, then the targets reload with their progress; a zero target is refused
// in the field and nothing is sent; an answer that is not our server's JSON fails in Vietnamese.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import DashboardScreen from '../../src/app/ui/dashboard/DashboardScreen.svelte';
import { HAMLETS, json } from './support/fake-server.ts';

const TOKEN = 'tok-admin-0123456789';
const TODAY = '2026-11-28';
const EMPTY_TALLY = { rows: [], total: { count: 0, citizens: 0 } };
const RECON = { from: '2026-11-01', to: '2026-11-30', rows: [] };

const STORED = {
  id: 'tg-new',
  period: { from: '2026-11-01', to: '2026-11-30' },
  category: 'vneid_l2',
  outcome: 'done',
  hamletId: 'h2',
  target: 800,
  label: null,
};

interface Seen {
  method: string;
  url: URL;
  auth: string | null;
  body: unknown;
}

/** A reporting server keeping the targets PUT to it; `putAnswer` replaces its answer to the PUT. */
function targetsServer(putAnswer?: () => Response) {
  const seen: Seen[] = [];
  let targets: unknown[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = new URL(String(input), 'http://localhost');
    const method = init?.method ?? 'GET';
    const body: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    seen.push({ method, url, auth: new Headers(init?.headers).get('authorization'), body });
    await Promise.resolve();
    if (url.pathname === '/api/v1/tallies') return json(200, EMPTY_TALLY);
    if (url.pathname === '/api/v1/reconciliation') return json(200, RECON);
    if (url.pathname === '/api/v1/targets' && method === 'PUT') {
      if (putAnswer) return putAnswer();
      targets = [{ ...STORED, achieved: 320, percent: 40, text: '320/800, đạt 40,00 %' }];
      return json(200, { target: STORED });
    }
    if (url.pathname === '/api/v1/targets') return json(200, { targets });
    return json(404, { error: { code: 'not_found', message: 'not found' } });
  };
  return { fetch: fetchImpl, seen };
}

function renderAs(role: 'lead' | 'supervisor' | 'admin', fetchImpl: typeof fetch) {
  return render(DashboardScreen, {
    props: { token: TOKEN, role, hamlets: HAMLETS, fetch: fetchImpl, today: TODAY },
  });
}

async function fillForm(target: string): Promise<void> {
  await fireEvent.change(screen.getByLabelText('Loại hỗ trợ'), { target: { value: 'vneid_l2' } });
  await fireEvent.change(screen.getByLabelText('Thôn/ấp'), { target: { value: 'h2' } });
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
    const hamlet = screen.getByLabelText('Thôn/ấp') as HTMLSelectElement;
    expect(hamlet.selectedOptions[0]!.textContent).toBe('Toàn xã');
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
      hamletId: 'h2',
      target: 800,
    });
    const gets = server.seen.filter((s) => s.method === 'GET' && s.url.pathname === '/api/v1/targets');
    expect(gets).toHaveLength(2);
    const row = container.querySelector('[data-target="tg-new"]')!;
    expect(row.querySelector('.text')!.textContent).toBe('320/800, đạt 40,00 %');
    expect(row.querySelector('.name')!.textContent).toBe('Kích hoạt VNeID mức 2 · Hoàn thành · Thôn Tây');
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
    expect(put.body).toMatchObject({ outcome: null, hamletId: 'h2', target: 50 });
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
