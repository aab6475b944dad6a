// Progress of a target in its own scope (docs/reporting.md, "Targets"): a commune-wide target counts
// the commune, a team's target that team, a hamlet's target that hamlet, whoever reads it, with the
// counted definition (records refused in review are out).
import { formatProgressVi, isSessionTarget, percentOf, type TargetProgress } from '../../shared/index.ts';
import type { ReportFilter, Store, TargetRow } from '../store/store.ts';
import { sessionTargetProgress } from './sessions.ts';

/** The filter whose total is the target's `achieved`. */
export function targetFilter(t: TargetRow): ReportFilter {
  return {
    scope: t.teamId ? { kind: 'team', teamId: t.teamId } : { kind: 'commune', communeCode: t.communeCode },
    communeCode: t.communeCode,
    from: t.period.from,
    to: t.period.to,
    category: t.category,
    outcome: t.outcome ?? undefined,
    hamlet: t.hamletId ?? undefined,
  };
}

/** A stored target with its progress (achieved, percent, "320/800, đạt 40,00 %"). */
export async function targetProgress(store: Store, t: TargetRow): Promise<TargetProgress> {
  // A target on group sessions counts sessions or attendees, never records.
  if (isSessionTarget(t.category)) return sessionTargetProgress(store, t);
  const { communeCode: _commune, ...target } = t;
  const { total } = await store.tally({ ...targetFilter(t), groupBy: [] });
  return {
    ...target,
    achieved: total.count,
    percent: percentOf(total.count, t.target),
    text: formatProgressVi(total.count, t.target),
  };
}
