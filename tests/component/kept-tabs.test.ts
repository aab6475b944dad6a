// The tallies and the own list stay mounted once opened, quick to show again: going back to them
// shows the same elements with the state they had, nothing is read while they are hidden or when
// they are shown again with nothing written, and a save made meanwhile shows up when they are shown
// again. A save through the form starts sync after the saved notice, not in the tap's task.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import App from '../../src/app/App.svelte';
import { saveNewRecord } from '../../src/app/db/records-repo.ts';
import { readFirstPage } from '../../src/app/state/first-page-cache.ts';
import { createServices, loadServices } from '../../src/app/services.ts';
import { localDay } from '../../src/shared/index.ts';
import { loggedInDb, wireRecord } from './support/db.ts';
import { watchKeptReads } from './support/kept-reads.ts';
import { FakeServer } from './support/fake-server.ts';

// The list's read, watched (it still reads): the own list's first screenful comes from here.
vi.mock('../../src/app/state/first-page-cache.ts', async (original) => {
  const real = await original<typeof import('../../src/app/state/first-page-cache.ts')>();
  return { ...real, readFirstPage: vi.fn(real.readFirstPage) };
});

const offline: typeof fetch = () => Promise.reject(new TypeError('Failed to fetch'));
const tab = (name: string) => fireEvent.click(screen.getByRole('link', { name }));

async function app(fetch: typeof globalThis.fetch = offline) {
  const db = await loggedInDb();
  const services = createServices({ db, fetch });
  await loadServices(services);
  services.status.setOnline(false);
  const { container } = render(App, { props: { services } });
  return { db, services, container };
}

