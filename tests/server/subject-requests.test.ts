// Data-subject requests on both stores: an admin finds, exports and erases a citizen's records by ID
// number; the number is hashed with the commune secret from the key file (the same key a sealed create
// got), never logged, never stored; erasure is a tombstone every device pulls, with contact and keys scrubbed. Last, the
// SQLite file and its WAL are searched for every ID number these tests typed: none is there.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CATEGORIES,
  CATEGORY_CODES,
  CURRENT_CONSENT_NOTICE,
  OUTCOME_CODES,
  formatDayVi,
  labelOf,
  type Category,
  sealContact,
  type LogRecord,
  type LoginResponse,
  type Mutation,
  type PullResponse,
  type PushResponse,
  type SubjectResponse,
} from '../../src/shared/index.ts';
import { buildApp } from '../../src/server/app.ts';
import { seedDemo } from '../../src/server/demo.ts';
import { citizenKeyOf } from '../../src/server/privacy/citizen-secret.ts';
import { ephemeralKeys, type ServerKeys } from '../../src/server/privacy/keys.ts';
import type { Store } from '../../src/server/store/store.ts';
import { GENERATED_ID_NUMBERS, fakeIdNumber, sealedCitizen } from '../support/citizen-ids.ts';
import { parseCsv } from '../support/csv.ts';
import {
  STORE_KINDS,
  clientId,
  createOf,
  fakeRecord,
  requestAt,
  setupAll,
  testDatabase,
  updateOf,
  type TestDatabase,
} from './harness.ts';

const consent = {
  consentGiven: true,
  consentMethod: 'spoken',
  consentNotice: CURRENT_CONSENT_NOTICE,
  consentAt: '2025-10-15T08:00:00.000+07:00',
} as const;
const CONTACT = { name: 'Người Thử Nghiệm Ba', phone: '0900000789' };

