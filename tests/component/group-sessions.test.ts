// Group sessions on the phone (docs/group-sessions.md): the repository writes a session and its
// outbox row (kind 'session') in one transaction on the records' seq; the form's stepper, total,
// topics and Vietnamese field messages; an edit sends only what changed; the list's badges; a
// lead's review (fetch stubbed at the network only); the admin's topic editor keeps every code.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LocalGroupSession, SotayDB } from '../../src/app/db/database.ts';
import { getMeta, getSyncMeta, putMeta, storeLogin } from '../../src/app/db/meta-repo.ts';
import { countUnsynced, pendingCountQuery, saveNewRecord } from '../../src/app/db/records-repo.ts';
import {
  deleteSession,
  listOwnSessions,
  saveNewSession,
  saveSessionEdit,
  topicsForForm,
} from '../../src/app/db/sessions-repo.ts';
import { checkTopics, codeFromLabel } from '../../src/app/state/session-topics.ts';
import SessionsScreen from '../../src/app/ui/sessions/SessionsScreen.svelte';
import { newId, topicsOrDefault, type GroupSession, type Role } from '../../src/shared/index.ts';
import { loggedInDb, wireRecord } from './support/db.ts';
import { HAMLETS, USER, json, loginResponse } from './support/fake-server.ts';

afterEach(() => vi.unstubAllGlobals());

function wireSession(over: Partial<GroupSession> = {}): GroupSession {
  const at = new Date().toISOString();
  return {
    id: newId(),
    heldOn: '2026-11-20',
    hamletId: 'h1',
    place: 'Nhà văn hóa thôn Đông',
    topic: 'ai_apps',
    attendance: { 'female:60_plus': 7, 'male:18_59': 5 },
    facilitators: ['Nguyễn Văn A'],
    createdAt: at,
    updatedAt: at,
    ...over,
  };
}

function show(db: SotayDB, role: Role = 'volunteer', extra: Record<string, unknown> = {}) {
  const onSaved = vi.fn();
  render(SessionsScreen, {
    props: {
      db,
      role,
      userId: USER.id,
      userName: USER.displayName,
      hamlets: HAMLETS,
      team: [
        { id: USER.id, name: USER.displayName },
        { id: 'u-tnv2', name: 'Trần Thị B' },
      ],
      token: 'token-0123456789abcdef',
      isOnline: () => true,
      onSaved,
      ...extra,
    },
  });
  return { onSaved };
}

