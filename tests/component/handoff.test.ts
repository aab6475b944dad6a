// The hand-off screens (docs/handoff.md) against a fake server that does what the real one does with
// keys and bundles: the volunteer's export (share, counts, outbox kept), the receipt (real and
// forged), and the lead's import (header shown, replay and tampering refused, upload, receipt).
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { SotayDB } from '../../src/app/db/database.ts';
import { clearAccount, storeLogin } from '../../src/app/db/meta-repo.ts';
import { saveNewRecord } from '../../src/app/db/records-repo.ts';
import { tables } from '../../src/app/db/handoff-tables.ts';
import { ApiClient } from '../../src/app/sync/api.ts';
import { contextOf } from '../../src/app/state/context.ts';
import { LeadInboxState, leadInboxSlot } from '../../src/app/state/lead-inbox.svelte.ts';
import LeadInbox from '../../src/app/ui/handoff/LeadInbox.svelte';
import VolunteerHandoff from '../../src/app/ui/handoff/VolunteerHandoff.svelte';
import RecordsScreen from '../../src/app/ui/records/RecordsScreen.svelte';
import type { Bytes } from '../../src/shared/handoff/bytes.ts';
import {
  generateCommuneKey,
  importEcdhPrivate,
  importSignKey,
  importVerifyKey,
  openBundle,
  signReceipt,
  toBase64Url,
  fromBase64Url,
  type CommuneKeyMaterial,
  type TeamDeviceKey,
} from '../../src/shared/handoff/index.ts';
import { CURRENT_CONSENT_NOTICE, sealCitizenId, type LoginResponse } from '../../src/shared/index.ts';
import { freshDb, wireRecord } from './support/db.ts';
import { loginResponse } from './support/fake-server.ts';
import { recordsContext } from './support/records.ts';

/** Keys and bundles like the real server: registered device keys, the commune key, receipts. */
function handoffServer(key: CommuneKeyMaterial) {
  const devices: TeamDeviceKey[] = [];
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const path = new URL(String(input), 'http://x').pathname;
    const body = init?.body ? (JSON.parse(String(init.body)) as Record<string, string>) : {};
    if (path === '/api/v1/handoff/device-keys' && init?.method === 'POST') {
      const raw = fromBase64Url(body.publicKey ?? '')!;
      const keyId = toBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', raw)).subarray(0, 16));
      devices.push({
        keyId,
        userId: 'u-tnv',
        username: 'demo-tnv',
        displayName: 'Nguyễn Văn A',
        clientId: body.clientId ?? '',
        publicKey: body.publicKey ?? '',
        revoked: false,
      });
      return json(200, { keyId });
    }
    if (path === '/api/v1/handoff/device-keys') return json(200, { keys: devices });
    if (path === '/api/v1/handoff/commune-key')
      return json(200, {
        communeCode: '00001',
        communeKeyId: key.keyId,
        encryptPublic: key.encryptPublic,
        encryptPrivate: key.encryptPrivate,
        receiptPublic: key.receiptPublic,
      });
    if (path === '/api/v1/handoff/bundles') {
      const opened = await openBundle(fromBase64Url(body.bundle ?? '')!, {
        communeCode: '00001',
        communeKeyId: key.keyId,
        communePrivate: await importEcdhPrivate(key.encryptPrivate),
        findDeviceKey: async (id) => devices.find((d) => d.keyId === id) ?? null,
        importVerifyKey,
        seen: async () => false,
      });
      const h = opened.header;
      const receipt = await signReceipt(
        {
          bundleId: h.bundleId,
          clientId: h.clientId,
          volunteerId: h.volunteer.id,
          communeCode: h.communeCode,
          seqFrom: h.seqFrom,
          ackedSeq: h.seqTo,
          mutationIds: opened.mutations.map((m) => m.mutationId),
          at: new Date().toISOString(),
        },
        await importSignKey(key.receiptPrivate),
      );
      return json(200, {
        bundleId: h.bundleId,
        volunteerId: h.volunteer.id,
        clientId: h.clientId,
        count: h.count,
        ackedSeq: h.seqTo,
        statuses: { applied: h.count },
        repeated: false,
        receipt,
      });
    }
    return json(404, { error: { code: 'not_found', message: 'Không tìm thấy.' } });
  };
  return { fetch, devices };
}

