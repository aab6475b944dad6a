// The records behind a tally row (docs/reporting.md, "Drill-down"), a page at a time.
import type { FastifyInstance } from 'fastify';
import { DRILL_PAGE_MAX, DrillQuery, type DrillRecord, type DrillResponse } from '../../shared/index.ts';
import { audit } from '../security/audit.ts';
import { ALL_ROLES, access, currentUser } from '../security/access.ts';
import type { Store } from '../store/store.ts';
import { badField, parseBody } from './parse.ts';
import { checkPeriod, reportScope } from './report-query.ts';

/** The drill-down cursor: the last (occurredOn, id) of a page, as base64url JSON. */
export function encodeDrillCursor(occurredOn: string, id: string): string {
  return Buffer.from(JSON.stringify([occurredOn, id])).toString('base64url');
}

function decodeDrillCursor(raw: string): { occurredOn: string; id: string } {
  try {
    const v: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string')
      return { occurredOn: v[0], id: v[1] };
  } catch {
    // falls through to the 400 below
  }
  throw badField('after', 'invalid', 'Con trỏ trang không hợp lệ; hãy tải lại danh sách.');
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function registerTallyRecords(app: FastifyInstance, store: Store): void {
  // The records behind a tally row: the same scope and filters as /tallies, a page at a time.
  app.get(
    '/tallies/records',
    { bodyLimit: 1024, config: access(ALL_ROLES, 'team') },
    async (request, reply): Promise<DrillResponse> => {
      const user = currentUser(request);
      const q = parseBody(DrillQuery, request.query);
      checkPeriod(q.from, q.to);
      const limit = q.limit === undefined ? 50 : Number(q.limit);
      if (limit > DRILL_PAGE_MAX)
        throw badField('limit', 'too_big', `Mỗi trang tối đa ${DRILL_PAGE_MAX} bản ghi.`);
      const after = q.after === undefined ? null : decodeDrillCursor(q.after);
      const page = await store.exportPage(
        {
          scope: reportScope(user),
          communeCode: user.communeCode,
          from: q.from,
          to: q.to,
          category: q.category,
          outcome: q.outcome,
          hamlet: q.hamlet,
          team: q.team,
          volunteer: q.volunteer,
          service: q.service,
          reviewState: q.reviewState,
          view: q.view,
          paidOnline: q.paidOnline,
          failReason: q.failReason,
        },
        after,
        limit + 1,
      );
      const shown = page.slice(0, limit);
      const records: DrillRecord[] = shown.map((r) => ({
        id: r.id,
        version: r.version,
        occurredOn: r.occurredOn,
        hamletId: text(r.data.hamletId),
        category: text(r.data.category),
        outcome: text(r.data.outcome),
        serviceCode: text(r.data.serviceCode),
        teamId: r.teamId,
        volunteerId: r.volunteerId,
        reviewState: r.reviewState as DrillRecord['reviewState'],
        reviewComment: r.reviewComment,
        note: text(r.data.note),
      }));
      const last = shown[shown.length - 1];
      audit(request, 'view', 'tally-records', { from: q.from, to: q.to });
      reply.header('cache-control', 'no-store');
      return {
        records,
        next: page.length > limit && last ? encodeDrillCursor(last.occurredOn, last.id) : null,
      };
    },
  );
}
