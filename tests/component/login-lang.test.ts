// The language switch is on the login screen too (before any session exists): choosing English
// remembers it and reloads; the user name typed so far comes back after the reload, the password never.
import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LANG_KEY } from '../../src/app/i18n/index.ts';
import { SessionState } from '../../src/app/state/session.svelte.ts';
import { ApiClient } from '../../src/app/sync/api.ts';
import LoginScreen from '../../src/app/ui/LoginScreen.svelte';
import { freshDb } from './support/db.ts';
import { FakeServer } from './support/fake-server.ts';

function renderLogin(reload: () => void) {
  const session = new SessionState({
    db: freshDb(),
    api: new ApiClient({ fetch: new FakeServer().fetch }),
    isOnline: () => true,
  });
  return render(LoginScreen, { props: { session, reload } });
}

afterEach(() => {
  localStorage.removeItem(LANG_KEY);
  sessionStorage.clear();
});

describe('language switch on the login screen', () => {
  it('switches to English from the login screen, remembers it and reloads, keeping the user name', async () => {
    const reload = vi.fn();
    const view = renderLogin(reload);
    await fireEvent.input(screen.getByLabelText('Tên đăng nhập'), { target: { value: 'demo-tnv' } });
    await fireEvent.input(screen.getByLabelText('Mật khẩu'), { target: { value: 'bí-mật' } });

    const select = screen.getByLabelText('Ngôn ngữ') as HTMLSelectElement;
    expect(select.value).toBe('vi');
    await fireEvent.change(select, { target: { value: 'en' } });

    expect(localStorage.getItem(LANG_KEY)).toBe('en');
    expect(reload).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(sessionStorage)).not.toContain('bí-mật');

    // "After the reload": a new login screen gets the name back, once.
    view.unmount();
    renderLogin(vi.fn());
    expect((screen.getByLabelText('Tên đăng nhập') as HTMLInputElement).value).toBe('demo-tnv');
    expect((screen.getByLabelText('Mật khẩu') as HTMLInputElement).value).toBe('');
    expect(sessionStorage.length).toBe(0);
  });

  it('does not reload when the language chosen is the current one', async () => {
    const reload = vi.fn();
    renderLogin(reload);
    await fireEvent.change(screen.getByLabelText('Ngôn ngữ'), { target: { value: 'vi' } });
    expect(reload).not.toHaveBeenCalled();
  });
});
