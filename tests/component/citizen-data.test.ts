// The capture form's "Liên hệ theo dõi" section through the real form and Dexie (fake-indexeddb):
// nothing personal unless it is opened, consent never pre-ticked, an ID number checked, sealed for
// the server (only its key opens it) and keyed with the device's own key for on-device counts, and
// the number itself found nowhere on the device, the device key nowhere in a push.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { SotayDB } from '../../src/app/db/database.ts';
import { getSession, storeLogin } from '../../src/app/db/meta-repo.ts';
import { ownCitizens } from '../../src/app/db/records-repo.ts';
import { SyncEngine } from '../../src/app/sync/engine.ts';
import { dropSentContacts, scheduleContactSweep } from '../../src/app/privacy/contact-retention.ts';
import { contextOf } from '../../src/app/state/context.ts';
import { talliesSlot } from '../../src/app/state/tallies-slot.ts';
import TalliesScreen from '../../src/app/ui/tallies/TalliesScreen.svelte';
import { CURRENT_CONSENT_NOTICE } from '../../src/shared/index.ts';
import { GENERATED_ID_NUMBERS, fakeIdNumber } from '../support/citizen-ids.ts';
import { openContactSection, renderCapture } from './support/capture.ts';
import { freshDb, localRecord, loggedInDb, wireRecord } from './support/db.ts';
import { createServices, loadServices } from '../../src/app/services.ts';
import { FakeServer, USER, loginResponse } from './support/fake-server.ts';

/** The form on a logged-in device; `contactKey` null: a session without the server's key. */
async function setup(contactKey: string | null = null): Promise<SotayDB> {
  const db = freshDb();
  const login = loginResponse();
  const key = contactKey ?? undefined;
  await storeLogin(db, { ...login, commune: { ...login.commune, contactKey: key } });
  renderCapture(db, { contactKey: key });
  return db;
}

/** The form with the server's key from a key pair made here (what ID numbers are sealed to). */
async function setupWithKey(): Promise<{ db: SotayDB; server: Awaited<ReturnType<typeof serverKeyPair>> }> {
  const server = await serverKeyPair();
  return { db: await setup(server.publicKey), server };
}

const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const unb64url = (text: string) =>
  Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (ch) => ch.charCodeAt(0));

/** A server key pair made here, and the server's side of the seal written independently. */
async function serverKeyPair() {
  const curve = { name: 'ECDH', namedCurve: 'P-256' } as const;
  const pair = await crypto.subtle.generateKey(curve, true, ['deriveBits']);
  const publicKey = b64url(new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey)));
  async function openBytes(recordId: string, sealed: string, use: string): Promise<ArrayBuffer> {
    const [, epk, iv, ct] = sealed.split('.') as [string, string, string, string];
    const eph = await crypto.subtle.importKey('raw', unb64url(epk), curve, false, []);
    const bits = await crypto.subtle.deriveBits({ name: 'ECDH', public: eph }, pair.privateKey, 256);
    const hkdf = await crypto.subtle.importKey('raw', bits, 'HKDF', false, ['deriveKey']);
    const info = new TextEncoder().encode(use);
    const aes = await crypto.subtle.deriveKey(
      { name: 'HKDF', hash: 'SHA-256', salt: unb64url(epk), info },
      hkdf,
      { name: 'AES-GCM', length: 256 },
      false,
      ['decrypt'],
    );
    const additionalData = new TextEncoder().encode(recordId);
    return crypto.subtle.decrypt({ name: 'AES-GCM', iv: unb64url(iv), additionalData }, aes, unb64url(ct));
  }
  /** A sealed contact, as the server opens it (HKDF info sotay-contact-v1). */
  async function open(recordId: string, sealed: string): Promise<unknown> {
    return JSON.parse(new TextDecoder().decode(await openBytes(recordId, sealed, 'sotay-contact-v1')));
  }
  /** A sealed ID number, as the server opens it (HKDF info sotay-citizen-v1). */
  async function openId(recordId: string, sealed: string): Promise<string> {
    return new TextDecoder().decode(await openBytes(recordId, sealed, 'sotay-citizen-v1'));
  }
  return { publicKey, open, openId };
}

