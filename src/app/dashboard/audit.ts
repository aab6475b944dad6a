// The admin's view of the audit log: GET /api/v1/audit parsed with a zod/mini schema (only a JSON
// answer of this shape counts), the filters as a query, and the Vietnamese labels of the actions.
import * as z from 'zod/mini';
import type { AuditResponse } from '../../shared/index.ts';
import { ApiClient, type ApiResult } from '../sync/api.ts';

export const AuditAnswer: z.ZodMiniType<AuditResponse> = z.object({
  entries: z.array(
    z.object({
      id: z.string(),
      at: z.string(),
      userId: z.nullable(z.string()),
      username: z.nullable(z.string()),
      role: z.nullable(z.string()),
      action: z.string(),
      target: z.nullable(z.string()),
      detail: z.nullable(z.record(z.string(), z.unknown())),
      ip: z.nullable(z.string()),
      status: z.number(),
    }),
  ),
  next: z.nullable(z.string()),
});

export interface AuditFilters {
  action: string;
  userId: string;
  /** `YYYY-MM-DD` or ''. */
  from: string;
  to: string;
  /** Leave out routine sync pulls (on by default: every phone pulls every few minutes). */
  hideSync: boolean;
}

export const AUDIT_PAGE = 50;

/** The query string of one page; empty filters are left out. Pure. */
export function auditQuery(f: AuditFilters, before: string | null, limit = AUDIT_PAGE): string {
  const q = new URLSearchParams();
  if (f.action) q.set('action', f.action);
  if (f.userId) q.set('userId', f.userId);
  if (f.from) q.set('from', f.from);
  if (f.to) q.set('to', f.to);
  if (f.hideSync) q.set('hideSync', '1');
  q.set('limit', String(limit));
  if (before) q.set('before', before);
  return q.toString();
}

/** A field-level problem with the filters, in Vietnamese, or null. Pure. */
export function filtersProblem(f: AuditFilters): { field: 'to'; message: string } | null {
  if (f.from && f.to && f.from > f.to)
    return { field: 'to', message: 'Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.' };
  return null;
}

export function fetchAuditPage(
  token: string,
  f: AuditFilters,
  before: string | null,
  fetchImpl?: typeof fetch,
): Promise<ApiResult<AuditResponse>> {
  const api = new ApiClient({ fetch: fetchImpl ?? globalThis.fetch.bind(globalThis) });
  return api.get(token, `/api/v1/audit?${auditQuery(f, before)}`, AuditAnswer);
}