function login(key: CommuneKeyMaterial, role: 'volunteer' | 'lead' = 'volunteer'): LoginResponse {
  const base = loginResponse();
  const user = role === 'lead' ? { ...base.user, id: 'u-lead', username: 'demo-lead', role } : base.user;
  return {
    ...base,
    user,
    handoff: { communeKeyId: key.keyId, encryptPublic: key.encryptPublic, receiptPublic: key.receiptPublic },
  };
}

/** A volunteer's device with two unsent records (or these) and a registered key; exports one bundle. */
async function volunteerExport(
  key: CommuneKeyMaterial,
  server: ReturnType<typeof handoffServer>,
  records?: (db: SotayDB) => Promise<void>,
) {
  const db = freshDb();
  const session = await storeLogin(db, login(key));
  if (records) await records(db);
  else {
    await saveNewRecord(db, wireRecord({ occurredOn: '2025-10-15' }));
    await saveNewRecord(db, wireRecord({ occurredOn: '2025-10-17' }));
  }
  const share = vi.fn(async (_bytes: Bytes, _name: string) => 'shared' as const);
  const api = new ApiClient({ fetch: server.fetch });
  render(VolunteerHandoff, { props: { db, api, session, online: true, share } });
  await waitFor(() => expect(server.devices).toHaveLength(1));
  await waitFor(async () => expect((await tables(db).handoffDevice.get('device'))?.registered).toBe(true));
  await fireEvent.click(screen.getByRole('button', { name: 'Gửi cho tổ trưởng' }));
  await waitFor(() => expect(share).toHaveBeenCalledTimes(1));
  const [bytes, name] = share.mock.calls[0]!;
  return { db, session, bytes, name };
}

