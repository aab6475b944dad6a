// The admin's report settings form: GET fills it with the token, a PUT sends the lists one item per
// non-blank line and says "Đã lưu"; the schema refuses bad fields before any request, a 400's field
// details show under their fields, and what was typed stays after any failure.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import ReportSettingsForm from '../../src/app/ui/dashboard/ReportSettingsForm.svelte';
import { DEFAULT_REPORT_SETTINGS, type ReportSettings } from '../../src/shared/index.ts';
import { axeViolations, shellFrame } from './support/axe.ts';
import { json } from './support/fake-server.ts';

const TOKEN = 'tok-admin-settings-0123';

interface Seen {
  method: string;
  path: string;
  auth: string | null;
  body: unknown;
}

/** A server keeping the settings PUT to it; `putAnswer` replaces its answer to a PUT. */
function settingsServer(
  initial: ReportSettings,
  putAnswer?: (body: unknown) => Response | Promise<Response>,
) {
  const seen: Seen[] = [];
  let stored = structuredClone(initial);
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = new URL(String(input), 'http://localhost');
    const method = init?.method ?? 'GET';
    const body: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    seen.push({ method, path: url.pathname, auth: new Headers(init?.headers).get('authorization'), body });
    await Promise.resolve();
    if (url.pathname !== '/api/v1/report-settings')
      return json(404, { error: { code: 'not_found', message: '' } });
    if (method === 'PUT') {
      if (putAnswer) return putAnswer(body);
      stored = body as ReportSettings;
      return json(200, { settings: stored });
    }
    return json(200, { settings: stored });
  };
  return { fetch: fetchImpl, seen, stored: () => stored };
}

const STORED: ReportSettings = {
  ...DEFAULT_REPORT_SETTINGS,
  issuer: 'UBND XÃ AN BÌNH',
  addressees: ['UBND huyện Thử Nghiệm'],
  bases: ['Kế hoạch số 12/KH-UBND ngày 05/01/2026'],
  signerName: 'Người Ký Thử',
};

function field(label: string): HTMLInputElement | HTMLTextAreaElement {
  return screen.getByLabelText(label);
}

async function type(label: string, value: string): Promise<void> {
  await fireEvent.input(field(label), { target: { value } });
}

async function ready(server: ReturnType<typeof settingsServer>) {
  const view = render(ReportSettingsForm, { props: { token: TOKEN, fetch: server.fetch } });
  await waitFor(() => expect(field('Cơ quan ban hành').value).toBe(server.stored().issuer));
  return view;
}

