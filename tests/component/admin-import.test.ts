// The admin's "Nhập từ bảng tính": the preview table shows each row's problem in Vietnamese, names the
// rows with problems above it, and keeps the import button disabled while any is left; a clean file
// imports, and the QR sheet shows one QR code per person with a share of each link and a print of it.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../../src/app/sync/api.ts';
import AdminScreen from '../../src/app/ui/admin/AdminScreen.svelte';
import { templateCsv } from '../../src/app/ui/admin/people-import.ts';
import type { AdminDirectory } from '../../src/shared/admin.ts';
import type { ImportedPerson, ImportRow } from '../../src/shared/people-import.ts';
import { json } from './support/fake-server.ts';

const TOKEN = 'admin-token-0123456789abcdef';

const DIRECTORY: AdminDirectory = {
  users: [],
  teams: [{ id: 't1', name: 'Tổ số 1' }],
  hamlets: [],
  devices: [],
};

const row = (line: number, username: string, problems: ImportRow['problems'] = []): ImportRow => ({
  line,
  name: `Người Thử ${line}`,
  username,
  role: 'tình nguyện viên',
  team: 'to so 1',
  phone: line === 2 ? '0912345678' : '',
  roleValue: 'volunteer',
  teamId: 't1',
  teamName: 'Tổ số 1',
  problems,
});

const person = (r: ImportRow): ImportedPerson => ({
  line: r.line,
  teamName: 'Tổ số 1',
  user: {
    id: `u-${r.line}`,
    username: r.username,
    displayName: r.name,
    role: 'volunteer',
    teamId: 't1',
    active: true,
    hasPassword: false,
  },
  enrolment: {
    token: `qr-token-${r.line}-abcdefghijklmnopqrstuvwxyz`,
    userId: `u-${r.line}`,
    expiresAt: '2026-12-08T01:00:00.000Z',
  },
});

/** The admin API: a file holding "SAI" previews with a problem row; any other is clean. */
function importServer() {
  const calls: { path: string; body: unknown }[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const path = typeof input === 'string' ? input : (input as Request).url;
    const body = init?.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : undefined;
    calls.push({ path, body });
    if (path === '/api/v1/admin/directory') return json(200, DIRECTORY);
    if (path === '/api/v1/admin/users/import/preview') {
      const text = Buffer.from(String(body?.file), 'base64').toString('utf8');
      const rows = text.includes('SAI')
        ? [
            row(2, 'test-mot'),
            row(3, 'test-hai', [
              { field: 'username', code: 'taken', message: 'Tên đăng nhập đã có người dùng.' },
            ]),
          ]
        : [row(2, 'test-mot'), row(3, 'test-hai')];
      return json(200, { rows });
    }
    if (path === '/api/v1/admin/users/import/commit') {
      const sent = (body?.rows as ImportRow[]).map((r) => row(r.line, r.username));
      return json(201, { people: sent.map(person) });
    }
    return json(404, { error: { code: 'not_found', message: 'Không tìm thấy.' } });
  };
  return { calls, fetchImpl };
}

async function chooseFile(text: string) {
  const input = screen.getByLabelText('Chọn tệp bảng tính') as HTMLInputElement;
  const file = new File([text], 'danh-sach.csv', { type: 'text/csv' });
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  await fireEvent.change(input);
}

function renderAdmin(fetchImpl: typeof fetch, print = vi.fn()) {
  render(AdminScreen, {
    props: { api: new ApiClient({ fetch: fetchImpl }), token: TOKEN, origin: 'https://xa.example', print },
  });
  return print;
}

