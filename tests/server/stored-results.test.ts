// Stored push results (kept to answer a retried push) hold the answer, never the record's content:
// a `conflict` answer carries the record as it stands, but what is stored is only its status and
// version, so a data-subject erase leaves no note or review comment behind in them. Both stores.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SubjectResponse } from '../../src/shared/index.ts';
import { fakeIdNumber, sealedCitizen } from '../support/citizen-ids.ts';
import {
  SHIPPED_MIGRATIONS,
  STORE_KINDS,
  clientId,
  createOf,
  fakeRecord,
  migrationsUpTo,
  setupAll,
  startServer,
  testDatabase,
  updateOf,
  type PartialMigrations,
  type TestDatabase,
  type TestServer,
} from './harness.ts';

describe.each(STORE_KINDS)('stored push results on %s', (kind) => {
  let server: TestServer;
  let admin = '';
  let lead = '';
  let tnv = '';
  let contactKey: string | undefined;

  setupAll(async () => {
    server = await startServer({ db: await testDatabase(kind) });
    admin = (await server.login('demo-admin')).token;
    lead = (await server.login('demo-lead')).token;
    const login = await server.login('demo-tnv');
    tnv = login.token;
    contactKey = login.commune.contactKey;
  });

  afterAll(async () => {
    await server?.stop();
    await server?.db.drop();
  });

  /** Stored results whose JSON holds `text` (ASCII, so both stores print it as written). */
  const storedWith = (text: string): Promise<number> =>
    server.db.count(`mutation_results WHERE CAST(result AS TEXT) LIKE '%${text}%'`);

  it('keeps no record content in a stored conflict answer, answers a retry with the record as it now stands, and leaves nothing after an erase', async () => {
    const citizen = fakeIdNumber();
    const r = fakeRecord({ note: 'Chi Lan ban dau' });
    Object.assign(r, await sealedCitizen(contactKey, r.id, citizen));
    const created = await server.push(tnv, clientId(), [createOf(r, 1)]);
    expect(created.body.results[0]?.status).toBe('applied');
    const v1 = created.body.results[0]?.version ?? 0;

    const reviewed = await server.request(`/api/v1/records/${r.id}/review`, {
      token: lead,
      body: { state: 'has_issues', comment: 'Chi Lan o xom Bai can goi lai' },
    });
    expect(reviewed.status, reviewed.text).toBe(200);
    const byLead = await server.push(lead, clientId(), [
      updateOf(r.id, 1, v1, { note: 'Chi Lan to truong sua' }),
    ]);
    expect(byLead.body.results[0]?.status).toBe('applied');

    // The volunteer's stale edit of the same field loses: the answer shows the record as it stands.
    const phone = clientId();
    const stale = [updateOf(r.id, 1, v1, { note: 'Chi Lan tinh nguyen vien sua' })];
    const lost = await server.push(tnv, phone, stale);
    expect(lost.body.results[0]).toMatchObject({
      status: 'conflict',
      record: { id: r.id, note: 'Chi Lan to truong sua', reviewComment: 'Chi Lan o xom Bai can goi lai' },
    });
    expect(lost.body.results[0]?.record).not.toHaveProperty('citizenKey');
    expect(await storedWith('to truong sua')).toBe(0);
    expect(await storedWith('xom Bai')).toBe(0);

    // The answer was lost on the way: the retry hears conflict again, with the record as it is now.
    const again = await server.push(lead, clientId(), [
      updateOf(r.id, 1, byLead.body.results[0]?.version ?? 0, { note: 'Chi Lan sua lan hai' }),
    ]);
    expect(again.body.results[0]?.status).toBe('applied');
    const retried = await server.push(tnv, phone, stale);
    expect(retried.body.ackedSeq).toBe(1);
    expect(retried.body.results[0]).toMatchObject({
      status: 'conflict',
      version: again.body.results[0]?.version,
      record: { id: r.id, note: 'Chi Lan sua lan hai' },
    });
    expect(retried.body.results[0]?.record).not.toHaveProperty('citizenKey');

    const erase = await server.request<SubjectResponse>('/api/v1/privacy/subject-requests', {
      token: admin,
      body: { idNumber: citizen, action: 'erase' },
    });
    expect(erase.status, erase.text).toBe(200);
    expect(erase.body.erased).toBe(1);
    for (const text of ['Chi Lan', 'xom Bai']) expect(await storedWith(text)).toBe(0);
    // A retry after the erase still hears its own answer, without the erased content.
    const afterErase = await server.push(tnv, phone, stale);
    expect(afterErase.body.results[0]?.status).toBe('conflict');
    expect(JSON.stringify(afterErase.body)).not.toContain('Chi Lan');
  });
});

describe.each(STORE_KINDS)('stored push results from before migration 20261207-70 on %s', (kind) => {
  let migrations: PartialMigrations | undefined;
  let db: TestDatabase | undefined;
  let server: TestServer | undefined;
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
    migrations?.remove();
  });

  it('loses the record content an older server stored with a conflict answer, and still answers the retry', async () => {
    migrations = migrationsUpTo(kind, '20261207-70-');
    // Today's push writes the tally columns of a later migration and reads the group sessions'
    // table (a record may not take a session's id): they come first here.
    for (const later of ['20261208-02-payment-and-fail-reason.sql', '20261210-10-group-sessions.sql'])
      copyFileSync(join(SHIPPED_MIGRATIONS[kind], later), join(migrations.dir, later));
    db = await testDatabase(kind);
    server = await startServer({ db, tuning: { migrationsDir: migrations.dir } });
    const tnv = (await server.login('demo-tnv')).token;
    const r = fakeRecord({ note: 'Chi Mai nha canh cho' });
    const phone = clientId();
    const create = createOf(r, 1);
    const created = await server.push(tnv, phone, [create]);
    expect(created.body.results[0]?.status).toBe('applied');
    // As an older server stored a conflict answer: with the whole record in it.
    const legacy = {
      seq: 1,
      status: 'conflict',
      version: 1,
      record: { id: r.id, note: 'Chi Mai nha canh cho' },
    };
    await db.exec('UPDATE mutation_results SET result = $1 WHERE client_id = $2 AND seq = 1', [
      JSON.stringify(legacy),
      phone,
    ]);
    expect(await db.count(`mutation_results WHERE CAST(result AS TEXT) LIKE '%Chi Mai%'`)).toBe(1);
    await server.stop();

    migrations.addRest();
    server = await startServer({ db, demo: false, tuning: { migrationsDir: migrations.dir } });
    expect(await db.count(`mutation_results WHERE CAST(result AS TEXT) LIKE '%Chi Mai%'`)).toBe(0);
    expect(await db.count(`mutation_results WHERE CAST(result AS TEXT) LIKE '%conflict%'`)).toBe(1);
    const retried = await server.push((await server.login('demo-tnv')).token, phone, [create]);
    expect(retried.body.results[0]).toMatchObject({ status: 'conflict', record: { id: r.id } });
  });
});
