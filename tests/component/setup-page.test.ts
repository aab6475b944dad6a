// The first-run set-up page: a wrong field is named in Vietnamese before anything is sent, a field
// the server refuses shows its message at that field, and a good set-up says where to log in.
import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import SetupScreen from '../../src/app/ui/setup/SetupScreen.svelte';
import { json } from './support/fake-server.ts';

const TOKEN = 'setup-token-0123456789abcdefghijklmnopqrstu';

function renderPage(answer: () => Response) {
  const sent: { path: string; body: Record<string, unknown> }[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    sent.push({ path: String(input), body: JSON.parse(String(init?.body)) as Record<string, unknown> });
    return answer();
  };
  render(SetupScreen, { props: { token: TOKEN, fetchImpl } });
  return sent;
}

async function type(label: string, value: string) {
  await fireEvent.input(screen.getByLabelText(label, { exact: false }), { target: { value } });
}

async function fillGood() {
  await type('Tên chính thức của xã/phường', 'Xã Thử Nghiệm');
  await type('Mã xã/phường', '26734');
  await type('Thôn/ấp/tổ dân phố (', 'Thôn Một\n\n  Thôn Hai \nthôn một\n');
  await type('Các tổ công nghệ số (', 'Tổ CNS số 1');
  await type('Họ tên hiển thị', 'Người Quản Trị');
  await type('Tên đăng nhập', 'qt-thu');
  await type('Mật khẩu (ít nhất 8 ký tự)', 'mat-khau-thu-1');
  await type('Nhập lại mật khẩu', 'mat-khau-thu-1');
}

describe('the set-up page', () => {
  it('names a wrong commune code and a mismatched password in Vietnamese and sends nothing', async () => {
    const sent = renderPage(() => json(500, {}));
    await fillGood();
    await type('Mã xã/phường', '2673');
    await type('Nhập lại mật khẩu', 'khac-hoan-toan');
    await fireEvent.click(screen.getByRole('button', { name: 'Tạo xã và tài khoản quản trị' }));
    expect(await screen.findByText(/Mã xã\/phường gồm đúng 5 chữ số/)).toBeTruthy();
    expect(screen.getByText('Hai lần nhập mật khẩu không khớp.')).toBeTruthy();
    expect(screen.getByLabelText('Mã xã/phường', { exact: false }).getAttribute('aria-invalid')).toBe('true');
    expect(sent).toEqual([]);
  });

  it("shows the server's refusal at its field", async () => {
    renderPage(() =>
      json(409, {
        error: {
          code: 'username_taken',
          message: 'Tên đăng nhập đã có người dùng.',
          details: {
            fields: [
              { field: 'admin.username', code: 'taken', message: 'Tên đăng nhập này đã có người dùng.' },
            ],
          },
        },
      }),
    );
    await fillGood();
    await fireEvent.click(screen.getByRole('button', { name: 'Tạo xã và tài khoản quản trị' }));
    expect(await screen.findByText('Tên đăng nhập này đã có người dùng.')).toBeTruthy();
  });

  it('sends the set-up with its token, counts the de-duplicated hamlets, and links to the login screen', async () => {
    const sent = renderPage(() =>
      json(201, {
        communeCode: '26734',
        communeName: 'Xã Thử Nghiệm',
        username: 'qt-thu',
        hamlets: 2,
        teams: 1,
      }),
    );
    await fillGood();
    expect(screen.getByLabelText('Thôn/ấp/tổ dân phố (2)')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Tạo xã và tài khoản quản trị' }));
    expect(await screen.findByText(/Đã thiết lập xong Xã Thử Nghiệm \(mã 26734\)/)).toBeTruthy();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.path).toBe('/api/setup');
    expect(sent[0]?.body).toMatchObject({ token: TOKEN, commune: { code: '26734' } });
    const link = screen.getByRole('link', { name: 'Đến màn hình đăng nhập' });
    expect(link.getAttribute('href')).toBe('/');
  });
});
