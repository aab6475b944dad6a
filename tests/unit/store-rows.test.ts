import { describe, expect, it } from 'vitest';
import { isTrue, readObject, toRecord } from '../../src/server/store/rows.ts';
import { toDeviceReport } from '../../src/server/store/reporting/rows.ts';
import { toTarget } from '../../src/server/store/targets/rows.ts';

const cells = {
  id: 'r1',
  commune_code: '00001',
  team_id: 't1',
  volunteer_id: 'u1',
  version: 3,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-02T00:00:00.000Z',
};

describe('one row mapping for both dialects', () => {
  it('reads a record alike from SQLite text and PostgreSQL parsed cells', () => {
    const fromSqlite = toRecord({ ...cells, deleted: 0, data: '{"a":1}', field_meta: '{}' });
    const fromPg = toRecord({ ...cells, deleted: false, data: { a: 1 }, field_meta: {} });
    expect(fromSqlite).toEqual(fromPg);
    expect(fromSqlite.data).toEqual({ a: 1 });
    expect(toRecord({ ...cells, deleted: 1, data: '{}', field_meta: '{}' }).deleted).toBe(true);
    expect(toRecord({ ...cells, deleted: true, data: {}, field_meta: {} }).deleted).toBe(true);
  });

  it('reads damaged or non-object JSON as empty instead of throwing', () => {
    expect(readObject('{not json')).toEqual({});
    expect(readObject('[1,2]')).toEqual({});
    expect(readObject([1, 2])).toEqual({});
    expect(readObject(null)).toEqual({});
    expect(isTrue(0)).toBe(false);
    expect(isTrue(false)).toBe(false);
  });

  it('reads a device report’s counts from text or parsed JSON, anything else as none', () => {
    const base = { client_id: 'c', user_id: 'u', pending: 2, device_at: 'x', received_at: 'y' };
    const counts = [{ from: '2026-01-01', to: '2026-01-31', count: 4 }];
    expect(toDeviceReport({ ...base, period_counts: JSON.stringify(counts) }).periodCounts).toEqual(counts);
    expect(toDeviceReport({ ...base, period_counts: counts }).periodCounts).toEqual(counts);
    expect(toDeviceReport({ ...base, period_counts: '{broken' }).periodCounts).toEqual([]);
  });

  it('reads a target’s empty key columns back as null', () => {
    const t = toTarget({
      id: 'g',
      commune_code: '00001',
      period_from: '2026-01-01',
      period_to: '2026-12-31',
      category: 'vneid',
      outcome: '',
      hamlet_id: 'h1',
      team_id: '',
      target: 10,
      label: null,
    });
    expect(t).toMatchObject({ outcome: null, hamletId: 'h1', teamId: null, period: { from: '2026-01-01' } });
  });
});
