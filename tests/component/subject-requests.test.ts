// The admin's data-subject request screen: the number is checked before anything is sent, a find
// lists what the server answered, and an erase needs a second, explicit tap.
import { fireEvent, render, screen } from '@testing-library/svelte';
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
  data: deleted ? {} : { occurredOn: '2025-10-15', category: 'vneid_l1', outcome: 'done' },
});

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
});
