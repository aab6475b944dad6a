// Migration 20261128-05-audit-log: the audit log table, with only what every entry must have
// required, and its three indexes.
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, withStage } from './support.ts';

const NAME = '20261128-05-audit-log.sql';

describe.each(STORE_KINDS)(`${NAME} on %s`, (kind) => {
  it('creates the audit log with its indexes and optional fields', async () => {
    await withStage(kind, NAME, async (s) => {
      expect(await s.tables()).not.toContain('audit_log');
      expect(await s.apply()).toEqual([NAME]);
      const cols = await s.columns('audit_log');
      expect(cols.filter((c) => !c.nullable).map((c) => c.name)).toEqual(['id', 'at', 'action', 'status']);
      expect(await s.indexes('audit_log')).toEqual(
        expect.arrayContaining(['audit_log_action', 'audit_log_commune', 'audit_log_user']),
      );
      await s.run(
        `INSERT INTO audit_log (id, at, action, status) VALUES ('a1', '2026-04-01T00:00:00.000Z', 'login', 200)`,
      );
      await s.run(
        `INSERT INTO audit_log (id, at, commune_code, user_id, action, target, detail, status)
         VALUES ('a2', '2026-04-01T00:00:01.000Z', '99001', 'u1', 'record.view', 'r1', $1, 200)`,
        [JSON.stringify({ fields: 2 })],
      );
      expect(await s.query(`SELECT id, commune_code, detail FROM audit_log ORDER BY id`)).toEqual([
        { id: 'a1', commune_code: null, detail: null },
        { id: 'a2', commune_code: '99001', detail: kind === 'postgres' ? { fields: 2 } : '{"fields":2}' },
      ]);
      await expect(
        s.run(`INSERT INTO audit_log (id, at, action) VALUES ('a3', 'x', 'login')`),
      ).rejects.toThrow();
    });
  });
});
