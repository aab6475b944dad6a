// The phone's side of accounts and devices: enrolment from the QR link (no password), the wipe
// after a revoked device or a disabled account at any contact, and the shared-phone rules.
import { render, screen, waitFor } from '@testing-library/svelte';
import { Dexie } from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import App from '../../src/app/App.svelte';
import { getSession, storeLogin } from '../../src/app/db/meta-repo.ts';
import { saveNewRecord } from '../../src/app/db/records-repo.ts';
import { createServices, loadServices } from '../../src/app/services.ts';
import { enrolFromLink } from '../../src/app/state/enrol-link.ts';
import { SessionState } from '../../src/app/state/session.svelte.ts';
import { ApiClient } from '../../src/app/sync/api.ts';
import type { LoginResponse } from '../../src/shared/index.ts';
import { freshDb, loggedInDb, wireRecord } from './support/db.ts';
import { FakeServer, json, loginResponse } from './support/fake-server.ts';

const TOKEN = 'enrol-token-abcdefghijklmnopqrstuvwxyz012345';

afterEach(() => {
  localStorage.clear();
  sessionStorage.clear();
});

/** A history stand-in that records replaceState. */
function fakePlace(hash: string) {
  const place = { hash, pathname: '/', search: '' };
  const hist = {
    state: null,
    replaced: [] as string[],
    replaceState(_data: unknown, _unused: string, url?: string) {
      this.replaced.push(url ?? '');
      place.hash = '';
    },
  };
  return { place, hist };
}

function enrolServer(answer: () => Response | Promise<Response>) {
  const calls: { path: string; body: unknown; auth: string | null }[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const path = typeof input === 'string' ? input : input instanceof URL ? input.pathname : input.url;
    calls.push({
      path,
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
      auth: new Headers(init?.headers).get('authorization'),
    });
    return answer();
  };
  return { calls, fetchImpl };
}

describe('enrolment from the QR link', () => {
  it('signs the phone in with the token, never a password, and clears the fragment', async () => {
    const db = freshDb();
    const { calls, fetchImpl } = enrolServer(() => json(200, loginResponse('device-token-0123456789abcdef')));
    const services = createServices({ db, fetch: fetchImpl });
    await loadServices(services);
    render(App, { props: { services } });
    expect(screen.getByLabelText('Mật khẩu')).toBeTruthy();

    const { place, hist } = fakePlace(`#enrol=${TOKEN}`);
    const result = await enrolFromLink((t) => services.session.enrol(t), place, hist);

    expect(result).toEqual({ ok: true });
    expect(calls).toEqual([{ path: '/api/v1/auth/enrol', body: { token: TOKEN }, auth: null }]);
    expect(hist.replaced).toEqual(['/']);
    expect((await getSession(db))?.token).toBe('device-token-0123456789abcdef');
    await waitFor(() => expect(screen.queryByLabelText('Mật khẩu')).toBeNull());
    expect(screen.getByRole('link', { name: 'Ghi nhận' })).toBeTruthy();
    services.scheduler.stop();
  });

  it("shows the server's Vietnamese reason for a used code and clears the fragment", async () => {
    const db = freshDb();
    const message =
      'Mã đăng ký thiết bị đã được dùng. Mỗi mã chỉ dùng một lần; vui lòng nhờ quản trị tạo mã mới.';
    const { fetchImpl } = enrolServer(() => json(410, { error: { code: 'enrolment_used', message } }));
    const services = createServices({ db, fetch: fetchImpl });
    await loadServices(services);
    render(App, { props: { services } });
    const { place, hist } = fakePlace(`#enrol=${TOKEN}`);

    const result = await enrolFromLink((t) => services.session.enrol(t), place, hist);

    expect(result).toMatchObject({ ok: false, retry: false });
    expect(hist.replaced).toEqual(['/']);
    expect(await screen.findByText(message)).toBeTruthy();
    expect(await getSession(db)).toBeUndefined();
  });

  it('keeps the fragment when there is no answer, so reopening the link tries again', async () => {
    const db = freshDb();
    const { fetchImpl } = enrolServer(() => {
      throw new TypeError('Failed to fetch');
    });
    const session = new SessionState({ db, api: new ApiClient({ fetch: fetchImpl }), isOnline: () => true });
    const { place, hist } = fakePlace(`#enrol=${TOKEN}`);

    const result = await enrolFromLink((t) => session.enrol(t), place, hist);

    expect(result).toMatchObject({ ok: false, retry: true });
    expect(hist.replaced).toEqual([]);
    expect(place.hash).toBe(`#enrol=${TOKEN}`);
  });

  it('does nothing for a page opened without an enrolment fragment', async () => {
    const session = new SessionState({
      db: freshDb(),
      api: new ApiClient({ fetch: vi.fn() }),
      isOnline: () => true,
    });
    const enrol = vi.spyOn(session, 'enrol');
    const { place, hist } = fakePlace('#other');
    expect(await enrolFromLink((t) => session.enrol(t), place, hist)).toBeNull();
    expect(enrol).not.toHaveBeenCalled();
  });
});

