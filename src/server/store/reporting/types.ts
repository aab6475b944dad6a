// What reports, exports, reconciliation, the province view and the audit log read from the store
// (docs/reporting.md); the stores answer them outside write transactions.
import type { AuditItem, ReportView, TallyDimension } from '../../../shared/index.ts';
import type { UserRow } from '../accounts/types.ts';
import type { PullScope } from '../sync/types.ts';

/**
 * Which live records a report reads (docs/reporting.md). A volunteer scope means their own only.
 * Without `reviewState` only counted records are read: those refused in review ('rejected') are
 * left out (docs/reporting.md, "What counts").
 */
export interface ReportFilter {
  scope: PullScope;
  /** The caller's commune: narrows a team or volunteer scope so the commune's covering index applies. */
  communeCode?: string | undefined;
  /** Inclusive `YYYY-MM-DD` bounds on occurredOn. */
  from: string;
  to: string;
  category?: string | undefined;
  outcome?: string | undefined;
  hamlet?: string | undefined;
  /** A review state, or 'none' for records not reviewed yet: exactly that state, refused ones included. */
  reviewState?: string | undefined;
  /**
   * Every live record whatever its review state (reconciliation compares with what the phones
   * hold, refused records included); ignored when `reviewState` is set.
   */
  includeRejected?: boolean | undefined;
  /** 'de_an_06': only the Đề án 06 categories and records of a police service (report.ts). */
  view?: ReportView | undefined;
  /** Drill-down filters (a dashboard row's key): a team, a volunteer, a service code or 'none'. */
  team?: string | undefined;
  volunteer?: string | undefined;
  service?: string | undefined;
  /** Paid online ('true'), not ('false') or not asked ('none'); read from `records` only. */
  paidOnline?: 'true' | 'false' | 'none' | undefined;
  /** A failure reason code or 'none'; read from `records` only. */
  failReason?: string | undefined;
}

export interface TallyInput extends ReportFilter {
  groupBy: readonly TallyDimension[];
  /**
   * Counts only: every `citizens` is 0 and the exact distinct count (the citizen cells or a pass
   * over the records' index) is skipped, for breakdowns that show no citizens (per service, outcome,
   * reason…).
   */
  countsOnly?: boolean | undefined;
}

/** A live record as an export writes it. */
export interface ExportRow {
  id: string;
  communeCode: string;
  teamId: string;
  volunteerId: string;
  version: number;
  data: Record<string, unknown>;
  reviewState: string | null;
  reviewComment: string | null;
  createdAt: string;
  updatedAt: string;
  occurredOn: string;
}

/** Which group sessions a report reads: live ones of a scope and period (every review state). */
export interface SessionFilter {
  scope: PullScope;
  communeCode: string;
  /** Inclusive `YYYY-MM-DD` bounds on heldOn. */
  from: string;
  to: string;
  hamlet?: string | undefined;
  team?: string | undefined;
  topic?: string | undefined;
}

/** A live group session as reports read it (docs/group-sessions.md); names no attendee. */
export interface SessionReportRow {
  id: string;
  teamId: string;
  volunteerId: string;
  heldOn: string;
  hamletId: string;
  topic: string;
  /** The attendance grid's total, copied on write. */
  attendees: number;
  reviewState: string | null;
  /** The session as stored (place, topic, attendance by cell…). */
  data: Record<string, unknown>;
}

export interface DeviceReportRow {
  clientId: string;
  userId: string;
  periodCounts: { from: string; to: string; count: number }[];
  pending: number;
  deviceAt: string;
  receivedAt: string;
}

/** What reconciliation reads besides the tally: people, their devices' reports and last syncs. */
export interface ReconciliationInputs {
  people: UserRow[];
  /** The latest report per user (any of their devices). */
  reports: DeviceReportRow[];
  /** userId → latest successful push (server time) by any of their devices. */
  lastSynced: Map<string, string>;
}

export interface ReportingTx {
  saveDeviceReport(r: DeviceReportRow): Promise<void>;
}

/** A read-only account of the hosting province (province_readers; docs/operations.md). */
export interface ProvinceReaderRow {
  id: string;
  name: string;
  createdAt: string;
  revokedAt: string | null;
}

/** What a province tally may group by besides the commune; all read from `daily_rollup`. */
export const PROVINCE_DIMENSIONS = ['category', 'outcome', 'month'] as const;
export type ProvinceDimension = (typeof PROVINCE_DIMENSIONS)[number];

export interface ProvinceTallyInput {
  from: string;
  to: string;
  groupBy: readonly ProvinceDimension[];
  category?: string | undefined;
}

/** One group of a province tally: the commune, the other keys in `groupBy` order, counted and refused. */
export interface ProvinceTallyRow {
  commune: string;
  keys: (string | null)[];
  count: number;
  rejected: number;
}

/** What `rebuildCitizenCells` did. */
export interface CellRebuildReport {
  /** Dirty days rebuilt. */
  days: number;
  /** Write transactions that rebuilt them. */
  transactions: number;
  /** False when it stopped before the end (aborted, or another process's migrations were running). */
  complete: boolean;
}

/** An audit entry as stored: the wire's entry plus the commune it belongs to. */
export interface AuditRow extends AuditItem {
  communeCode: string | null;
}

export interface AuditFilter {
  communeCode: string;
  action?: string | undefined;
  userId?: string | undefined;
  /** Inclusive ISO bounds on `at`. */
  fromAt?: string | undefined;
  toAt?: string | undefined;
  /** Only entries with an id below this one (the previous page's last). */
  beforeId?: string | undefined;
  /** Leave out the `view` entries of routine sync pulls (SYNC_PULL_TARGET). */
  hideSyncPulls?: boolean | undefined;
  limit: number;
}
