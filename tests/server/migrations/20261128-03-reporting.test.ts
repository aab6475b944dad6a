// Migration 20261128-03-reporting: the tally fields of `records` as columns, backfilled from the data
// of the records already stored (citizen number included), review state, targets, reviews and
// device reports.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SQLITE_FILE_NAME } from '../../../src/server/store/open.ts';
import { STORE_KINDS, columnNames, insertRecord, withStage } from './support.ts';

const NAME = '20261128-03-reporting.sql';

describe.each(STORE_KINDS)(`${NAME} on %s`, (kind) => {
  it('backfills the tally columns of existing records from their data, citizen number included', async () => {
    await withStage(kind, NAME, async (s) => {
      const key = `0123456789abcdef${'a'.repeat(48)}`;
      const common = { commune: '99009', team: 't1', volunteer: 'u1' };
      await insertRecord(s, {
        id: 'r1',
        ...common,
        data: {
          occurredOn: '2026-01-05',
          hamletId: 'thon-dong',
          category: 'online_filing',
          outcome: 'submitted',
          serviceCode: 'CA-03',
          citizenKey: key,
        },
      });
      await insertRecord(s, {
        id: 'r2',
        ...common,
        data: { occurredOn: '2026-01-06', hamletId: 'thon-tay', category: 'other', outcome: 'done' },
      });

      expect(await s.apply()).toEqual([NAME]);

      expect(
        await s.query(
          `SELECT id, occurred_on, hamlet_id, category, outcome, service_code, review_state FROM records ORDER BY id`,
        ),
      ).toEqual([
        {
          id: 'r1',
          occurred_on: '2026-01-05',
          hamlet_id: 'thon-dong',
          category: 'online_filing',
          outcome: 'submitted',
          service_code: 'CA-03',
          review_state: null,
        },
        {
          id: 'r2',
          occurred_on: '2026-01-06',
          hamlet_id: 'thon-tay',
          category: 'other',
          outcome: 'done',
          service_code: null,
          review_state: null,
        },
      ]);
      // The citizen number is the key's first 60 bits, read exactly (not as a float).
      if (kind === 'sqlite') {
        const raw = new Database(join(s.db.name, SQLITE_FILE_NAME), { readonly: true });
        try {
          raw.defaultSafeIntegers(true);
          expect(raw.prepare('SELECT id, citizen_no FROM records ORDER BY id').all()).toEqual([
            { id: 'r1', citizen_no: BigInt('0x0123456789abcde') },
            { id: 'r2', citizen_no: null },
          ]);
        } finally {
          raw.close();
        }
      } else
        expect(await s.query('SELECT id, citizen_no FROM records ORDER BY id')).toEqual([
          { id: 'r1', citizen_no: BigInt('0x0123456789abcde').toString() },
          { id: 'r2', citizen_no: null },
        ]);

      expect(await s.indexes('records')).toContain('records_tally_commune');
      for (const t of ['record_reviews', 'targets', 'device_reports']) expect(await s.tables()).toContain(t);
      expect(await s.indexes('clients')).toContain('clients_user');
      expect(await columnNames(s, 'records')).toContain('review_comment');
      // A target names no outcome or hamlet by default; a target of 0 is refused.
      await s.run(`INSERT INTO communes VALUES ('99009', 'Xã Thử')`);
      const target = `INSERT INTO targets (id, commune_code, period_from, period_to, category, target, updated_by,
        updated_at) VALUES ($1, '99009', '2026-01-01', '2026-03-31', 'online_filing', $2, 'u1', '2026-01-01T00:00:00Z')`;
      await s.run(target, ['t1', 10]);
      expect(await s.query('SELECT outcome, hamlet_id FROM targets')).toEqual([
        { outcome: '', hamlet_id: '' },
      ]);
      await expect(s.run(target, ['t2', 0])).rejects.toThrow();
    });
  });
});