describe('the sessions repository', () => {
  it('saves the session and its outbox row in one transaction, on the seq after the records’', async () => {
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord());
    const s = wireSession();
    await saveNewSession(db, s);

    const outbox = await db.outbox.orderBy('seq').toArray();
    expect(outbox.map((o) => [o.seq, o.kind ?? 'record', o.recordId])).toEqual([
      [1, 'record', outbox[0]!.recordId],
      [2, 'session', s.id],
    ]);
    expect(outbox[1]).toMatchObject({ op: 'upsert', baseVersion: 0, patch: s });
    expect((await getSyncMeta(db))?.nextSeq).toBe(3);
    const row = await db.groupSessions.get(s.id);
    expect(row).toMatchObject({ serverVersion: 0, syncState: 'to_post', attendees: 12 });
    // The record list and counters never see it; the status line counts it as waiting.
    expect(await db.records.count()).toBe(1);
    const pending = await new Promise<number>((resolve) => {
      const sub = pendingCountQuery(db).subscribe((n) => (sub.unsubscribe(), resolve(n)));
    });
    expect(pending).toBe(2);
    expect((await getMeta(db, 'prefs'))?.lastHamletId).toBe('h1');

    // A failed write (the same id again) stores nothing of it: no row, no seq taken.
    await expect(saveNewSession(db, { ...s, place: 'Khác' })).rejects.toThrow();
    expect(await db.outbox.count()).toBe(2);
    expect((await getSyncMeta(db))?.nextSeq).toBe(3);
    expect((await db.groupSessions.get(s.id))?.place).toBe('Nhà văn hóa thôn Đông');
  });

  it('edits with the changed fields on the confirmed version, and deletes through the outbox', async () => {
    const db = await loggedInDb();
    const s = wireSession();
    await saveNewSession(db, s);
    await db.groupSessions.update(s.id, { serverVersion: 4, syncState: 'synced' });
    await db.outbox.clear();

    const next = await saveSessionEdit(db, s.id, {
      attendance: { 'female:60_plus': 9 },
      note: 'Có máy chiếu',
    });
    expect(next).toMatchObject({ syncState: 'to_update', attendees: 9, note: 'Có máy chiếu' });
    const [edit] = await db.outbox.toArray();
    expect(edit).toMatchObject({ seq: 2, kind: 'session', op: 'upsert', baseVersion: 4 });
    expect(Object.keys(edit!.patch).sort()).toEqual(['attendance', 'note', 'updatedAt']);

    await deleteSession(db, s.id);
    const rows = await db.outbox.orderBy('seq').toArray();
    expect(rows[1]).toMatchObject({ seq: 3, kind: 'session', op: 'delete', baseVersion: 4, patch: {} });
    expect(await listOwnSessions(db, USER.id)).toEqual([]);
  });

  it('blocks a log-out while a session waits, and leaves the phone with its user', async () => {
    const db = await loggedInDb();
    const s = wireSession();
    await saveNewSession(db, s);
    expect(await countUnsynced(db)).toBe(1);
    await db.outbox.clear();
    // Refused by the server (error): still not on the server, still counted.
    await db.groupSessions.update(s.id, { syncState: 'error' });
    expect(await countUnsynced(db)).toBe(1);
    await db.groupSessions.update(s.id, { syncState: 'synced', serverVersion: 2 });
    expect(await countUnsynced(db)).toBe(0);
    await storeLogin(db, { ...loginResponse(), user: { ...USER, id: 'u-other', username: 'khac' } });
    expect(await db.groupSessions.count()).toBe(0);
  });

  it('offers the active topics, keeps an edited session’s retired one, and knows the defaults', () => {
    const topics = [
      { code: 'ai_apps', label: 'Ứng dụng AI', active: true },
      { code: 'old', label: 'Chủ đề cũ', active: false },
    ];
    expect(topicsForForm(topics).map((t) => t.code)).toEqual(['ai_apps']);
    expect(topicsForForm(topics, 'old').map((t) => t.code)).toEqual(['ai_apps', 'old']);
    expect(topicsOrDefault([]).map((t) => t.label)).toContain('Ứng dụng AI');
  });
});

