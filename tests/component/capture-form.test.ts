// The capture screen: field messages in Vietnamese and nothing stored when invalid; one record and
// one outbox row (seq 1, upsert, patch = record) when valid; storage failures keep the form.
import { fireEvent, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { SotayDB } from '../../src/app/db/database.ts';
import { CaptureForm } from '../../src/app/state/capture.svelte.ts';
import { renderCapture as mount } from './support/capture.ts';
import { loggedInDb } from './support/db.ts';
import { HAMLETS } from './support/fake-server.ts';
import { DIGIT_ZEROS, disguisedIdNumbers, inScript } from '../support/disguised-ids.ts';

function renderCapture(db: SotayDB, onSaved = vi.fn()) {
  mount(db, { onSaved });
  return onSaved;
}

const save = () => fireEvent.click(screen.getByRole('button', { name: 'Lưu' }));

async function fillValid() {
  await fireEvent.click(screen.getByLabelText('Kích hoạt VNeID mức 1'));
  await fireEvent.change(screen.getByLabelText('Thôn/ấp'), { target: { value: 'h2' } });
  await fireEvent.click(screen.getByLabelText('Hoàn thành'));
  await screen.findByLabelText('Ghi chú'); // "Thông tin thêm" is a lazy chunk
}

describe('capture form', () => {
  it('warms up the save path without storing or showing anything, and the form still saves', async () => {
    const db = await loggedInDb();
    const meta = await db.meta.toArray();
    const form = new CaptureForm({ db, hamlets: HAMLETS });
    await form.warm();
    expect(await db.records.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
    expect(await db.meta.toArray()).toEqual(meta);
    expect(form.notice).toBeNull();
    expect(form.dirty).toBe(false);
  });

  it('shows Vietnamese field messages for a missing hamlet and outcome and stores nothing', async () => {
    const db = await loggedInDb();
    const onSaved = renderCapture(db);
    await fireEvent.click(screen.getByLabelText('Thẻ căn cước'));

    await save();

    const hamletMsg = await screen.findByText('Vui lòng chọn thôn/ấp.');
    expect(screen.getByText('Vui lòng chọn kết quả.')).toBeTruthy();
    const select = screen.getByLabelText('Thôn/ấp');
    expect(select.getAttribute('aria-invalid')).toBe('true');
    expect(select.getAttribute('aria-describedby')).toBe(hamletMsg.id);
    expect(await db.records.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
    expect(onSaved).not.toHaveBeenCalled();
  });

  it('writes exactly one record and one outbox row with seq 1, op upsert and the record as patch', async () => {
    const db = await loggedInDb();
    const onSaved = renderCapture(db);
    await fillValid();

    await save();

    await screen.findByText('Đã lưu');
    const records = await db.records.toArray();
    const outbox = await db.outbox.toArray();
    expect(records).toHaveLength(1);
    expect(outbox).toHaveLength(1);
    const { serverVersion, syncState, own, ...wire } = records[0]!;
    expect({ serverVersion, syncState, own }).toEqual({ serverVersion: 0, syncState: 'to_post', own: 1 });
    expect(wire).toMatchObject({ hamletId: 'h2', category: 'vneid_l1', outcome: 'done' });
    expect(outbox[0]).toMatchObject({ seq: 1, op: 'upsert', recordId: wire.id, baseVersion: 0 });
    expect(outbox[0]!.patch).toEqual(wire);
    expect(onSaved).toHaveBeenCalledTimes(1);
  });

  it('resets the form after saving: the hamlet stays, the category is chosen afresh', async () => {
    const db = await loggedInDb();
    renderCapture(db);
    await fillValid();

    await save();

    await screen.findByText('Đã lưu');
    expect((screen.getByLabelText('Thôn/ấp') as HTMLSelectElement).value).toBe('h2');
    const category = screen.getByRole('radiogroup', { name: 'Loại hỗ trợ' });
    expect(category.querySelectorAll('input:checked')).toHaveLength(0);
    expect((screen.getByLabelText('Hoàn thành') as HTMLInputElement).checked).toBe(false);
  });

  it('asks for the public service when the category is online filing', async () => {
    const db = await loggedInDb();
    renderCapture(db);
    expect(screen.queryByLabelText('Dịch vụ công')).toBeNull();
    await fireEvent.click(screen.getByLabelText('Nộp hồ sơ dịch vụ công trực tuyến'));
    await fireEvent.change(screen.getByLabelText('Thôn/ấp'), { target: { value: 'h1' } });
    await fireEvent.click(screen.getByLabelText('Đã nộp hồ sơ'));

    await save();

    expect(await screen.findByText('Vui lòng chọn dịch vụ công.')).toBeTruthy();
    expect(screen.getByLabelText('Dịch vụ công').getAttribute('aria-invalid')).toBe('true');
    expect(await db.records.count()).toBe(0);

    await fireEvent.change(screen.getByLabelText('Dịch vụ công'), { target: { value: 'CA-03' } });
    await save();
    await screen.findByText('Đã lưu');
    expect((await db.records.toArray())[0]).toMatchObject({
      category: 'online_filing',
      serviceCode: 'CA-03',
    });
  });

  it('asks for a fail reason only when the outcome is failed', async () => {
    const db = await loggedInDb();
    renderCapture(db);
    expect(screen.queryByLabelText('Lý do không thành công')).toBeNull();
    await fireEvent.click(screen.getByLabelText('Kích hoạt VNeID mức 2'));
    await fireEvent.change(screen.getByLabelText('Thôn/ấp'), { target: { value: 'h1' } });
    await fireEvent.click(screen.getByLabelText('Không thành công'));

    await save();

    expect(await screen.findByText('Vui lòng chọn lý do không thành công.')).toBeTruthy();
    expect(await db.records.count()).toBe(0);
  });

  it('refuses a note that looks like an ID or phone number', async () => {
    const db = await loggedInDb();
    renderCapture(db);
    await fillValid();
    await fireEvent.input(screen.getByLabelText('Ghi chú'), { target: { value: 'SĐT 0912 345 678' } });

    await save();

    expect(await screen.findByText(/có vẻ chứa số định danh hoặc số điện thoại/)).toBeTruthy();
    expect(await db.records.count()).toBe(0);
  });

  it('refuses a day after tomorrow (commune time) with a message about the phone date, and takes tomorrow', async () => {
    // 23:30 on 31/12/2026 in Hà Nội (UTC+7): "tomorrow" is 01/01/2027 there.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-12-31T16:30:00.000Z') });
    try {
      const db = await loggedInDb();
      renderCapture(db);
      await fillValid();
      await fireEvent.input(screen.getByLabelText('Ngày hỗ trợ'), { target: { value: '2027-01-02' } });

      await save();

      const msg = await screen.findByText(
        /Ngày hỗ trợ không được sau ngày mai. Hãy kiểm tra .*ngày giờ của điện thoại/,
      );
      expect(screen.getByLabelText('Ngày hỗ trợ').getAttribute('aria-describedby')).toBe(msg.id);
      expect(await db.records.count()).toBe(0);

      await fireEvent.input(screen.getByLabelText('Ngày hỗ trợ'), { target: { value: '2027-01-01' } });
      await save();
      await screen.findByText('Đã lưu');
      expect((await db.records.toArray()).map((r) => r.occurredOn)).toEqual(['2027-01-01']);
    } finally {
      vi.useRealTimers();
    }
  });

  it.each(disguisedIdNumbers())(
    'refuses a note holding an ID number (%s) under the field, stores nothing, keeps the note',
    async (_how, note) => {
      const db = await loggedInDb();
      renderCapture(db);
      await fillValid();
      const field = screen.getByLabelText('Ghi chú');
      await fireEvent.input(field, { target: { value: note } });

      await save();

      const message = await screen.findByText(
        'Ghi chú có vẻ chứa số định danh cá nhân. Không ghi số định danh; hãy xoá số này.',
      );
      expect(field.getAttribute('aria-invalid')).toBe('true');
      expect(field.getAttribute('aria-describedby')).toContain(message.id);
      expect((field as HTMLTextAreaElement).value).toBe(note);
      expect(await db.records.count()).toBe(0);
      expect(await db.outbox.count()).toBe(0);
    },
  );

  it('refuses a phone number in the note however its digits are written', async () => {
    const db = await loggedInDb();
    renderCapture(db);
    await fillValid();
    await fireEvent.input(screen.getByLabelText('Ghi chú'), {
      target: { value: `gọi ${inScript('0912-345-678', DIGIT_ZEROS.arabicIndic)}` },
    });

    await save();

    expect(await screen.findByText(/có vẻ chứa số định danh hoặc số điện thoại/)).toBeTruthy();
    expect(await db.records.count()).toBe(0);
  });

  it('saves a note with dates, times and amounts', async () => {
    const db = await loggedInDb();
    renderCapture(db);
    await fillValid();
    await fireEvent.input(screen.getByLabelText('Ghi chú'), {
      target: { value: 'Hẹn 8:30 từ 01/10/2025 - 31/12/2025, phí 1.500.000 đ' },
    });

    await save();

    await vi.waitFor(async () => expect(await db.records.count()).toBe(1));
  });

  it('shows a storage failure in Vietnamese and keeps what the user entered', async () => {
    const db = await loggedInDb();
    renderCapture(db);
    db.outbox.hook('creating', () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    await fillValid();

    await save();

    expect(await screen.findByText(/Bộ nhớ của máy đã đầy/)).toBeTruthy();
    expect((screen.getByLabelText('Hoàn thành') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText('Thôn/ấp') as HTMLSelectElement).value).toBe('h2');
    expect(await db.records.count()).toBe(0);
  });
});
