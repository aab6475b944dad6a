// The app shell: a stored session opens the app without network; the status bar counts waiting
// records, flags offline, reports sync, and refuses to log out while records are unsynced.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
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
    await waitFor(() => expect(status.textContent).toContain('2 bản ghi chờ đồng bộ'));
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

    expect((await screen.findByRole('alert')).textContent).toContain('còn 1 bản ghi chưa đồng bộ');
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
});