/** The ids of the rows read from a table from now on (Dexie's reading hook). */
function watchReads(table: { hook: (event: 'reading', fn: <T>(x: T) => T) => void }): string[] {
  const ids: string[] = [];
  table.hook('reading', (x) => {
    ids.push((x as { id?: string }).id ?? '');
    return x;
  });
  return ids;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('tab screens kept mounted', () => {
  it('keeps the tallies, idle while hidden, and shows a save made meanwhile when shown again', async () => {
    const { db, container } = await app();
    await saveNewRecord(db, wireRecord({ occurredOn: localDay() }));
    await tab('Thống kê');
    const today = () => container.querySelector('dd[data-period="today"]');
    await waitFor(() => expect(today()?.textContent).toBe('1'));
    const shown = today()!;

    await tab('Ghi nhận');
    expect(shown.isConnected).toBe(true);
    expect(shown.closest('[hidden]')).not.toBeNull();
    const reads = watchReads(db.counters);
    await saveNewRecord(db, wireRecord({ occurredOn: localDay() }));
    // The status bar's live count re-ran on this save; the hidden tallies did not read the counters.
    await waitFor(() => expect(screen.getByRole('status').getAttribute('data-pending')).toBe('2'));
    expect(reads).toEqual([]);
    expect(shown.textContent).toBe('1');

    await tab('Thống kê');
    // At once the numbers it showed, marked busy (a counter was written since); then the new ones.
    expect(shown.closest('[hidden]')).toBeNull();
    expect(shown.closest('[aria-busy]')!.getAttribute('aria-busy')).toBe('true');
    await waitFor(() => expect(today()?.textContent).toBe('2'));
    expect(today()).toBe(shown); // the same element, its number updated
    expect(shown.closest('[hidden]')).toBeNull();
    expect(shown.closest('[aria-busy]')!.getAttribute('aria-busy')).toBe('false');
    expect(reads.length).toBeGreaterThan(0);
  }, 20_000);

  it('keeps the own list: shown again with nothing written it reads nothing; a save made meanwhile shows up', async () => {
    const { db, container } = await app();
    const first = wireRecord({ occurredOn: localDay() });
    await saveNewRecord(db, first);
    await tab('Bản ghi');
    const row = (id: string) => container.querySelector(`li[data-record-id="${id}"]`);
    await waitFor(() => expect(row(first.id)).not.toBeNull());
    const shown = row(first.id)!;

    await tab('Ghi nhận');
    expect(shown.closest('[hidden]')).not.toBeNull();
    const reads = vi.mocked(readFirstPage);
    reads.mockClear();
    const kept = watchKeptReads();
    await tab('Bản ghi');
    expect(shown.closest('[hidden]')).toBeNull();
    expect(shown.closest('[aria-busy]')!.getAttribute('aria-busy')).toBe('false');
    // The show was answered (by the time the tap's update is flushed) without a live query, the
    // only thing that would read.
    expect([...new Set(kept.shows())]).toEqual(['none']);
    expect(reads).not.toHaveBeenCalled();
    expect(row(first.id)).toBe(shown);

    await tab('Ghi nhận');
    const second = wireRecord({ occurredOn: localDay() });
    await saveNewRecord(db, second);
    await tab('Bản ghi');
    expect(shown.closest('[aria-busy]')!.getAttribute('aria-busy')).toBe('true');
    await waitFor(() => expect(row(second.id)).not.toBeNull());
    expect(reads).toHaveBeenCalled();
    expect(row(first.id)).toBe(shown); // the same element, kept
    expect(shown.closest('[aria-busy]')!.getAttribute('aria-busy')).toBe('false');
    // The watch sees a live query when one is needed.
    expect(kept.shows()).toContain('live query');
  }, 20_000);

  it('starts sync after a save from the form', async () => {
    const server = new FakeServer();
    const { services } = await app(server.fetch);
    services.status.setOnline(true);
    await fireEvent.change(screen.getByLabelText('Thôn/ấp'), { target: { value: 'h1' } });
    await fireEvent.click(screen.getByLabelText('Kỹ năng số'));
    await fireEvent.click(screen.getByLabelText('Hoàn thành'));
    await fireEvent.click(screen.getByRole('button', { name: 'Lưu' }));

    await waitFor(() => expect(screen.getByTestId('save-notice').textContent).toContain('Đã lưu'));
    await waitFor(() => expect(server.log.some((r) => r.path.endsWith('/sync/push'))).toBe(true));
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('đã đồng bộ'));
  });

  it('offline, saves without a sync run, and syncs what waits once the network returns', async () => {
    const server = new FakeServer();
    const { services } = await app(server.fetch);
    let online = false;
    vi.spyOn(navigator, 'onLine', 'get').mockImplementation(() => online);
    const afterSave = vi.spyOn(services.scheduler, 'afterSave');
    const afterSaved = vi.spyOn(services, 'afterSave');
    services.scheduler.start();
    try {
      // The run at start (nothing to push) ends before the save, so it cannot carry the record.
      expect(await services.scheduler.request()).toBe('ok');
      await fireEvent.change(screen.getByLabelText('Thôn/ấp'), { target: { value: 'h1' } });
      await fireEvent.click(screen.getByLabelText('Kỹ năng số'));
      await fireEvent.click(screen.getByLabelText('Hoàn thành'));
      await fireEvent.click(screen.getByRole('button', { name: 'Lưu' }));
      await waitFor(() => expect(screen.getByTestId('save-notice').textContent).toContain('Đã lưu'));
      await waitFor(() => expect(screen.getByRole('status').getAttribute('data-pending')).toBe('1'));
      // The save's after-paint work has run once the app asked its services to sync: offline, that
      // registers Background Sync and starts no run.
      await waitFor(() => expect(afterSaved).toHaveBeenCalledTimes(1));
      expect(afterSave).not.toHaveBeenCalled();
      expect(server.log.filter((r) => r.path.endsWith('/sync/push'))).toHaveLength(0);

      online = true;
      window.dispatchEvent(new Event('online'));
      await waitFor(() => expect(screen.getByRole('status').getAttribute('data-pending')).toBe('0'));
      expect(server.log.filter((r) => r.path.endsWith('/sync/push'))).toHaveLength(1);
    } finally {
      services.scheduler.stop();
      vi.restoreAllMocks();
    }
  });
});
