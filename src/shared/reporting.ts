// Reporting for leads, supervisors and admins: tallies, targets, review, reconciliation and exports
// (docs/reporting.md). Request and response shapes are defined once here; the dashboard and the
// server both use them.
import * as z from 'zod/mini';
import { CATEGORY_CODES, FAIL_REASON_CODES, OUTCOME_CODES } from './catalogue/index.ts';
import { isCalendarDay } from './dates.ts';
import type { AttendanceCell, SessionCount } from './group-session.ts';
import { REPORT_VIEWS } from './report.ts';

const day = z.string().check(z.refine(isCalendarDay));
const sessionKeyText = () => z.string().check(z.minLength(1), z.maxLength(64));

/** The dimensions a tally can be grouped by (at most three at once). */
export const TALLY_DIMENSIONS = [
  'hamlet',
  'team',
  'volunteer',
  'category',
  'service',
  'outcome',
  'day',
  'week',
  'month',
  'quarter',
  'paidOnline',
  'failReason',
] as const;
export const TallyDimension = z.enum(TALLY_DIMENSIONS);
export type TallyDimension = z.infer<typeof TallyDimension>;
export const TALLY_MAX_GROUPS = 3;

/** ODK Central style review states. A record nobody reviewed yet has none (null). */
export const REVIEW_STATES = ['received', 'has_issues', 'approved', 'rejected'] as const;
export const ReviewState = z.enum(REVIEW_STATES);
export type ReviewState = z.infer<typeof ReviewState>;
export const REVIEW_COMMENT_MAX = 500;

/** The review words of the app's glossary (src/app/i18n/glossary.ts), also the CSV export's. */
export const REVIEW_STATE_LABELS_VI: Record<ReviewState, string> = {
  received: 'Đã tiếp nhận',
  has_issues: 'Cần sửa',
  approved: 'Đã duyệt',
  rejected: 'Không duyệt',
};
/** A record nobody reviewed yet. */
export const REVIEW_NONE_LABEL_VI = 'Chưa duyệt';

/** A filter on payment ('none': not asked) and on the failure reason ('none': without one). */
const paidOnlineFilter = z.optional(z.enum(['true', 'false', 'none']));
const failReasonFilter = z.optional(z.enum([...FAIL_REASON_CODES, 'none']));

/**
 * GET /api/v1/tallies query (strings as they come in the URL). `groupBy` is a comma list;
 * `reviewState=none` selects records not reviewed yet; without `reviewState` the records refused in
 * review are left out (docs/reporting.md, "What counts"). `view=de_an_06` keeps the Đề án 06
 * categories and the police's services only.
 */
export const TallyQuery = z.strictObject({
  from: day,
  to: day,
  groupBy: z.optional(z.string()),
  category: z.optional(z.enum(CATEGORY_CODES)),
  outcome: z.optional(z.enum(OUTCOME_CODES)),
  hamlet: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  reviewState: z.optional(z.enum([...REVIEW_STATES, 'none'])),
  view: z.optional(z.enum(REPORT_VIEWS)),
  paidOnline: paidOnlineFilter,
  failReason: failReasonFilter,
});
export type TallyQuery = z.infer<typeof TallyQuery>;

/** One group's key: only the dimensions asked for are present. A missing value is null. */
export interface TallyKey {
  hamlet?: string | null;
  team?: string | null;
  volunteer?: string | null;
  category?: string | null;
  service?: string | null;
  outcome?: string | null;
  /** `YYYY-MM-DD` */
  day?: string | null;
  /** ISO week `YYYY-Www` */
  week?: string | null;
  /** `YYYY-MM` */
  month?: string | null;
  /** `YYYY-Qn` (calendar quarter, 1–4) */
  quarter?: string | null;
  /** The record's "Thanh toán trực tuyến" (null: not asked). */
  paidOnline?: boolean | null;
  /** A failed record's reason code (null: none). */
  failReason?: string | null;
}
export interface TallyCount {
  /** Counted records: live and, unless the filter names a review state, not refused in review. */
  count: number;
  /** Distinct non-null citizenKey values. */
  citizens: number;
}
export interface TallyRow extends TallyCount {
  key: TallyKey;
}
export interface TallyResponse {
  rows: TallyRow[];
  total: TallyCount;
  /**
   * Records refused in review ('rejected') matching the same scope, period and filters, left out of
   * `total` ("trong đó bị từ chối"); 0 when the filter names a review state.
   */
  rejected: number;
}

/**
 * Targets on group sessions rather than records: the number of sessions held ("Số buổi sinh hoạt
 * nhóm") and the attendees summed over them ("Số lượt người tham dự"); stored in the targets'
 * `category` column, never with an outcome (docs/group-sessions.md, "Counting").
 */