// Generated, not a person: a made-up name, a number in the unassigned 0900 000 xxx range.
const CONTACT = { name: 'Người Thử Nghiệm Hai', phone: '0900000456', dossierCode: 'TEST-250102-0002' };

async function typeContact(c: { name: string; phone: string; dossierCode: string }) {
  await fireEvent.input(screen.getByLabelText('Họ tên (để liên hệ lại)'), { target: { value: c.name } });
  await fireEvent.input(screen.getByLabelText('Số điện thoại'), { target: { value: c.phone } });
  await fireEvent.input(screen.getByLabelText('Mã hồ sơ'), { target: { value: c.dossierCode } });
}

const save = () => fireEvent.click(screen.getByRole('button', { name: 'Lưu' }));

async function fillValid() {
  await fireEvent.click(screen.getByLabelText('Kích hoạt VNeID mức 1'));
  await fireEvent.change(screen.getByLabelText('Thôn/ấp'), { target: { value: 'h2' } });
  await fireEvent.click(screen.getByLabelText('Hoàn thành'));
}

async function giveConsent() {
  await fireEvent.click(screen.getByLabelText('Người dân đã nghe thông báo và đồng ý'));
  await fireEvent.change(screen.getByLabelText('Cách đồng ý'), { target: { value: 'spoken' } });
}

/** Everything the device keeps: every Dexie table and localStorage, as one text. */
async function everythingStored(db: SotayDB): Promise<string> {
  const tables = await Promise.all(db.tables.map(async (t) => [t.name, await t.toArray()] as const));
  const local = Object.entries({ ...localStorage });
  return JSON.stringify({ tables, local });
}

