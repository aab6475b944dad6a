// Migration 20261208-02-payment-and-fail-reason: whether a service was paid online and why a record
// failed become tally columns, filled from the data of the records already stored (a value of the
// wrong type is none), and the covering index gains them.
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, insertRecord, withStage } from './support.ts';

const NAME = '20261208-02-payment-and-fail-reason.sql';

describe.each(STORE_KINDS)(`${NAME} on %s`, (kind) => {
  it('fills the two columns from stored data and indexes them', async () => {
    await withStage(kind, NAME, async (s) => {
      const base = { occurredOn: '2026-04-02', hamletId: 'thon-dong', category: 'online_filing' };
      const rows: [string, Record<string, unknown>][] = [
        ['r1', { ...base, outcome: 'done', paidOnline: true }],
        ['r2', { ...base, outcome: 'done', paidOnline: false }],
        ['r3', { ...base, outcome: 'done' }],
        ['r4', { ...base, outcome: 'failed', failReason: 'no_signal' }],
        ['r5', { ...base, outcome: 'failed', failReason: 42, paidOnline: 'yes' }],
      ];
      for (const [id, data] of rows) await insertRecord(s, { id, data });

      expect(await s.apply()).toEqual([NAME]);

      expect(await s.query('SELECT id, paid_online, fail_reason FROM records ORDER BY id')).toEqual([
        { id: 'r1', paid_online: s.bool(true), fail_reason: null },
        { id: 'r2', paid_online: s.bool(false), fail_reason: null },
        { id: 'r3', paid_online: null, fail_reason: null },
        { id: 'r4', paid_online: null, fail_reason: 'no_signal' },
        { id: 'r5', paid_online: null, fail_reason: null },
      ]);
      const [index] = await s.query<{ sql: string }>(
        kind === 'sqlite'
          ? `SELECT sql FROM sqlite_master WHERE name = 'records_tally_commune'`
          : `SELECT indexdef AS sql FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'records_tally_commune'`,
      );
      expect(index?.sql).toMatch(/paid_online, fail_reason\)/);
    });
  });
});
