// Editing and deleting stored records: the edit form reuses the capture fields and queues a patch
// of only the changed fields on the record's server version; delete is a tombstone through the
// outbox; a lead opens team records from "Bản ghi của tổ", a volunteer only their own.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import App from '../../src/app/App.svelte';
import type { LocalRecord, SotayDB } from '../../src/app/db/database.ts';
import { storeLogin } from '../../src/app/db/meta-repo.ts';
import { createServices, loadServices } from '../../src/app/services.ts';
import EditScreen from '../../src/app/ui/records/EditScreen.svelte';
import { freshDb, loggedInDb, localRecord } from './support/db.ts';
import { HAMLETS, USER, loginResponse } from './support/fake-server.ts';
import { recordsContext } from './support/records.ts';

const offline: typeof fetch = async () => {
  throw new TypeError('Failed to fetch');
};

/** A record as it stands after a pull: server fields, a version, synced. */
function pulled(over: Partial<LocalRecord> = {}): LocalRecord {
  return localRecord({
    syncState: 'synced',
    serverVersion: 3,
    volunteerId: USER.id,
    teamId: 't1',
    communeCode: '00001',
    outcome: 'done',
    paidOnline: false,
    ...over,
  });
}

async function renderEditor(db: SotayDB, record: LocalRecord) {
  await db.records.add(record);
  const onDone = vi.fn();
  const onSaved = vi.fn();
  render(EditScreen, { props: { record, hamlets: HAMLETS, onDone, onSaved }, context: recordsContext(db) });
  return { onDone, onSaved };
}

/** The list row of one record, once the live query has shown it. */
function rowButton(container: HTMLElement, id: string): Promise<HTMLElement> {
  return waitFor(() => {
    const el = container.querySelector<HTMLElement>(`li[data-record-id="${id}"] button`);
    expect(el).not.toBeNull();
    return el!;
  });
}

const saveEdit = () => fireEvent.click(screen.getByRole('button', { name: 'Lưu thay đổi' }));

describe('edit form', () => {
  it('queues a patch of only the changed fields, on the server version it was made from', async () => {
    const db = await loggedInDb();
    const r = pulled({ note: 'cũ', ageBand: '18_59' });
    const { onDone, onSaved } = await renderEditor(db, r);

    await fireEvent.click(screen.getByLabelText('Cần theo dõi tiếp'));
    await fireEvent.input(await screen.findByLabelText('Ghi chú'), { target: { value: 'hẹn thứ Hai' } });
    await fireEvent.change(screen.getByLabelText('Nhóm tuổi'), { target: { value: '' } });
    await saveEdit();

    await waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
    expect(onSaved).toHaveBeenCalledTimes(1);
    const [row] = await db.outbox.toArray();
    expect(row).toMatchObject({ op: 'upsert', recordId: r.id, baseVersion: 3 });
    expect(Object.keys(row!.patch).sort()).toEqual(['ageBand', 'note', 'outcome', 'updatedAt']);
    expect(row!.patch).toMatchObject({ outcome: 'follow_up', note: 'hẹn thứ Hai', ageBand: null });
    const stored = (await db.records.get(r.id))!;
    expect(stored).toMatchObject({
      syncState: 'to_update',
      outcome: 'follow_up',
      volunteerId: USER.id,
      teamId: 't1',
    });
    expect(stored.ageBand).toBeUndefined();
  });

  it('says there is no change and queues nothing when saved as it was', async () => {
    const db = await loggedInDb();
    const { onDone } = await renderEditor(db, pulled());

    await saveEdit();

    expect(await screen.findByText('Chưa có thay đổi nào.')).toBeTruthy();
    expect(await db.outbox.count()).toBe(0);
    expect(onDone).not.toHaveBeenCalled();
  });

  it('refuses an edit that breaks a rule, with the Vietnamese field message, and stores nothing', async () => {
    const db = await loggedInDb();
    const r = pulled();
    await renderEditor(db, r);

    await fireEvent.click(screen.getByLabelText('Không thành công'));
    await saveEdit();

    expect(await screen.findByText('Vui lòng chọn lý do không thành công.')).toBeTruthy();
    expect(await db.outbox.count()).toBe(0);
    expect((await db.records.get(r.id))!.outcome).toBe('done');
  });

  it('deletes only after a second tap: the record is hidden and a delete waits in the outbox', async () => {
    const db = await loggedInDb();
    const r = pulled();
    const { onDone } = await renderEditor(db, r);

    await fireEvent.click(screen.getByRole('button', { name: 'Xoá bản ghi' }));
    expect(await db.outbox.count()).toBe(0);
    expect(screen.getByRole('alert').textContent).toContain('Xoá bản ghi này?');
    await fireEvent.click(screen.getByRole('button', { name: 'Xoá' }));

    await waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
    expect(await db.records.get(r.id)).toMatchObject({ deleted: true, syncState: 'to_update' });
    expect((await db.outbox.toArray()).map((o) => [o.op, o.recordId, o.baseVersion])).toEqual([
      ['delete', r.id, 3],
    ]);
  });
});

describe('records in the app', () => {
  it('lets a lead open a teammate\'s record from "Bản ghi của tổ", edit it, and see it waiting to be sent', async () => {
    const db = freshDb();
    const lead = loginResponse();
    lead.user = { ...USER, id: 'u-lead', username: 'demo-lead', role: 'lead' };
    await storeLogin(db, lead);
    const teammate = pulled({ volunteerId: 'u-tnv', outcome: 'follow_up', serverVersion: 7 });
    await db.records.add(teammate);
    const services = createServices({ db, fetch: offline });
    await loadServices(services);
    const { container } = render(App, { props: { services } });

    await fireEvent.click(screen.getByRole('link', { name: 'Duyệt' }));
    const row = await rowButton(container, teammate.id);
    await fireEvent.click(row);
    // The capture form stays in the page, hidden: only the editor's radios are accessible.
    await fireEvent.click(await screen.findByRole('radio', { name: 'Hoàn thành' }));
    await saveEdit();

    await waitFor(() =>
      expect(
        container.querySelector(`li[data-record-id="${teammate.id}"]`)?.getAttribute('data-sync-state'),
      ).toBe('to_update'),
    );
    const [queued] = await db.outbox.toArray();
    expect(queued).toMatchObject({ baseVersion: 7, patch: { outcome: 'done' } });
    expect(Object.keys(queued!.patch).sort()).toEqual(['outcome', 'updatedAt']);
  });

  it('gives a volunteer no team or conflicts tab, and lets them delete their own record', async () => {
    const db = await loggedInDb();
    const mine = pulled();
    await db.records.add(mine);
    const services = createServices({ db, fetch: offline });
    await loadServices(services);
    const { container } = render(App, { props: { services } });

    const nav = screen.getByRole('navigation');
    expect(
      within(nav)
        .getAllByRole('link')
        .map((b) => b.textContent?.trim()),
    ).toEqual(['Ghi nhận', 'Bản ghi', 'Thống kê', 'Giao nhận', 'Thêm']);
    await fireEvent.click(screen.getByRole('link', { name: 'Bản ghi' }));
    const row = await rowButton(container, mine.id);
    await fireEvent.click(row);
    await fireEvent.click(await screen.findByRole('button', { name: 'Xoá bản ghi' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Xoá' }));

    expect(await screen.findByText('Chưa có bản ghi nào.')).toBeTruthy();
    await waitFor(() => expect(screen.getByRole('status').getAttribute('data-pending')).toBe('1'));
    expect((await db.outbox.toArray())[0]).toMatchObject({ op: 'delete', recordId: mine.id });
  });
});
