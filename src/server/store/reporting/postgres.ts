// What a push keeps for reconciliation (reporting/types.ts): a device's report, on one PostgreSQL
// connection.
import type { DeviceReportRow, ReportingTx } from './types.ts';
import { json } from '../postgres/rows.ts';
import { PgPart } from '../postgres/conn.ts';

export class PgReportingTx extends PgPart implements ReportingTx {
  async saveDeviceReport(r: DeviceReportRow): Promise<void> {
    await this.run(
      `INSERT INTO device_reports (client_id, user_id, period_counts, pending, device_at, received_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (client_id) DO UPDATE SET user_id = EXCLUDED.user_id, period_counts = EXCLUDED.period_counts,
         pending = EXCLUDED.pending, device_at = EXCLUDED.device_at, received_at = EXCLUDED.received_at`,
      [r.clientId, r.userId, json(r.periodCounts), r.pending, r.deviceAt, r.receivedAt],
    );
  }
}
