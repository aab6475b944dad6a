// The app shell: a stored session opens the app offline; a header with the one-line status (neutral,
// or the most urgent warning), one <main>, the bottom navigation of the role's places on hash routes
// (Back, deep links, forbidden places), the "Thêm" place (sync now, log out) and the home warning.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../../src/app/App.svelte';
import type { SotayDB } from '../../src/app/db/database.ts';
import { storeLogin } from '../../src/app/db/meta-repo.ts';
import { saveNewRecord } from '../../src/app/db/records-repo.ts';
import { createServices, loadServices, type AppServices } from '../../src/app/services.ts';
import { newId, type Role } from '../../src/shared/index.ts';
import { freshDb, localRecord, loggedInDb, wireRecord } from './support/db.ts';
import { FakeServer, loginResponse, USER } from './support/fake-server.ts';

const offline: typeof fetch = async () => {
  throw new TypeError('Failed to fetch');
};

async function roleDb(role: Role): Promise<SotayDB> {
  const db = freshDb();
  await storeLogin(db, { ...loginResponse(), user: { ...USER, role } });
  return db;
}

async function open(db: SotayDB, fetchImpl: typeof fetch = offline): Promise<AppServices> {
  const services = createServices({ db, fetch: fetchImpl });
  await loadServices(services);
  render(App, { props: { services } });
  return services;
}

const nav = () => screen.getByRole('navigation', { name: 'Chức năng' });
const place = (name: string) => within(nav()).getByRole('link', { name });
const go = (name: string) => fireEvent.click(place(name));
const line = () => screen.getByTestId('sync-status');

/** Makes `navigator.storage` answer as a browser that did (or did not) make the storage persistent. */
function storageAnswers(persisted: boolean) {
  Object.defineProperty(navigator, 'storage', {
    configurable: true,
    value: { persisted: async () => persisted },
  });
}

beforeEach(() => history.replaceState(null, '', '/'));
afterEach(() => {
  Reflect.deleteProperty(navigator, 'storage');
});