describe('report settings form', () => {
  it('loads the stored settings with the token and saves edits, lists one item per line', async () => {
    const server = settingsServer(STORED);
    const saved: ReportSettings[] = [];
    render(ReportSettingsForm, {
      props: { token: TOKEN, fetch: server.fetch, onsaved: (s: ReportSettings) => saved.push(s) },
    });
    await waitFor(() => expect(field('Cơ quan ban hành').value).toBe(STORED.issuer));
    expect(server.seen[0]).toMatchObject({
      method: 'GET',
      path: '/api/v1/report-settings',
      auth: `Bearer ${TOKEN}`,
    });
    expect(field('Kính gửi (mỗi dòng một nơi)').value).toBe('UBND huyện Thử Nghiệm');
    expect(field('Nơi nhận (mỗi dòng một nơi)').value).toBe('Như trên\nLưu: VT');
    expect(field('Thẩm quyền ký').value).toBe('TM. ỦY BAN NHÂN DÂN');

    await type('Kính gửi (mỗi dòng một nơi)', 'UBND huyện Thử Nghiệm\n\n  Công an huyện  \n');
    await type('Ký hiệu số báo cáo', 'BC-UBND.TCNS');
    await type('Họ và tên người ký', '  Trần Văn Ký ');
    await fireEvent.click(screen.getByRole('button', { name: 'Lưu thông tin' }));

    expect((await screen.findByRole('status')).textContent).toBe('Đã lưu');
    const put = server.seen.find((s) => s.method === 'PUT')!;
    expect(put.auth).toBe(`Bearer ${TOKEN}`);
    expect(put.body).toEqual({
      ...STORED,
      addressees: ['UBND huyện Thử Nghiệm', 'Công an huyện'],
      numberSuffix: 'BC-UBND.TCNS',
      signerName: 'Trần Văn Ký',
    });
    expect(field('Họ và tên người ký').value).toBe('Trần Văn Ký');
    expect(saved).toEqual([put.body]);

    // Another visit shows what was kept.
    document.body.innerHTML = '';
    await ready(server);
    expect(field('Kính gửi (mỗi dòng một nơi)').value).toBe('UBND huyện Thử Nghiệm\nCông an huyện');
  });

  it('refuses bad fields with the schema before any request and keeps what was typed', async () => {
    const server = settingsServer(STORED);
    await ready(server);
    await type('Ký hiệu số báo cáo', 'BC UBND');
    await type('Cơ quan ban hành', 'Ủ'.repeat(121));
    await type(
      'Căn cứ (mỗi dòng một văn bản)',
      Array.from({ length: 13 }, (_, i) => `Văn bản ${i + 1}`).join('\n'),
    );
    await fireEvent.click(screen.getByRole('button', { name: 'Lưu thông tin' }));

    expect((await screen.findByRole('alert')).textContent).toBe('Vui lòng sửa các ô được đánh dấu.');
    expect(server.seen.filter((s) => s.method === 'PUT')).toHaveLength(0);
    const suffix = field('Ký hiệu số báo cáo');
    expect(suffix.getAttribute('aria-invalid')).toBe('true');
    expect(
      document.getElementById(suffix.getAttribute('aria-describedby')!.split(' ').at(-1)!)!.textContent,
    ).toBe('Chỉ dùng chữ, số và các dấu “.”, “/”, “-” (không có dấu cách).');
    expect(document.querySelector('[data-field-error="issuer"]')!.textContent).toBe('Tối đa 120 ký tự.');
    expect(document.querySelector('[data-field-error="bases"]')!.textContent).toBe('Tối đa 12 dòng.');
    expect(document.querySelector('[data-field-error="signerName"]')).toBeNull();
    expect(document.activeElement).toBe(field('Cơ quan ban hành'));
    expect(suffix.value).toBe('BC UBND');

    // An ID number in a printed line is refused here too, as the server refuses it.
    await type('Ký hiệu số báo cáo', 'BC-UBND');
    await type('Cơ quan ban hành', 'UBND XÃ AN BÌNH');
    await type('Căn cứ (mỗi dòng một văn bản)', 'Kế hoạch 12/KH-UBND\nĐơn của ông A, CCCD 001203004567');
    await fireEvent.click(screen.getByRole('button', { name: 'Lưu thông tin' }));
    await waitFor(() =>
      expect(document.querySelector('[data-field-error="bases"]')!.textContent).toBe(
        'Căn cứ có vẻ chứa số định danh cá nhân. Không ghi số định danh; hãy xoá số này.',
      ),
    );
    expect(document.querySelector('[data-field-error="issuer"]')).toBeNull();
    expect(server.seen.filter((s) => s.method === 'PUT')).toHaveLength(0);

    // Fixed, it saves and the marks go.
    await type('Ký hiệu số báo cáo', 'BC-UBND');
    await type('Cơ quan ban hành', 'UBND XÃ AN BÌNH');
    await type('Căn cứ (mỗi dòng một văn bản)', 'Kế hoạch số 12/KH-UBND');
    await fireEvent.click(screen.getByRole('button', { name: 'Lưu thông tin' }));
    await screen.findByText('Đã lưu');
    expect(document.querySelector('[data-field-error]')).toBeNull();
    expect(server.stored().bases).toEqual(['Kế hoạch số 12/KH-UBND']);
  });

  it('has no axe violation, with field errors shown', async () => {
    const server = settingsServer(STORED);
    // Placed as in the dashboard: under the screen's h2 and an admin section's h3.
    const main = shellFrame();
    main.innerHTML = '<h2>Tổng hợp kết quả</h2><section><h3>Báo cáo in</h3><div></div></section>';
    render(ReportSettingsForm, {
      target: main.querySelector('div')!,
      props: { token: TOKEN, fetch: server.fetch },
    });
    await waitFor(() => expect(field('Cơ quan ban hành').value).toBe(STORED.issuer));
    await type('Ký hiệu số báo cáo', 'BC UBND');
    await fireEvent.click(screen.getByRole('button', { name: 'Lưu thông tin' }));
    await screen.findByRole('alert');
    expect(await axeViolations()).toEqual([]);
  });

  it('shows a 400 answer’s field messages under their fields and keeps every typed value', async () => {
    const server = settingsServer(STORED, () =>
      json(400, {
        error: {
          code: 'invalid_request',
          message: 'Yêu cầu không hợp lệ.',
          details: {
            fields: [
              { field: 'signerName', code: 'too_long', message: 'Họ tên quá dài.' },
              { field: 'recipients.1', code: 'too_long', message: 'Dòng 2 quá dài.' },
            ],
          },
        },
      }),
    );
    await ready(server);
    await type('Họ và tên người ký', 'Nguyễn Văn Ký');
    await type('Nơi nhận (mỗi dòng một nơi)', 'Như trên\nLưu: VT, hồ sơ');
    await fireEvent.click(screen.getByRole('button', { name: 'Lưu thông tin' }));

    await waitFor(() => expect(document.querySelector('[data-field-error="signerName"]')).toBeTruthy());
    expect(document.querySelector('[data-field-error="signerName"]')!.textContent).toBe('Họ tên quá dài.');
    expect(document.querySelector('[data-field-error="recipients"]')!.textContent).toBe('Dòng 2 quá dài.');
    expect(field('Họ và tên người ký').getAttribute('aria-invalid')).toBe('true');
    expect(field('Họ và tên người ký').value).toBe('Nguyễn Văn Ký');
    expect(field('Nơi nhận (mỗi dòng một nơi)').value).toBe('Như trên\nLưu: VT, hồ sơ');
    expect(screen.queryByText('Đã lưu')).toBeNull();
    expect(server.stored()).toEqual(STORED);
  });

  it('keeps what was typed when the save fails or the network is down, and retries a failed load', async () => {
    let down = false;
    const server = settingsServer(STORED, () => json(500, { error: { code: 'internal', message: 'Lỗi' } }));
    const flaky: typeof fetch = (input, init) =>
      down ? Promise.reject(new TypeError('Failed to fetch')) : server.fetch(input, init);
    render(ReportSettingsForm, { props: { token: TOKEN, fetch: flaky } });
    await waitFor(() => expect(field('Cơ quan ban hành').value).toBe(STORED.issuer));

    await type('Chức vụ người ký', 'PHÓ CHỦ TỊCH');
    await fireEvent.click(screen.getByRole('button', { name: 'Lưu thông tin' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Không lưu được thông tin báo cáo.');
    expect(field('Chức vụ người ký').value).toBe('PHÓ CHỦ TỊCH');

    down = true;
    await fireEvent.click(screen.getByRole('button', { name: 'Lưu thông tin' }));
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe(
        'Không có mạng. Cần kết nối để xem số liệu tổng hợp.',
      ),
    );
    expect(field('Chức vụ người ký').value).toBe('PHÓ CHỦ TỊCH');

    document.body.innerHTML = '';
    render(ReportSettingsForm, { props: { token: TOKEN, fetch: flaky } });
    expect((await screen.findByRole('alert')).textContent).toContain('Không tải được thông tin báo cáo.');
    expect(screen.queryByLabelText('Cơ quan ban hành')).toBeNull();
    down = false;
    await fireEvent.click(screen.getByRole('button', { name: 'Thử lại' }));
    await waitFor(() => expect(field('Cơ quan ban hành').value).toBe(STORED.issuer));
  });
});