describe('volunteer: "Gửi cho tổ trưởng"', () => {
  it('packs every unsent mutation into one bundle, marks them handed over and keeps the outbox', async () => {
    const key = await generateCommuneKey();
    const server = handoffServer(key);
    const { db, bytes, name } = await volunteerExport(key, server);
    expect(name).toMatch(/^gui-to-truong-demo-tnv-.*\.cnsh$/);
    expect(await screen.findByText(/Đã gửi tệp/)).toBeTruthy();
    await waitFor(() =>
      expect(screen.getByTestId('handoff-counts').textContent).toContain('2 đã giao, chờ xác nhận'),
    );
    const outbox = await db.outbox.orderBy('seq').toArray();
    expect(outbox).toHaveLength(2);
    const opened = await openBundle(bytes, {
      communeCode: '00001',
      communeKeyId: key.keyId,
      communePrivate: await importEcdhPrivate(key.encryptPrivate),
      findDeviceKey: async (id) => server.devices.find((d) => d.keyId === id) ?? null,
      importVerifyKey,
      seen: async () => false,
    });
    expect(opened.mutations.map((m) => [m.seq, m.mutationId])).toEqual(
      outbox.map((o) => [o.seq, o.mutationId]),
    );
    expect([opened.header.dateFrom, opened.header.dateTo]).toEqual(['2025-10-15', '2025-10-17']);
  });

  it('carries the ID number sealed for the server, never the device’s own key of it', async () => {
    const key = await generateCommuneKey();
    const server = handoffServer(key);
    const serverPair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, [
      'deriveBits',
    ]);
    const serverKey = toBase64Url(new Uint8Array(await crypto.subtle.exportKey('raw', serverPair.publicKey)));
    const deviceCitizenKey = 'd'.repeat(64);
    let citizenSeal = '';
    const { bytes } = await volunteerExport(key, server, async (db) => {
      const r = wireRecord({ occurredOn: '2025-10-15' });
      citizenSeal = await sealCitizenId(serverKey, r.id, '001099012345');
      const consent = {
        consentGiven: true,
        consentMethod: 'spoken',
        consentNotice: CURRENT_CONSENT_NOTICE,
        consentAt: '2025-10-15T08:00:00.000Z',
      } as const;
      await saveNewRecord(db, { ...r, ...consent, citizenSeal }, new Date(), { deviceCitizenKey });
    });
    const opened = await openBundle(bytes, {
      communeCode: '00001',
      communeKeyId: key.keyId,
      communePrivate: await importEcdhPrivate(key.encryptPrivate),
      findDeviceKey: async (id) => server.devices.find((d) => d.keyId === id) ?? null,
      importVerifyKey,
      seen: async () => false,
    });
    expect(opened.mutations).toHaveLength(1);
    expect(opened.mutations[0]?.patch?.citizenSeal).toBe(citizenSeal);
    const text = JSON.stringify(opened.mutations);
    expect(text).not.toContain(deviceCitizenKey);
    expect(text).not.toContain('deviceCitizenKey');
    expect(text).not.toContain('citizenKey');
    expect(text).not.toContain('001099012345');
  });

  it('a small batch also shows as an animated QR sequence; without a camera the scanner says so', async () => {
    const key = await generateCommuneKey();
    await volunteerExport(key, handoffServer(key));
    await fireEvent.click(screen.getByRole('button', { name: 'Hiện mã QR' }));
    const qr = await screen.findByTestId('qr-sequence');
    expect(Number(qr.dataset.count)).toBeGreaterThanOrEqual(1);
    await waitFor(() =>
      expect(qr.querySelector('img')?.getAttribute('src')).toMatch(/^data:image\/svg\+xml;charset=utf-8,/),
    );
    await fireEvent.click(screen.getByRole('button', { name: 'Quét biên nhận' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Không mở được máy ảnh. Hãy dùng tệp thay thế.',
    );
    await fireEvent.click(screen.getByRole('button', { name: 'Tắt máy ảnh' }));
    expect(screen.getByRole('button', { name: 'Quét biên nhận' })).toBeTruthy();
  });

  it('the records list shows each handed-over record as "Đã giao, chờ xác nhận"', async () => {
    const key = await generateCommuneKey();
    const { db, session } = await volunteerExport(key, handoffServer(key));
    cleanup();
    render(RecordsScreen, { props: { hamlets: session.commune.hamlets }, context: recordsContext(db) });
    await waitFor(() =>
      expect(document.querySelectorAll('[data-handoff-state="handed_over"]')).toHaveLength(2),
    );
    expect(document.querySelector('[data-handoff-state]')?.textContent?.trim()).toBe('Đã giao, chờ xác nhận');
  });

  it('a receipt file from the lead marks them delivered; a forged one is refused in Vietnamese', async () => {
    const key = await generateCommuneKey();
    const server = handoffServer(key);
    const { db, bytes } = await volunteerExport(key, server);
    const outbox = await db.outbox.orderBy('seq').toArray();
    const make = async (signer: CommuneKeyMaterial) =>
      signReceipt(
        {
          bundleId: 'b',
          clientId: 'c',
          volunteerId: 'u-tnv',
          communeCode: '00001',
          seqFrom: 1,
          ackedSeq: 2,
          mutationIds: outbox.map((o) => o.mutationId),
          at: new Date().toISOString(),
        },
        await importSignKey(signer.receiptPrivate),
      );
    expect(bytes.length).toBeGreaterThan(0);
    const input = screen.getByLabelText('Mở tệp biên nhận') as HTMLInputElement;
    const forged = await make(await generateCommuneKey());
    await fireEvent.change(input, { target: { files: [new File([forged], 'bien-nhan.txt')] } });
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Biên nhận không hợp lệ hoặc không dành cho máy này.',
    );
    expect(screen.getByTestId('handoff-counts').textContent).not.toContain('đã xác nhận');
    await fireEvent.change(input, { target: { files: [new File([await make(key)], 'bien-nhan.txt')] } });
    expect(await screen.findByText('Đã xác nhận 2 thay đổi được tổ trưởng gửi lên máy chủ.')).toBeTruthy();
    await waitFor(() =>
      expect(screen.getByTestId('handoff-counts').textContent).toContain('2 tổ trưởng đã xác nhận nhận'),
    );
    expect(await db.outbox.count()).toBe(2);
  });
});

