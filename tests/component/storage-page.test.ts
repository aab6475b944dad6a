// "Lưu trữ": persisted or not, space used and free, records waiting, the iOS 7-day warning, the JSON
// export of unsynced records (with their outbox rows), and the language switch.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { saveNewRecord } from '../../src/app/db/records-repo.ts';
import { iosNotInstalled } from '../../src/app/db/storage.ts';
import { LANG_KEY, setLang } from '../../src/app/i18n/index.ts';
import StorageScreen from '../../src/app/ui/storage/StorageScreen.svelte';
import { localRecord, loggedInDb, wireRecord } from './support/db.ts';

const info = (persisted: boolean) => () =>
  Promise.resolve({ persisted, usage: 3 * 1024 * 1024, quota: 103 * 1024 * 1024 });

describe('storage page', () => {
  it('shows persisted storage, space used and free, and the records waiting to sync', async () => {
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord());
    await saveNewRecord(db, wireRecord());
    render(StorageScreen, { props: { db, info: info(true), ios: false } });
    expect((await screen.findByTestId('persisted')).textContent).toContain('được giữ lâu dài');
    expect(screen.getByTestId('storage-used').textContent).toBe('3,0 MB');
    expect(screen.getByTestId('storage-free').textContent).toBe('100,0 MB');
    await waitFor(() => expect(screen.getByTestId('storage-pending').textContent).toBe('2 bản ghi chờ gửi'));
    expect(screen.queryByTestId('ios-warning')).toBeNull();
  });

  it('warns when storage is not persisted and, on iOS outside the installed app, about the 7-day wipe', async () => {
    const db = await loggedInDb();
    render(StorageScreen, { props: { db, info: info(false), ios: true } });
    expect((await screen.findByTestId('persisted')).textContent).toContain('chưa được giữ lâu dài');
    expect(screen.getByTestId('ios-warning').textContent).toContain('7 ngày');
    expect(screen.getByTestId('ios-warning').textContent).toContain('Thêm vào MH chính');
  });

  it('recognises iOS Safari not added to the home screen', () => {
    const iphone = {
      userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)',
      maxTouchPoints: 5,
    } as Navigator;
    expect(iosNotInstalled(iphone, false)).toBe(true);
    expect(iosNotInstalled(iphone, true)).toBe(false);
    const android = { userAgent: 'Mozilla/5.0 (Linux; Android 10)', maxTouchPoints: 5 } as Navigator;
    expect(iosNotInstalled(android, false)).toBe(false);
  });

  it('exports unsynced records and their outbox rows as JSON, leaving synced ones out', async () => {
    const db = await loggedInDb();
    const pending = wireRecord({ note: 'Cần hẹn lại' });
    await saveNewRecord(db, pending);
    await db.records.add(localRecord({ syncState: 'synced', serverVersion: 2 }));
    const download = vi.fn<(blob: Blob, name: string) => void>();
    render(StorageScreen, { props: { db, info: info(true), ios: false, download } });

    await fireEvent.click(screen.getByRole('button', { name: 'Xuất bản ghi chưa gửi' }));

    await screen.findByText('Đã xuất 1 bản ghi');
    const [blob, name] = download.mock.calls[0]!;
    expect(name).toMatch(/^sotay-chua-dong-bo-.*\.json$/);
    const data = JSON.parse(await blob.text()) as {
      records: { id: string }[];
      outbox: { recordId: string }[];
    };
    expect(data.records).toEqual([pending]);
    expect(data.outbox.map((o) => o.recordId)).toEqual([pending.id]);
  });

  it('switches the language to English, remembers it and reloads', async () => {
    const db = await loggedInDb();
    const reload = vi.fn();
    render(StorageScreen, { props: { db, info: info(true), ios: false } });
    expect(screen.getByLabelText('Ngôn ngữ')).toBeTruthy();
    setLang('en', reload);
    expect(localStorage.getItem(LANG_KEY)).toBe('en');
    expect(reload).toHaveBeenCalledTimes(1);
    localStorage.removeItem(LANG_KEY);
  });

  it('starts in English when English was chosen before, with every string translated', async () => {
    localStorage.setItem(LANG_KEY, 'en');
    vi.resetModules();
    const fresh = await import('../../src/app/i18n/index.ts');
    localStorage.removeItem(LANG_KEY);
    expect(fresh.lang).toBe('en');
    expect(fresh.t.capture.save).toBe('Save');
    expect(fresh.t.nav.storage).toBe('Storage');
    const { vi: viMessages } = await import('../../src/app/i18n/vi.ts');
    const keys = (o: object, p = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        v && typeof v === 'object' ? keys(v as object, `${p}${k}.`) : [`${p}${k}`],
      );
    expect(keys(fresh.t).sort()).toEqual(keys(viMessages).sort());
  });
});