describe('app shell', () => {
  it('shows the login screen in the one <main> when no session is stored', async () => {
    const { container } = render(App, {
      props: {
        services: await (async () => {
          const s = createServices({ db: freshDb(), fetch: offline });
          await loadServices(s);
          return s;
        })(),
      },
    });

    expect(screen.getByLabelText('Tên đăng nhập')).toBeTruthy();
    expect(screen.getByLabelText('Mật khẩu')).toBeTruthy();
    expect(screen.queryByRole('status')).toBeNull();
    expect(screen.queryByRole('navigation')).toBeNull();
    expect(container.querySelectorAll('main')).toHaveLength(1);
    expect(container.querySelector('main')!.contains(screen.getByLabelText('Tên đăng nhập'))).toBe(true);
    expect(screen.getByRole('banner').textContent).toContain('Sổ tay Tổ CNS');
  });

  it('goes straight to capture with a stored session even offline, and counts waiting records', async () => {
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord());
    await saveNewRecord(db, wireRecord());
    const services = createServices({ db, fetch: offline });
    await loadServices(services);
    services.status.setOnline(false);
    const { container } = render(App, { props: { services } });

    expect(place('Ghi nhận').getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('radiogroup', { name: 'Loại hỗ trợ' })).toBeTruthy();
    await waitFor(() => expect(line().textContent).toContain('2 mục chờ gửi'));
    expect(line().textContent).toContain('Ngoại tuyến');
    // Offline is the normal state in a village: a neutral line, no warning.
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByRole('banner').contains(line())).toBe(true);
    expect(
      container.querySelector('main')!.contains(screen.getByRole('radiogroup', { name: 'Loại hỗ trợ' })),
    ).toBe(true);
    expect(await services.scheduler.request()).toBe('offline');
    expect(await db.outbox.count()).toBe(2);
  });

  it('says "đã đồng bộ" with the time after a successful sync and lists the records as synced', async () => {
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord());
    const services = await open(db, new FakeServer().fetch);

    expect(await services.scheduler.request()).toBe('ok');

    await waitFor(() => expect(line().textContent).toContain('đã đồng bộ'));
    expect((await screen.findByTestId('last-sync')).textContent).toMatch(/^\d\d:\d\d$/);
    await go('Bản ghi');
    await waitFor(() => expect(document.querySelectorAll('li[data-sync-state="synced"]')).toHaveLength(1));
  });

  it('refuses to log out (on "Thêm") while records are unsynced, and explains why', async () => {
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord());
    const services = await open(db);
    expect(screen.queryByRole('button', { name: 'Đăng xuất' })).toBeNull();

    await go('Thêm');
    await fireEvent.click(await screen.findByRole('button', { name: 'Đăng xuất' }));

    expect((await screen.findByRole('alert')).textContent).toContain(
      'còn 1 mục (bản ghi, buổi sinh hoạt nhóm) chưa gửi',
    );
    expect(services.session.current).not.toBeNull();
    expect(await db.records.count()).toBe(1);
  });

  it('syncs now from "Thêm" and says there why the last run failed', async () => {
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord());
    const server = new FakeServer();
    server.faults.push({ path: '/sync/push', kind: 'network' });
    const services = await open(db, server.fetch);
    await go('Thêm');
    await fireEvent.click(await screen.findByRole('button', { name: 'Đồng bộ' }));

    expect((await screen.findByTestId('sync-failure')).textContent).toContain('không có kết nối mạng');
    expect(line().textContent).toContain('Chưa gửi được');
    await fireEvent.click(screen.getByRole('button', { name: 'Đồng bộ' }));
    await waitFor(() => expect(line().textContent).toContain('đã đồng bộ'));
    expect(line().getAttribute('data-pending')).toBe('0');
    expect(services.status.lastOk).toBe(true);
    expect(server.records.size).toBe(1);
  });

  it('shows the expired-session warning on 401 but keeps the local records', async () => {
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord());
    const server = new FakeServer();
    server.faults.push({ path: '/sync/push', kind: '401' });
    const services = await open(db, server.fetch);

    expect(await services.scheduler.request()).toBe('unauthorized');

    expect(
      (await screen.findByText(/Phiên đăng nhập hết hạn, vui lòng đăng nhập lại/)).closest('[role="alert"]'),
    ).toBeTruthy();
    expect(screen.getByRole('banner').querySelector('.warn')).toBeTruthy();
    expect(await db.records.count()).toBe(1);
    expect(await db.outbox.count()).toBe(1);
  });

  it('after an admin ended the session, asks for a new login and then syncs the outbox it kept', async () => {
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord());
    await saveNewRecord(db, wireRecord());
    const server = new FakeServer();
    // The admin set a new password: the old token answers a plain 401 (not a wipe code).
    server.faults.push({ path: '/sync/push', kind: '401' });
    const services = await open(db, server.fetch);

    expect(await services.scheduler.request()).toBe('unauthorized');
    expect(services.session.revoked).toBeNull();
    expect(await db.outbox.count()).toBe(2);

    await fireEvent.click(await screen.findByRole('button', { name: 'Đăng nhập lại' }));
    expect(
      await screen.findByText(/Dữ liệu trên máy vẫn được giữ; đăng nhập lại để đồng bộ tiếp/),
    ).toBeTruthy();
    await fireEvent.input(screen.getByLabelText('Tên đăng nhập'), { target: { value: 'demo-tnv' } });
    await fireEvent.input(screen.getByLabelText('Mật khẩu'), { target: { value: 'demo' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Đăng nhập' }));

    await waitFor(async () => expect(await db.outbox.count()).toBe(0));
    expect(server.records.size).toBe(2);
    expect(await db.records.count()).toBe(2);
    expect(services.session.expired).toBe(false);
  });

  it("warns when the phone's clock is more than a day off the server's, and stops once it is right", async () => {
    const serverNow = new Date('2026-12-07T04:00:00.000Z');
    // The phone thinks it is three days later (a clock set by hand, a dead battery's reset…).
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-12-10T04:00:00.000Z') });
    try {
      const db = await loggedInDb();
      await saveNewRecord(db, wireRecord());
      const server = new FakeServer();
      server.serverTime = () => serverNow;
      const services = await open(db, server.fetch);
      expect(screen.queryByTestId('clock-off')).toBeNull();

      expect(await services.scheduler.request()).toBe('ok');
      const warning = await screen.findByTestId('clock-off');
      expect(warning.getAttribute('role')).toBe('alert');
      expect(warning.textContent).toContain('Ngày giờ của điện thoại lệch hơn một ngày so với máy chủ');

      // Set right (a few hours of difference is a time zone, not a wrong date): gone at the next sync.
      vi.setSystemTime(new Date('2026-12-07T10:00:00.000Z'));
      expect(await services.scheduler.request()).toBe('ok');
      await waitFor(() => expect(screen.queryByTestId('clock-off')).toBeNull());
    } finally {
      vi.useRealTimers();
    }
  });

  it('says "Ứng dụng đã cũ, hãy cập nhật" on 426, keeps the records and does not retry', async () => {
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord());
    const server = new FakeServer();
    server.faults.push({ path: '/sync/push', kind: '426' });
    const services = await open(db, server.fetch);

    expect(await services.scheduler.request()).toBe('outdated');

    await waitFor(() => expect(line().textContent).toContain('Ứng dụng đã cũ, hãy cập nhật'));
    const update = within(await screen.findByRole('alert')).getByRole('button', { name: 'Cập nhật' });
    expect(update).toBeTruthy();
    await go('Thêm');
    expect(((await screen.findByRole('button', { name: 'Đồng bộ' })) as HTMLButtonElement).disabled).toBe(
      true,
    );
    const requests = server.log.length;
    expect(await services.scheduler.request()).toBe('outdated');
    expect(services.scheduler.retryPending).toBe(false);
    expect(server.log.length).toBe(requests);
    expect(await db.outbox.count()).toBe(1);
    expect((await db.records.toArray())[0]!.syncState).toBe('to_post');
  });

  it('shows the drain progress as a bar with "Đang gửi 1.200/5.000"', async () => {
    const services = await open(await loggedInDb());

    services.status.apply({ type: 'start' });
    services.status.apply({ type: 'progress', sent: 1200, total: 5000 });

    await waitFor(() => expect(line().textContent).toContain('Đang gửi 1.200/5.000'));
    const progress = line().querySelector('progress')!;
    expect([progress.value, progress.max]).toEqual([1200, 5000]);

    services.status.apply({ type: 'end', outcome: 'ok', at: new Date().toISOString() });
    await waitFor(() => expect(line().querySelector('progress')).toBeNull());
  });
});