export const SESSION_TARGET_CATEGORIES = ['group_sessions', 'group_attendees'] as const;
export type SessionTargetCategory = (typeof SESSION_TARGET_CATEGORIES)[number];
export const SESSION_TARGET_LABELS_VI: Record<SessionTargetCategory, string> = {
  group_sessions: 'Số buổi sinh hoạt nhóm',
  group_attendees: 'Số lượt người tham dự',
};
export function isSessionTarget(category: string): category is SessionTargetCategory {
  return (SESSION_TARGET_CATEGORIES as readonly string[]).includes(category);
}

/**
 * PUT /api/v1/targets (admin). A target is the commune's, one team's (`teamId`) or one hamlet's
 * (`hamletId`), never both (400 `team_and_hamlet`). Same period + category + outcome + hamlet +
 * team replaces the target.
 */
export const TargetInput = z.strictObject({
  period: z.strictObject({ from: day, to: day }),
  category: z.enum([...CATEGORY_CODES, ...SESSION_TARGET_CATEGORIES]),
  outcome: z.nullish(z.enum(OUTCOME_CODES)),
  hamletId: z.nullish(z.string().check(z.minLength(1), z.maxLength(64))),
  teamId: z.nullish(z.string().check(z.minLength(1), z.maxLength(64))),
  target: z.int().check(z.positive(), z.lte(10_000_000)),
  label: z.nullish(z.string().check(z.maxLength(200))),
});
export type TargetInput = z.infer<typeof TargetInput>;

export interface Target {
  id: string;
  period: { from: string; to: string };
  category: string;
  outcome: string | null;
  /** null: not a hamlet's target. */
  hamletId: string | null;
  /** null: not a team's target (with hamletId null too: commune-wide). */
  teamId: string | null;
  target: number;
  label: string | null;
}
export interface TargetProgress extends Target {
  /**
   * Counted records of the target's own scope (the commune, its team or its hamlet), whoever reads
   * it, matching category/outcome within the target's period.
   */
  achieved: number;
  /** achieved / target × 100, unrounded. */
  percent: number;
  /** e.g. "320/800, đạt 40,00 %" */
  text: string;
}
export interface PutTargetResponse {
  target: Target;
}
/** GET /api/v1/targets?from&to: targets whose period overlaps [from, to]. */
export interface TargetsResponse {
  targets: TargetProgress[];
}

/** POST /api/v1/records/:id/review */
export const ReviewInput = z.strictObject({
  state: ReviewState,
  comment: z.nullish(z.string().check(z.maxLength(REVIEW_COMMENT_MAX))),
});
export type ReviewInput = z.infer<typeof ReviewInput>;
export interface ReviewResponse {
  recordId: string;
  reviewState: ReviewState;
  reviewComment: string | null;
  /** The record's new version (the review reaches devices with the next pull). */
  version: number;
  reviewedBy: string;
  at: string;
}

/** The roles whose phones hold records of their own and send a device report; no other sends one. */
export const DEVICE_REPORT_ROLES = ['volunteer', 'lead'] as const;

/** POST /api/v1/devices/report (volunteer or lead): what the device itself holds. */
export const DeviceReport = z.strictObject({
  clientId: z.string().check(z.minLength(1), z.maxLength(64)),
  periodCounts: z
    .array(z.strictObject({ from: day, to: day, count: z.int().check(z.gte(0)) }))
    .check(z.maxLength(24)),
  pending: z.int().check(z.gte(0)),
  at: z.iso.datetime({ offset: true }),
});
export type DeviceReport = z.infer<typeof DeviceReport>;

export interface ReconciliationRow {
  volunteerId: string;
  displayName: string;
  teamId: string | null;
  /** Records the device reported for exactly this period (its latest report); null if none. */
  deviceCount: number | null;
  /** Live records the server holds for this volunteer in the period. */
  serverCount: number;
  pendingAtLastContact: number | null;
  /** Latest device report (server time). */
  lastContactAt: string | null;
  /** Latest successful push by any of the volunteer's devices (server time). */
  lastSyncedAt: string | null;
  /** The device reported this period, nothing was pending and its count equals the server's. */
  complete: boolean;
}
/** GET /api/v1/reconciliation?from&to */
export interface ReconciliationResponse {
  from: string;
  to: string;
  rows: ReconciliationRow[];
}

/** GET /api/v1/export/logs.csv|xlsx?from&to[&reviewState] */
export const ExportQuery = z.strictObject({
  from: day,
  to: day,
  reviewState: z.optional(z.enum([...REVIEW_STATES, 'none'])),
});
export type ExportQuery = z.infer<typeof ExportQuery>;

