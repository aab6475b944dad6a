// Rows that reports read, as either database returns them, and their one mapping (JSON arrives
// as text from SQLite and parsed from PostgreSQL; store/rows.ts reads both).
import { readObject } from '../rows.ts';
import type { DeviceReportRow, ExportRow } from './types.ts';

export interface ExportCells {
  id: string;
  commune_code: string;
  team_id: string;
  volunteer_id: string;
  version: number;
  data: unknown;
  review_state: string | null;
  review_comment: string | null;
  created_at: string;
  updated_at: string;
  occurred_on: string;
}

export function toExportRow(r: ExportCells): ExportRow {
  return {
    id: r.id,
    communeCode: r.commune_code,
    teamId: r.team_id,
    volunteerId: r.volunteer_id,
    version: r.version,
    data: readObject(r.data),
    reviewState: r.review_state,
    reviewComment: r.review_comment,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    occurredOn: r.occurred_on,
  };
}

export interface DeviceReportCells {
  client_id: string;
  user_id: string;
  period_counts: unknown;
  pending: number;
  device_at: string;
  received_at: string;
}

export function toDeviceReport(r: DeviceReportCells): DeviceReportRow {
  let counts = r.period_counts;
  if (typeof counts === 'string') {
    try {
      counts = JSON.parse(counts) as unknown;
    } catch {
      counts = [];
    }
  }
  return {
    clientId: r.client_id,
    userId: r.user_id,
    periodCounts: Array.isArray(counts) ? (counts as DeviceReportRow['periodCounts']) : [],
    pending: r.pending,
    deviceAt: r.device_at,
    receivedAt: r.received_at,
  };
}
