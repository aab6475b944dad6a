// Field-ready capture: the usual case in few taps (hamlet remembered, categories by use, outcome one tap),
// VNeID level 2 never defaults to "at home", the service search folds diacritics, and "Hoàn tác"
// takes a save back through the outbox.
import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { SotayDB } from '../../src/app/db/database.ts';
import { putMeta } from '../../src/app/db/meta-repo.ts';
import { CATEGORIES, localDay } from '../../src/shared/index.ts';
import { localRecord, loggedInDb } from './support/db.ts';
import { renderCapture as mount } from './support/capture.ts';

function renderCapture(db: SotayDB, onDirty = vi.fn()) {
  mount(db, { onDirty });
  return onDirty;
}
const save = () => fireEvent.click(screen.getByRole('button', { name: 'Lưu' }));

describe('fast capture', () => {
  it('saves the usual case in three taps: the hamlet is remembered, the category never pre-selected', async () => {
    const db = await loggedInDb();
    // An earlier version also remembered the category: it must not come back pre-selected.
    await putMeta(db, 'prefs', { lastHamletId: 'h3', lastCategory: 'vneid_l2' });
    renderCapture(db);
    await waitFor(() => expect((screen.getByLabelText('Thôn/ấp') as HTMLSelectElement).value).toBe('h3'));
    expect(screen.getByRole('radiogroup', { name: 'Loại hỗ trợ' }).querySelector('input:checked')).toBeNull();

    await fireEvent.click(screen.getByLabelText('Kích hoạt VNeID mức 2')); // tap 1
    await fireEvent.click(screen.getByLabelText('Hoàn thành')); // tap 2
    await save(); // tap 3

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
    await fireEvent.input(await screen.findByLabelText('Tìm dịch vụ công'), { target: { value: query } });
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

  it('lists the categories once, the most used on this phone first, ties in catalogue order', async () => {
    const db = await loggedInDb();
    const today = localDay();
    await db.records.bulkAdd([
      ...Array.from({ length: 3 }, () =>
        localRecord({ occurredOn: today, category: 'online_filing', serviceCode: 'XA-01' }),
      ),
      ...Array.from({ length: 2 }, () => localRecord({ occurredOn: today, category: 'vneid_l2' })),
      localRecord({ occurredOn: today, category: 'can_cuoc' }),
      localRecord({ occurredOn: today, category: 'app_install' }),
      // Another volunteer's records (pulled for the team) do not count.
      ...Array.from({ length: 5 }, () =>
        localRecord({ occurredOn: today, category: 'other', volunteerId: 'someone-else' }),
      ),
    ]);
    renderCapture(db);
    const group = screen.getByRole('radiogroup', { name: 'Loại hỗ trợ' });
    const order = () => [...group.querySelectorAll('label')].map((l) => l.textContent?.trim());
    await waitFor(() => expect(order()[0]).toBe('Nộp hồ sơ dịch vụ công trực tuyến'));
    const unused = CATEGORIES.filter(
      (c) => !['online_filing', 'vneid_l2', 'can_cuoc', 'app_install'].includes(c.code),
    ).map((c) => c.vi);
    expect(order()).toEqual([
      'Nộp hồ sơ dịch vụ công trực tuyến',
      'Kích hoạt VNeID mức 2',
      'Thẻ căn cước', // 1 each: catalogue order between them
      'Cài đặt ứng dụng',
      ...unused,
    ]);
    // One list: no chips or buttons repeating the radios, and nothing chosen for the volunteer.
    expect(screen.queryByRole('group', { name: 'Loại hay dùng' })).toBeNull();
    expect(group.querySelectorAll('button')).toHaveLength(0);
    expect(group.querySelectorAll('input[type="radio"]')).toHaveLength(CATEGORIES.length);
    expect(group.querySelector('input:checked')).toBeNull();
  });

  it('keeps the catalogue order on a phone with no own records (only the team’s)', async () => {
    const db = await loggedInDb();
    const today = localDay();
    await db.records.bulkAdd(
      Array.from({ length: 4 }, () =>
        localRecord({ occurredOn: today, category: 'other', volunteerId: 'x' }),
      ),
    );
    const { state } = mount(db);
    const form = state.newForm();
    await form.restoreLast(); // resolves once the order is read
    expect(form.categoryOrder).toEqual(CATEGORIES.map((c) => c.code));
    const group = screen.getByRole('radiogroup', { name: 'Loại hỗ trợ' });
    expect([...group.querySelectorAll('label')].map((l) => l.textContent?.trim())).toEqual(
      CATEGORIES.map((c) => c.vi),
    );
  });
});
