// The commune's report (docs/reporting.md, "What counts" and "The report"): one answer per period
// and view, from which the dashboard, its charts and the printout all draw, so a figure shown twice
// is the same figure. Also the admin's report settings (issuer, number, addressees, signer).
import * as z from 'zod/mini';
import { SERVICE_CATALOGUE } from './catalogue/index.ts';
import { isCalendarDay } from './dates.ts';
import type { AttendanceCell, SessionCount } from './group-session.ts';

const day = z.string().check(z.refine(isCalendarDay));

/**
 * What counts, written once: the dashboard shows it as help text and docs/reporting.md quotes it.
 * Records refused in review ("Không duyệt", e.g. a duplicate) and deleted records are out of every
 * total, target progress and printout unless a review-state filter asks for them by name.
 */
export const COUNTED_DEFINITION_VI =
  'Số liệu tính mọi lượt hỗ trợ đã gửi lên máy chủ, có ngày hỗ trợ trong kỳ, trừ bản ghi đã xóa và bản ghi bị từ chối khi duyệt (“Không duyệt”, ví dụ trùng với bản ghi khác). Số bản ghi bị từ chối khi duyệt được nêu riêng và không cộng vào tổng. Số người dân là số người khác nhau thật sự, đếm theo số định danh đã niêm phong, không cộng dồn theo loại.';

export const REPORT_VIEWS = ['all', 'de_an_06'] as const;
export type ReportView = (typeof REPORT_VIEWS)[number];

/** The Đề án 06 view: these four categories, plus any record whose service is the police's. */
export const DE_AN_06_CATEGORIES: readonly string[] = ['can_cuoc', 'vneid_l1', 'vneid_l2', 'vneid_docs'];
export const POLICE_SERVICE_CODES: readonly string[] = SERVICE_CATALOGUE.services
  .filter((s) => s.agency === 'police')
  .map((s) => s.code);

/** GET /api/v1/report?from&to[&view] (lead: the team; supervisor, admin: the commune). */
export const ReportQuery = z.strictObject({
  from: day,
  to: day,
  view: z.optional(z.enum(REPORT_VIEWS)),
});
export type ReportQuery = z.infer<typeof ReportQuery>;

/** Whose figures: "Toàn xã" or a team's name ("Tổ CNS số 1"). */
export interface ReportScope {
  kind: 'commune' | 'team';
  /** The commune code or the team id. */
  id: string;
  /** Vietnamese, as printed: "Toàn xã" or the team's name. */
  label: string;
}

export interface ReportPeriod {
  from: string;
  to: string;
}

/** Counted records, distinct citizens among them (exact), and refused records left out. */
export interface PeriodFigures {
  count: number;
  citizens: number;
  /** Records refused in review in the same filter: not in `count`, shown as "trong đó bị từ chối khi duyệt". */
  rejected: number;
}

/** A count in the period, the previous period of the same length, and the same period a year before. */
export interface Compared {
  current: number;
  previous: number;
  lastYear: number;
}

export interface ReportServiceRow {
  code: string;
  name: string;
  agency: 'police' | 'commune' | 'other';
  count: Compared;
  /** Of `count.current`, records marked paid online. */
  paidOnline: number;
}

export interface ReportTeamRow {
  teamId: string;
  name: string;
  count: Compared;
  citizens: number;
  /** Volunteers with at least one counted record in the period. */
  activeVolunteers: number;
}

export interface ReportVolunteerRow {
  volunteerId: string;
  name: string;
  teamId: string | null;
  teamName: string | null;
  count: number;
  citizens: number;
  /** Distinct days with a counted record. */
  activeDays: number;
  /** count / activeDays, unrounded (0 when no active day). */
  perActiveDay: number;
  /** 1 = most records; equal counts share a rank (1, 2, 2, 4). */
  rank: number;
}

export interface ReportTarget {
  id: string;
  period: ReportPeriod;
  category: string;
  outcome: string | null;
  hamletId: string | null;
  teamId: string | null;
  label: string | null;
  target: number;
  /** Counted records of the target's own scope (commune, team or hamlet) in its own period. */
  achieved: number;
  percent: number;
  /** "320/800, đạt 40,00 %" */
  text: string;
  /** Whose target: "Toàn xã", a team's name or "Thôn …". */
  scope: { kind: 'commune' | 'team' | 'hamlet'; id: string; label: string };
}

/** One row of the sessions' breakdowns: a topic, hamlet or team, named, with its sessions and attendees. */
export interface ReportSessionGroup {
  id: string;
  label: string;
  sessions: number;
  attendees: number;
}

