// The admin screen refuses an ID number typed into a display name, a team name or a hamlet name,
// however disguised: the Vietnamese message at the field, nothing sent, the typed text kept.
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/app/sync/api.ts';
import AdminScreen from '../../src/app/ui/admin/AdminScreen.svelte';
import type { AdminDirectory } from '../../src/shared/admin.ts';
import { DIGIT_ZEROS, inScript } from '../support/disguised-ids.ts';
import { json } from './support/fake-server.ts';

const TOKEN = 'admin-token-0123456789abcdef';
const MESSAGE = 'Tên có vẻ chứa số định danh cá nhân. Không ghi số định danh; hãy xoá số này.';

const DIRECTORY: AdminDirectory = {
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
  ],
  teams: [{ id: 't1', name: 'Tổ số 1' }],
  hamlets: [{ id: 'h1', name: 'Thôn Đông', active: true }],
  devices: [],
};

function renderAdmin() {
  const writes: { method: string; path: string }[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const path = typeof input === 'string' ? input : (input as Request).url;
    const method = init?.method ?? 'GET';
    if (method !== 'GET') writes.push({ method, path });
    if (path === '/api/v1/admin/directory') return json(200, DIRECTORY);
    return json(500, { error: { code: 'internal', message: 'Lỗi máy chủ.' } });
  };
  render(AdminScreen, {
    props: {
      api: new ApiClient({ fetch: fetchImpl }),
      token: TOKEN,
      origin: 'https://xa.example',
      confirm: () => true,
    },
  });
  return writes;
}

describe('admin screen free text', () => {
  it("refuses a new user's display name holding an ID number in full-width digits", async () => {
    const writes = renderAdmin();
    await screen.findByText('Người Thử Một', { selector: 'strong' });
    const form = screen.getByRole('form', { name: 'Thêm người dùng' });
    const typed = `Lan ${inScript('001-099-012-345', DIGIT_ZEROS.fullWidth)}`;
    await fireEvent.input(within(form).getByLabelText('Tên đăng nhập'), { target: { value: 'tnv-lan' } });
    const field = within(form).getByLabelText('Họ tên hiển thị');
    await fireEvent.input(field, { target: { value: typed } });
    await fireEvent.change(within(form).getByLabelText('Tổ'), { target: { value: 't1' } });
    await fireEvent.click(within(form).getByRole('button', { name: 'Thêm người dùng' }));

    expect(
      within(form)
        .getAllByRole('alert')
        .map((a) => a.textContent),
    ).toEqual([MESSAGE]);
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect((field as HTMLInputElement).value).toBe(typed);
    expect(writes).toEqual([]);
  });

  it('refuses a new team name and a hamlet rename holding an ID number split by slashes and zero-width spaces', async () => {
    const writes = renderAdmin();
    await screen.findByText('Người Thử Một', { selector: 'strong' });
    const typed = 'Tổ 001/099/012\u200b345';

    const team = screen.getByLabelText('Thêm tổ');
    await fireEvent.input(team, { target: { value: typed } });
    await fireEvent.click(screen.getByRole('button', { name: 'Thêm tổ' }));
    const teamSection = team.closest('section') as HTMLElement;
    expect((await within(teamSection).findByRole('alert')).textContent).toBe(MESSAGE);
    expect(team.getAttribute('aria-invalid')).toBe('true');
    expect((team as HTMLInputElement).value).toBe(typed);

    const hamlet = screen
      .getByText('Thôn Đông', { selector: 'section li span' })
      .closest('li') as HTMLElement;
    await fireEvent.click(within(hamlet).getByRole('button', { name: 'Đổi tên' }));
    const rename = within(hamlet).getByLabelText('Tên');
    await fireEvent.input(rename, {
      target: { value: `Thôn ${inScript('001 099 012 345', DIGIT_ZEROS.arabicIndic)}` },
    });
    await fireEvent.click(within(hamlet).getByRole('button', { name: 'Lưu' }));
    expect((await within(hamlet).findByRole('alert')).textContent).toBe(MESSAGE);
    expect(rename.getAttribute('aria-invalid')).toBe('true');
    expect(writes).toEqual([]);
  });
});
