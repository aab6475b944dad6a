// What the reporting routes share: the caller's report scope and the checks of a period and a
// group-by list, so every reporting resource reads its query the same way (docs/reporting.md).
import type * as z from 'zod/mini';
import { TALLY_MAX_GROUPS } from '../../shared/index.ts';
import type { PullScope, UserRow } from '../store/store.ts';
import { pullScope } from '../sync/scope.ts';
import { badField } from './parse.ts';

export const REVIEWERS = ['lead', 'supervisor', 'admin'] as const;

/** What a caller's reports cover: a volunteer their own records, a lead the team, others the commune. */
export function reportScope(user: UserRow): PullScope {
  const s = pullScope(user);
  return s.kind === 'volunteer' ? { kind: 'volunteer', userId: user.id, teamId: null } : s;
}

export function checkPeriod(from: string, to: string): void {
  if (from > to) throw badField('to', 'before_from', 'Ngày kết thúc phải sau ngày bắt đầu.');
}

/** A comma-separated `groupBy`: each a known dimension, none twice, at most TALLY_MAX_GROUPS. */
export function parseGroupBy<D extends string>(dimension: z.ZodMiniType<D>, raw: string | undefined): D[] {
  if (raw === undefined || raw === '') return [];
  const out: D[] = [];
  for (const p of raw.split(',').map((x) => x.trim())) {
    const d = dimension.safeParse(p);
    if (!d.success) throw badField('groupBy', 'invalid', `Không nhóm được theo "${p}".`);
    if (out.includes(d.data)) throw badField('groupBy', 'duplicate', `"${p}" được nêu hai lần.`);
    out.push(d.data);
  }
  if (out.length > TALLY_MAX_GROUPS)
    throw badField('groupBy', 'too_many', `Chỉ nhóm được theo tối đa ${TALLY_MAX_GROUPS} tiêu chí.`);
  return out;
}
