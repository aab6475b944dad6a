// The app shell: a stored session opens the app offline; the status bar counts waiting records,
// flags offline, reports sync, progress and a too-old app (426), and guards logout.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import App from '../../src/app/App.svelte';
import { saveNewRecord } from '../../src/app/db/records-repo.ts';
import { createServices, loadServices } from '../../src/app/services.ts';
import { freshDb, loggedInDb, wireRecord } from './support/db.ts';
import { FakeServer } from './support/fake-server.ts';

const offline: typeof fetch = async () => {
  throw new TypeError('Failed to fetch');
};

describe('app shell', () => {
  it('shows the login screen when no session is stored', async () => {
    const services = createServices({ db: freshDb(), fetch: offline });
    await loadServices(services);
    render(App, { props: { services } });

    expect(screen.getByLabelText('Tên đăng nhập')).toBeTruthy();
    expect(screen.getByLabelText('Mật khẩu')).toBeTruthy();
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('goes straight to capture with a stored session even offline, and counts waiting records', async () => {
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord());
    await saveNewRecord(db, wireRecord());
    const services = createServices({ db, fetch: offline });
    await loadServices(services);
    services.status.setOnline(false);
    render(App, { props: { services } });

    expect(screen.getByRole('button', { name: 'Ghi nhận' }).getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('radiogroup', { name: 'Loại hỗ trợ' })).toBeTruthy();
    const status = screen.getByRole('status');
    await waitFor(() => expect(status.textContent).toContain('2 bản ghi chờ gửi'));
    expect(status.textContent).toContain('Ngoại tuyến');
    expect(await services.scheduler.request()).toBe('offline');
    expect(await db.outbox.count()).toBe(2);
  });

  it('says "đã đồng bộ" after a successful sync and lists the records as synced', async () => {
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord());
    const server = new FakeServer();
    const services = createServices({ db, fetch: server.fetch });
    await loadServices(services);
    const { container } = render(App, { props: { services } });

    expect(await services.scheduler.request()).toBe('ok');

    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('đã đồng bộ'));
    await fireEvent.click(screen.getByRole('button', { name: 'Bản ghi của tôi' }));
    await waitFor(() => expect(container.querySelectorAll('li[data-sync-state="synced"]')).toHaveLength(1));
  });

  it('refuses to log out while records are unsynced, and explains why', async () => {
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord());
    const services = createServices({ db, fetch: offline });
    await loadServices(services);
    render(App, { props: { services } });

    await fireEvent.click(screen.getByRole('button', { name: 'Đăng xuất' }));

    expect((await screen.findByRole('alert')).textContent).toContain('còn 1 bản ghi chưa gửi');
    expect(services.session.current).not.toBeNull();
    expect(await db.records.count()).toBe(1);
  });

  it('shows the expired-session message on 401 but keeps the local records', async () => {
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord());
    const server = new FakeServer();
    server.faults.push({ path: '/sync/push', kind: '401' });
    const services = createServices({ db, fetch: server.fetch });
    await loadServices(services);
    render(App, { props: { services } });

    expect(await services.scheduler.request()).toBe('unauthorized');

    expect(
      (await screen.findByText(/Phiên đăng nhập hết hạn, vui lòng đăng nhập lại/)).closest('[role="alert"]'),
    ).toBeTruthy();
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
    const services = createServices({ db, fetch: server.fetch });
    await loadServices(services);
    render(App, { props: { services } });

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
      const services = createServices({ db, fetch: server.fetch });
      await loadServices(services);
      render(App, { props: { services } });
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
    const services = createServices({ db, fetch: server.fetch });
    await loadServices(services);
    render(App, { props: { services } });

    expect(await services.scheduler.request()).toBe('outdated');

    const alert = (await screen.findByText(/Ứng dụng đã cũ, hãy cập nhật/, { selector: '[role="alert"]' }))!;
    expect(alert.querySelector('button')!.textContent).toBe('Cập nhật');
    expect(screen.getByRole('status').textContent).toContain('Ứng dụng đã cũ, hãy cập nhật');
    expect((screen.getByRole('button', { name: 'Đồng bộ' }) as HTMLButtonElement).disabled).toBe(true);
    const requests = server.log.length;
    expect(await services.scheduler.request()).toBe('outdated');
    expect(services.scheduler.retryPending).toBe(false);
    expect(server.log.length).toBe(requests);
    expect(await db.outbox.count()).toBe(1);
    expect((await db.records.toArray())[0]!.syncState).toBe('to_post');
  });

  it('shows the drain progress as a bar with "Đang gửi 1.200/5.000"', async () => {
    const db = await loggedInDb();
    const services = createServices({ db, fetch: offline });
    await loadServices(services);
    render(App, { props: { services } });

    services.status.apply({ type: 'start' });
    services.status.apply({ type: 'progress', sent: 1200, total: 5000 });

    const bar = screen.getByRole('status');
    await waitFor(() => expect(bar.textContent).toContain('Đang gửi 1.200/5.000'));
    const progress = bar.querySelector('progress')!;
    expect([progress.value, progress.max]).toEqual([1200, 5000]);

    services.status.apply({ type: 'end', outcome: 'ok', at: new Date().toISOString() });
    await waitFor(() => expect(bar.querySelector('progress')).toBeNull());
  });
});