describe('lead: importing bundles', () => {
  it('shows volunteer, count and dates, refuses a replay and a tampered file, uploads and offers the receipt', async () => {
    const key = await generateCommuneKey();
    const server = handoffServer(key);
    const { bytes } = await volunteerExport(key, server);
    cleanup();
    const leadDb = new SotayDB('sotay-lead');
    onTestFinished(() => leadDb.delete());
    const session = await storeLogin(leadDb, login(key, 'lead'));
    const api = new ApiClient({ fetch: server.fetch });
    const inbox = new LeadInboxState(() => ({ db: leadDb, api, session }));
    const view = render(LeadInbox, {
      props: { online: false },
      context: contextOf(leadInboxSlot.entry(inbox)),
    });
    expect((await screen.findByTestId('lead-ready')).textContent).toContain('Chưa tải khóa');
    // Online once: fetch the keys.
    await view.rerender({ online: true });
    await fireEvent.click(screen.getByRole('button', { name: 'Tải khóa của tổ (cần mạng)' }));
    await waitFor(() => expect(screen.getByTestId('lead-ready').textContent).toContain('1 máy trong tổ'));
    await view.rerender({ online: false });

    const input = screen.getByTestId('bundle-file');
    const tampered = new Uint8Array(bytes);
    tampered[tampered.length - 70] = (tampered[tampered.length - 70] ?? 0) ^ 1;
    await fireEvent.change(input, { target: { files: [new File([tampered], 'x.cnsh')] } });
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Chữ ký của tệp không khớp: tệp đã bị sửa đổi hoặc giả mạo.',
    );
    await fireEvent.change(input, { target: { files: [new File([bytes.subarray(0, 100)], 'x.cnsh')] } });
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Tệp bị thiếu một phần'));
    expect(await tables(leadDb).handoffInbox.count()).toBe(0);

    await fireEvent.change(input, { target: { files: [new File([bytes], 'x.cnsh')] } });
    expect(
      await screen.findByText('Đã nhận 2 thay đổi của Nguyễn Văn A. Sẽ gửi lên máy chủ khi có mạng.'),
    ).toBeTruthy();
    const row = await screen.findByTestId('inbox-row');
    expect(row.textContent).toContain('Nguyễn Văn A: 2 thay đổi, 15/10/2025–17/10/2025');
    expect(row.dataset.status).toBe('queued');

    await fireEvent.change(input, { target: { files: [new File([bytes], 'x.cnsh')] } });
    expect((await screen.findByRole('alert')).textContent).toBe('Tệp này đã được nhận trước đó.');
    expect(await tables(leadDb).handoffInbox.count()).toBe(1);

    await view.rerender({ online: true });
    await fireEvent.click(screen.getByRole('button', { name: 'Gửi lên máy chủ' }));
    await waitFor(() => expect(screen.getByTestId('inbox-row').dataset.status).toBe('sent'));
    await fireEvent.click(screen.getByRole('button', { name: 'Hiện biên nhận' }));
    expect((await screen.findByTestId('qr-sequence')).dataset.count).toBe('1');
    const stored = (await tables(leadDb).handoffInbox.toArray())[0];
    expect(stored?.result?.receipt).toMatch(/^CNSR1\./);
  });
});

describe('leaving the device', () => {
  it('logout forgets the keys and marks but keeps a bundle the lead has not uploaded yet', async () => {
    const key = await generateCommuneKey();
    const db = freshDb();
    await storeLogin(db, login(key, 'lead'));
    const T = tables(db);
    await T.leadCache.put({
      id: 'communeKey',
      communeCode: '00001',
      communeKeyId: key.keyId,
      privateKey: await importEcdhPrivate(key.encryptPrivate),
      at: new Date().toISOString(),
    });
    const header = {
      bundleId: 'b1',
      volunteer: { id: 'u-tnv', username: 'demo-tnv', displayName: 'A' },
      clientId: 'client-12345678',
      schemaVersion: 1,
      deviceKeyId: 'k',
      communeCode: '00001',
      communeKeyId: key.keyId,
      count: 1,
      seqFrom: 1,
      seqTo: 1,
      dateFrom: null,
      dateTo: null,
      createdAt: new Date().toISOString(),
    };
    const at = new Date().toISOString();
    await T.handoffInbox.bulkPut([
      { bundleId: 'b1', header, bundle: 'AAAA', status: 'queued', importedAt: at },
      {
        bundleId: 'b2',
        header: { ...header, bundleId: 'b2' },
        bundle: 'AAAA',
        status: 'sent',
        importedAt: at,
      },
    ]);
    await T.handoffMarks.put({ mutationId: 'm', recordId: 'r', bundleId: 'b1', state: 'handed_over', at });
    await clearAccount(db);
    expect(await T.leadCache.count()).toBe(0);
    expect(await T.handoffMarks.count()).toBe(0);
    expect((await T.handoffInbox.toArray()).map((r) => r.bundleId)).toEqual(['b1']);
  });
});