describe('importing people from a spreadsheet', () => {
  it('shows each row’s problem in Vietnamese beside it and keeps the import button disabled, sending nothing to write', async () => {
    const server = importServer();
    renderAdmin(server.fetchImpl);
    await screen.findByRole('heading', { name: 'Nhập từ bảng tính' });
    await chooseFile('Họ tên;Tên đăng nhập;Vai trò;Tổ\nSAI\n');

    const table = await screen.findByTestId('import-preview');
    const bad = table.querySelector('tr[data-line="3"]') as HTMLElement;
    expect(within(bad).getByText('Tên đăng nhập đã có người dùng.')).toBeTruthy();
    const good = table.querySelector('tr[data-line="2"]') as HTMLElement;
    expect(within(good).getByText(/Hợp lệ/)).toBeTruthy();
    expect(screen.getByText(/1 dòng có lỗi/)).toBeTruthy();
    const button = screen.getByRole('button', { name: 'Nhập 2 người' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    await fireEvent.click(button);
    expect(server.calls.map((c) => c.path)).not.toContain('/api/v1/admin/users/import/commit');
  });

  it('names the rows with problems above the preview, and a press on one brings that row into view', async () => {
    const server = importServer();
    renderAdmin(server.fetchImpl);
    await screen.findByRole('heading', { name: 'Nhập từ bảng tính' });
    // jsdom lays nothing out, so it has no scrollIntoView: record the calls instead.
    const scrolled: Element[] = [];
    Object.defineProperty(Element.prototype, 'scrollIntoView', {
      value(this: Element) {
        scrolled.push(this);
      },
      configurable: true,
    });
    await chooseFile('Họ tên;Tên đăng nhập;Vai trò;Tổ\nSAI\n');

    const table = await screen.findByTestId('import-preview');
    const jump = screen.getByText('Xem dòng có lỗi:');
    // Only the row with a problem is named, not the valid one.
    expect(
      within(jump)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['3']);
    await fireEvent.click(within(jump).getByRole('button', { name: '3' }));
    const bad = table.querySelector('tr[data-line="3"]');
    expect(scrolled).toEqual([bad]);
    expect(document.activeElement).toBe(bad);
    Reflect.deleteProperty(Element.prototype, 'scrollIntoView');
  });

  it('imports a clean file and shows the QR sheet: one QR code per person, each link shared, the sheet printed', async () => {
    const server = importServer();
    const print = renderAdmin(server.fetchImpl);
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await screen.findByRole('heading', { name: 'Nhập từ bảng tính' });
    await chooseFile('Họ tên;Tên đăng nhập;Vai trò;Tổ\nĐÚNG\n');

    const button = (await screen.findByRole('button', { name: 'Nhập 2 người' })) as HTMLButtonElement;
    expect(button.disabled).toBe(false);
    await fireEvent.click(button);

    const sheet = await screen.findByTestId('qr-sheet');
    expect(
      screen.getByText('Đã nhập 2 người. Mỗi người có một mã QR đăng ký máy, dùng một lần.'),
    ).toBeTruthy();
    const commit = server.calls.find((c) => c.path === '/api/v1/admin/users/import/commit');
    expect(commit?.body).toEqual({
      rows: [
        {
          line: 2,
          name: 'Người Thử 2',
          username: 'test-mot',
          role: 'tình nguyện viên',
          team: 'to so 1',
          phone: '0912345678',
        },
        {
          line: 3,
          name: 'Người Thử 3',
          username: 'test-hai',
          role: 'tình nguyện viên',
          team: 'to so 1',
          phone: '',
        },
      ],
    });
    const cards = within(sheet).getAllByRole('article');
    expect(cards).toHaveLength(2);
    await waitFor(() => expect(sheet.querySelectorAll('[data-testid="qr-code"] svg')).toHaveLength(2));
    expect(cards[0]?.textContent).toContain('Người Thử 2');
    expect(cards[0]?.textContent).toContain('Tổ số 1');
    expect(cards[0]?.textContent).toContain('0912345678');

    await fireEvent.click(within(cards[1]!).getByRole('button', { name: 'Gửi liên kết' }));
    await waitFor(() =>
      expect(writeText).toHaveBeenCalledWith(
        'https://xa.example/#enrol=qr-token-3-abcdefghijklmnopqrstuvwxyz',
      ),
    );
    expect(await within(cards[1]!).findByText('Đã chép liên kết.')).toBeTruthy();

    await fireEvent.click(within(sheet).getByRole('button', { name: 'In phiếu (A4)' }));
    expect(print).toHaveBeenCalledOnce();
  });

  it('refuses a file over 2 MB before reading or sending it', async () => {
    const server = importServer();
    renderAdmin(server.fetchImpl);
    await screen.findByRole('heading', { name: 'Nhập từ bảng tính' });
    await chooseFile('x'.repeat(2 * 1024 * 1024 + 1));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Tệp quá lớn (tối đa 2 MB). Hãy chia danh sách thành nhiều tệp.',
    );
    expect(server.calls.map((c) => c.path)).not.toContain('/api/v1/admin/users/import/preview');
  });

  it('offers a template with the right headers, in UTF-8 with a BOM', () => {
    expect(templateCsv()).toBe('\uFEFFHọ tên;Tên đăng nhập;Vai trò;Tổ;Số điện thoại\r\n');
  });
});
