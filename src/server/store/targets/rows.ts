// The targets table's columns and their one mapping to TargetRow, for both dialects. An empty
// outcome, hamlet or team is stored as '' so the unique key holds; it reads back as null.
import type { TargetRow } from './types.ts';

export interface TargetCells {
  id: string;
  commune_code: string;
  period_from: string;
  period_to: string;
  category: string;
  outcome: string;
  hamlet_id: string;
  team_id: string;
  target: number;
  label: string | null;
}

export const TARGET_COLUMNS =
  'id, commune_code, period_from, period_to, category, outcome, hamlet_id, team_id, target, label';

/** listTargets' order: by period, then the key's other columns. */
export const TARGET_ORDER = 'period_from, period_to, category, outcome, hamlet_id, team_id';

export function toTarget(r: TargetCells): TargetRow {
  return {
    id: r.id,
    communeCode: r.commune_code,
    period: { from: r.period_from, to: r.period_to },
    category: r.category,
    outcome: r.outcome === '' ? null : r.outcome,
    hamletId: r.hamlet_id === '' ? null : r.hamlet_id,
    teamId: r.team_id === '' ? null : r.team_id,
    target: r.target,
    label: r.label,
  };
}
