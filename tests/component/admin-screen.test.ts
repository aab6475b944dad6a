// The admin's "Quản trị" tab: only for admins; lists users, devices, teams and hamlets; checks a
// new user's fields in Vietnamese before sending and keeps what was typed when the server refuses;
// shows an enrolment QR with its one-time URL; revokes a device and locks an account after confirmation.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../../src/app/sync/api.ts';
import BottomNav from '../../src/app/ui/BottomNav.svelte';
import AdminScreen from '../../src/app/ui/admin/AdminScreen.svelte';
import type { AdminDirectory } from '../../src/shared/admin.ts';
import { json } from './support/fake-server.ts';

const TOKEN = 'admin-token-0123456789abcdef';

function directory(): AdminDirectory {
  return {
    users: [
      {
        id: 'u1',
        username: 'tnv-mot',
        displayName: 'Người Thử Một',
        role: 'volunteer',
        teamId: 't1',
        active: true,
        hasPassword: false,
      },
      {
        id: 'u2',
        username: 'qt-xa',
        displayName: 'Quản Trị Thử',
        role: 'admin',
        teamId: null,
        active: true,
        hasPassword: true,
      },
    ],
    teams: [{ id: 't1', name: 'Tổ số 1' }],
    hamlets: [{ id: 'h1', name: 'Thôn Đông', active: true }],
    devices: [
      {
        id: 'd1',
        userId: 'u1',
        label: 'Android · Chrome',
        createdAt: '2026-11-20T01:00:00.000Z',
        lastSeenAt: '2026-11-27T02:00:00.000Z',
        revokedAt: null,
      },
    ],
  };
}

/** A small admin API: records each call and answers like the real one. */
function adminServer() {
  const dir = directory();
  const calls: { method: string; path: string; body: unknown }[] = [];
  let refuseUsername = false;
  const fetchImpl: typeof fetch = async (input, init) => {
    const path = typeof input === 'string' ? input : (input as Request).url;
    const method = init?.method ?? 'GET';
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ method, path, body });
    if (new Headers(init?.headers).get('authorization') !== `Bearer ${TOKEN}`)
      return json(401, { error: { code: 'unauthorized', message: 'x' } });
    if (path === '/api/v1/admin/directory') return json(200, dir);
    if (path === '/api/v1/admin/users' && method === 'POST') {
      if (refuseUsername)
        return json(409, { error: { code: 'username_taken', message: 'Tên đăng nhập đã có người dùng.' } });
      const user = { id: 'u3', active: true, hasPassword: false, teamId: null, ...body };
      dir.users.push(user);
      return json(201, user);
    }
    if (path === '/api/v1/admin/users/u1/enrolments')
      return json(201, {
        token: 'qr-token-abcdefghijklmnopqrstuvwxyz',
        userId: 'u1',
        expiresAt: '2026-11-29T01:00:00.000Z',
      });
    if (path === '/api/v1/admin/users/u1' && method === 'POST') {
      const u = dir.users[0]!;
      Object.assign(u, body);
      return json(200, u);
    }
    if (path === '/api/v1/admin/devices/d1/revoke') {
      const d = dir.devices[0]!;
      d.revokedAt = '2026-11-28T03:00:00.000Z';
      return json(200, d);
    }
    return json(404, { error: { code: 'not_found', message: 'Không tìm thấy.' } });
  };
  return {
    calls,
    fetchImpl,
    refuse() {
      refuseUsername = true;
    },
  };
}

function renderAdmin(server: ReturnType<typeof adminServer>, confirm = vi.fn(() => true)) {
  render(AdminScreen, {
    props: {
      api: new ApiClient({ fetch: server.fetchImpl }),
      token: TOKEN,
      origin: 'https://xa.example',
      confirm,
    },
  });
  return confirm;
}

