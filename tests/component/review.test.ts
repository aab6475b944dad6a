// Review (ODK Central style) on the device: pulled review fields are kept and never pushed back;
// the volunteer's list and editor show them; a lead reviews a team record online from the editor.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { LocalRecord, SotayDB } from '../../src/app/db/database.ts';
import { saveRecordEdit } from '../../src/app/db/records-repo.ts';
import { SyncEngine } from '../../src/app/sync/engine.ts';
import EditScreen from '../../src/app/ui/records/EditScreen.svelte';
import RecordsScreen from '../../src/app/ui/records/RecordsScreen.svelte';
import { localRecord, loggedInDb, wireRecord } from './support/db.ts';
import { FakeServer, HAMLETS, USER } from './support/fake-server.ts';
import { DIGIT_ZEROS, inScript } from '../support/disguised-ids.ts';
import { LEAD, TOKEN, recordsContext, recordsState } from './support/records.ts';

function pulled(over: Partial<LocalRecord> = {}): LocalRecord {
  return localRecord({
    syncState: 'synced',
    serverVersion: 3,
    volunteerId: USER.id,
    teamId: 't1',
    communeCode: '00001',
    paidOnline: false,
    ...over,
  });
}

function jsonAnswer(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** A fetch that answers every request with `answer` and records what it was asked. */
function fakeFetch(answer: (body: Record<string, unknown>) => Response) {
  const calls: { url: string; method: string; headers: Headers; body: Record<string, unknown> }[] = [];
  const fn = vi.fn<typeof fetch>(async (input, init) => {
    const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
    calls.push({
      url: String(input),
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      body,
    });
    return answer(body);
  });
  return { fn, calls };
}

async function renderLeadEditor(db: SotayDB, record: LocalRecord, fetchFn: typeof fetch, online = true) {
  await db.records.add(record);
  render(EditScreen, {
    props: { record, hamlets: HAMLETS, onDone: vi.fn(), scope: 'team' },
    context: recordsContext(recordsState(db, { user: LEAD, fetch: fetchFn, isOnline: () => online })),
  });
}

describe('review fields from the server', () => {
  it('are stored from a pull and never sent back in a patch', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const engine = new SyncEngine({ db, fetch: server.fetch, runLocked: null });
    const r = wireRecord();
    server.writeElsewhere(r.id, {
      ...r,
      volunteerId: USER.id,
      teamId: 't1',
      communeCode: '00001',
      reviewState: 'has_issues',
      reviewComment: 'Thiếu mã công dân?',
    });
    expect(await engine.syncNow()).toBe('ok');
    expect(await db.records.get(r.id)).toMatchObject({
      reviewState: 'has_issues',
      reviewComment: 'Thiếu mã công dân?',
    });

    await saveRecordEdit(db, r.id, { note: 'đã bổ sung' });
    await engine.syncNow();
    const mutation = server
      .pushes()
      .flatMap((p) => p.mutations)
      .find((m) => m.recordId === r.id);
    expect(mutation?.patch).toBeDefined();
    expect(Object.keys(mutation!.patch!)).not.toContain('reviewState');
    expect(Object.keys(mutation!.patch!)).not.toContain('reviewComment');
  });
});