describe('status warnings', () => {
  it('turns into a warning with a link to the list when the server refused a record', async () => {
    const db = await loggedInDb();
    await db.records.add(localRecord({ syncState: 'error', syncError: 'Thôn/ấp không thuộc xã của bạn.' }));
    await open(db);

    const warning = await screen.findByTestId('sync-refused');
    expect(warning.textContent).toContain('Máy chủ không nhận 1 mục');
    await fireEvent.click(within(warning).getByRole('button', { name: 'Xem bản ghi máy chủ không nhận' }));
    await waitFor(() => expect(location.hash).toBe('#/records'));
    expect(place('Bản ghi').getAttribute('aria-current')).toBe('page');
  });

  it('counts a group session the server refused, and its button opens the sessions', async () => {
    const db = await loggedInDb();
    await db.groupSessions.add({
      id: newId(),
      heldOn: '2026-11-20',
      hamletId: 'h1',
      place: 'Nhà văn hóa thôn Đông',
      topic: 'ai_apps',
      attendance: { 'female:18_59': 4 },
      facilitators: ['Người hướng dẫn thử'],
      attendees: 4,
      serverVersion: 0,
      syncState: 'error',
      syncError: 'Chủ đề không có trong danh sách của xã.',
    });
    await open(db);

    const warning = await screen.findByTestId('sync-refused');
    expect(warning.textContent).toContain('Máy chủ không nhận 1 mục');
    expect(within(warning).queryByRole('button', { name: 'Xem bản ghi máy chủ không nhận' })).toBeNull();
    await fireEvent.click(
      within(warning).getByRole('button', { name: 'Xem buổi sinh hoạt nhóm máy chủ không nhận' }),
    );
    await waitFor(() => expect(location.hash).toBe('#/sessions'));
    // A refused record beside it: the total counts both, and the button goes to the records.
    await db.records.add(localRecord({ syncState: 'error' }));
    await waitFor(() =>
      expect(screen.getByTestId('sync-refused').textContent).toContain('Máy chủ không nhận 2 mục'),
    );
    expect(
      within(screen.getByTestId('sync-refused')).getByRole('button', {
        name: 'Xem bản ghi máy chủ không nhận',
      }),
    ).toBeTruthy();
  });

  it('warns on the line and on the home place when a record has waited more than a day', async () => {
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord());
    await db.outbox.toCollection().modify({ createdAt: new Date(Date.now() - 26 * 3600_000).toISOString() });
    await open(db);

    expect((await screen.findByTestId('sync-stale')).textContent).toContain('1 mục chờ gửi quá một ngày');
    const home = await screen.findByTestId('home-warning');
    expect(home.dataset.why).toBe('stale');
    expect(within(home).getByRole('link', { name: 'Bảo vệ dữ liệu' }).getAttribute('href')).toBe('#/storage');
    // Away from the home place, the home warning goes; the line keeps it.
    await go('Thống kê');
    await waitFor(() => expect(screen.queryByTestId('home-warning')).toBeNull());
    expect(screen.getByTestId('sync-stale')).toBeTruthy();
  });

  it('stays neutral with a record waiting a few hours', async () => {
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord());
    await db.outbox.toCollection().modify({ createdAt: new Date(Date.now() - 3 * 3600_000).toISOString() });
    await open(db);

    await waitFor(() => expect(line().getAttribute('data-pending')).toBe('1'));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByTestId('home-warning')).toBeNull();
  });

  it('warns that unprotected storage holds unsynced records, and the home place links to storage', async () => {
    storageAnswers(false);
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord());
    await open(db);

    const warning = await screen.findByTestId('storage-risk');
    expect(warning.textContent).toContain('Dữ liệu trên máy chưa được bảo vệ');
    expect(within(warning).getByRole('link').getAttribute('href')).toBe('#/storage');
    expect((await screen.findByTestId('home-warning')).dataset.why).toBe('storage');
  });

  it('says nothing about protected storage', async () => {
    storageAnswers(true);
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord());
    const services = await open(db);
    await waitFor(() => expect(line().getAttribute('data-pending')).toBe('1'));
    await services.health.checkStorage();
    expect(screen.queryByTestId('storage-risk')).toBeNull();
    expect(screen.queryByTestId('home-warning')).toBeNull();
  });
});