describe('follow-up contact section', () => {
  it('is folded by default, and a record saved without opening it holds nothing personal', async () => {
    const db = await setup();
    // The section is its own chunk, fetched right after the form paints.
    const details = (await screen.findByText('Liên hệ theo dõi')).closest('details');
    expect(details?.open).toBe(false);
    await fillValid();
    await save();
    await screen.findByText('Đã lưu');
    const [record] = await db.records.toArray();
    for (const f of [
      'citizenSeal',
      'deviceCitizenKey',
      'consentGiven',
      'consentMethod',
      'consentNotice',
      'consentAt',
    ])
      expect(record).not.toHaveProperty(f);
  });

  it('shows the versioned notice with an unticked consent box, and refuses to save without consent', async () => {
    const db = await setup();
    await fillValid();
    await openContactSection();
    expect(screen.getByText(/Tổ công nghệ số xin phép/).getAttribute('data-notice-version')).toBe(
      CURRENT_CONSENT_NOTICE,
    );
    const box = screen.getByLabelText('Người dân đã nghe thông báo và đồng ý') as HTMLInputElement;
    expect(box.checked).toBe(false);
    expect(screen.queryByLabelText('Số định danh cá nhân (12 số)')).toBeNull();

    await save();

    expect(await screen.findByText(/Cần người dân đồng ý trước khi ghi/)).toBeTruthy();
    expect(box.getAttribute('aria-invalid')).toBe('true');
    expect(await db.records.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
  });

  it('checks the ID number (12 digits, birth-province code) with Vietnamese messages and keeps the input', async () => {
    const db = await setup();
    await fillValid();
    await openContactSection();
    await giveConsent();
    const input = screen.getByLabelText('Số định danh cá nhân (12 số)') as HTMLInputElement;

    await fireEvent.input(input, { target: { value: '12345' } });
    await save();
    expect(await screen.findByText('Số định danh phải gồm đúng 12 chữ số.')).toBeTruthy();

    const badProvince = `003${fakeIdNumber().slice(3)}`;
    await fireEvent.input(input, { target: { value: badProvince } });
    await save();
    expect(await screen.findByText(/không phải mã tỉnh nơi đăng ký khai sinh/)).toBeTruthy();
    expect(input.value).toBe(badProvince);
    expect((screen.getByLabelText('Hoàn thành') as HTMLInputElement).checked).toBe(true);
    expect(await db.records.count()).toBe(0);
  });

  it('seals the number for the server and keys it on the device only: the outbox has the seal, never a key', async () => {
    const { db, server } = await setupWithKey();
    const id = fakeIdNumber();
    await fillValid();
    await openContactSection();
    await giveConsent();
    await fireEvent.input(screen.getByLabelText('Số định danh cá nhân (12 số)'), {
      target: { value: `${id.slice(0, 4)} ${id.slice(4, 8)} ${id.slice(8)}` },
    });

    await save();

    await screen.findByText('Đã lưu');
    const [record] = await db.records.toArray();
    const [row] = await db.outbox.toArray();
    expect(record).toMatchObject({
      consentGiven: true,
      consentMethod: 'spoken',
      consentNotice: CURRENT_CONSENT_NOTICE,
    });
    expect(Date.parse(String(record?.consentAt))).not.toBeNaN();
    // Only the server's key opens the seal, to the 12 digits; as a contact it does not open at all.
    expect(row?.patch.citizenSeal).toMatch(/^v1\./);
    expect(await server.openId(record!.id, String(row?.patch.citizenSeal))).toBe(id);
    await expect(server.open(record!.id, String(row?.patch.citizenSeal))).rejects.toThrow();
    expect(row?.patch).toMatchObject({ consentGiven: true });
    expect(row?.patch).not.toHaveProperty('citizenKey');
    expect(row?.patch).not.toHaveProperty('deviceCitizenKey');
    // The local record has the device's own key, not one the server could make.
    expect(record?.deviceCitizenKey).toMatch(/^[0-9a-f]{64}$/);
    expect(record).not.toHaveProperty('citizenKey');
    // The form is blank again: the section folded, the number gone from the input too.
    expect(screen.getByText('Liên hệ theo dõi').closest('details')?.open).toBe(false);
    expect(await everythingStored(db)).not.toContain(id);
  });

  it('counts distinct citizens on the device with its own key, and never pushes that key', async () => {
    const { db } = await setupWithKey();
    const same = fakeIdNumber();
    for (const [i, n] of [same, same, fakeIdNumber()].entries()) {
      await fillValid();
      await openContactSection();
      await giveConsent();
      await fireEvent.input(screen.getByLabelText('Số định danh cá nhân (12 số)'), { target: { value: n } });
      await save();
      // "Đã lưu" may still show from the save before: wait for this record itself.
      await waitFor(async () => expect(await db.records.count()).toBe(i + 1));
      await waitFor(() => expect(screen.getByText('Liên hệ theo dõi').closest('details')?.open).toBe(false));
    }
    const records = await db.records.toArray();
    expect(records).toHaveLength(3);
    const day = String(records[0]?.occurredOn);
    expect(await ownCitizens(db, day, day)).toBe(2);
    const deviceKeys = records.map((r) => String(r.deviceCitizenKey));

    const fake = new FakeServer();
    await new SyncEngine({ db, fetch: fake.fetch, runLocked: null }).syncNow();
    const pushed = JSON.stringify(fake.pushes());
    expect(fake.pushes().flatMap((p) => p.mutations)).toHaveLength(3);
    expect(pushed).toContain('citizenSeal');
    for (const k of deviceKeys) expect(pushed).not.toContain(k);
    expect(pushed).not.toContain('deviceCitizenKey');
    expect(pushed).not.toContain('citizenKey');
    // Synced and pulled back: the count still holds (the device key stays on the local rows).
    await new SyncEngine({ db, fetch: fake.fetch, runLocked: null }).syncNow();
    expect(await ownCitizens(db, day, day)).toBe(2);
  });

  it('shows the distinct citizens on the tallies screen: three captures of two numbers count 2, a pulled record none', async () => {
    const { db } = await setupWithKey();
    const same = fakeIdNumber();
    for (const [i, n] of [same, same, fakeIdNumber()].entries()) {
      await fillValid();
      await openContactSection();
      await giveConsent();
      await fireEvent.input(screen.getByLabelText('Số định danh cá nhân (12 số)'), { target: { value: n } });
      await save();
      await waitFor(async () => expect(await db.records.count()).toBe(i + 1));
      await waitFor(() => expect(screen.getByText('Liên hệ theo dõi').closest('details')?.open).toBe(false));
    }
    const day = String((await db.records.toArray())[0]?.occurredOn);
    const { container } = render(TalliesScreen, {
      context: contextOf(talliesSlot.entry({ db })),
    });
    const cell = (attr: string, period: string) =>
      container.querySelector(`[${attr}="${period}"]`)?.textContent;
    await waitFor(() => expect(cell('data-citizens', 'today')).toBe('2'));
    expect(cell('data-period', 'today')).toBe('3');
    expect(cell('data-citizens', 'month')).toBe('2');
    expect(screen.getByText('Số người dân khác nhau (trên máy này)')).toBeTruthy();
    expect(screen.getByText(/Chỉ đếm các lần hỗ trợ có nhập số định danh trên máy này/)).toBeTruthy();

    // The volunteer's own record made on another phone comes down without any device key: it
    // counts as a record of today, not as a citizen (its number, if any, was never typed here).
    const fake = new FakeServer();
    const elsewhere = wireRecord({ occurredOn: day });
    fake.writeElsewhere(elsewhere.id, {
      ...elsewhere,
      volunteerId: USER.id,
      teamId: USER.teamId,
      communeCode: '00001',
    });
    expect(await new SyncEngine({ db, fetch: fake.fetch, runLocked: null }).syncNow()).toBe('ok');
    await waitFor(() => expect(cell('data-period', 'today')).toBe('4'));
    expect(cell('data-citizens', 'today')).toBe('2');
    expect(cell('data-citizens', 'week')).toBe('2');
    expect(await ownCitizens(db, day, day)).toBe(2);
  });

  it('keeps nothing of an ID number typed in a section that was closed again before saving', async () => {
    const db = await setup();
    const id = fakeIdNumber();
    await fillValid();
    await openContactSection();
    await giveConsent();
    await fireEvent.input(screen.getByLabelText('Số định danh cá nhân (12 số)'), { target: { value: id } });
    await openContactSection(); // folds it again

    await save();

    await screen.findByText('Đã lưu');
    const [record] = await db.records.toArray();
    expect(record).not.toHaveProperty('citizenSeal');
    expect(record).not.toHaveProperty('deviceCitizenKey');
    expect(record).not.toHaveProperty('consentGiven');
    expect(await everythingStored(db)).not.toContain(id);
  });

  it('asks for a new login instead of using an ID number when the session has no server key', async () => {
    const db = await setup(null);
    await fillValid();
    await openContactSection();
    await giveConsent();
    await fireEvent.input(screen.getByLabelText('Số định danh cá nhân (12 số)'), {
      target: { value: fakeIdNumber() },
    });
    await save();
    expect(await screen.findByText(/Hãy đăng nhập lại khi có mạng/)).toBeTruthy();
    expect(await db.records.count()).toBe(0);
  });

  it('warns while typing when the note looks like it holds an ID or a phone number', async () => {
    await setup();
    await fireEvent.click(screen.getByText('Thông tin thêm'));
    const note = screen.getByLabelText('Ghi chú');
    await fireEvent.input(note, { target: { value: 'hẹn gọi 0912 345 678' } });
    expect(screen.getByTestId('note-warning').textContent).toMatch(/số điện thoại/);
    await fireEvent.input(note, { target: { value: `số ${fakeIdNumber()}` } });
    expect(screen.getByTestId('note-warning').textContent).toMatch(/số định danh/);
    await fireEvent.input(note, { target: { value: 'đã hướng dẫn cài VNeID' } });
    expect(screen.queryByTestId('note-warning')).toBeNull();
  });
});

describe('name, phone and dossier code', () => {
  it('are sealed for the server before storing: only the server key opens them, and no clear copy is kept', async () => {
    const { db, server } = await setupWithKey();
    await fillValid();
    await openContactSection();
    await giveConsent();
    await typeContact({ ...CONTACT, phone: '0900 000 456' });

    await save();

    await screen.findByText('Đã lưu');
    const [record] = await db.records.toArray();
    const [row] = await db.outbox.toArray();
    expect(record?.contact).toMatch(/^v1\./);
    expect(row?.patch.contact).toBe(record?.contact);
    expect(await server.open(record!.id, String(record?.contact))).toEqual(CONTACT);
    const stored = await everythingStored(db);
    for (const clear of [CONTACT.name, CONTACT.phone, '0900 000 456', CONTACT.dossierCode])
      expect(stored).not.toContain(clear);
  });

  it('say in Vietnamese what is wrong with them, and store nothing until fixed', async () => {
    const { db } = await setupWithKey();
    await fillValid();
    await openContactSection();
    await giveConsent();
    await typeContact({ name: 'Người 001099', phone: '12345', dossierCode: CONTACT.dossierCode });

    await save();

    expect(await screen.findByText(/Họ tên không được chứa chữ số/)).toBeTruthy();
    expect(screen.getByText(/Số điện thoại phải có dạng 0xxxxxxxxx/)).toBeTruthy();
    expect(screen.getByLabelText('Số điện thoại').getAttribute('aria-invalid')).toBe('true');
    expect((screen.getByLabelText('Mã hồ sơ') as HTMLInputElement).value).toBe(CONTACT.dossierCode);
    expect(await db.records.count()).toBe(0);
  });

  it('are refused, with a reason, when the phone has no server key yet', async () => {
    const db = await setup(null);
    await fillValid();
    await openContactSection();
    await giveConsent();
    await typeContact(CONTACT);
    await save();
    expect(await screen.findByText(/chưa có khoá mã hoá của máy chủ/)).toBeTruthy();
    expect(await db.records.count()).toBe(0);
  });
});

describe('contact retention on the phone', () => {
  it('drops the sealed contact once the server holds the record, and keeps it while it waits to be sent', async () => {
    const db = freshDb();
    const sealed = `v1.${'A'.repeat(87)}.${'B'.repeat(16)}.${'C'.repeat(40)}`;
    const sent = localRecord({ syncState: 'synced', serverVersion: 3, contact: sealed });
    const waiting = localRecord({ syncState: 'to_post', contact: sealed });
    const syncedButQueued = localRecord({ syncState: 'synced', serverVersion: 2, contact: sealed });
    await db.records.bulkPut([sent, waiting, syncedButQueued]);
    await db.outbox.add({
      seq: 1,
      mutationId: '01a22118-3cda-7161-8c76-1b88de04ecd8',
      recordId: syncedButQueued.id,
      op: 'upsert',
      baseVersion: 2,
      patch: { note: 'x' },
      createdAt: new Date().toISOString(),
    });

    expect(await dropSentContacts(db)).toBe(1);

    expect(await db.records.get(sent.id)).not.toHaveProperty('contact');
    expect((await db.records.get(sent.id))?.syncState).toBe('synced');
    expect((await db.records.get(waiting.id))?.contact).toBe(sealed);
    expect((await db.records.get(syncedButQueued.id))?.contact).toBe(sealed);
  });
});

describe('contact retention over many records', () => {
  it('sweeps every record past the first steps of its reads, and keeps the one still in the outbox', async () => {
    const db = freshDb();
    const sealed = `v1.${'A'.repeat(87)}.${'B'.repeat(16)}.${'C'.repeat(40)}`;
    const sent = Array.from({ length: 1_201 }, (_, i) =>
      localRecord({
        syncState: 'synced',
        serverVersion: 1,
        ...(i % 2 ? { contact: sealed } : { citizenSeal: sealed }),
      }),
    );
    await db.records.bulkPut(sent);
    const queued = sent[1_100]!;
    await db.outbox.add({
      seq: 1,
      mutationId: '01a22118-3cda-7161-8c76-1b88de04ecd9',
      recordId: queued.id,
      op: 'upsert',
      baseVersion: 1,
      patch: { note: 'x' },
      createdAt: new Date().toISOString(),
    });

    expect(await dropSentContacts(db)).toBe(1_200);

    const left = (await db.records.toArray()).filter(
      (r) => r.contact !== undefined || r.citizenSeal !== undefined,
    );
    expect(left.map((r) => r.id)).toEqual([queued.id]);
    expect(await db.records.count()).toBe(1_201);
  });
});

describe('no secret of the server on the device', () => {
  it('drops the commune secret from a session stored by an older version, in memory and in IndexedDB', async () => {
    const db = freshDb();
    const login = loginResponse();
    await storeLogin(db, login);
    const secret = 'ab'.repeat(32);
    const stored = (await db.meta.get('session'))?.value as object;
    await db.meta.put({
      key: 'session',
      value: { ...stored, commune: { ...login.commune, citizenSecret: secret } },
    } as never);
    const session = await getSession(db);
    expect(session?.commune).not.toHaveProperty('citizenSecret');
    expect(session?.token).toBe(login.token);
    // The stored copy is rewritten without it in the background: it was there, so wait for it to go.
    await vi.waitFor(async () => expect(JSON.stringify(await db.meta.toArray())).not.toContain(secret));
  });
});

describe('no ID number on the device', () => {
  it('finds none of the ID numbers typed in these tests anywhere in IndexedDB or localStorage', async () => {
    const { db } = await setupWithKey();
    // One more full capture, so the database holds a record, an outbox row and the session.
    const id = fakeIdNumber();
    await fillValid();
    await openContactSection();
    await giveConsent();
    await fireEvent.input(screen.getByLabelText('Số định danh cá nhân (12 số)'), { target: { value: id } });
    await save();
    await screen.findByText('Đã lưu');
    const stored = await everythingStored(db);
    const [record] = await db.records.toArray();
    // The search does see the stored data: the seal and the device's key are in there.
    expect(stored).toContain(String(record?.citizenSeal));
    expect(stored).toContain(String(record?.deviceCitizenKey));
    expect(GENERATED_ID_NUMBERS.length).toBeGreaterThan(3);
    for (const n of GENERATED_ID_NUMBERS) expect(stored).not.toContain(n);
  });
});

describe('contact sweep at start', () => {
  it('leaves the records alone while the app loads (main.ts sweeps after the first frame)', async () => {
    const db = await loggedInDb();
    const sealed = `v1.${'A'.repeat(87)}.${'B'.repeat(16)}.${'C'.repeat(40)}`;
    const sent = localRecord({ syncState: 'synced', serverVersion: 3, contact: sealed });
    await db.records.put(sent);
    const services = createServices({ db, fetch: () => Promise.reject(new TypeError('offline')) });
    await loadServices(services);
    // Nothing read the records before the form's first tap could be answered.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await db.records.get(sent.id))?.contact).toBe(sealed);
    const stop = scheduleContactSweep(db);
    await vi.waitFor(async () => expect(await db.records.get(sent.id)).not.toHaveProperty('contact'), {
      timeout: 3000,
    });
    stop();
  });
});
