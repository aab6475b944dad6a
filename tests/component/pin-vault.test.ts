// The volunteer's own PIN-encrypted copy of follow-up contacts (docs/privacy.md): through the real
// capture form, Dexie (fake-indexeddb) and WebCrypto: set-up, round trip, nothing in clear on the
// device, lock after inactivity, wrong PIN ×5 wipes, a right PIN resets the count, retention with a
// moved clock, logout / user switch / revocation remove the key material.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SotayDB } from '../../src/app/db/database.ts';
import { storeLogin } from '../../src/app/db/meta-repo.ts';
import { purgeLocalContacts, LOCAL_CONTACT_RETENTION_DAYS } from '../../src/app/privacy/vault-retention.ts';
import { clearVaultOfOthers, vaultTables } from '../../src/app/db/vault-tables.ts';
import {
  LOCK_AFTER_MS,
  MAX_PIN_TRIES,
  Vault,
  vaultFor,
  watchActivity,
} from '../../src/app/privacy/vault.svelte.ts';
import { SessionState } from '../../src/app/state/session.svelte.ts';
import { ApiClient } from '../../src/app/sync/api.ts';
import PinContact from '../../src/app/ui/privacy/PinContact.svelte';
import EditScreen from '../../src/app/ui/records/EditScreen.svelte';
import { openContactSection, renderCapture, vaultContext } from './support/capture.ts';
import { freshDb, localRecord } from './support/db.ts';
import { HAMLETS, loginResponse } from './support/fake-server.ts';
import { recordsContext } from './support/records.ts';

const DAY = 24 * 60 * 60 * 1000;

/** A generated contact, different in every test: a made-up name, a phone in the unassigned 0900 000 range. */
function fakeContact() {
  const n = crypto.getRandomValues(new Uint32Array(1))[0]! % 1000;
  const tag = crypto.randomUUID().slice(0, 6).replace(/\d/g, 'x');
  return {
    name: `Người Thử ${tag}`,
    phone: `0900000${String(n).padStart(3, '0')}`,
    dossierCode: `TEST-${tag.toUpperCase()}-${String(n).padStart(4, '0')}`,
  };
}

/** A server public key the seal needs (the server side is tested elsewhere). */
async function serverPublicKey(): Promise<string> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  return btoa(String.fromCharCode(...raw))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

async function loggedIn(): Promise<SotayDB> {
  const db = freshDb();
  await storeLogin(db, loginResponse());
  return db;
}

/** Everything the device keeps, as text: every table (bytes decoded as UTF-8 too) and localStorage. */
async function everythingStored(db: SotayDB): Promise<string> {
  const tables = await Promise.all(db.tables.map(async (t) => [t.name, await t.toArray()] as const));
  const local = Object.entries({ ...localStorage });
  return JSON.stringify({ tables, local }, (_k, v: unknown) =>
    v instanceof Uint8Array ? new TextDecoder().decode(v) : v,
  );
}

const save = () => fireEvent.click(screen.getByRole('button', { name: 'Lưu' }));

async function typePins(pin: string, again: string) {
  await fireEvent.input(await screen.findByLabelText('Mã PIN'), { target: { value: pin } });
  await fireEvent.input(screen.getByLabelText('Nhập lại mã PIN'), { target: { value: again } });
  await fireEvent.click(screen.getByRole('button', { name: 'Đặt mã PIN' }));
}

async function captureWithContact(contact: ReturnType<typeof fakeContact>) {
  await fireEvent.click(screen.getByLabelText('Kích hoạt VNeID mức 1'));
  await fireEvent.change(screen.getByLabelText('Thôn/ấp'), { target: { value: 'h2' } });
  await fireEvent.click(screen.getByLabelText('Cần theo dõi tiếp'));
  await fireEvent.click(screen.getByLabelText('Người dân đã nghe thông báo và đồng ý'));
  await fireEvent.change(screen.getByLabelText('Cách đồng ý'), { target: { value: 'spoken' } });
  await fireEvent.input(screen.getByLabelText('Họ tên (để liên hệ lại)'), {
    target: { value: contact.name },
  });
  await fireEvent.input(screen.getByLabelText('Số điện thoại'), { target: { value: contact.phone } });
  await fireEvent.input(screen.getByLabelText('Mã hồ sơ'), { target: { value: contact.dossierCode } });
  await save();
  await screen.findByText('Đã lưu');
}

afterEach(() => {
  vi.useRealTimers();
});