describe('the session form', () => {
  it('steps and types counts with a running total, then saves a session that is listed as waiting', async () => {
    const db = await loggedInDb();
    await putMeta(db, 'prefs', { lastHamletId: 'h2' });
    const { onSaved } = show(db);
    await fireEvent.click(await screen.findByRole('button', { name: 'Ghi buổi mới' }));

    expect((screen.getByLabelText('Thôn/ấp') as HTMLSelectElement).value).toBe('h2');
    expect(screen.getByRole('button', { name: 'Bỏ Nguyễn Văn A' })).toBeTruthy();
    const more = screen.getByRole('button', { name: 'Thêm một: Nữ, từ 60 tuổi' });
    await fireEvent.click(more);
    await fireEvent.click(more);
    await fireEvent.click(more);
    await fireEvent.click(screen.getByRole('button', { name: 'Bớt một: Nữ, từ 60 tuổi' }));
    expect((screen.getByLabelText('Nữ, từ 60 tuổi') as HTMLInputElement).value).toBe('2');
    await fireEvent.input(screen.getByLabelText('Nam, 18–59 tuổi'), { target: { value: '12' } });
    expect(screen.getByTestId('session-total').textContent).toBe('Tổng cộng: 14 người');
    expect(
      (screen.getByRole('button', { name: 'Bớt một: Nam, dưới 14 tuổi' }) as HTMLButtonElement).disabled,
    ).toBe(true);

    await fireEvent.input(screen.getByLabelText('Địa điểm'), { target: { value: 'Nhà văn hóa thôn Tây' } });
    await fireEvent.change(screen.getByLabelText('Chủ đề'), { target: { value: 'ai_apps' } });
    await fireEvent.input(screen.getByLabelText('Thêm người hướng dẫn'), { target: { value: 'Lê Văn C' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Thêm' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Lưu buổi' }));

    expect(await screen.findByText('Đã lưu buổi sinh hoạt. Sẽ gửi khi có mạng.')).toBeTruthy();
    expect(onSaved).toHaveBeenCalledTimes(1);
    const [saved] = await db.groupSessions.toArray();
    expect(saved).toMatchObject({
      hamletId: 'h2',
      place: 'Nhà văn hóa thôn Tây',
      topic: 'ai_apps',
      attendance: { 'female:60_plus': 2, 'male:18_59': 12 },
      facilitators: ['Nguyễn Văn A', 'Lê Văn C'],
      attendees: 14,
    });
    const item = await screen.findByText('Ứng dụng AI');
    const row = item.closest('li')!;
    expect(row.getAttribute('data-sync-state')).toBe('to_post');
    expect(within(row).getByText('Chờ gửi')).toBeTruthy();
    expect(within(row).getByText('14 người')).toBeTruthy();
  });

  it('shows Vietnamese messages next to the fields and keeps what was typed', async () => {
    const db = await loggedInDb();
    show(db);
    await fireEvent.click(await screen.findByRole('button', { name: 'Ghi buổi mới' }));
    await fireEvent.input(screen.getByLabelText('Địa điểm'), { target: { value: 'Hội trường thôn Đông' } });
    await fireEvent.input(screen.getByLabelText('Ghi chú'), {
      target: { value: 'Bà cụ số 001234567890 hỏi thêm' },
    });
    await fireEvent.input(screen.getByLabelText('Ngày tổ chức'), { target: { value: '2099-01-01' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Lưu buổi' }));

    expect(await screen.findByText('Vui lòng chọn thôn/ấp.')).toBeTruthy();
    expect(screen.getByText('Vui lòng chọn chủ đề.')).toBeTruthy();
    expect(screen.getByText('Buổi sinh hoạt phải có ít nhất một người tham dự.')).toBeTruthy();
    expect(screen.getByText(/Ngày tổ chức ở tương lai \(sau ngày mai\)/)).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('Hãy sửa các ô có lỗi');
    // The topic's message is tied to its field.
    const topic = screen.getByLabelText('Chủ đề');
    expect(topic.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(topic.getAttribute('aria-describedby')!)?.textContent).toBe(
      'Vui lòng chọn chủ đề.',
    );
    expect((screen.getByLabelText('Địa điểm') as HTMLInputElement).value).toBe('Hội trường thôn Đông');
    expect(await db.groupSessions.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);

    // Fixed, the ID number in the note is the one thing left.
    await fireEvent.input(screen.getByLabelText('Ngày tổ chức'), { target: { value: '2026-11-20' } });
    await fireEvent.change(screen.getByLabelText('Thôn/ấp'), { target: { value: 'h1' } });
    await fireEvent.change(screen.getByLabelText('Chủ đề'), { target: { value: 'vneid' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Thêm một: Nam, 18–59 tuổi' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Lưu buổi' }));
    expect(await screen.findByText(/Ghi chú có vẻ chứa số định danh cá nhân/)).toBeTruthy();
    expect(screen.queryByText('Vui lòng chọn chủ đề.')).toBeNull();
    expect((screen.getByLabelText('Ghi chú') as HTMLTextAreaElement).value).toContain('001234567890');
    expect(await db.groupSessions.count()).toBe(0);
  });

  it('offers the topics kept from the last pull, without the retired ones', async () => {
    const db = await loggedInDb();
    await putMeta(db, 'sessionTopics', [
      { code: 'ai_apps', label: 'Ứng dụng AI', active: true },
      { code: 'zalo', label: 'Dùng Zalo an toàn', active: true },
      { code: 'old_topic', label: 'Chủ đề đã ngừng', active: false },
    ]);
    await saveNewSession(db, wireSession({ topic: 'old_topic' }));
    show(db);
    // A session of a retired topic keeps its name in the list.
    expect(await screen.findByText('Chủ đề đã ngừng')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Ghi buổi mới' }));
    const options = [...(screen.getByLabelText('Chủ đề') as HTMLSelectElement).options].map((o) => o.text);
    expect(options).toEqual(['Chọn chủ đề', 'Ứng dụng AI', 'Dùng Zalo an toàn']);
  });

  it('sends only the changed fields of an edit, and deletes after a confirmation', async () => {
    const db = await loggedInDb();
    const s = wireSession({ note: 'Mang theo loa' });
    await saveNewSession(db, s);
    await db.groupSessions.update(s.id, { serverVersion: 3, syncState: 'synced' });
    await db.outbox.clear();
    show(db);
    await fireEvent.click(await screen.findByText('Ứng dụng AI'));
    expect(await screen.findByRole('heading', { name: 'Sửa buổi sinh hoạt nhóm' })).toBeTruthy();
    expect((screen.getByLabelText('Địa điểm') as HTMLInputElement).value).toBe('Nhà văn hóa thôn Đông');
    await fireEvent.input(screen.getByLabelText('Địa điểm'), { target: { value: 'Trường tiểu học' } });
    await fireEvent.input(screen.getByLabelText('Ghi chú'), { target: { value: '' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Lưu buổi' }));
    await screen.findByText('Đã lưu buổi sinh hoạt. Sẽ gửi khi có mạng.');
    const [edit] = await db.outbox.toArray();
    expect(edit).toMatchObject({
      kind: 'session',
      baseVersion: 3,
      patch: { place: 'Trường tiểu học', note: null },
    });
    expect(Object.keys(edit!.patch).sort()).toEqual(['note', 'place', 'updatedAt']);
    await waitFor(() =>
      expect(document.querySelector('li[data-session-id]')?.getAttribute('data-sync-state')).toBe(
        'to_update',
      ),
    );
    const row = document.querySelector<HTMLElement>('li[data-session-id]')!;
    expect(within(row).getByText('Chờ gửi bản sửa')).toBeTruthy();

    await fireEvent.click(screen.getByText('Ứng dụng AI'));
    await fireEvent.click(await screen.findByRole('button', { name: 'Xoá buổi này' }));
    expect(await db.outbox.count()).toBe(1);
    await fireEvent.click(screen.getByRole('button', { name: 'Không xoá' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Xoá buổi này' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Xoá' }));
    expect(await screen.findByText('Đã xoá buổi sinh hoạt.')).toBeTruthy();
    expect(await screen.findByText('Chưa có buổi nào.')).toBeTruthy();
    const rows = await db.outbox.orderBy('seq').toArray();
    expect(rows.at(-1)).toMatchObject({ kind: 'session', op: 'delete', baseVersion: 3 });
  });
});

describe('a lead’s form', () => {
  it('ticks team members as facilitators beside the lead’s own name', async () => {
    const db = await loggedInDb();
    show(db, 'lead');
    await fireEvent.click(await screen.findByRole('button', { name: 'Ghi buổi mới' }));
    const teammate = screen.getByRole('checkbox', { name: 'Trần Thị B' }) as HTMLInputElement;
    // The lead is listed once, as the first facilitator, not again among the members to tick.
    expect(screen.queryByRole('checkbox', { name: 'Nguyễn Văn A' })).toBeNull();
    await fireEvent.click(teammate);
    expect(screen.getByRole('button', { name: 'Bỏ Trần Thị B' })).toBeTruthy();
    await fireEvent.click(teammate);
    expect(screen.queryByRole('button', { name: 'Bỏ Trần Thị B' })).toBeNull();
    await fireEvent.click(teammate);
    await fireEvent.click(screen.getByRole('button', { name: 'Bỏ Nguyễn Văn A' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Bỏ Trần Thị B' }));
    expect(teammate.checked).toBe(false);
    await fireEvent.click(screen.getByRole('button', { name: 'Lưu buổi' }));
    expect(await screen.findByText('Vui lòng nhập người hướng dẫn.')).toBeTruthy();
  });
});

describe('the list', () => {
  it('shows own sessions newest first with their sync and review states', async () => {
    const db = await loggedInDb();
    const rows: LocalGroupSession[] = [
      {
        ...wireSession({ heldOn: '2026-11-01', topic: 'vneid' }),
        attendees: 12,
        serverVersion: 2,
        syncState: 'synced',
        reviewState: 'approved',
      },
      {
        ...wireSession({ heldOn: '2026-11-20', topic: 'online_payment' }),
        attendees: 12,
        serverVersion: 5,
        syncState: 'synced',
        reviewState: 'has_issues',
        reviewComment: 'Sai số người',
      },
      {
        ...wireSession({ heldOn: '2026-11-10', topic: 'ai_apps' }),
        attendees: 12,
        serverVersion: 0,
        syncState: 'error',
        syncError: 'Chủ đề không có trong danh sách của xã.',
      },
      // A teammate's, pulled: not in a volunteer's own list.
      {
        ...wireSession({ heldOn: '2026-11-25', topic: 'online_safety', volunteerId: 'u-tnv2' }),
        attendees: 12,
        serverVersion: 7,
        syncState: 'synced',
      },
    ];
    await db.groupSessions.bulkAdd(rows);
    show(db);
    await screen.findByText('Thanh toán không dùng tiền mặt');
    const items = [...document.querySelectorAll('li[data-session-id]')];
    expect(items.map((li) => li.querySelector('strong')?.textContent)).toEqual([
      'Thanh toán không dùng tiền mặt',
      'Ứng dụng AI',
      'VNeID và định danh điện tử',
    ]);
    expect(within(items[0] as HTMLElement).getByText('Cần sửa')).toBeTruthy();
    expect(within(items[0] as HTMLElement).getByText(/Sai số người/)).toBeTruthy();
    expect(within(items[0] as HTMLElement).getByText('20/11/2026 · Thôn Đông')).toBeTruthy();
    expect(within(items[1] as HTMLElement).getByText(/Chủ đề không có trong danh sách/)).toBeTruthy();
    expect(within(items[2] as HTMLElement).getByText('Đã duyệt')).toBeTruthy();
    expect(items.map((li) => li.getAttribute('data-sync-state'))).toEqual(['synced', 'error', 'synced']);
  });
});

describe('a lead’s review', () => {
  async function teamSession(db: SotayDB): Promise<LocalGroupSession> {
    const s: LocalGroupSession = {
      ...wireSession({ volunteerId: 'u-tnv2', topic: 'digital_skills' }),
      attendees: 12,
      serverVersion: 6,
      syncState: 'synced',
      teamId: 't1',
    };
    await db.groupSessions.add(s);
    return s;
  }

  it('sends "cần sửa" with its comment to the server and shows the answer', async () => {
    const db = await loggedInDb();
    const s = await teamSession(db);
    const fetch = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body)) as { state: string; comment: string | null };
      return json(200, {
        recordId: s.id,
        reviewState: body.state,
        reviewComment: body.comment,
        version: 9,
        reviewedBy: 'u-lead',
        at: new Date().toISOString(),
      });
    });
    vi.stubGlobal('fetch', fetch);
    show(db, 'lead');
    const row = (await screen.findByText('Kỹ năng số cơ bản')).closest('li')!;
    expect(within(row).getByText('Người ghi: Trần Thị B')).toBeTruthy();
    await fireEvent.click(within(row).getByRole('button'));
    expect(await screen.findByRole('heading', { name: 'Duyệt buổi sinh hoạt' })).toBeTruthy();
    expect(screen.getByText('Nữ, Từ 60 tuổi: 7')).toBeTruthy();

    await fireEvent.click(screen.getByLabelText('Cần sửa'));
    await fireEvent.click(screen.getByRole('button', { name: 'Gửi kết quả duyệt' }));
    expect(await screen.findByText('Hãy ghi cần sửa gì.')).toBeTruthy();
    expect(fetch).not.toHaveBeenCalled();

    await fireEvent.input(screen.getByLabelText('Nhận xét'), {
      target: { value: 'Thiếu số người dưới 14 tuổi' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Gửi kết quả duyệt' }));
    expect(await screen.findByText('Đã gửi kết quả duyệt.')).toBeTruthy();
    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0]!;
    expect(String(url)).toBe(`/api/v1/sessions/${s.id}/review`);
    expect(init?.method).toBe('POST');
    expect(new Headers(init?.headers).get('authorization')).toBe('Bearer token-0123456789abcdef');
    expect(JSON.parse(String(init?.body))).toEqual({
      state: 'has_issues',
      comment: 'Thiếu số người dưới 14 tuổi',
    });
    expect(screen.getByTestId('session-review-state').textContent).toBe('Cần sửa');
    expect(await db.groupSessions.get(s.id)).toMatchObject({
      reviewState: 'has_issues',
      reviewComment: 'Thiếu số người dưới 14 tuổi',
    });
    // A review is no edit: nothing queued.
    expect(await db.outbox.count()).toBe(0);
  });

  it('says so offline, and names a refusal in Vietnamese', async () => {
    const db = await loggedInDb();
    await teamSession(db);
    let online = false;
    const fetch = vi.fn(async () => json(403, { error: { code: 'forbidden', message: 'Forbidden' } }));
    vi.stubGlobal('fetch', fetch);
    show(db, 'lead', { isOnline: () => online });
    await fireEvent.click(await screen.findByText('Kỹ năng số cơ bản'));
    await fireEvent.click(await screen.findByLabelText('Đã duyệt'));
    await fireEvent.click(screen.getByRole('button', { name: 'Gửi kết quả duyệt' }));
    expect(
      await screen.findByText('Cần có mạng để duyệt buổi sinh hoạt. Hãy thử lại khi có mạng.'),
    ).toBeTruthy();
    expect(fetch).not.toHaveBeenCalled();
    online = true;
    await fireEvent.click(screen.getByRole('button', { name: 'Gửi kết quả duyệt' }));
    expect(await screen.findByText('Bạn không có quyền duyệt buổi này.')).toBeTruthy();
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});

describe('the admin’s topic editor', () => {
  it('makes codes from labels without diacritics and refuses a list that drops a code', () => {
    expect(codeFromLabel('Ứng dụng AI')).toBe('ung_dung_ai');
    expect(codeFromLabel('Đăng ký tài khoản Điện tử')).toBe('dang_ky_tai_khoan_dien_tu');
    expect(codeFromLabel('Ứng dụng AI', new Set(['ung_dung_ai']))).toBe('ung_dung_ai_2');
    const before = topicsOrDefault([]);
    const check = checkTopics(before, before.slice(1));
    expect(check.ok).toBe(false);
    expect(check.list).toBe('Không được bỏ chủ đề "Kỹ năng số cơ bản" đã có; hãy chọn Ngừng dùng.');
    expect(
      checkTopics(
        before,
        before.map((t, i) => (i === 0 ? { ...t, active: false } : t)),
      ).ok,
    ).toBe(true);
  });

  it('names empty and repeated names per row, and keeps the edits when the server cannot be reached', async () => {
    const db = await loggedInDb();
    const fetch = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
      if (init?.method === 'PUT') throw new TypeError('Failed to fetch');
      return json(200, { topics: topicsOrDefault([]) });
    });
    vi.stubGlobal('fetch', fetch);
    show(db, 'admin');
    const item = (code: string) => document.querySelector<HTMLElement>(`li[data-topic="${code}"]`)!;
    await waitFor(() => expect(item('vneid')).toBeTruthy());
    await fireEvent.input(within(item('vneid')).getByRole('textbox'), { target: { value: '  ' } });
    await fireEvent.input(within(item('online_safety')).getByRole('textbox'), {
      target: { value: 'ứng dụng AI' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Lưu danh sách chủ đề' }));
    expect(within(item('vneid')).getByText('Hãy nhập tên chủ đề.')).toBeTruthy();
    expect(within(item('online_safety')).getByText('Đã có chủ đề cùng tên này.')).toBeTruthy();
    expect(fetch).toHaveBeenCalledTimes(1);

    await fireEvent.input(within(item('vneid')).getByRole('textbox'), { target: { value: 'VNeID' } });
    await fireEvent.input(within(item('online_safety')).getByRole('textbox'), {
      target: { value: 'An toàn mạng' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Lưu danh sách chủ đề' }));
    expect(await screen.findByText('Cần có mạng để lưu danh sách chủ đề.')).toBeTruthy();
    expect(fetch).toHaveBeenCalledTimes(2);
    expect((within(item('vneid')).getByRole('textbox') as HTMLInputElement).value).toBe('VNeID');
  });

  it('renames, retires and adds topics, refuses to drop one, and sends the whole list', async () => {
    const db = await loggedInDb();
    const puts: unknown[] = [];
    const fetch = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
      if (init?.method === 'PUT') {
        const body = JSON.parse(String(init.body)) as unknown;
        puts.push(body);
        return json(200, body);
      }
      return json(200, { topics: topicsOrDefault([]) });
    });
    vi.stubGlobal('fetch', fetch);
    show(db, 'admin');
    expect(await screen.findByRole('heading', { name: 'Chủ đề sinh hoạt nhóm' })).toBeTruthy();
    const item = (code: string) => document.querySelector<HTMLElement>(`li[data-topic="${code}"]`)!;
    await waitFor(() => expect(item('ai_apps')).toBeTruthy());

    // Removing a topic the commune has is refused, with the way out named.
    await fireEvent.click(within(item('vneid')).getByRole('button', { name: /^Xoá/ }));
    expect(
      within(item('vneid')).getByText(
        'Không được bỏ chủ đề "VNeID và định danh điện tử" đã có; hãy chọn Ngừng dùng.',
      ),
    ).toBeTruthy();
    expect(item('vneid')).toBeTruthy();

    await fireEvent.click(within(item('vneid')).getByRole('button', { name: 'Ngừng dùng' }));
    await fireEvent.input(within(item('ai_apps')).getByRole('textbox'), {
      target: { value: 'Ứng dụng trí tuệ nhân tạo (AI)' },
    });
    await fireEvent.input(screen.getByLabelText('Chủ đề mới'), { target: { value: 'Dùng Zalo an toàn' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Thêm chủ đề' }));
    expect(item('dung_zalo_an_toan')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Lưu danh sách chủ đề' }));
    expect(
      await screen.findByText('Đã lưu danh sách. Điện thoại của các tổ nhận ở lần đồng bộ tới.'),
    ).toBeTruthy();

    expect(puts).toHaveLength(1);
    const sent = (puts[0] as { topics: { code: string; label: string; active: boolean }[] }).topics;
    expect(sent.map((t) => t.code)).toEqual([...topicsOrDefault([]).map((t) => t.code), 'dung_zalo_an_toan']);
    expect(sent.find((t) => t.code === 'vneid')?.active).toBe(false);
    expect(sent.find((t) => t.code === 'ai_apps')?.label).toBe('Ứng dụng trí tuệ nhân tạo (AI)');
    expect((await getMeta(db, 'sessionTopics'))?.map((t) => t.code)).toContain('dung_zalo_an_toan');
  });
});
