// The leads' "Xung đột" view: each conflict from GET /api/v1/conflicts with the field's Vietnamese
// label and both values (kept and replaced) with who wrote them; the network is needed to see it.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import App from '../../src/app/App.svelte';
import { storeLogin } from '../../src/app/db/meta-repo.ts';
import { createServices, loadServices } from '../../src/app/services.ts';
import { ApiClient } from '../../src/app/sync/api.ts';
import ConflictsScreen from '../../src/app/ui/conflicts/ConflictsScreen.svelte';
import { freshDb, localRecord } from './support/db.ts';
import { HAMLETS, USER, json, loginResponse } from './support/fake-server.ts';

const RECORD_ID = '01a2205b-e74b-7730-ada2-8b9101c30011';

const CONFLICTS = {
  conflicts: [
    {
      recordId: RECORD_ID,
      version: 7,
      at: '2025-10-16T03:04:00Z',
      field: 'outcome',
      winner: { value: 'done', by: 'u-lead', role: 'lead' },
      loser: { value: 'follow_up', by: 'u-tnv', role: 'volunteer' },
    },
    {
      recordId: RECORD_ID,
      version: 8,
      at: '2025-10-16T03:05:00Z',
      field: 'hamletId',
      winner: { value: 'h2', by: 'u-tnv', role: 'volunteer' },
      loser: { value: null, by: 'u-lead', role: 'lead' },
    },
  ],
  hasMore: false,
};

function conflictsServer(answers: (() => Response | Promise<Response>)[]) {
  const seen: { url: string; method: string; auth: string | null }[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    seen.push({
      url: String(input),
      method: init?.method ?? 'GET',
      auth: new Headers(init?.headers).get('authorization'),
    });
    const next = answers.shift();
    if (!next) throw new TypeError('Failed to fetch');
    return next();
  };
  return { fetch: fetchImpl, seen };
}

describe('conflicts view', () => {
  it('lists each conflict with the Vietnamese field label and both values with their authors', async () => {
    const db = freshDb();
    await db.records.add(localRecord({ id: RECORD_ID, category: 'vneid_l2', occurredOn: '2025-10-15' }));
    const server = conflictsServer([() => json(200, CONFLICTS)]);
    const api = new ApiClient({ fetch: server.fetch });
    const { container } = render(ConflictsScreen, {
      props: { api, db, token: 'tok-1234567890abcdef', hamlets: HAMLETS, userId: 'u-lead' },
    });

    await waitFor(() => expect(container.querySelectorAll('li[data-conflict-field]')).toHaveLength(2));

    expect(server.seen).toEqual([
      { url: '/api/v1/conflicts', method: 'GET', auth: 'Bearer tok-1234567890abcdef' },
    ]);
    const [hamlet, outcome] = [...container.querySelectorAll<HTMLElement>('li[data-conflict-field]')];
    expect(outcome!.getAttribute('data-conflict-field')).toBe('outcome');
    expect(within(outcome!).getByText('Kết quả')).toBeTruthy();
    expect(outcome!.textContent).toContain('Kích hoạt VNeID mức 2 · 15/10/2025');
    const kept = outcome!.querySelector('.kept')!;
    const lost = outcome!.querySelector('.lost')!;
    expect(kept.textContent).toContain('Được giữ');
    expect(kept.textContent).toContain('Hoàn thành');
    expect(kept.textContent).toContain('Tổ trưởng (bạn)');
    expect(lost.textContent).toContain('Bị thay');
    expect(lost.textContent).toContain('Cần theo dõi tiếp');
    expect(lost.textContent).toContain('Tình nguyện viên');
    expect(within(hamlet!).getByText('Thôn/ấp')).toBeTruthy();
    expect(hamlet!.querySelector('.kept')!.textContent).toContain('Thôn Tây');
    expect(hamlet!.querySelector('.lost')!.textContent).toContain('(để trống)');
  });

  it('says the network is needed when offline, and loads on "Tải lại" once it is back', async () => {
    const db = freshDb();
    const server = conflictsServer([
      () => {
        throw new TypeError('Failed to fetch');
      },
      () => json(200, { conflicts: [], hasMore: false }),
    ]);
    render(ConflictsScreen, {
      props: {
        api: new ApiClient({ fetch: server.fetch }),
        db,
        token: 'tok-1234567890abcdef',
        hamlets: HAMLETS,
      },
    });

    expect((await screen.findByRole('alert')).textContent).toBe('Cần có mạng để xem xung đột.');
    await fireEvent.click(screen.getByRole('button', { name: 'Tải lại' }));
    expect(await screen.findByText('Không có xung đột nào.')).toBeTruthy();
  });

  it('follows hasMore with since=<last version> and lists the newest first', async () => {
    const db = freshDb();
    const [outcome, hamlet] = CONFLICTS.conflicts;
    const server = conflictsServer([
      () => json(200, { conflicts: [outcome], hasMore: true }),
      () => json(200, { conflicts: [hamlet], hasMore: false }),
    ]);
    const { container } = render(ConflictsScreen, {
      props: {
        api: new ApiClient({ fetch: server.fetch }),
        db,
        token: 'tok-1234567890abcdef',
        hamlets: HAMLETS,
      },
    });

    await waitFor(() => expect(container.querySelectorAll('li[data-conflict-field]')).toHaveLength(2));
    expect(server.seen.map((s) => s.url)).toEqual(['/api/v1/conflicts', '/api/v1/conflicts?since=7']);
    const fields = [...container.querySelectorAll('li[data-conflict-field]')].map((li) =>
      li.getAttribute('data-conflict-field'),
    );
    expect(fields).toEqual(['hamletId', 'outcome']);
  });

  it('treats an answer of the wrong shape as a failure, not as an empty list', async () => {
    const db = freshDb();
    const server = conflictsServer([
      () => new Response('<html>Wi-Fi</html>', { status: 200, headers: { 'content-type': 'text/html' } }),
    ]);
    render(ConflictsScreen, {
      props: {
        api: new ApiClient({ fetch: server.fetch }),
        db,
        token: 'tok-1234567890abcdef',
        hamlets: HAMLETS,
      },
    });

    expect((await screen.findByRole('alert')).textContent).toContain('Chưa tải được danh sách xung đột');
    expect(screen.queryByText('Không có xung đột nào.')).toBeNull();
  });

  it('opens from the lead\'s "Xung đột" tab, loading the screen on demand', async () => {
    const db = freshDb();
    const lead = loginResponse();
    lead.user = { ...USER, id: 'u-lead', username: 'demo-lead', role: 'lead' };
    await storeLogin(db, lead);
    const server = conflictsServer([() => json(200, CONFLICTS)]);
    const services = createServices({ db, fetch: server.fetch });
    await loadServices(services);
    const { container } = render(App, { props: { services } });

    await fireEvent.click(screen.getByRole('link', { name: 'Thêm' }));
    await fireEvent.click(await screen.findByRole('link', { name: 'Xung đột' }));

    await waitFor(() => expect(container.querySelectorAll('li[data-conflict-field]')).toHaveLength(2));
    expect(server.seen.map((s) => s.auth)).toEqual([`Bearer ${lead.token}`]);
  });
});
