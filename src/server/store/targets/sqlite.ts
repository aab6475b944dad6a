// The commune's targets (targets/types.ts, docs/reporting.md) on one better-sqlite3 connection.
import type { TargetRow, TargetsTx } from './types.ts';
import type { Statements } from '../sqlite/statements.ts';

export class SqliteTargetsTx implements TargetsTx {
  constructor(protected readonly sql: Statements) {}

  async putTarget(t: TargetRow, by: string, at: string): Promise<TargetRow> {
    this.sql
      .get(
        `INSERT INTO targets (id, commune_code, period_from, period_to, category, outcome, hamlet_id, team_id,
           target, label, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (commune_code, period_from, period_to, category, outcome, hamlet_id, team_id)
         DO UPDATE SET target = excluded.target, label = excluded.label, updated_by = excluded.updated_by,
           updated_at = excluded.updated_at`,
      )
      .run(
        t.id,
        t.communeCode,
        t.period.from,
        t.period.to,
        t.category,
        t.outcome ?? '',
        t.hamletId ?? '',
        t.teamId ?? '',
        t.target,
        t.label,
        by,
        at,
      );
    const r = this.sql
      .get(
        `SELECT id FROM targets WHERE commune_code = ? AND period_from = ? AND period_to = ? AND category = ?
         AND outcome = ? AND hamlet_id = ? AND team_id = ?`,
      )
      .get(
        t.communeCode,
        t.period.from,
        t.period.to,
        t.category,
        t.outcome ?? '',
        t.hamletId ?? '',
        t.teamId ?? '',
      ) as {
      id: string;
    };
    return { ...t, id: r.id };
  }
}
