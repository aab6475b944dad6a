// The hand-over from index.html's static login form to the app: a login the static form already
// sent is finished by LoginScreen with that answer (no second request), and what was typed or
// shown comes along; a later login screen starts empty.
import { render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionState } from '../../src/app/state/session.svelte.ts';
import { ApiClient } from '../../src/app/sync/api.ts';
import LoginScreen from '../../src/app/ui/LoginScreen.svelte';
import { claimStaticLogin, takeStaticLogin } from '../../src/app/ui/static-login.ts';
import { freshDb } from './support/db.ts';
import { FakeServer } from './support/fake-server.ts';

/** index.html's form, as the inline script leaves it. */
function staticForm(username: string, password: string, error = ''): HTMLElement {
  const root = document.createElement('div');
  root.innerHTML = `<form id="static-login">
    <input id="login-username" name="username"><input id="login-password" name="password" type="password">
    <p class="error" ${error ? '' : 'hidden'}>${error}</p><button type="submit">Đăng nhập</button></form>`;
  (root.querySelector('[name=username]') as HTMLInputElement).value = username;
  (root.querySelector('[name=password]') as HTMLInputElement).value = password;
  document.body.append(root);
  return root;
}

type Win = { sotayLogin?: { username: string; sent: Promise<Response>; taken: boolean } | null };

afterEach(() => {
  document.body.replaceChildren();
  (window as unknown as Win).sotayLogin = null;
  claimStaticLogin();
});

function loginScreen(server: FakeServer, onLoggedIn = vi.fn()) {
  const session = new SessionState({
    db: freshDb(),
    api: new ApiClient({ fetch: server.fetch }),
    isOnline: () => true,
  });
  render(LoginScreen, { props: { session, onLoggedIn } });
  return { session, onLoggedIn };
}

describe('static login hand-over', () => {
  it('finishes the login the static form sent, with its answer, sending nothing again', async () => {
    const server = new FakeServer();
    const sent = server.fetch('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'demo-tnv', password: 'demo' }),
    });
    const pending = { username: 'demo-tnv', sent, taken: false };
    (window as unknown as Win).sotayLogin = pending;
    const root = staticForm('demo-tnv', 'demo');

    const handed = takeStaticLogin(root);
    root.remove(); // as main.ts replaces the static shell
    expect(pending.taken).toBe(true);
    expect((window as unknown as Win).sotayLogin).toBeNull();
    expect(handed?.sent).toBe(sent);

    const { session, onLoggedIn } = loginScreen(server);
    expect((screen.getByRole('button', { name: 'Đăng nhập' }) as HTMLButtonElement).disabled).toBe(true);
    await waitFor(() => expect(onLoggedIn).toHaveBeenCalledTimes(1));
    expect(session.current?.user.username).toBe('demo-tnv');
    expect(server.log.filter((l) => l.path.endsWith('/auth/login'))).toHaveLength(1);
  });

  it('says why an adopted login was refused, keeping the name', async () => {
    const server = new FakeServer();
    const sent = Promise.resolve(
      new Response(JSON.stringify({ error: { code: 'unauthorized', message: 'x' } }), {
        status: 401,
        headers: { 'content-type': 'application/json' },
      }),
    );
    (window as unknown as Win).sotayLogin = { username: 'demo-tnv', sent, taken: false };
    takeStaticLogin(staticForm('demo-tnv', 'sai'));
    document.body.replaceChildren();
    const { onLoggedIn } = loginScreen(server);
    await screen.findByText('Sai tên đăng nhập hoặc mật khẩu.');
    expect(onLoggedIn).not.toHaveBeenCalled();
    expect((screen.getByLabelText('Tên đăng nhập') as HTMLInputElement).value).toBe('demo-tnv');
    expect((screen.getByRole('button', { name: 'Đăng nhập' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('carries what was typed and the message shown, once', () => {
    takeStaticLogin(staticForm('demo-tnv', 'dem', 'Sai tên đăng nhập hoặc mật khẩu.'));
    document.body.replaceChildren();
    const server = new FakeServer();
    loginScreen(server);
    expect((screen.getByLabelText('Tên đăng nhập') as HTMLInputElement).value).toBe('demo-tnv');
    expect((screen.getByLabelText('Mật khẩu') as HTMLInputElement).value).toBe('dem');
    expect(screen.getByRole('alert').textContent).toContain('Sai tên đăng nhập');
    expect(server.log).toHaveLength(0);
    expect(claimStaticLogin()).toBeNull();
  });

  it('hands over nothing from an untouched form', () => {
    expect(takeStaticLogin(staticForm('', ''))).toBeNull();
  });
});
