// The audit log's wire shapes (GET /api/v1/audit, admin only): who did what to which target, when,
// from where. Entries never carry citizen data or tokens: targets are ids and route names.
import * as z from 'zod/mini';
import { isCalendarDay } from './dates.ts';
import { UUID_RE } from './ids.ts';

/** Actions the server records today; other features add their own (lower_snake_case). */
export const AUDIT_ACTIONS = [
  'login_ok',
  'login_failed',
  'login_throttled',
  'denied',
  'view',
  'export',
  'edit',
  'delete',
  'review',
  'target_change',
  'report_settings_change',
  'cards_publish',
  'account_change',
  'enrolment_create',
  'device_revoke',
] as const;

export const AUDIT_ACTION_RE = /^[a-z][a-z0-9_]{0,39}$/;
export const AUDIT_PAGE_MAX = 200;
export const AUDIT_PAGE_DEFAULT = 50;

/** A real calendar day, as in bodies: `2026-02-30` is refused, not read as 2 March. */
const day = z.string().check(z.refine(isCalendarDay));

/** The target of the `view` entry a pull that brought rows writes: every phone, every few minutes. */
export const SYNC_PULL_TARGET = 'sync/pull';

/** Query of GET /api/v1/audit; `before` is the `next` of the previous page. */
export const AuditQuery = z.strictObject({
  action: z.optional(z.string().check(z.regex(AUDIT_ACTION_RE))),
  userId: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  /** Inclusive UTC days. */
  from: z.optional(day),
  to: z.optional(day),
  limit: z.optional(
    z.pipe(
      z.string().check(z.regex(/^\d{1,3}$/)),
      z.transform((s) => Number(s)),
    ),
  ),
  before: z.optional(z.string().check(z.regex(UUID_RE))),
  /** `1`: leave out routine sync pulls (`view` of SYNC_PULL_TARGET); the app's view sends it by default. */
  hideSync: z.optional(z.enum(['0', '1'])),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export interface AuditItem {
  id: string;
  at: string;
  userId: string | null;
  username: string | null;
  role: string | null;
  action: string;
  target: string | null;
  detail: Record<string, unknown> | null;
  ip: string | null;
  status: number;
}

export interface AuditResponse {
  entries: AuditItem[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  next: string | null;
}
