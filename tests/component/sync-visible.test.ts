// Sync you can see: last successful sync time, a plain reason when a run fails, a link to the
// records the server refused; and the update prompt waits while a form holds unsaved input.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import App from '../../src/app/App.svelte';
import { updateSyncMeta } from '../../src/app/db/meta-repo.ts';
import { saveNewRecord } from '../../src/app/db/records-repo.ts';
import { createServices, loadServices } from '../../src/app/services.ts';
import { localRecord, loggedInDb, wireRecord } from './support/db.ts';

const offline: typeof fetch = () => Promise.reject(new TypeError('Failed to fetch'));

describe('sync status and update prompt', () => {
  it('shows "đã đồng bộ HH:MM" from the last successful sync', async () => {
    const db = await loggedInDb();
    const at = new Date();
    at.setHours(14, 5, 0, 0);
    await updateSyncMeta(db, (m) => ({ ...m, lastSyncedAt: at.toISOString() }));
    const services = createServices({ db, fetch: offline });
    await loadServices(services);
    render(App, { props: { services } });
    expect((await screen.findByTestId('last-sync')).textContent).toBe('14:05');
    expect(screen.getByTestId('sync-status').textContent).toContain('đã đồng bộ');
  });

  it('says the sync failed for lack of a connection', async () => {
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord());
    const services = createServices({ db, fetch: offline });
    await loadServices(services);
    render(App, { props: { services } });
    await services.scheduler.request();
    expect(screen.getByTestId('sync-status').textContent).toContain('Chưa gửi được');
    await fireEvent.click(screen.getByRole('link', { name: 'Thêm' }));
    expect((await screen.findByTestId('sync-failure')).textContent).toContain('không có kết nối mạng');
  });

  it('links to the records the server refused, with the reason on each', async () => {
    const db = await loggedInDb();
    const refused = localRecord({ syncState: 'error', syncError: 'Thôn/ấp không thuộc xã của bạn.' });
    await db.records.bulkAdd([refused, localRecord({ syncState: 'synced', serverVersion: 1 })]);
    const services = createServices({ db, fetch: offline });
    await loadServices(services);
    const { container } = render(App, { props: { services } });

    // The list is a lazy screen: its first import in this worker can take seconds on a busy machine.
    const slow = { timeout: 5000 };
    await fireEvent.click(
      await screen.findByRole('button', { name: 'Xem bản ghi máy chủ không nhận' }, slow),
    );

    await waitFor(() => expect(container.querySelectorAll('li[data-record-id]')).toHaveLength(1), slow);
    const row = container.querySelector(`li[data-record-id="${refused.id}"]`)!;
    expect(row.textContent).toContain('Máy chủ không nhận: Thôn/ấp không thuộc xã của bạn.');
  });

  it('holds the update prompt while the capture form has unsaved input', async () => {
    const db = await loggedInDb();
    const services = createServices({ db, fetch: offline });
    await loadServices(services);
    render(App, { props: { services } });
    await fireEvent.click(await screen.findByLabelText('Kỹ năng số'));
    services.pwa.newVersion(() => Promise.resolve());

    await waitFor(() => expect(services.pwa.formsDirty).toBe(true));
    expect(screen.queryByText('Có phiên bản mới')).toBeNull();

    await fireEvent.change(screen.getByLabelText('Thôn/ấp'), { target: { value: 'h1' } });
    await fireEvent.click(screen.getByLabelText('Hoàn thành'));
    await fireEvent.click(screen.getByRole('button', { name: 'Lưu' }));
    expect(await screen.findByText('Có phiên bản mới')).toBeTruthy();
  });
});
