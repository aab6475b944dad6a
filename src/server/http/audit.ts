// GET /api/v1/audit — the audit log for the commune's admin, newest first, paged with `before`,
// filtered by action, user and UTC days.
import type { FastifyInstance } from 'fastify';
import {
  AUDIT_PAGE_DEFAULT,
  AUDIT_PAGE_MAX,
  AppError,
  AuditQuery,
  type AuditResponse,
  type FieldIssue,
} from '../../shared/index.ts';
import { access, currentUser } from '../security/access.ts';
import type { Store } from '../store/store.ts';
import { parseBody } from './parse.ts';

function badField(field: string, code: string, message: string): AppError {
  const fields: FieldIssue[] = [{ field, code, message }];
  return new AppError('invalid_request', { fields });
}

export function registerAuditRoutes(app: FastifyInstance, store: Store): void {
  app.get(
    '/audit',
    { bodyLimit: 1024, config: access(['admin'], 'commune') },
    async (request, reply): Promise<AuditResponse> => {
      const user = currentUser(request);
      const q = parseBody(AuditQuery, request.query);
      const limit = q.limit ?? AUDIT_PAGE_DEFAULT;
      if (limit < 1 || limit > AUDIT_PAGE_MAX)
        throw badField('limit', 'out_of_range', `Số dòng mỗi trang từ 1 đến ${AUDIT_PAGE_MAX}.`);
      if (q.from !== undefined && q.to !== undefined && q.from > q.to)
        throw badField('to', 'before_from', 'Ngày kết thúc phải sau ngày bắt đầu.');
      const rows = await store.listAudit({
        communeCode: user.communeCode,
        action: q.action,
        userId: q.userId,
        fromAt: q.from !== undefined ? `${q.from}T00:00:00.000Z` : undefined,
        toAt: q.to !== undefined ? `${q.to}T23:59:59.999Z` : undefined,
        beforeId: q.before,
        hideSyncPulls: q.hideSync === '1',
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      reply.header('cache-control', 'no-store');
      return {
        entries: page.map(({ communeCode: _c, ...e }) => e),
        next: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
      };
    },
  );
}
