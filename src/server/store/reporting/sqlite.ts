// What a push keeps for reconciliation (reporting/types.ts): a device's report, on one
// better-sqlite3 connection.
import type { DeviceReportRow, ReportingTx } from './types.ts';
import type { Statements } from '../sqlite/statements.ts';

export class SqliteReportingTx implements ReportingTx {
  constructor(protected readonly sql: Statements) {}

  async saveDeviceReport(r: DeviceReportRow): Promise<void> {
    this.sql
      .get(
        `INSERT INTO device_reports (client_id, user_id, period_counts, pending, device_at, received_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (client_id) DO UPDATE SET user_id = excluded.user_id, period_counts = excluded.period_counts,
           pending = excluded.pending, device_at = excluded.device_at, received_at = excluded.received_at`,
      )
      .run(r.clientId, r.userId, JSON.stringify(r.periodCounts), r.pending, r.deviceAt, r.receivedAt);
  }
}
