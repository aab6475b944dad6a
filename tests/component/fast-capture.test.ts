// Field-ready capture: the usual case in few taps (hamlet and category remembered, outcome one tap),
// VNeID level 2 never defaults to "at home", the service search folds diacritics, and "Hoàn tác"
// takes a save back through the outbox.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { SotayDB } from '../../src/app/db/database.ts';
import { putMeta } from '../../src/app/db/meta-repo.ts';
import CaptureScreen from '../../src/app/ui/capture/CaptureScreen.svelte';
import { localDay } from '../../src/shared/index.ts';
import { localRecord, loggedInDb } from './support/db.ts';
import { HAMLETS } from './support/fake-server.ts';

function renderCapture(db: SotayDB, onDirty = vi.fn()) {
  render(CaptureScreen, { props: { db, hamlets: HAMLETS, onDirty } });
  return onDirty;
}
const save = () => fireEvent.click(screen.getByRole('button', { name: 'Lưu' }));

describe('fast capture', () => {
  it('saves the usual case in two taps when hamlet and category are remembered', async () => {
    const db = await loggedInDb();
    await putMeta(db, 'prefs', { lastHamletId: 'h3', lastCategory: 'vneid_l2' });
    renderCapture(db);
    await waitFor(() => expect((screen.getByLabelText('Thôn/ấp') as HTMLSelectElement).value).toBe('h3'));
    expect((screen.getByLabelText('Kích hoạt VNeID mức 2') as HTMLInputElement).checked).toBe(true);

    await fireEvent.click(screen.getByLabelText('Hoàn thành')); // tap 1
    await save(); // tap 2

    await screen.findByText('Đã lưu');
    const [record] = await db.records.toArray();
    expect(record).toMatchObject({ hamletId: 'h3', category: 'vneid_l2', outcome: 'done' });
    expect(record!.place).not.toBe('home');
  });

  it('defaults the place of a VNeID level 2 activation to the commune office, never home', async () => {
    const db = await loggedInDb();
    renderCapture(db);
    await fireEvent.click(screen.getByLabelText('Kích hoạt VNeID mức 2'));
    await waitFor(() =>
      expect((screen.getByLabelText('Nơi hỗ trợ') as HTMLSelectElement).value).toBe('commune_office'),
    );
  });

  it.each([
    ['khai sinh'],
    ['Khai Sinh'],
    ['khai sinh'.normalize('NFD')],
    ['đăng ký khai sinh'.normalize('NFD')],
    ['dang ky khai'],
  ])('finds "Đăng ký khai sinh" when the service search is %j', async (query) => {
    const db = await loggedInDb();
    renderCapture(db);
    await fireEvent.click(screen.getByLabelText('Nộp hồ sơ dịch vụ công trực tuyến'));
    await fireEvent.input(screen.getByLabelText('Tìm dịch vụ công'), { target: { value: query } });
    const select = screen.getByLabelText('Dịch vụ công') as HTMLSelectElement;
    const labels = [...select.options].map((o) => o.textContent);
    expect(labels).toContain('Đăng ký khai sinh');
    expect(labels.length).toBeLessThan(6);
  });

  it('undoes a save with "Hoàn tác": the record leaves the list and nothing new waits to be sent', async () => {
    const db = await loggedInDb();
    renderCapture(db);
    await fireEvent.click(screen.getByLabelText('Kích hoạt VNeID mức 1'));
    await fireEvent.change(screen.getByLabelText('Thôn/ấp'), { target: { value: 'h2' } });
    await fireEvent.click(screen.getByLabelText('Hoàn thành'));
    await save();
    await screen.findByText('Đã lưu');
    const id = (await db.records.toArray())[0]!.id;

    await fireEvent.click(screen.getByRole('button', { name: 'Hoàn tác' }));

    await screen.findByText('Đã hoàn tác, bản ghi vừa lưu đã được xoá');
    const row = await db.records.get(id);
    expect(row === undefined || row.deleted === true).toBe(true);
    expect(row?.own).toBeUndefined();
    const ops = (await db.outbox.where('recordId').equals(id).toArray()).map((o) => o.op);
    expect(ops.length === 0 || ops.at(-1) === 'delete').toBe(true);
    expect(screen.queryByRole('button', { name: 'Hoàn tác' })).toBeNull();
  });

  it('reports the form dirty while something is typed and clean again after saving', async () => {
    const db = await loggedInDb();
    const onDirty = renderCapture(db);
    await waitFor(() => expect(onDirty).toHaveBeenLastCalledWith(false));
    await fireEvent.click(screen.getByLabelText('Kích hoạt VNeID mức 1'));
    await waitFor(() => expect(onDirty).toHaveBeenLastCalledWith(true));
    await fireEvent.change(screen.getByLabelText('Thôn/ấp'), { target: { value: 'h2' } });
    await fireEvent.click(screen.getByLabelText('Hoàn thành'));
    await save();
    await screen.findByText('Đã lưu');
    await waitFor(() => expect(onDirty).toHaveBeenLastCalledWith(false));
  });

  it('offers the most used categories of the last 30 days as one-tap chips', async () => {
    const db = await loggedInDb();
    const today = localDay();
    await db.records.bulkAdd([
      ...Array.from({ length: 3 }, () =>
        localRecord({ occurredOn: today, category: 'online_filing', serviceCode: 'XA-01' }),
      ),
      ...Array.from({ length: 2 }, () => localRecord({ occurredOn: today, category: 'vneid_l2' })),
      localRecord({ occurredOn: today, category: 'can_cuoc' }),
      localRecord({ occurredOn: today, category: 'other', volunteerId: 'someone-else' }),
    ]);
    renderCapture(db);
    const group = await screen.findByRole('group', { name: 'Loại hay dùng' });
    const chips = [...group.querySelectorAll('button')];
    expect(chips.map((b) => b.textContent)).toEqual([
      'Nộp hồ sơ dịch vụ công trực tuyến',
      'Kích hoạt VNeID mức 2',
      'Thẻ căn cước',
    ]);
    await fireEvent.click(chips[1]!);
    expect((screen.getByLabelText('Kích hoạt VNeID mức 2') as HTMLInputElement).checked).toBe(true);
    expect(chips[1]!.getAttribute('aria-pressed')).toBe('true');
  });
});