describe('admin tab', () => {
  it('is shown to admins only', () => {
    const { unmount } = render(BottomNav, { props: { role: 'admin', place: 'dashboard' } });
    expect(screen.getByRole('link', { name: 'Tài khoản' })).toBeTruthy();
    unmount();
    render(BottomNav, { props: { role: 'supervisor', place: 'dashboard' } });
    expect(screen.queryByRole('link', { name: 'Tài khoản' })).toBeNull();
  });
});

describe('admin screen', () => {
  it('lists users, devices with their last contact, teams and hamlets', async () => {
    renderAdmin(adminServer());
    expect(await screen.findByText('Người Thử Một', { selector: 'strong' })).toBeTruthy();
    const device = screen.getByText('Android · Chrome').closest('tr')!;
    expect(within(device as HTMLElement).getByText('Người Thử Một')).toBeTruthy();
    expect(device.textContent).toContain(new Date('2026-11-27T02:00:00.000Z').toLocaleString('vi-VN'));
    expect(screen.getByText('Tổ số 1', { selector: 'section li span' })).toBeTruthy();
    expect(screen.getByText('Thôn Đông', { selector: 'section li span' })).toBeTruthy();
  });

  it('checks a new user in Vietnamese before sending anything', async () => {
    const server = adminServer();
    renderAdmin(server);
    await screen.findByText('Người Thử Một', { selector: 'strong' });
    const form = screen.getByRole('form', { name: 'Thêm người dùng' });
    await fireEvent.input(within(form).getByLabelText('Tên đăng nhập'), { target: { value: 'Có Dấu' } });
    await fireEvent.input(within(form).getByLabelText('Mật khẩu ban đầu (không bắt buộc)'), {
      target: { value: 'ngan' },
    });
    await fireEvent.click(within(form).getByRole('button', { name: 'Thêm người dùng' }));

    const alerts = within(form)
      .getAllByRole('alert')
      .map((a) => a.textContent);
    expect(alerts).toEqual([
      expect.stringContaining('Tên đăng nhập chỉ gồm chữ thường'),
      'Vui lòng nhập trường này.',
      'Tình nguyện viên và tổ trưởng phải thuộc một tổ.',
      'Mật khẩu cần ít nhất 8 ký tự.',
    ]);
    expect(server.calls.filter((c) => c.method === 'POST')).toEqual([]);
  });

  it('keeps what was typed when the server refuses the username, and shows it at the field', async () => {
    const server = adminServer();
    server.refuse();
    renderAdmin(server);
    await screen.findByText('Người Thử Một', { selector: 'strong' });
    const form = screen.getByRole('form', { name: 'Thêm người dùng' });
    await fireEvent.input(within(form).getByLabelText('Tên đăng nhập'), { target: { value: 'tnv-hai' } });
    await fireEvent.input(within(form).getByLabelText('Họ tên hiển thị'), {
      target: { value: 'Người Thử Hai' },
    });
    await fireEvent.change(within(form).getByLabelText('Tổ'), { target: { value: 't1' } });
    await fireEvent.click(within(form).getByRole('button', { name: 'Thêm người dùng' }));

    expect((await within(form).findByRole('alert')).textContent).toBe('Tên đăng nhập đã có người dùng.');
    expect((within(form).getByLabelText('Họ tên hiển thị') as HTMLInputElement).value).toBe('Người Thử Hai');
    expect(server.calls.at(-1)).toMatchObject({
      path: '/api/v1/admin/users',
      body: { username: 'tnv-hai', displayName: 'Người Thử Hai', role: 'volunteer', teamId: 't1' },
    });
  });

  it('creates a user and lists them', async () => {
    const server = adminServer();
    renderAdmin(server);
    await screen.findByText('Người Thử Một', { selector: 'strong' });
    const form = screen.getByRole('form', { name: 'Thêm người dùng' });
    await fireEvent.input(within(form).getByLabelText('Tên đăng nhập'), { target: { value: 'gs-moi' } });
    await fireEvent.input(within(form).getByLabelText('Họ tên hiển thị'), {
      target: { value: 'Giám Sát Mới' },
    });
    await fireEvent.change(within(form).getByLabelText('Vai trò'), { target: { value: 'supervisor' } });
    await fireEvent.click(within(form).getByRole('button', { name: 'Thêm người dùng' }));

    expect(await screen.findByText('Giám Sát Mới')).toBeTruthy();
    expect((within(form).getByLabelText('Tên đăng nhập') as HTMLInputElement).value).toBe('');
  });

  it('shows an enrolment QR for a user with the one-time URL of this app', async () => {
    const server = adminServer();
    renderAdmin(server);
    const row = (await screen.findByText('Người Thử Một', { selector: 'strong' })).closest('li')!;
    await fireEvent.click(within(row as HTMLElement).getByRole('button', { name: 'Mã QR đăng ký máy' }));

    const qr = await screen.findByTestId('enrolment-qr');
    expect(qr.textContent).toContain('Đăng ký điện thoại cho Người Thử Một');
    expect(within(qr).getByTestId('enrolment-url').textContent).toBe(
      'https://xa.example/#enrol=qr-token-abcdefghijklmnopqrstuvwxyz',
    );
    expect(qr.querySelector('canvas')).toBeTruthy();
  });

  it('revokes a device only after confirmation and shows when', async () => {
    const server = adminServer();
    const confirm = renderAdmin(
      server,
      vi.fn(() => false),
    );
    await screen.findByText('Android · Chrome');
    await fireEvent.click(screen.getByRole('button', { name: 'Thu hồi' }));
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('Android · Chrome'));
    expect(server.calls.some((c) => c.path.endsWith('/revoke'))).toBe(false);

    confirm.mockReturnValue(true);
    await fireEvent.click(screen.getByRole('button', { name: 'Thu hồi' }));
    await waitFor(() => expect(screen.getByText(/Đã thu hồi lúc/)).toBeTruthy());
    expect(screen.queryByRole('button', { name: 'Thu hồi' })).toBeNull();
  });

  it('locks an account only after a confirmation in Vietnamese, and unlocks without one', async () => {
    const server = adminServer();
    const confirm = renderAdmin(
      server,
      vi.fn(() => false),
    );
    await screen.findByText('Android · Chrome');
    const row = document.querySelector('li[data-username="tnv-mot"]') as HTMLElement;
    await fireEvent.click(within(row).getByRole('button', { name: 'Khóa tài khoản' }));
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('Khóa tài khoản của Người Thử Một'));
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('đăng xuất trên mọi thiết bị'));
    expect(server.calls.some((c) => c.path === '/api/v1/admin/users/u1')).toBe(false);

    confirm.mockReturnValue(true);
    await fireEvent.click(within(row).getByRole('button', { name: 'Khóa tài khoản' }));
    await waitFor(() => expect(within(row).getByText('Đã khóa')).toBeTruthy());
    expect(server.calls.find((c) => c.path === '/api/v1/admin/users/u1')?.body).toEqual({ active: false });

    confirm.mockClear();
    await fireEvent.click(within(row).getByRole('button', { name: 'Mở khóa' }));
    await waitFor(() => expect(within(row).getByText('Đang hoạt động')).toBeTruthy());
    expect(confirm).not.toHaveBeenCalled();
  });

  it('tells, when editing a user, that a new password, role or team signs them out everywhere', async () => {
    renderAdmin(adminServer());
    await screen.findByText('Android · Chrome');
    const row = document.querySelector('li[data-username="tnv-mot"]') as HTMLElement;
    await fireEvent.click(within(row).getByRole('button', { name: 'Sửa' }));
    expect(
      within(row).getByText(/Đổi mật khẩu, vai trò hoặc tổ sẽ đăng xuất người này trên mọi thiết bị/),
    ).toBeTruthy();
  });
});
