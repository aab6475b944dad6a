// The commune's targets (targets/types.ts, docs/reporting.md) on one PostgreSQL connection.
import type { TargetRow, TargetsTx } from './types.ts';
import { PgPart } from '../postgres/conn.ts';

export class PgTargetsTx extends PgPart implements TargetsTx {
  async putTarget(t: TargetRow, by: string, at: string): Promise<TargetRow> {
    const [r] = await this.rows<{ id: string }>(
      `INSERT INTO targets (id, commune_code, period_from, period_to, category, outcome, hamlet_id, team_id,
         target, label, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (commune_code, period_from, period_to, category, outcome, hamlet_id, team_id)
       DO UPDATE SET target = EXCLUDED.target, label = EXCLUDED.label, updated_by = EXCLUDED.updated_by,
         updated_at = EXCLUDED.updated_at
       RETURNING id`,
      [
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
      ],
    );
    return { ...t, id: r?.id ?? t.id };
  }
}
