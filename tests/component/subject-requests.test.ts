// The admin's data-subject request screen: the number is checked before anything is sent, a find
// lists what the server answered, and an erase needs a second, explicit tap.
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import SubjectRequestScreen from '../../src/app/ui/privacy/SubjectRequestScreen.svelte';
import { fakeIdNumber } from '../support/citizen-ids.ts';

function fakeServer(answer: (body: Record<string, unknown>) => unknown) {
  const bodies: Record<string, unknown>[] = [];
  const fetch = vi.fn(async (_url: string | URL | Request, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
    bodies.push(body);
    return new Response(JSON.stringify(answer(body)), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, bodies };
}

const record = (id: string, deleted = false) => ({
  id,
  version: 3,
  deleted,
  data: deleted
    ? {}
    : { id, occurredOn: '2025-10-15', category: 'vneid_l1', outcome: 'done', hamletId: 'thon-dong' },
});
const HAMLETS = [{ id: 'thon-dong', name: 'Thôn Đông' }];

describe('data-subject request screen', () => {
  it('refuses an implausible number with a Vietnamese message and sends nothing', async () => {
    const server = fakeServer(() => ({ action: 'find', records: [] }));
    render(SubjectRequestScreen, { props: { token: 't', api: { fetch: server.fetch } } });
    await fireEvent.input(screen.getByLabelText('Số định danh cá nhân (12 số)'), {
      target: { value: '12345' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Tìm' }));
    expect(await screen.findByText('Số định danh phải gồm đúng 12 chữ số.')).toBeTruthy();
    expect(server.fetch).not.toHaveBeenCalled();
  });

  it('finds the linked records, then erases them only after a second tap', async () => {
    const id = fakeIdNumber();
    const server = fakeServer((b) =>
      b.action === 'erase'
        ? { action: 'erase', records: [record('a', true), record('b', true)], erased: 2 }
        : { action: 'find', records: [record('a'), record('b')] },
    );
    render(SubjectRequestScreen, { props: { token: 't', api: { fetch: server.fetch } } });
    await fireEvent.input(screen.getByLabelText('Số định danh cá nhân (12 số)'), {
      target: { value: `${id.slice(0, 6)} ${id.slice(6)}` },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Tìm' }));
    expect(await screen.findByText('Tìm thấy 2 bản ghi.')).toBeTruthy();
    expect(server.bodies[0]).toEqual({ idNumber: id, action: 'find' });

    await fireEvent.click(screen.getByRole('button', { name: 'Xoá dữ liệu' }));
    expect(server.bodies).toHaveLength(1);
    await fireEvent.click(screen.getByRole('button', { name: 'Bấm lần nữa để xoá vĩnh viễn' }));
    expect(await screen.findByText(/Đã xoá 2 bản ghi/)).toBeTruthy();
    expect(server.bodies[1]).toEqual({ idNumber: id, action: 'erase' });
  });

  it('shows the records with Vietnamese labels and dd/mm/yyyy days, never codes', async () => {
    const server = fakeServer(() => ({
      action: 'find',
      records: [record('a'), { ...record('b'), data: { ...record('b').data, outcome: 'follow_up' } }],
    }));
    render(SubjectRequestScreen, { props: { token: 't', hamlets: HAMLETS, api: { fetch: server.fetch } } });
    await fireEvent.input(screen.getByLabelText('Số định danh cá nhân (12 số)'), {
      target: { value: fakeIdNumber() },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Tìm' }));
    await screen.findByText('Tìm thấy 2 bản ghi.');
    const table = screen.getByRole('table');
    const headers = within(table)
      .getAllByRole('columnheader')
      .map((h) => h.textContent?.trim());
    expect(headers).toEqual(['Ngày hỗ trợ', 'Thôn/ấp', 'Loại hỗ trợ', 'Kết quả', 'Tình trạng']);
    const cells = (id: string) =>
      [...(table.querySelector(`tr[data-record="${id}"]`)?.querySelectorAll('td') ?? [])].map((td) =>
        td.textContent?.trim(),
      );
    expect(cells('a')).toEqual([
      '15/10/2025',
      'Thôn Đông',
      'Kích hoạt VNeID mức 1',
      'Hoàn thành',
      'Đang lưu',
    ]);
    expect(cells('b')[3]).toBe('Cần theo dõi tiếp');
    expect(table.textContent).not.toMatch(/vneid_l1|follow_up|thon-dong|2025-10-15|\bdone\b/);
  });

  it('downloads the export as Vietnamese columns, with one column for the record id', async () => {
    const server = fakeServer(() => ({
      action: 'export',
      records: [{ ...record('a'), contact: { name: 'Người Thử', phone: '0900000001' } }],
    }));
    const blobs: Blob[] = [];
    const create = vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blobs.push(b as Blob);
      return 'blob:x';
    });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    try {
      render(SubjectRequestScreen, { props: { token: 't', hamlets: HAMLETS, api: { fetch: server.fetch } } });
      await fireEvent.input(screen.getByLabelText('Số định danh cá nhân (12 số)'), {
        target: { value: fakeIdNumber() },
      });
      await fireEvent.click(screen.getByRole('button', { name: 'Xuất JSON' }));
      await screen.findByText('Tìm thấy 1 bản ghi.');
      expect(click).toHaveBeenCalledTimes(1);
      const rows = JSON.parse(await (blobs[0] as Blob).text()) as Record<string, string>[];
      expect(rows).toHaveLength(1);
      const row = rows[0] ?? {};
      expect(Object.entries(row).filter(([, v]) => v === 'a')).toEqual([['Mã bản ghi', 'a']]);
      expect(Object.keys(row)).not.toContain('id');
      expect(row['Ngày hỗ trợ']).toBe('15/10/2025');
      expect(row['Thôn/ấp']).toBe('Thôn Đông');
      expect(row['Loại hỗ trợ']).toBe('Kích hoạt VNeID mức 1');
      expect(row['Kết quả']).toBe('Hoàn thành');
      expect(row['Số điện thoại liên hệ']).toBe('0900000001');
    } finally {
      create.mockRestore();
      click.mockRestore();
    }
  });
});