/**
 * Group sessions of the report's scope and periods (docs/group-sessions.md, "Counting"): a section of
 * their own, never added to a records figure. Counted like records: live, not refused in review.
 */
export interface ReportSessions {
  totals: { current: SessionCount; previous: SessionCount; lastYear: SessionCount };
  /** Sessions of the period refused in review, left out of the totals. */
  rejected: SessionCount;
  /** The commune's topics in its order (active ones, zeros included; a retired one when named). */
  byTopic: ReportSessionGroup[];
  /** The report's hamlets in order, zeros included, then any other hamlet a session names. */
  byHamlet: ReportSessionGroup[];
  /** The teams in scope, zeros included. */
  byTeam: ReportSessionGroup[];
  /** Attendees of the period's counted sessions by `sex:ageBand`, every cell. */
  attendance: Record<AttendanceCell, number>;
}

/** GET /api/v1/report */
export interface ReportSummary {
  view: ReportView;
  scope: ReportScope;
  period: ReportPeriod;
  previousPeriod: ReportPeriod;
  lastYearPeriod: ReportPeriod;
  /** `YYYY-MM-DD` the figures stand at when the period is not over yet (server's today); else null. */
  asOf: string | null;
  /** ISO instant the answer was computed. */
  generatedAt: string;
  totals: { current: PeriodFigures; previous: PeriodFigures; lastYear: PeriodFigures };
  /** Hamlets of the commune in its order (id, name), for the table's rows. */
  hamlets: { id: string; name: string }[];
  /** Counted records per hamlet × category (only non-zero cells); hamletId null: no hamlet. */
  hamletCategory: { hamletId: string | null; category: string; count: number }[];
  /** Every category of the catalogue, in its order, with comparisons. */
  categories: { category: string; count: Compared }[];
  /** Every service of the catalogue (the 25 essential services), in catalogue order, zeros included. */
  services: ReportServiceRow[];
  /** Records naming a service: how many were paid online (share = paidOnline / withService). */
  payment: { withService: number; paidOnline: number; percent: number };
  /** Every outcome, in catalogue order. */
  outcomes: { outcome: string; count: Compared }[];
  /** Failed records by reason (catalogue order, zeros included). */
  failReasons: { reason: string; count: number }[];
  /** Teams in scope, most records first. */
  teams: ReportTeamRow[];
  /** Volunteers in scope with at least one counted record, ranked. */
  volunteers: ReportVolunteerRow[];
  /** Targets whose period overlaps the report's: commune-wide, per team, per hamlet. */
  targets: ReportTarget[];
  /** The admin's settings for the printout (defaults when never set). */
  settings: ReportSettings;
  /** Group sessions, apart from individual assistance; absent from a server older than sessions. */
  sessions?: ReportSessions | undefined;
}

const line = (max: number) => z.string().check(z.trim(), z.maxLength(max));
const lines = z.array(z.string().check(z.trim(), z.minLength(1), z.maxLength(300))).check(z.maxLength(12));

/**
 * PUT /api/v1/report-settings (admin), GET for every reader of reports. Set once: the printout's
 * issuing body, the number's suffix ("Số: …/BC-UBND": the number itself is written by the clerk
 * when the report is registered), addressees, legal bases, recipients and the signer.
 */
export const ReportSettings = z.strictObject({
  /** e.g. "UBND XÃ AN BÌNH"; empty: "UBND" + the commune's name. */
  issuer: line(120),
  /** e.g. "BC-UBND" → "Số: ……/BC-UBND". */
  numberSuffix: z.string().check(z.trim(), z.maxLength(40), z.regex(/^[\p{L}\p{N}./-]*$/u)),
  /** "Kính gửi: …" lines. */
  addressees: lines,
  /** "Căn cứ …" lines. */
  bases: lines,
  /** "Nơi nhận: …" lines. */
  recipients: lines,
  /** e.g. "TM. ỦY BAN NHÂN DÂN" (may be empty). */
  signerCapacity: line(120),
  /** e.g. "CHỦ TỊCH" */
  signerTitle: line(120),
  /** e.g. "Nguyễn Văn A" */
  signerName: line(120),
});
export type ReportSettings = z.infer<typeof ReportSettings>;

export const DEFAULT_REPORT_SETTINGS: ReportSettings = {
  issuer: '',
  numberSuffix: 'BC-UBND',
  addressees: [],
  bases: [],
  recipients: ['Như trên', 'Lưu: VT'],
  signerCapacity: 'TM. ỦY BAN NHÂN DÂN',
  signerTitle: 'CHỦ TỊCH',
  signerName: '',
};
