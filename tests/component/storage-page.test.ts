// "Lưu trữ" through its state (StorageState, InstallState by context): protected or not, asking for
// it with what to do when refused, space used and free, records waiting, installing the app (the
// iOS 7-day warning), the JSON export of unsynced records, the onboarding again, and the language.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import axe from 'axe-core';
import { describe, expect, it, vi } from 'vitest';
import type { SotayDB } from '../../src/app/db/database.ts';
import { saveNewRecord } from '../../src/app/db/records-repo.ts';
import { LANG_KEY, setLang } from '../../src/app/i18n/index.ts';
import { contextOf } from '../../src/app/state/context.ts';
import { InstallState, installSlot } from '../../src/app/state/install.svelte.ts';
import { OnboardingState, onboardingSlot } from '../../src/app/state/onboarding.svelte.ts';
import { StorageState, storageSlot } from '../../src/app/state/storage.svelte.ts';
import StorageScreen from '../../src/app/ui/storage/StorageScreen.svelte';
import { localRecord, loggedInDb, wireRecord } from './support/db.ts';
import { ANDROID_UA, IPHONE_UA, fakeNavigator, fakeStorage, fakeWindow } from './support/install.ts';

function show(
  db: SotayDB,
  opts: {
    api?: ReturnType<typeof fakeStorage>;
    ua?: string;
    standalone?: boolean;
    onboarding?: OnboardingState;
    download?: (blob: Blob, name: string) => void;
  } = {},
) {
  const storage = new StorageState(db, opts.api ?? fakeStorage({ persisted: true }));
  const install = new InstallState({
    win: fakeWindow(opts.standalone),
    nav: fakeNavigator(opts.ua ?? ANDROID_UA),
    held: null,
  });
  const onboarding = opts.onboarding ?? new OnboardingState(null);
  render(StorageScreen, {
    props: opts.download ? { download: opts.download } : {},
    context: contextOf(
      storageSlot.entry(storage),
      installSlot.entry(install),
      onboardingSlot.entry(onboarding),
    ),
  });
  return { storage, install };
}

