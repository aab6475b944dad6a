// Accessibility of the screens outside capture, records and storage: each one mounted in a frame
// like the shell's, with its data shown, has no axe violation of any impact (regions, headings,
// names on buttons and fields, labelled scrollable regions). Colour contrast needs a layout engine:
// the e2e tests check it in Chromium.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { storeLogin } from '../../src/app/db/meta-repo.ts';
import { saveNewRecord } from '../../src/app/db/records-repo.ts';
import { tables } from '../../src/app/db/handoff-tables.ts';
import { contextOf } from '../../src/app/state/context.ts';
import { SessionState } from '../../src/app/state/session.svelte.ts';
import { talliesSlot } from '../../src/app/state/tallies-slot.ts';
import { ApiClient } from '../../src/app/sync/api.ts';
import LoginScreen from '../../src/app/ui/LoginScreen.svelte';
import RevokedScreen from '../../src/app/ui/RevokedScreen.svelte';
import AdminScreen from '../../src/app/ui/admin/AdminScreen.svelte';
import ConflictsScreen from '../../src/app/ui/conflicts/ConflictsScreen.svelte';
import DashboardScreen from '../../src/app/ui/dashboard/DashboardScreen.svelte';
import HandoffScreen from '../../src/app/ui/handoff/HandoffScreen.svelte';
import SubjectRequestScreen from '../../src/app/ui/privacy/SubjectRequestScreen.svelte';
import SetupScreen from '../../src/app/ui/setup/SetupScreen.svelte';
import TalliesScreen from '../../src/app/ui/tallies/TalliesScreen.svelte';
import { makeReportSummary } from '../support/report-summary.ts';
import { axeViolations, shellFrame } from './support/axe.ts';
import { freshDb, localRecord, loggedInDb, wireRecord } from './support/db.ts';
import { FakeServer, HAMLETS, json, loginResponse } from './support/fake-server.ts';

// The printout is hidden on screen (print-report.test.ts checks it); the dashboard hands it the report.
vi.mock('../../src/app/ui/dashboard/PrintReport.svelte', () => import('./support/print-stub.ts'));

async function expectNoViolations() {
  const found = await axeViolations();
  expect(found, JSON.stringify(found, null, 1)).toEqual([]);
}

/** A network that is not there. */
const offline: typeof fetch = async () => {
  throw new TypeError('Failed to fetch');
};

const TOKEN = 'token-0123456789abcdef';