describe('the volunteer sees the review', () => {
  it('shows "Cần sửa" with the lead\'s comment for has_issues, "Đã duyệt" for approved', async () => {
    const db = await loggedInDb();
    const fix = pulled({ occurredOn: '2025-10-02', reviewState: 'has_issues', reviewComment: 'Sai thôn' });
    const ok = pulled({ occurredOn: '2025-10-01', reviewState: 'approved', reviewComment: null });
    const plain = pulled({ occurredOn: '2025-09-30' });
    await db.records.bulkAdd([fix, ok, plain]);

    const { container } = render(RecordsScreen, { props: { hamlets: HAMLETS }, context: recordsContext(db) });

    await waitFor(() => expect(container.querySelectorAll('li[data-record-id]')).toHaveLength(3));
    const row = (id: string) => container.querySelector(`li[data-record-id="${id}"]`)!;
    const fixBadge = row(fix.id).querySelector('[data-review-state]')!;
    expect(fixBadge.getAttribute('data-review-state')).toBe('has_issues');
    expect(fixBadge.textContent!.trim()).toBe('Cần sửa');
    expect(row(fix.id).textContent).toContain('Sai thôn');
    expect(row(ok.id).querySelector('[data-review-state]')!.textContent!.trim()).toBe('Đã duyệt');
    expect(row(plain.id).querySelector('[data-review-state]')).toBeNull();
    // The sync badge is still the row's first badge.
    expect(row(fix.id).querySelector('.badge')!.textContent!.trim()).toBe('Đã gửi');
  });

  it("shows the review state and comment at the top of the editor, without the lead's section", async () => {
    const db = await loggedInDb();
    const r = pulled({ reviewState: 'has_issues', reviewComment: 'Sai thôn' });
    await db.records.add(r);
    render(EditScreen, {
      props: { record: r, hamlets: HAMLETS, onDone: vi.fn() },
      context: recordsContext(db),
    });

    const status = screen.getByTestId('review-status');
    expect(status.textContent).toContain('Cần sửa');
    expect(status.textContent).toContain('Sai thôn');
    expect(screen.queryByRole('button', { name: 'Gửi nhận xét' })).toBeNull();
  });

  it('gives a lead no review section on their own list ("Bản ghi của tôi")', async () => {
    const db = await loggedInDb();
    const r = pulled();
    await db.records.add(r);
    render(EditScreen, {
      props: { record: r, hamlets: HAMLETS, onDone: vi.fn(), scope: 'mine' },
      context: recordsContext(recordsState(db, { user: LEAD })),
    });
    expect(screen.queryByRole('button', { name: 'Gửi nhận xét' })).toBeNull();
  });
});