describe.each(STORE_KINDS)('data-subject requests on %s', (kind) => {
  let db: TestDatabase;
  let store: Store;
  let app: FastifyInstance;
  let url = '';
  const tokens: Record<string, string> = {};
  let keys: ServerKeys;
  let secret: Buffer = Buffer.alloc(0);
  let contactKey = '';
  const seals: string[] = [];
  const logs: string[] = [];
  const citizen = fakeIdNumber();
  const other = fakeIdNumber();

  const login = async (username: string) => {
    const res = await requestAt<LoginResponse>(url, '/api/v1/auth/login', {
      body: { username, password: 'demo' },
    });
    return res.body;
  };
  const push = (mutations: Mutation[]) =>
    requestAt<PushResponse>(url, '/api/v1/sync/push', {
      token: tokens.tnv,
      body: { clientId: clientId(), schemaVersion: 1, mutations },
    });
  const ask = <T = SubjectResponse>(token: string | undefined, body: unknown) =>
    requestAt<T>(url, '/api/v1/privacy/subject-requests', { token, body });

  setupAll(async () => {
    db = await testDatabase(kind);
    store = db.open();
    await store.migrate();
    await seedDemo(store);
    keys = await ephemeralKeys();
    secret = keys.citizen.secretOf('99001');
    app = await buildApp({
      store,
      keys,
      staticDir: null,
      logger: { level: 'trace', stream: { write: (line: string) => void logs.push(line) } },
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    url = `http://127.0.0.1:${address.port}`;
    for (const [role, username] of Object.entries({
      tnv: 'demo-tnv',
      lead: 'demo-lead',
      gs: 'demo-gs',
      admin: 'demo-admin',
    })) {
      const l = await login(username);
      tokens[role] = l.token;
      contactKey = l.commune.contactKey ?? '';
    }
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    await db?.drop();
  });

  const linked: string[] = [];
  let unrelated = '';
  let cursorBefore = '';

  /** A create with the ID number typed and sealed as the phone does. */
  const sealedRecord = async (idNumber: string, overrides: Partial<LogRecord> = {}): Promise<LogRecord> => {
    const r = fakeRecord({ ...consent, ...overrides });
    const { citizenSeal } = await sealedCitizen(contactKey, r.id, idNumber);
    seals.push(citizenSeal);
    return { ...r, citizenSeal };
  };

  it('finds every record linked to the citizen, for an admin only', async () => {
    const a = await sealedRecord(citizen, { outcome: 'follow_up' });
    const b = await sealedRecord(citizen);
    const c = await sealedRecord(other);
    linked.push(a.id, b.id);
    unrelated = c.id;
    const res = await push([
      createOf({ ...a, contact: await sealContact(contactKey, a.id, CONTACT) }, 1),
      createOf(b, 2),
      createOf(c, 3),
    ]);
    expect(res.body.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    // The request hashes the number exactly as the create's seal was keyed.
    expect((await store.getRecord(a.id))?.data.citizenKey).toBe(citizenKeyOf(secret, citizen));
    // An edit, so the key also sits in history entries.
    await push([updateOf(b.id, 1, res.body.results[1]!.version!, { note: 'đã gọi lại' })]);
    const pulled = await requestAt<PullResponse>(url, '/api/v1/sync/pull', {
      token: tokens.tnv,
      body: { clientId: clientId(), cursor: null },
    });
    cursorBefore = pulled.body.cursor;

    const found = await ask(tokens.admin, { idNumber: citizen, action: 'find' });
    expect(found.status).toBe(200);
    expect(found.body.records.map((r) => r.id).sort()).toEqual([...linked].sort());
    for (const role of ['tnv', 'lead', 'gs'])
      expect((await ask(tokens[role], { idNumber: citizen, action: 'find' })).status).toBe(403);
    expect((await ask(undefined, { idNumber: citizen, action: 'find' })).status).toBe(401);
  });

  it('answers a bad number or body with 400 and a code, never a 500', async () => {
    for (const body of [
      { idNumber: '12345', action: 'find' },
      { idNumber: `003${citizen.slice(3)}`, action: 'find' },
      { idNumber: citizen, action: 'burn' },
      { idNumber: citizen, action: 'find', extra: 1 },
      { idNumber: 123456789012, action: 'find' },
      'not json',
    ]) {
      const res = await ask<{ error: { code: string } }>(tokens.admin, body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toMatch(/^invalid_/);
    }
  });

  it('exports the records with their contact, as JSON and as CSV', async () => {
    const json = await ask(tokens.admin, { idNumber: citizen, action: 'export' });
    const withContact = json.body.records.find((r) => r.id === linked[0]);
    expect(withContact?.contact).toEqual(CONTACT);
    const csv = await ask<string>(tokens.admin, { idNumber: citizen, action: 'export', format: 'csv' });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    // fetch's text() drops the BOM the server sends first (for Excel); the header follows it.
    const [headers = [], ...rows] = parseCsv(csv.text);
    expect(rows).toHaveLength(2);
    // Exactly one column holds the record id, and it is the first.
    expect(headers[0]).toBe('Mã bản ghi');
    expect(headers.filter((h) => /^(id|Mã bản ghi)$/i.test(h))).toHaveLength(1);
    for (const row of rows) expect(row.filter((c) => linked.includes(c))).toEqual([row[0]]);
    const col = (h: string): number => headers.indexOf(h);
    const a = rows.find((r) => r[0] === linked[0]) ?? [];
    const stored = await store.getRecord(linked[0] ?? '');
    expect(a[col('Ngày hỗ trợ')]).toBe(formatDayVi(String(stored?.data.occurredOn)));
    expect(a[col('Ngày hỗ trợ')]).toMatch(/^\d\d\/\d\d\/\d{4}$/);
    expect(a[col('Kết quả')]).toBe('Cần theo dõi tiếp');
    expect(a[col('Loại hỗ trợ')]).toBe(labelOf(CATEGORIES, stored?.data.category as Category));
    expect(a[col('Thôn/ấp')]).toMatch(/^Thôn /);
    expect(a[col('Nơi hỗ trợ')]).toBe('Nhà văn hóa thôn');
    expect(a[col('Nhóm tuổi')]).toBe('Từ 60 tuổi');
    expect(a[col('Đồng ý cho ghi thông tin')]).toBe('Có');
    expect(a[col('Cách đồng ý')]).toBe('Đồng ý bằng lời (đã đọc thông báo)');
    expect(a[col('Thời điểm đồng ý')]).toBe('15/10/2025 08:00');
    expect(a[col('Tình nguyện viên')]).toBe('Nguyễn Văn An (demo)');
    expect(a[col('Tình trạng')]).toBe('Đang lưu');
    expect(a[col('Số điện thoại liên hệ')]).toBe(CONTACT.phone);
    expect(a[col('Họ tên liên hệ')]).toBe(CONTACT.name);
    const codes = [...CATEGORY_CODES, ...OUTCOME_CODES, 'hamlet_hall', '60_plus', 'spoken', 'true', 'false'];
    for (const row of rows) for (const c of row) expect(codes).not.toContain(c);
    for (const h of headers) expect(h).not.toMatch(/^[a-z]+[A-Z]?[a-zA-Z]*$/);
  });

  it('erases them: tombstones every device pulls, contact gone, keys scrubbed from history', async () => {
    const res = await ask(tokens.admin, { idNumber: citizen, action: 'erase' });
    expect(res.status).toBe(200);
    expect(res.body.erased).toBe(2);
    const pulled = await requestAt<PullResponse>(url, '/api/v1/sync/pull', {
      token: tokens.tnv,
      body: { clientId: clientId(), cursor: cursorBefore },
    });
    const changes = pulled.body.changes.filter((ch) => linked.includes(ch.id));
    expect(changes.map((ch) => ch.deleted)).toEqual([true, true]);
    const key = citizenKeyOf(secret, citizen);
    for (const id of linked) {
      expect(await store.transaction((tx) => tx.getContact(id))).toBeNull();
      expect(JSON.stringify(await store.recordHistory(id))).not.toContain(key);
    }
    expect((await store.getRecord(unrelated))?.deleted).toBe(false);
    expect((await ask(tokens.admin, { idNumber: citizen, action: 'find' })).body.records).toEqual([]);
  });

  it('never wrote the ID number into a log line', () => {
    expect(logs.length).toBeGreaterThan(5);
    for (const n of GENERATED_ID_NUMBERS) expect(logs.join('\n')).not.toContain(n);
    expect(seals.length).toBeGreaterThan(2);
    for (const seal of seals) expect(logs.join('\n')).not.toContain(seal);
  });

  if (kind === 'sqlite')
    it('leaves no ID number typed in these tests in the SQLite file or its WAL', async () => {
      const files = readdirSync(db.name).filter((f) => f.startsWith('sotay.sqlite'));
      expect(files).toContain('sotay.sqlite');
      const bytes = files.map((f) => readFileSync(join(db.name, f)).toString('latin1')).join('\n');
      // The search can see stored data: the unrelated citizen's key is in there.
      expect(bytes).toContain(citizenKeyOf(secret, other));
      expect(GENERATED_ID_NUMBERS.length).toBeGreaterThan(1);
      for (const n of GENERATED_ID_NUMBERS) expect(bytes).not.toContain(n);
      for (const seal of seals) expect(bytes).not.toContain(seal);
    });
});