/** A Vietnamese number: `.` groups thousands, `,` marks decimals (40,00). */
export function formatNumberVi(value: number, decimals = 0): string {
  const fixed = Math.abs(value).toFixed(decimals);
  const [int, frac] = fixed.split('.');
  const grouped = (int ?? '0').replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const sign = value < 0 && Number(fixed) !== 0 ? '-' : '';
  return frac ? `${sign}${grouped},${frac}` : `${sign}${grouped}`;
}

/** achieved/target as a percentage (0 when target is not positive). */
export function percentOf(achieved: number, target: number): number {
  return target > 0 ? (achieved / target) * 100 : 0;
}

/** "320/800, đạt 40,00 %" */
export function formatProgressVi(achieved: number, target: number): string {
  return `${formatNumberVi(achieved)}/${formatNumberVi(target)}, đạt ${formatNumberVi(percentOf(achieved, target), 2)} %`;
}

/** ISO 8601 week of a `YYYY-MM-DD` day, as `YYYY-Www`. */
export function isoWeek(dayStr: string): string {
  const [y, m, d] = dayStr.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  const dow = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - dow);
  const year = date.getUTCFullYear();
  const week = Math.ceil(((date.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

// ── Drill-down to the records behind a tally row (docs/reporting.md, "Records behind a tally") ──

export const DRILL_PAGE_MAX = 200;
const idText = z.string().check(z.minLength(1), z.maxLength(64));

/**
 * GET /api/v1/tallies/records: the tally's period, scope and filters, plus the key of the row the
 * reader opened (team, volunteer, service, payment, failure reason — `none` for records without
 * one). `after` is the opaque `next` of the previous page.
 */
export const DrillQuery = z.strictObject({
  from: day,
  to: day,
  category: z.optional(z.enum(CATEGORY_CODES)),
  outcome: z.optional(z.enum(OUTCOME_CODES)),
  hamlet: z.optional(idText),
  team: z.optional(idText),
  volunteer: z.optional(idText),
  service: z.optional(idText),
  reviewState: z.optional(z.enum([...REVIEW_STATES, 'none'])),
  view: z.optional(z.enum(REPORT_VIEWS)),
  paidOnline: paidOnlineFilter,
  failReason: failReasonFilter,
  after: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  limit: z.optional(z.string().check(z.regex(/^[1-9][0-9]{0,2}$/))),
});
export type DrillQuery = z.infer<typeof DrillQuery>;

/** One record of a drill-down page: what a reviewer needs to find it, never the citizen key. */
export interface DrillRecord {
  id: string;
  version: number;
  occurredOn: string;
  hamletId: string | null;
  category: string | null;
  outcome: string | null;
  serviceCode: string | null;
  teamId: string;
  volunteerId: string;
  reviewState: ReviewState | null;
  reviewComment: string | null;
  note: string | null;
}
export interface DrillResponse {
  records: DrillRecord[];
  /** Pass as `after` for the next page; null on the last one. */
  next: string | null;
}

// ── Group sessions' tallies (docs/reporting.md, "Group sessions") ──

/** What a sessions' tally groups by (at most three at once); periods as records' tallies name them. */
export const SESSION_TALLY_DIMENSIONS = [
  'hamlet',
  'team',
  'topic',
  'day',
  'week',
  'month',
  'quarter',
] as const;
export const SessionTallyDimension = z.enum(SESSION_TALLY_DIMENSIONS);
export type SessionTallyDimension = z.infer<typeof SessionTallyDimension>;

/**
 * GET /api/v1/tallies/sessions: the records' tally filters that sessions have. Without
 * `reviewState` sessions refused in review are left out, as records are.
 */
export const SessionTallyQuery = z.strictObject({
  from: day,
  to: day,
  groupBy: z.optional(z.string()),
  hamlet: z.optional(sessionKeyText()),
  team: z.optional(sessionKeyText()),
  topic: z.optional(z.string().check(z.regex(/^[a-z0-9_]{1,32}$/))),
  reviewState: z.optional(z.enum([...REVIEW_STATES, 'none'])),
});
export type SessionTallyQuery = z.infer<typeof SessionTallyQuery>;

export type SessionTallyKey = Partial<Record<SessionTallyDimension, string>>;
/** Sessions held and people who came, summed over them (a person at two sessions counts twice). */
export interface SessionTallyRow extends SessionCount {
  key: SessionTallyKey;
}
export interface SessionTallyResponse {
  rows: SessionTallyRow[];
  total: SessionCount;
  /** Attendees of the counted sessions by `sex:ageBand`, every cell present (zeros included). */
  attendance: Record<AttendanceCell, number>;
  /** Sessions refused in review in the same filter, left out of `total`; zero with a review state. */
  rejected: SessionCount;
}
