// The commune's targets (docs/reporting.md); both stores implement them in targets/sqlite.ts and
// targets/postgres.ts.
import type { Target } from '../../../shared/index.ts';

export interface TargetRow extends Target {
  communeCode: string;
}

export interface TargetsTx {
  /** Insert or replace (same commune, period, category, outcome, hamlet, team) a target; returns it. */
  putTarget(t: TargetRow, by: string, at: string): Promise<TargetRow>;
}
