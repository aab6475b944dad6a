// The hosting province's read-only tally (docs/operations.md, "A province on one PostgreSQL"): counts
// by commune × category (× outcome, × month) over a period, across every commune of the deployment.
// Only a province reader's token passes (provinceAccess); it reads `daily_rollup` and never a
// record, a person, a citizen's data, an export or a pull.
import type { FastifyInstance } from 'fastify';
import * as z from 'zod/mini';
import { CATEGORY_CODES, isCalendarDay } from '../../shared/index.ts';
import { PROVINCE_DIMENSIONS, type ProvinceDimension, type Store } from '../store/store.ts';
import { audit } from '../security/audit.ts';
import { provinceAccess } from '../security/access.ts';
import { badField, parseBody } from './parse.ts';

const day = z.string().check(z.refine(isCalendarDay));

export const ProvinceTallyQuery = z.strictObject({
  from: day,
  to: day,
  groupBy: z.optional(z.string()),
  category: z.optional(z.enum(CATEGORY_CODES)),
});

/** A longer period is a yearly report's business, asked year by year; this bounds one answer's size. */
export const PROVINCE_MAX_DAYS = 3 * 366;

export interface ProvinceTallyResponse {
  from: string;
  to: string;
  /** Always 'commune' first, then the dimensions asked for. */
  groupBy: ('commune' | ProvinceDimension)[];
  communes: { code: string; name: string }[];
  rows: { key: Record<string, string | null>; count: number; rejected: number }[];
  total: { count: number; rejected: number };
}

function parseGroupBy(raw: string | undefined): ProvinceDimension[] {
  // The commune is always the first key; naming it again is allowed and changes nothing.
  const parts = (raw ?? 'category')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '' && p !== 'commune');
  const out: ProvinceDimension[] = [];
  for (const p of parts) {
    const d = PROVINCE_DIMENSIONS.find((x) => x === p);
    if (!d) throw badField('groupBy', 'invalid', `Không nhóm được theo "${p}".`);
    if (out.includes(d)) throw badField('groupBy', 'duplicate', `"${p}" được nêu hai lần.`);
    out.push(d);
  }
  return out;
}

export function registerProvince(app: FastifyInstance, store: Store): void {
  app.get(
    '/province/tallies',
    { bodyLimit: 1024, config: provinceAccess() },
    async (request, reply): Promise<ProvinceTallyResponse> => {
      const q = parseBody(ProvinceTallyQuery, request.query);
      if (q.from > q.to) throw badField('to', 'before_from', 'Ngày kết thúc phải sau ngày bắt đầu.');
      const days = (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 + 1;
      if (days > PROVINCE_MAX_DAYS)
        throw badField('to', 'too_long', `Mỗi lần xem tối đa ${PROVINCE_MAX_DAYS} ngày.`);
      const groupBy = parseGroupBy(q.groupBy);
      const reader = request.provinceReader;
      audit(request, 'view', 'province-tallies', {
        reader: reader?.name ?? null,
        from: q.from,
        to: q.to,
        groupBy,
      });
      const [raw, communes] = await Promise.all([
        store.provinceTally({ from: q.from, to: q.to, groupBy, category: q.category }),
        store.listCommuneNames(),
      ]);
      const rows = raw.map((r) => {
        const key: Record<string, string | null> = { commune: r.commune };
        groupBy.forEach((d, i) => (key[d] = r.keys[i] ?? null));
        return { key, count: r.count, rejected: r.rejected };
      });
      const total = rows.reduce((t, r) => ({ count: t.count + r.count, rejected: t.rejected + r.rejected }), {
        count: 0,
        rejected: 0,
      });
      reply.header('cache-control', 'no-store');
      return { from: q.from, to: q.to, groupBy: ['commune', ...groupBy], communes, rows, total };
    },
  );
}