describe('the lead reviews a team record', () => {
  it('posts the state and comment with the token, then updates the record and says so', async () => {
    const db = await loggedInDb();
    const r = pulled({ volunteerId: 'u-other' });
    const { fn, calls } = fakeFetch((body) =>
      jsonAnswer(200, {
        recordId: r.id,
        reviewState: body.state,
        reviewComment: body.comment,
        version: 9,
        reviewedBy: 'u-lead',
        at: '2026-11-28T10:00:00.000Z',
      }),
    );
    await renderLeadEditor(db, r, fn);

    for (const label of ['Đã tiếp nhận', 'Cần sửa', 'Đã duyệt', 'Không duyệt'])
      expect(screen.getByLabelText(label).getAttribute('type')).toBe('radio');
    await fireEvent.click(screen.getByLabelText('Cần sửa'));
    await fireEvent.input(screen.getByLabelText('Nhận xét'), { target: { value: '  Thiếu mã công dân?  ' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Gửi nhận xét' }));

    await waitFor(() => expect(screen.getByTestId('review-notice').textContent).toContain('Đã gửi nhận xét'));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe(`/api/v1/records/${r.id}/review`);
    expect(calls[0]!.method).toBe('POST');
    expect(calls[0]!.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(calls[0]!.body).toEqual({ state: 'has_issues', comment: 'Thiếu mã công dân?' });
    expect(await db.records.get(r.id)).toMatchObject({
      reviewState: 'has_issues',
      reviewComment: 'Thiếu mã công dân?',
      syncState: 'synced',
      serverVersion: 3,
    });
    expect(await db.outbox.count()).toBe(0);
    expect(screen.getByTestId('review-status').textContent).toContain('Thiếu mã công dân?');
  });

  it('sends no comment as null', async () => {
    const db = await loggedInDb();
    const r = pulled();
    const { fn, calls } = fakeFetch((body) =>
      jsonAnswer(200, {
        recordId: r.id,
        reviewState: body.state,
        reviewComment: null,
        version: 4,
        reviewedBy: 'u-lead',
        at: '2026-11-28T10:00:00.000Z',
      }),
    );
    await renderLeadEditor(db, r, fn);
    await fireEvent.click(screen.getByLabelText('Đã duyệt'));
    await fireEvent.click(screen.getByRole('button', { name: 'Gửi nhận xét' }));
    await waitFor(() => expect(screen.getByTestId('review-notice').textContent).toContain('Đã gửi nhận xét'));
    expect(calls[0]!.body).toEqual({ state: 'approved', comment: null });
    expect(await db.records.get(r.id)).toMatchObject({ reviewState: 'approved', reviewComment: null });
  });

  it('shows the failure for an HTML answer and changes nothing', async () => {
    const db = await loggedInDb();
    const r = pulled({ reviewState: 'received', reviewComment: null });
    const { fn, calls } = fakeFetch(
      () =>
        new Response('<html><body>Wi-Fi login</body></html>', {
          status: 200,
          headers: { 'content-type': 'text/html' },
        }),
    );
    await renderLeadEditor(db, r, fn);
    await fireEvent.click(screen.getByLabelText('Không duyệt'));
    await fireEvent.click(screen.getByRole('button', { name: 'Gửi nhận xét' }));

    await waitFor(() =>
      expect(screen.getByTestId('review-notice').textContent).toContain('Máy chủ trả lời không đúng dạng'),
    );
    expect(calls).toHaveLength(1);
    expect(await db.records.get(r.id)).toEqual(r);
    expect(await db.outbox.count()).toBe(0);
    expect(screen.getByTestId('review-status').textContent).toContain('Đã tiếp nhận');
  });

  it('treats a JSON answer of the wrong shape as a failure', async () => {
    const db = await loggedInDb();
    const r = pulled();
    const { fn } = fakeFetch(() => jsonAnswer(200, { ok: true }));
    await renderLeadEditor(db, r, fn);
    await fireEvent.click(screen.getByLabelText('Đã duyệt'));
    await fireEvent.click(screen.getByRole('button', { name: 'Gửi nhận xét' }));
    await waitFor(() =>
      expect(screen.getByTestId('review-notice').textContent).toContain('Máy chủ trả lời không đúng dạng'),
    );
    expect(await db.records.get(r.id)).toEqual(r);
  });

  it('asks for a connection when offline and sends nothing', async () => {
    const db = await loggedInDb();
    const r = pulled();
    const { fn } = fakeFetch(() => jsonAnswer(500, {}));
    await renderLeadEditor(db, r, fn, false);
    await fireEvent.click(screen.getByLabelText('Đã duyệt'));
    await fireEvent.click(screen.getByRole('button', { name: 'Gửi nhận xét' }));
    expect(screen.getByTestId('review-notice').textContent).toContain('Cần có mạng để gửi nhận xét');
    expect(fn).not.toHaveBeenCalled();
    expect(await db.records.get(r.id)).toEqual(r);
  });

  it("shows the server's refusal (403) in Vietnamese", async () => {
    const db = await loggedInDb();
    const r = pulled({ teamId: 't2' });
    const { fn } = fakeFetch(() => jsonAnswer(403, { error: { code: 'forbidden', message: 'Forbidden' } }));
    await renderLeadEditor(db, r, fn);
    await fireEvent.click(screen.getByLabelText('Đã duyệt'));
    await fireEvent.click(screen.getByRole('button', { name: 'Gửi nhận xét' }));
    await waitFor(() =>
      expect(screen.getByTestId('review-notice').textContent).toContain(
        'Bạn không có quyền duyệt bản ghi này.',
      ),
    );
    expect(await db.records.get(r.id)).toEqual(r);
  });

  it('refuses a comment holding a disguised ID number under the field, sends nothing and keeps the text', async () => {
    const db = await loggedInDb();
    const r = pulled();
    const { fn } = fakeFetch(() => jsonAnswer(500, {}));
    await renderLeadEditor(db, r, fn);
    await fireEvent.click(screen.getByLabelText('Cần sửa'));
    const typed = `Số của chị: ${inScript('001 099 012 345', DIGIT_ZEROS.fullWidth)}`;
    const field = screen.getByLabelText('Nhận xét');
    await fireEvent.input(field, { target: { value: typed } });
    await fireEvent.click(screen.getByRole('button', { name: 'Gửi nhận xét' }));
    await waitFor(() => expect(field.getAttribute('aria-invalid')).toBe('true'));
    const error = document.getElementById(field.getAttribute('aria-describedby')?.split(' ')[1] ?? '');
    expect(error?.textContent).toBe(
      'Nhận xét có vẻ chứa số định danh cá nhân. Không ghi số định danh; hãy xoá số này.',
    );
    expect((field as HTMLTextAreaElement).value).toBe(typed);
    expect(fn).not.toHaveBeenCalled();
    expect(await db.records.get(r.id)).toEqual(r);
  });
});