describe('storage page', () => {
  it('shows protected storage, space used and free, and the records waiting to sync', async () => {
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord());
    await saveNewRecord(db, wireRecord());
    show(db, { api: fakeStorage({ persisted: true }) });
    expect((await screen.findByTestId('persisted')).textContent).toContain('được giữ lâu dài');
    expect(screen.getByTestId('storage-used').textContent).toBe('3,0 MB');
    expect(screen.getByTestId('storage-free').textContent).toBe('100,0 MB');
    await waitFor(() => expect(screen.getByTestId('storage-pending').textContent).toBe('2 mục chờ gửi'));
    expect(screen.queryByRole('button', { name: 'Bảo vệ dữ liệu' })).toBeNull();
    expect(screen.queryByTestId('ios-warning')).toBeNull();
  });

  it('asks for protection on a tap and says it is granted', async () => {
    const db = await loggedInDb();
    const api = fakeStorage({ persisted: false, grants: true });
    const { storage } = show(db, { api });
    expect((await screen.findByTestId('persisted')).textContent).toContain('chưa được giữ lâu dài');
    expect(storage.persisted).toBe(false);

    await fireEvent.click(screen.getByRole('button', { name: 'Bảo vệ dữ liệu' }));

    const answer = await screen.findByTestId('persist-answer');
    expect(answer.dataset.answer).toBe('granted');
    expect(answer.textContent).toContain('Đã bảo vệ');
    expect(screen.getByTestId('persisted').textContent).toContain('được giữ lâu dài');
    expect(api.persist).toHaveBeenCalledTimes(1);
    expect(storage.persisted).toBe(true);
  });

  it('when refused, says what to do: install the app, sync often, do not clear site data', async () => {
    const db = await loggedInDb();
    const { storage } = show(db, { api: fakeStorage({ persisted: false, grants: false }) });
    await fireEvent.click(await screen.findByRole('button', { name: 'Bảo vệ dữ liệu' }));

    const answer = await screen.findByTestId('persist-answer');
    expect(answer.dataset.answer).toBe('refused');
    const advice = within(answer)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(advice).toEqual([
      expect.stringContaining('Cài ứng dụng vào màn hình chính'),
      expect.stringContaining('Đồng bộ thường xuyên'),
      expect.stringContaining('Không xoá dữ liệu duyệt web'),
    ]);
    expect(storage.persisted).toBe(false);
    expect(storage.answer).toBe('refused');
  });

  it('on a browser without persist(), says so and gives the same advice', async () => {
    const db = await loggedInDb();
    show(db, { api: { persisted: () => Promise.resolve(false) } as never });
    await fireEvent.click(await screen.findByRole('button', { name: 'Bảo vệ dữ liệu' }));
    const answer = await screen.findByTestId('persist-answer');
    expect(answer.dataset.answer).toBe('unsupported');
    expect(within(answer).getAllByRole('listitem')).toHaveLength(3);
  });

  it('after a saved record asks once per page, and not at all when already protected', async () => {
    const db = await loggedInDb();
    const refused = fakeStorage({ persisted: false, grants: false });
    const state = new StorageState(db, refused);
    state.afterSave();
    state.afterSave();
    await waitFor(() => expect(state.answer).toBe('refused'));
    expect(refused.persist).toHaveBeenCalledTimes(1);
    expect(state.persisted).toBe(false);

    const kept = fakeStorage({ persisted: true });
    const protectedState = new StorageState(db, kept);
    await waitFor(() => expect(protectedState.persisted).toBe(true));
    protectedState.afterSave();
    expect(kept.persist).not.toHaveBeenCalled();
    expect(protectedState.answer).toBeNull();
  });

  it('on iPhone Safari outside the installed app: the 7-day warning and the illustrated install steps', async () => {
    const db = await loggedInDb();
    show(db, { ua: IPHONE_UA });
    expect((await screen.findByTestId('ios-warning')).textContent).toContain('7 ngày');
    const install = screen.getByRole('region', { name: 'Cài vào màn hình chính' });
    expect(within(install).getByRole('img', { name: 'Nút Chia sẻ của Safari' })).toBeTruthy();
    expect(install.textContent).toContain('Thêm vào MH chính');
  });

  it('has no axe violation, with the refusal advice and the iOS steps shown', async () => {
    const db = await loggedInDb();
    show(db, { ua: IPHONE_UA, api: fakeStorage({ persisted: false, grants: false }) });
    await fireEvent.click(await screen.findByRole('button', { name: 'Bảo vệ dữ liệu' }));
    await screen.findByTestId('persist-answer');
    const result = await axe.run(document.body, { rules: { 'color-contrast': { enabled: false } } });
    expect(result.violations.map((v) => v.id)).toEqual([]);
  });

  it('installed (standalone): no install step and no iOS warning', async () => {
    const db = await loggedInDb();
    show(db, { ua: IPHONE_UA, standalone: true });
    await screen.findByTestId('persisted');
    expect(screen.queryByTestId('ios-warning')).toBeNull();
    expect(screen.queryByRole('region', { name: 'Cài vào màn hình chính' })).toBeNull();
  });

  it('opens the onboarding again', async () => {
    const db = await loggedInDb();
    const onboarding = new OnboardingState(null);
    onboarding.finish();
    show(db, { onboarding });
    expect(onboarding.showsFor('volunteer')).toBe(false);
    await fireEvent.click(screen.getByRole('button', { name: 'Xem lại hướng dẫn bắt đầu' }));
    expect(onboarding.showsFor('volunteer')).toBe(true);
  });

  it('exports unsynced records and their outbox rows as JSON, leaving synced ones out', async () => {
    const db = await loggedInDb();
    const pending = wireRecord({ note: 'Cần hẹn lại' });
    await saveNewRecord(db, pending);
    await db.records.add(localRecord({ syncState: 'synced', serverVersion: 2 }));
    const download = vi.fn<(blob: Blob, name: string) => void>();
    show(db, { download });

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
    show(db);
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
    const install = await import('../../src/app/i18n/install.ts');
    localStorage.removeItem(LANG_KEY);
    expect(fresh.lang).toBe('en');
    expect(fresh.t.capture.save).toBe('Save');
    expect(fresh.t.nav.storage).toBe('Storage');
    expect(install.tInstall.onboarding.skip).toBe('Skip');
    const { vi: viMessages } = await import('../../src/app/i18n/vi.ts');
    const keys = (o: object, p = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        v && typeof v === 'object' ? keys(v as object, `${p}${k}.`) : [`${p}${k}`],
      );
    expect(keys(fresh.t).sort()).toEqual(keys(viMessages).sort());
  });
});
