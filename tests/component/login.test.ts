// The login screen: wrong credentials, success storing session + hamlets for offline use.
import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { getSession, getSyncMeta } from '../../src/app/db/meta-repo.ts';
import { SessionState } from '../../src/app/state/session.svelte.ts';
import { ApiClient } from '../../src/app/sync/api.ts';
import LoginScreen from '../../src/app/ui/LoginScreen.svelte';
import { freshDb } from './support/db.ts';
import { FakeServer, HAMLETS } from './support/fake-server.ts';

function setup(fetchImpl: typeof fetch) {
  const db = freshDb();
  const session = new SessionState({ db, api: new ApiClient({ fetch: fetchImpl }), isOnline: () => true });
  const onLoggedIn = vi.fn();
  render(LoginScreen, { props: { session, onLoggedIn } });
  return { db, session, onLoggedIn };
}

async function submit(username: string, password: string) {
  await fireEvent.input(screen.getByLabelText('Tên đăng nhập'), { target: { value: username } });
  await fireEvent.input(screen.getByLabelText('Mật khẩu'), { target: { value: password } });
  await fireEvent.click(screen.getByRole('button', { name: 'Đăng nhập' }));
}

describe('login screen', () => {
  it('shows "Sai tên đăng nhập hoặc mật khẩu." for wrong credentials and stores nothing', async () => {
    const { db, onLoggedIn } = setup(new FakeServer().fetch);

    await submit('demo-tnv', 'wrong');

    expect((await screen.findByRole('alert')).textContent).toContain('Sai tên đăng nhập hoặc mật khẩu.');
    expect(await getSession(db)).toBeUndefined();
    expect(onLoggedIn).not.toHaveBeenCalled();
  });

  it('stores the session, the commune hamlets and a fresh sync state in Dexie on success', async () => {
    const { db, session, onLoggedIn } = setup(new FakeServer().fetch);

    await submit('demo-tnv', 'demo');

    await vi.waitFor(() => expect(onLoggedIn).toHaveBeenCalledTimes(1));
    const stored = await getSession(db);
    expect(stored!.token).toBe('token-0123456789abcdef');
    expect(stored!.user.username).toBe('demo-tnv');
    expect(stored!.commune.hamlets).toEqual(HAMLETS);
    const sync = await getSyncMeta(db);
    expect(sync).toMatchObject({ nextSeq: 1, cursor: null });
    expect(sync!.clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(session.current?.user.id).toBe('u-tnv');
  });

  it('says the server cannot be reached when something other than our JSON answers', async () => {
    const portal: typeof fetch = async () =>
      new Response('<html>Wi-Fi</html>', { status: 200, headers: { 'content-type': 'text/html' } });
    const { db } = setup(portal);

    await submit('demo-tnv', 'demo');

    expect((await screen.findByRole('alert')).textContent).toContain('Không kết nối được máy chủ');
    expect(await getSession(db)).toBeUndefined();
  });
});
