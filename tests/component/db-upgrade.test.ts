// Another tab opening a newer database version must not leave this tab dead: it lets the upgrade
// through (closes), then reopens on its next read or write. Also the v1 → v2, v2 → v3 and v6 → v7 steps.
import { Dexie } from 'dexie';
import { render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { PwaState } from '../../src/app/state/pwa.svelte.ts';
import UpdateBanner from '../../src/app/ui/UpdateBanner.svelte';
import { SotayDB, setVersionHandlers } from '../../src/app/db/database.ts';
import { myRecordsPage } from '../../src/app/db/records-repo.ts';
import { freshDb, localRecord, loggedInDb } from './support/db.ts';
import { USER } from './support/fake-server.ts';

describe('database versions', () => {
  it('lets another tab upgrade to a newer version, then reopens and keeps working', async () => {
    const db = await loggedInDb();
    await db.records.add(localRecord({ occurredOn: '2025-10-01' }));
    const changed = vi.fn();
    setVersionHandlers({ changed });

    const newer = new Dexie('sotay');
    newer.version(30).stores({
      records:
        'id, occurredOn, syncState, updatedAt, [own+occurredOn], [own+category+occurredOn], [own+outcome+occurredOn]',
      outbox: 'seq, recordId',
      meta: 'key',
      extra: 'id',
    });
    // Resolves only if this tab closed its connection (otherwise the upgrade stays blocked).
    await newer.open();
    expect(changed).toHaveBeenCalledTimes(1);
    newer.close();

    await db.records.add(localRecord({ occurredOn: '2025-10-02' }));
    expect(await db.records.count()).toBe(2);
    setVersionHandlers({});
  });

  it('upgrades a version 1 database: own records get the flag, teammates and deleted rows do not', async () => {
    const v1 = new Dexie('sotay');
    v1.version(1).stores({
      records: 'id, occurredOn, syncState, updatedAt',
      outbox: 'seq, recordId',
      meta: 'key',
    });
    await v1.table('meta').put({ key: 'session', value: { token: 't', user: USER, commune: {} } });
    const mine = localRecord({ occurredOn: '2025-10-01' });
    const pulledMine = localRecord({ occurredOn: '2025-10-02', volunteerId: USER.id, syncState: 'synced' });
    const theirs = localRecord({
      occurredOn: '2025-10-03',
      volunteerId: 'someone-else',
      syncState: 'synced',
    });
    const gone = localRecord({ occurredOn: '2025-10-04', deleted: true });
    await v1.table('records').bulkAdd([mine, pulledMine, theirs, gone]);
    v1.close();

    const db = freshDb();
    const rows = await myRecordsPage(db, { limit: 50 });
    expect(rows.map((r) => r.id)).toEqual([pulledMine.id, mine.id]);
    expect(db).toBeInstanceOf(SotayDB);
    // v1 → v2 → v3 in one open: the counters see the flags the v2 step set.
    expect((await db.counters.toArray()).map((c) => [c.day, c.n])).toEqual([
      ['2025-10-01', 1],
      ['2025-10-02', 1],
    ]);
  });

  it('upgrades a version 2 database: the v3 counters hold the own records per day, category and outcome', async () => {
    const v2 = new Dexie('sotay');
    v2.version(2).stores({
      records:
        'id, occurredOn, syncState, updatedAt, [own+occurredOn], [own+category+occurredOn], [own+outcome+occurredOn]',
      outbox: 'seq, recordId',
      meta: 'key',
    });
    await v2.table('meta').put({ key: 'session', value: { token: 't', user: USER, commune: {} } });
    const days = ['2025-10-01', '2025-10-01', '2025-10-02', '2025-10-02', '2025-10-02'];
    const own = days.map((occurredOn, i) =>
      localRecord({ occurredOn, outcome: i === 4 ? 'referred' : 'done', own: 1 }),
    );
    const theirs = localRecord({
      occurredOn: '2025-10-01',
      volunteerId: 'someone-else',
      syncState: 'synced',
    });
    const gone = localRecord({ occurredOn: '2025-10-01', deleted: true });
    await v2.table('records').bulkAdd([...own, theirs, gone]);
    v2.close();

    const db = freshDb();
    const counters = await db.counters.toArray();
    const expected = new Map<string, number>();
    for (const r of own) {
      const k = `${r.occurredOn}|${r.category}|${r.outcome}`;
      expected.set(k, (expected.get(k) ?? 0) + 1);
    }
    expect(Object.fromEntries(counters.map((c) => [`${c.day}|${c.category}|${c.outcome}`, c.n]))).toEqual(
      Object.fromEntries(expected),
    );
    // And from then on they follow writes.
    await db.records.delete(own[0]!.id);
    expect((await db.counters.get(['2025-10-01', own[0]!.category, 'done']))?.n).toBe(1);
  });

  it('upgrades a version 6 database: the server key and the commune secret leave the phone, a waiting create still goes', async () => {
    const v6 = new Dexie('sotay');
    v6.version(6).stores({
      records:
        'id, occurredOn, syncState, updatedAt, [own+occurredOn], [own+category+occurredOn], [own+outcome+occurredOn]',
      outbox: 'seq, recordId',
      meta: 'key',
      counters: '[day+category+outcome]',
    });
    const secret = 'ab'.repeat(32);
    const key = 'cd'.repeat(32);
    await v6.table('meta').put({
      key: 'session',
      value: {
        token: 't',
        user: USER,
        commune: { code: '00001', name: 'x', hamlets: [], citizenSecret: secret },
      },
    });
    const synced = localRecord({ occurredOn: '2025-10-01', syncState: 'synced', serverVersion: 4 });
    const waiting = localRecord({ occurredOn: '2025-10-02' });
    await v6.table('records').bulkAdd([
      { ...synced, citizenKey: key },
      { ...waiting, citizenKey: key },
    ]);
    await v6.table('outbox').add({
      seq: 1,
      mutationId: '01a22118-3cda-7161-8c76-1b88de04ecd8',
      recordId: waiting.id,
      op: 'upsert',
      baseVersion: 0,
      patch: { ...waiting, citizenKey: key },
      createdAt: new Date().toISOString(),
    });
    v6.close();

    const db = freshDb();
    const [row] = await db.outbox.toArray();
    expect(row?.patch).not.toHaveProperty('citizenKey');
    expect(row?.patch).toMatchObject({ id: waiting.id, occurredOn: '2025-10-02' });
    const everything = JSON.stringify(await Promise.all(db.tables.map((t) => t.toArray())));
    expect(everything).not.toContain(key);
    expect(everything).not.toContain(secret);
    expect(await db.records.count()).toBe(2);
  });

  it('says to close the other tab while an older tab blocks the upgrade, and clears it once open', async () => {
    const old = new Dexie('sotay');
    old
      .version(1)
      .stores({ records: 'id, occurredOn, syncState, updatedAt', outbox: 'seq, recordId', meta: 'key' });
    await old.open();
    // An old tab that ignores versionchange keeps its connection open.
    old.on('versionchange', () => false);
    const pwa = new PwaState();
    setVersionHandlers({ blocked: () => pwa.setBlocked(true), opened: () => pwa.setBlocked(false) });
    render(UpdateBanner, { props: { pwa } });

    const db = freshDb();
    const opening = db.open();
    expect(
      await screen.findByText('Hãy đóng các thẻ khác đang mở Sổ tay Tổ CNS để hoàn tất cập nhật.'),
    ).toBeTruthy();

    old.close();
    await opening;
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    setVersionHandlers({});
  });
});