describe('axe on every screen', () => {
  it('tallies', async () => {
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord());
    const { container } = render(TalliesScreen, {
      target: shellFrame(),
      context: contextOf(talliesSlot.entry({ db })),
    });
    await waitFor(() => expect(container.querySelector('[data-period="today"]')).toBeTruthy());
    await expectNoViolations();
  });

  it('hand-off, as a lead with a bundle in the inbox', async () => {
    const db = freshDb();
    const base = loginResponse();
    const session = await storeLogin(db, { ...base, user: { ...base.user, id: 'u-lead', role: 'lead' } });
    await saveNewRecord(db, wireRecord());
    const header = {
      bundleId: 'b1',
      volunteer: { id: 'u-tnv', username: 'demo-tnv', displayName: 'Người Thử' },
      clientId: 'client-12345678',
      schemaVersion: 1,
      deviceKeyId: 'k',
      communeCode: '00001',
      communeKeyId: 'ck',
      count: 2,
      seqFrom: 1,
      seqTo: 2,
      dateFrom: '2025-10-15',
      dateTo: '2025-10-17',
      createdAt: new Date().toISOString(),
    };
    await tables(db).handoffInbox.bulkPut([
      { bundleId: 'b1', header, bundle: 'AAAA', status: 'queued', importedAt: header.createdAt },
      {
        bundleId: 'b2',
        header: { ...header, bundleId: 'b2' },
        bundle: 'AAAA',
        status: 'refused',
        error: 'Tệp đã bị sửa đổi.',
        importedAt: header.createdAt,
      },
    ]);
    const api = new ApiClient({ fetch: offline });
    render(HandoffScreen, { target: shellFrame(), props: { db, api, session, online: false } });
    await waitFor(() => expect(screen.getAllByTestId('inbox-row')).toHaveLength(2));
    await screen.findByTestId('lead-ready');
    await expectNoViolations();
  });

  it('hand-off, as a volunteer with records to hand over', async () => {
    const db = freshDb();
    const session = await storeLogin(db, loginResponse());
    await saveNewRecord(db, wireRecord({ occurredOn: '2025-10-15' }));
    await saveNewRecord(db, wireRecord({ occurredOn: '2025-10-17' }));
    const api = new ApiClient({ fetch: offline });
    render(HandoffScreen, { target: shellFrame(), props: { db, api, session, online: false } });
    await screen.findByTestId('handoff-counts');
    await expectNoViolations();
  });

  it('conflicts', async () => {
    const db = freshDb();
    const recordId = '01a2205b-e74b-7730-ada2-8b9101c30011';
    await db.records.add(localRecord({ id: recordId, occurredOn: '2025-10-15' }));
    const conflict = {
      recordId,
      version: 7,
      at: '2025-10-16T03:04:00Z',
      field: 'outcome',
      winner: { value: 'done', by: 'u-lead', role: 'lead' },
      loser: { value: 'follow_up', by: 'u-tnv', role: 'volunteer' },
    };
    const api = new ApiClient({ fetch: async () => json(200, { conflicts: [conflict], hasMore: false }) });
    const { container } = render(ConflictsScreen, {
      target: shellFrame(),
      props: { api, db, token: TOKEN, hamlets: HAMLETS, userId: 'u-lead' },
    });
    await waitFor(() => expect(container.querySelector('li')).toBeTruthy());
    await expectNoViolations();
  });

  it('dashboard, with its tables and charts', { timeout: 30_000 }, async () => {
    const rows = [
      { key: { hamlet: 'h1', category: 'vneid_l2', service: null }, count: 5, citizens: 5 },
      { key: { hamlet: 'h2', category: 'can_cuoc', service: null }, count: 3, citizens: 3 },
    ];
    const trend = [
      { key: { day: '2026-11-03', category: 'vneid_l2', service: null }, count: 5, citizens: 5 },
    ];
    const recon = {
      from: '2026-11-01',
      to: '2026-11-30',
      rows: [
        {
          volunteerId: 'u-an',
          displayName: 'Người Thử Hai',
          teamId: 't1',
          deviceCount: 8,
          serverCount: 5,
          pendingAtLastContact: 3,
          lastContactAt: '2026-11-26T02:00:00Z',
          lastSyncedAt: '2026-11-20T02:00:00Z',
          complete: false,
        },
      ],
    };
    const fetchImpl: typeof fetch = async (input) => {
      const url = new URL(String(input), 'http://localhost');
      const groupBy = url.searchParams.get('groupBy') ?? '';
      if (url.pathname === '/api/v1/tallies')
        return json(200, {
          rows: groupBy.startsWith('hamlet') ? rows : trend,
          total: { count: 8, citizens: 8 },
        });
      if (url.pathname === '/api/v1/report') return json(200, makeReportSummary({ sessions: true }));
      if (url.pathname === '/api/v1/reconciliation') return json(200, recon);
      return json(404, { error: { code: 'not_found', message: 'Không tìm thấy.' } });
    };
    const { container } = render(DashboardScreen, {
      target: shellFrame(),
      props: { token: TOKEN, role: 'supervisor', hamlets: HAMLETS, fetch: fetchImpl, today: '2026-11-28' },
    });
    await waitFor(() => expect(container.querySelector('[data-total="count"]')).toBeTruthy());
    await waitFor(() => expect(container.querySelector('[data-table="volunteers"]')).toBeTruthy());
    await waitFor(() => expect(container.querySelector('[data-sessions-panel]')).toBeTruthy());
    await screen.findByText('Người Thử Hai');
    await expectNoViolations();
  });

  it('admin', async () => {
    const directory = {
      users: [
        {
          id: 'u1',
          username: 'tnv-mot',
          displayName: 'Người Thử Một',
          role: 'volunteer',
          teamId: 't1',
          active: true,
          hasPassword: false,
        },
      ],
      teams: [{ id: 't1', name: 'Tổ số 1' }],
      hamlets: [{ id: 'h1', name: 'Thôn Đông', active: true }],
      devices: [
        {
          id: 'd1',
          userId: 'u1',
          label: 'Android · Chrome',
          createdAt: '2026-11-20T01:00:00.000Z',
          lastSeenAt: '2026-11-27T02:00:00.000Z',
          revokedAt: null,
        },
      ],
    };
    const api = new ApiClient({ fetch: async () => json(200, directory) });
    render(AdminScreen, { target: shellFrame(), props: { api, token: TOKEN, origin: 'https://xa.example' } });
    await screen.findAllByText('Người Thử Một');
    await expectNoViolations();
    // The edit form opened in place.
    await fireEvent.click(screen.getByRole('button', { name: 'Sửa' }));
    await screen.findByRole('form', { name: 'Sửa' });
    await expectNoViolations();
  });

  it('data-subject requests', async () => {
    render(SubjectRequestScreen, { target: shellFrame(), props: { token: TOKEN, api: { fetch: offline } } });
    await expectNoViolations();
  });

  it('login, with a field message', async () => {
    const db = freshDb();
    const session = new SessionState({
      db,
      api: new ApiClient({ fetch: new FakeServer().fetch }),
      isOnline: () => true,
    });
    render(LoginScreen, { target: shellFrame(), props: { session, onLoggedIn: () => undefined } });
    await fireEvent.click(screen.getByRole('button', { name: 'Đăng nhập' }));
    await screen.findByText('Vui lòng nhập tên đăng nhập và mật khẩu.');
    await expectNoViolations();
  });

  it('set-up page, which brings its own <main>', async () => {
    render(SetupScreen, {
      target: shellFrame(false),
      props: { token: 'setup-token-0123456789abcdefghijklmnopqrstu', fetchImpl: offline },
    });
    await expectNoViolations();
  });

  it('revoked device', async () => {
    render(RevokedScreen, {
      target: shellFrame(),
      props: { code: 'device_revoked', onContinue: () => undefined },
    });
    await expectNoViolations();
  });

  it('the check fails on a nameless button or a second <main>', async () => {
    const frame = shellFrame();
    frame.innerHTML = '<section aria-label="Thử"><button type="button"></button><main></main></section>';
    const ids = (await axeViolations()).map((v) => v.id);
    expect(ids).toContain('button-name');
    expect(ids.some((id) => id.startsWith('landmark-'))).toBe(true);
  });
});