describe('a revoked device or a disabled account', () => {
  it("wipes the database and the app's storage at the next sync and explains why", async () => {
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord());
    localStorage.setItem('sotay.signedIn', '1');
    localStorage.setItem('sotay.lang', 'vi');
    sessionStorage.setItem('sotay.draft', 'x');
    const server = new FakeServer();
    const fetchImpl: typeof fetch = async (input, init) => {
      const path = typeof input === 'string' ? input : (input as Request).url;
      if (path.includes('/sync/'))
        return json(401, { error: { code: 'device_revoked', message: 'Thiết bị này đã bị thu hồi.' } });
      return server.fetch(input, init);
    };
    const services = createServices({ db, fetch: fetchImpl });
    await loadServices(services);
    render(App, { props: { services } });

    expect(await services.scheduler.request()).toBe('unauthorized');

    expect(await screen.findByText('Thiết bị đã bị ngắt khỏi hệ thống')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('thu hồi quyền truy cập của điện thoại này');
    expect(await Dexie.exists(db.name)).toBe(false);
    expect(localStorage.getItem('sotay.signedIn')).toBeNull();
    expect(localStorage.getItem('sotay.lang')).toBe('vi');
    expect(localStorage.getItem('sotay.revoked')).toBe('device_revoked');
    expect(sessionStorage.length).toBe(0);
    expect(services.session.current).toBeNull();
  });

  it('wipes on account_disabled from any call, keeps explaining after a restart, then offers a clean login', async () => {
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord());
    const fetchImpl: typeof fetch = async () =>
      json(401, { error: { code: 'account_disabled', message: 'Tài khoản này đã bị khóa.' } });
    const services = createServices({ db, fetch: fetchImpl });
    await loadServices(services);

    // Not a sync: a screen's own call (e.g. the dashboard or a review) hears it first.
    await services.api.get('token-0123456789abcdef', '/api/v1/conflicts', {
      safeParse: () => ({ success: false }),
    });
    await waitFor(() => expect(services.session.revoked).toBe('account_disabled'));
    expect(await Dexie.exists(db.name)).toBe(false);

    // A restart (new services on a new database object) still explains, until acknowledged.
    const again = createServices({ db: freshDb(), fetch: fetchImpl });
    await loadServices(again);
    render(App, { props: { services: again } });
    expect(await screen.findByText('Tài khoản của bạn đã bị quản trị xã khóa.')).toBeTruthy();
    screen.getByRole('button', { name: 'Đã hiểu' }).click();
    expect(await screen.findByLabelText('Mật khẩu')).toBeTruthy();
    expect(localStorage.getItem('sotay.revoked')).toBeNull();
    again.scheduler.stop();
  });

  it('treats a plain 401 as an expired session and keeps every record', async () => {
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord());
    const server = new FakeServer();
    server.faults.push({ path: '/sync/push', kind: '401' });
    const services = createServices({ db, fetch: server.fetch });
    await loadServices(services);

    expect(await services.scheduler.request()).toBe('unauthorized');

    expect(services.session.revoked).toBeNull();
    expect(await db.outbox.count()).toBe(1);
    expect(await Dexie.exists(db.name)).toBe(true);
  });
});

describe('a shared phone', () => {
  const other: LoginResponse = {
    ...loginResponse('token-other-0123456789abcdef'),
    user: { ...loginResponse().user, id: 'u-other', username: 'tnv-khac', displayName: 'Người Khác' },
  };

  it("refuses a second user's login while the first user's records are unsynced", async () => {
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord());
    const session = new SessionState({
      db,
      api: new ApiClient({ fetch: async () => json(200, other) }),
      isOnline: () => true,
    });
    await session.load();

    const result = await session.login('tnv-khac', 'mat-khau-khac');

    expect(result).toEqual({
      ok: false,
      message:
        'Máy này còn bản ghi chưa gửi của tài khoản khác. Hãy đăng nhập lại bằng tài khoản đó và đồng bộ trước.',
    });
    expect((await getSession(db))?.user.id).toBe('u-tnv');
    expect(await db.records.count()).toBe(1);
  });

  it("never shows the first user's synced records to the second user", async () => {
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord());
    // Synced: no outbox left, the record is the server's now.
    await db.outbox.clear();
    await db.records.toCollection().modify({ syncState: 'synced', serverVersion: 1 });
    const session = new SessionState({
      db,
      api: new ApiClient({ fetch: async () => json(200, other) }),
      isOnline: () => true,
    });
    await session.load();

    expect(await session.login('tnv-khac', 'mat-khau-khac')).toEqual({ ok: true });

    expect(session.user?.id).toBe('u-other');
    expect(await db.records.count()).toBe(0);
  });

  it('refuses logout while records are unsynced and wipes the account once they are synced', async () => {
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord());
    const session = new SessionState({ db, api: new ApiClient({ fetch: vi.fn() }), isOnline: () => true });
    await session.load();

    const refused = await session.logout();
    expect(refused).toEqual({ ok: false, message: expect.stringContaining('1') });
    expect(await db.records.count()).toBe(1);

    await db.outbox.clear();
    await db.records.toCollection().modify({ syncState: 'synced', serverVersion: 1 });
    expect(await session.logout()).toEqual({ ok: true });
    expect(await db.records.count()).toBe(0);
    expect(await getSession(db)).toBeUndefined();
    // And a new user may sign in on the emptied phone.
    await storeLogin(db, other);
    expect((await getSession(db))?.user.id).toBe('u-other');
  });
});