describe('PIN set-up in the contact section', () => {
  it('asks for 4–8 digits typed twice, with Vietnamese field messages, then unlocks', async () => {
    const db = await loggedIn();
    renderCapture(db, { contactKey: await serverPublicKey(), vault: true });
    await openContactSection();
    await typePins('12', '12');
    expect(await screen.findByText('Mã PIN gồm 4 đến 8 chữ số.')).toBeTruthy();
    await typePins('4821', '4822');
    expect(await screen.findByText('Hai lần nhập mã PIN không khớp.')).toBeTruthy();
    expect(await vaultTables(db).vaultKey.count()).toBe(0);
    await typePins('482193', '482193');
    await waitFor(() => expect(screen.getByTestId('pin-gate').dataset.status).toBe('unlocked'));
    const row = await vaultTables(db).vaultKey.get('pin');
    expect(row?.userId).toBe(loginResponse().user.id);
    expect(row?.iterations).toBeGreaterThanOrEqual(600_000);
    expect(atob(row!.salt.replace(/-/g, '+').replace(/_/g, '/')).length).toBe(16);
  });
});

describe('the local copy', () => {
  it('round-trips through the real form, is shown only while unlocked, and nothing is in clear on the device', async () => {
    const db = await loggedIn();
    const contact = fakeContact();
    renderCapture(db, { contactKey: await serverPublicKey(), vault: true });
    await openContactSection();
    await typePins('7305', '7305');
    await waitFor(() => expect(screen.getByTestId('pin-gate').dataset.status).toBe('unlocked'));
    await captureWithContact(contact);

    const [record] = await db.records.toArray();
    const [outboxRow] = await db.outbox.toArray();
    expect(typeof record?.contact).toBe('string'); // the sealed-for-server copy, as before
    expect(outboxRow?.patch.contact).toBe(record?.contact);
    const vault = vaultFor(db);
    expect(await vault.read(record!.id)).toEqual(contact);
    const stored = await everythingStored(db);
    for (const value of Object.values(contact)) expect(stored).not.toContain(value);
    expect(stored).toContain(record!.id); // the search does see stored data

    // The record view: the contact while unlocked, the PIN prompt in its place once locked.
    render(PinContact, { props: { recordId: record!.id }, context: vaultContext(db) });
    expect(await screen.findByText(contact.name)).toBeTruthy();
    expect(screen.getByText(contact.phone).closest('a')?.getAttribute('href')).toBe(`tel:${contact.phone}`);
    vault.lock();
    await waitFor(() => expect(screen.queryByText(contact.name)).toBeNull());
    expect(screen.getByText('Liên hệ đang khoá')).toBeTruthy();
    expect(await vault.read(record!.id)).toBe('locked');
  });

  it('is not kept while locked, and the capture with a contact still saves and seals without a PIN', async () => {
    const db = await loggedIn();
    const vault = vaultFor(db);
    await vault.setup('9051', '9051');
    vault.lock();
    const contact = fakeContact();
    renderCapture(db, { contactKey: await serverPublicKey(), vault: true });
    await openContactSection();
    await screen.findByText('Liên hệ đang khoá');
    await captureWithContact(contact);
    const [record] = await db.records.toArray();
    expect(typeof record?.contact).toBe('string');
    expect(await vaultTables(db).vaultContacts.count()).toBe(0);
  });
});