describe('bottom navigation', () => {
  const labels = () =>
    within(nav())
      .getAllByRole('link')
      .map((a) => a.textContent!.trim());

  it.each([
    ['volunteer', ['Ghi nhận', 'Bản ghi', 'Thống kê', 'Giao nhận', 'Thêm'], 'Ghi nhận'],
    ['lead', ['Ghi nhận', 'Bản ghi', 'Duyệt', 'Thống kê', 'Thêm'], 'Ghi nhận'],
    ['supervisor', ['Tổng hợp', 'Thêm'], 'Tổng hợp'],
    ['admin', ['Tổng hợp', 'Tài khoản', 'Yêu cầu', 'Thêm'], 'Tổng hợp'],
  ] as const)('gives a %s at most five places, starting on the home place', async (role, expected, home) => {
    await open(await roleDb(role));
    expect(labels()).toEqual(expected);
    expect(labels().length).toBeLessThanOrEqual(5);
    expect(place(home).getAttribute('aria-current')).toBe('page');
    expect(
      within(nav())
        .getAllByRole('link')
        .filter((a) => a.hasAttribute('aria-current')),
    ).toHaveLength(1);
  });

  it('puts a lead’s group sessions, guides, hand-off, storage, conflicts and dashboard behind "Thêm"', async () => {
    await open(await roleDb('lead'));
    await go('Thêm');
    const more = await screen.findByRole('navigation', { name: 'Chức năng khác' });
    expect(
      within(more)
        .getAllByRole('link')
        .map((a) => a.textContent!.trim()),
    ).toEqual(['Sinh hoạt nhóm', 'Hướng dẫn', 'Giao nhận', 'Lưu trữ', 'Xung đột', 'Tổng hợp']);
    await fireEvent.click(within(more).getByRole('link', { name: 'Lưu trữ' }));
    expect(await screen.findByRole('heading', { name: 'Lưu trữ trên máy' })).toBeTruthy();
    await waitFor(() => expect(location.hash).toBe('#/storage'));
    // A place behind "Thêm" lights up "Thêm".
    expect(place('Thêm').getAttribute('aria-current')).toBe('page');
  });

  it('opens a volunteer’s group sessions from "Thêm", a chunk of their own', async () => {
    await open(await loggedInDb());
    await go('Thêm');
    const more = await screen.findByRole('navigation', { name: 'Chức năng khác' });
    await fireEvent.click(within(more).getByRole('link', { name: 'Sinh hoạt nhóm' }));
    expect(await screen.findByRole('heading', { name: 'Buổi sinh hoạt nhóm' })).toBeTruthy();
    await waitFor(() => expect(location.hash).toBe('#/sessions'));
    expect(await screen.findByRole('button', { name: 'Ghi buổi mới' })).toBeTruthy();
    expect(place('Thêm').getAttribute('aria-current')).toBe('page');
  });

  it('gives each place its own address, and Back returns to the previous place', async () => {
    await open(await loggedInDb());
    await go('Thống kê');
    await waitFor(() => expect(location.hash).toBe('#/tallies'));
    expect(await screen.findByRole('heading', { name: 'Thống kê của tôi' })).toBeTruthy();
    expect(place('Thống kê').getAttribute('aria-current')).toBe('page');

    history.back();
    await waitFor(() => expect(place('Ghi nhận').getAttribute('aria-current')).toBe('page'));
    expect(screen.getByRole('radiogroup', { name: 'Loại hỗ trợ' })).toBeTruthy();
  });

  it('opens the place a deep link names, and the home place for a forbidden or unknown one', async () => {
    history.replaceState(null, '', '/#/tallies');
    const { unmount } = render(App, {
      props: {
        services: await (async () => {
          const s = createServices({ db: await loggedInDb(), fetch: offline });
          await loadServices(s);
          return s;
        })(),
      },
    });
    expect(place('Thống kê').getAttribute('aria-current')).toBe('page');
    expect(await screen.findByRole('heading', { name: 'Thống kê của tôi' })).toBeTruthy();
    unmount();

    for (const hash of ['#/admin', '#/nowhere']) {
      history.replaceState(null, '', `/${hash}`);
      const services = createServices({ db: await loggedInDb(), fetch: offline });
      await loadServices(services);
      const view = render(App, { props: { services } });
      await waitFor(() => expect(location.hash).toBe('#/capture'));
      expect(place('Ghi nhận').getAttribute('aria-current')).toBe('page');
      view.unmount();
    }
  });

  it('leaves a non-route fragment (an enrolment link) alone', async () => {
    history.replaceState(null, '', '/#enrol=abc');
    await open(await loggedInDb());
    expect(place('Ghi nhận').getAttribute('aria-current')).toBe('page');
    expect(location.hash).toBe('#enrol=abc');
  });

  it('opens a record at its own address; Back closes the editor and stays in the app', async () => {
    const db = await loggedInDb();
    const mine = localRecord({ syncState: 'synced', serverVersion: 1 });
    await db.records.add(mine);
    await open(db);
    await go('Bản ghi');
    const row = await waitFor(() => {
      const li = document.querySelector(`li[data-record-id="${mine.id}"] button`);
      if (!li) throw new Error('row not listed yet');
      return li as HTMLElement;
    });
    await fireEvent.click(row);
    expect(await screen.findByRole('button', { name: 'Xoá bản ghi' })).toBeTruthy();
    expect(location.hash).toBe(`#/records/${mine.id}`);

    history.back();
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Xoá bản ghi' })).toBeNull());
    expect(location.hash).toBe('#/records');
    expect(place('Bản ghi').getAttribute('aria-current')).toBe('page');
  });

  it('shows the list, not an empty editor, on a reload at a record’s address', async () => {
    history.replaceState(null, '', '/#/records/some-id');
    await open(await loggedInDb());
    await waitFor(() => expect(location.hash).toBe('#/records'));
    expect(place('Bản ghi').getAttribute('aria-current')).toBe('page');
  });
});