describe('the record edit screen', () => {
  it('shows the local copy after the PIN, and nothing of it for a record without one', async () => {
    const db = await loggedIn();
    const withCopy = localRecord({ outcome: 'follow_up' });
    const without = localRecord({ outcome: 'follow_up' });
    await db.records.bulkPut([withCopy, without]);
    const contact = fakeContact();
    const vault = vaultFor(db);
    await vault.setup('5566', '5566');
    await vault.keep(withCopy.id, contact, false);
    vault.lock();

    // Both editors in the page, the one without a copy first: it asks first and hears first, so
    // once the other's view is shown, its own answer (no view) is in.
    for (const record of [without, withCopy])
      render(EditScreen, {
        props: { record, hamlets: HAMLETS, onDone: () => {} },
        context: recordsContext(db),
      });
    expect(await screen.findByText('Liên hệ đang khoá')).toBeTruthy();
    expect(screen.getAllByTestId('pin-contact')).toHaveLength(1);
    expect(screen.queryByText(contact.name)).toBeNull();
    await fireEvent.input(screen.getByLabelText('Mã PIN'), { target: { value: '5566' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Mở khoá' }));
    expect(await screen.findByText(contact.name)).toBeTruthy();
    expect(screen.getByText(contact.dossierCode)).toBeTruthy();
  });
});

describe('locking', () => {
  it('locks after LOCK_AFTER_MS without activity; activity starts the countdown again', async () => {
    const db = await loggedIn();
    const vault = new Vault(db);
    await vault.setup('2468', '2468');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    vault.touch();
    vi.advanceTimersByTime(LOCK_AFTER_MS - 1000);
    expect(vault.status).toBe('unlocked');
    vault.touch(); // a tap
    vi.advanceTimersByTime(LOCK_AFTER_MS - 1000);
    expect(vault.status).toBe('unlocked');
    vi.advanceTimersByTime(1000);
    expect(vault.status).toBe('locked');
    await vault.keep('r1', { name: 'X' }, false).then((kept) => expect(kept).toBe(false));
  });

  it('taps reset the countdown, and a page hidden longer than LOCK_AFTER_MS comes back locked', async () => {
    const db = await loggedIn();
    const vault = new Vault(db);
    await vault.setup('2468', '2468');
    let clock = 1_000_000;
    const stop = watchActivity(vault, window, () => clock);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    vault.touch();
    vi.advanceTimersByTime(LOCK_AFTER_MS - 1000);
    await fireEvent.pointerDown(document.body);
    vi.advanceTimersByTime(LOCK_AFTER_MS - 1000);
    expect(vault.status).toBe('unlocked');

    const visibility = vi.spyOn(document, 'visibilityState', 'get');
    visibility.mockReturnValue('hidden');
    document.dispatchEvent(new Event('visibilitychange'));
    clock += LOCK_AFTER_MS + 1;
    visibility.mockReturnValue('visible');
    document.dispatchEvent(new Event('visibilitychange'));
    expect(vault.status).toBe('locked');
    visibility.mockRestore();
    stop();
  });
});

describe('wrong PINs', () => {
  it('counts wrong PINs across restarts, a right PIN resets the count, the fifth wrong in a row wipes', async () => {
    const db = await loggedIn();
    const rec = localRecord({ outcome: 'follow_up' });
    await db.records.put(rec);
    const vault = new Vault(db);
    await vault.setup('1357', '1357');
    expect(await vault.keep(rec.id, fakeContact(), false)).toBe(true);
    vault.lock();

    for (let i = 1; i < MAX_PIN_TRIES; i++)
      expect(await vault.unlock('0000')).toEqual({ ok: false, wiped: false, triesLeft: MAX_PIN_TRIES - i });
    // A restart keeps the count.
    const again = new Vault(db);
    await again.load();
    expect(again.failures).toBe(MAX_PIN_TRIES - 1);
    expect(await again.unlock('1357')).toEqual({ ok: true });
    expect((await vaultTables(db).vaultKey.get('pin'))?.failures).toBe(0);
    again.lock();

    for (let i = 1; i < MAX_PIN_TRIES; i++) expect((await again.unlock('9999')).ok).toBe(false);
    expect(await again.unlock('9999')).toEqual({ ok: false, wiped: true });
    expect(await vaultTables(db).vaultKey.count()).toBe(0);
    expect(await vaultTables(db).vaultContacts.count()).toBe(0);
    expect(again.status).toBe('none');
    // The record itself stays (and still syncs).
    expect(await db.records.get(rec.id)).toBeTruthy();
  });

  it('says so in Vietnamese on the PIN prompt; "forgot PIN" wipes after a confirmation', async () => {
    const db = await loggedIn();
    const rec = localRecord({ outcome: 'follow_up' });
    await db.records.put(rec);
    const vault = vaultFor(db);
    await vault.setup('1357', '1357');
    await vault.keep(rec.id, fakeContact(), false);
    vault.lock();
    render(PinContact, { props: { recordId: rec.id }, context: vaultContext(db) });
    // A typo that cannot be a PIN is a field message and not one of the 5 tries.
    await fireEvent.input(await screen.findByLabelText('Mã PIN'), { target: { value: '12a' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Mở khoá' }));
    expect(await screen.findByText('Mã PIN gồm 4 đến 8 chữ số.')).toBeTruthy();
    expect((await vaultTables(db).vaultKey.get('pin'))?.failures).toBe(0);
    await fireEvent.input(screen.getByLabelText('Mã PIN'), { target: { value: '2222' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Mở khoá' }));
    expect(await screen.findByText(/Mã PIN sai\. Còn 4 lần thử/)).toBeTruthy();

    await fireEvent.click(screen.getByRole('button', { name: 'Quên mã PIN?' }));
    expect(await vaultTables(db).vaultKey.count()).toBe(1); // only after the confirmation
    await fireEvent.click(screen.getByRole('button', { name: 'Xoá liên hệ trên máy' }));
    expect(await screen.findByText(/Đã xoá mã PIN và mọi liên hệ lưu trên máy này/)).toBeTruthy();
    expect(await vaultTables(db).vaultContacts.count()).toBe(0);
    expect(await db.records.get(rec.id)).toBeTruthy();
  });
});

describe('retention on the device', () => {
  it(`purges a copy ${LOCAL_CONTACT_RETENTION_DAYS} days after the case closed, keeps open cases, drops orphans`, async () => {
    const db = await loggedIn();
    const closed = localRecord({ outcome: 'done' });
    const open = localRecord({ outcome: 'follow_up' });
    const reopened = localRecord({ outcome: 'done' });
    await db.records.bulkPut([closed, open, reopened]);
    const vault = new Vault(db);
    await vault.setup('8642', '8642');
    for (const r of [closed, open, reopened]) await vault.keep(r.id, fakeContact(), false);
    await vault.keep('gone-record', fakeContact(), false);

    const t0 = new Date('2026-01-10T08:00:00Z');
    expect(await purgeLocalContacts(db, t0)).toBe(1); // the orphan only; closing noted
    expect((await vaultTables(db).vaultContacts.get(closed.id))?.closedAt).toBe(t0.toISOString());
    await db.records.update(reopened.id, { outcome: 'follow_up' });
    await purgeLocalContacts(db, new Date(t0.getTime() + DAY));
    expect((await vaultTables(db).vaultContacts.get(reopened.id))?.closedAt).toBeUndefined();

    const justBefore = new Date(t0.getTime() + LOCAL_CONTACT_RETENTION_DAYS * DAY - 1000);
    expect(await purgeLocalContacts(db, justBefore)).toBe(0);
    const after = new Date(t0.getTime() + LOCAL_CONTACT_RETENTION_DAYS * DAY);
    expect(await purgeLocalContacts(db, after)).toBe(1);
    const left = (await vaultTables(db).vaultContacts.toArray()).map((r) => r.recordId).sort();
    expect(left).toEqual([open.id, reopened.id].sort());
    expect(await vault.read(open.id)).toBeTruthy();
    expect(await vault.read(reopened.id)).toBeTruthy(); // still opens after its closedAt changed twice
    expect(await db.records.count()).toBe(3);
  });
});

describe('logout, user switch, revocation', () => {
  function session(db: SotayDB) {
    return new SessionState({
      db,
      api: new ApiClient({ fetch: () => Promise.reject(new Error('offline')) }),
    });
  }

  it('logout removes the wrapped key, every copy, and the key in memory', async () => {
    const db = await loggedIn();
    const vault = vaultFor(db);
    await vault.setup('1122', '1122');
    const rec = localRecord({ syncState: 'synced', serverVersion: 1 });
    await db.records.put(rec);
    await vault.keep(rec.id, fakeContact(), false);
    const s = session(db);
    await s.load();
    expect(await s.logout()).toEqual({ ok: true });
    expect(await vaultTables(db).vaultKey.count()).toBe(0);
    expect(await vaultTables(db).vaultContacts.count()).toBe(0);
    expect(vault.status).toBe('none');
  });

  it('another account signing in clears the previous account’s vault; the same account keeps it', async () => {
    const db = await loggedIn();
    const vault = vaultFor(db);
    await vault.setup('1122', '1122');
    await clearVaultOfOthers(db, loginResponse().user.id);
    expect(await vaultTables(db).vaultKey.count()).toBe(1);
    await clearVaultOfOthers(db, 'someone-else');
    expect(await vaultTables(db).vaultKey.count()).toBe(0);
    expect(vault.status).toBe('none');
  });

  it('the revocation wipe drops the key in memory and the database with the vault', async () => {
    const db = await loggedIn();
    const vault = vaultFor(db);
    await vault.setup('1122', '1122');
    expect(vault.status).toBe('unlocked');
    await session(db).wipe('device_revoked');
    expect(vault.status).toBe('none');
    expect((await indexedDB.databases()).map((d) => d.name)).not.toContain(db.name);
  });
});
