// The Store's Reads and a transaction's Tx on one PostgreSQL connection, composed from each
// domain's part (store/<domain>/postgres.ts).
import { PgAccountReads, PgAccountWrites } from '../accounts/postgres.ts';
import { compose } from '../compose.ts';
import { PgSessionsReads, PgSessionsTx } from '../sessions/postgres.ts';
import { PgSettingsReads, PgSettingsTx } from '../settings/postgres.ts';
import { PgReportingTx } from '../reporting/postgres.ts';
import { PgTargetsTx } from '../targets/postgres.ts';
import { PgReviewTx } from '../reviews/postgres.ts';
import { PgPrivacyTx } from '../privacy/postgres.ts';
import { PgHandoffTx } from '../handoff/postgres.ts';
import { pgConn, type Queryable } from './conn.ts';
import { PgSyncReads, PgSyncTx } from '../sync/postgres.ts';
import type { Reads, Tx } from '../store.ts';

/** The Store's reads on the pool: every domain's read part. */
export function pgReads(db: Queryable): Reads {
  const conn = pgConn(db, false);
  return compose(
    new PgSyncReads(conn),
    new PgAccountReads(conn),
    new PgSettingsReads(conn),
    new PgSessionsReads(conn),
  );
}

/** A write transaction on one client: every domain's part, sharing the counter lock. */
export function pgTx(client: Queryable): Tx & { prune: PgSyncTx['prune'] } {
  const conn = pgConn(client, true);
  return compose(
    new PgSyncTx(conn),
    new PgAccountReads(conn),
    new PgAccountWrites(conn),
    new PgHandoffTx(conn),
    new PgPrivacyTx(conn),
    new PgReviewTx(conn),
    new PgTargetsTx(conn),
    new PgReportingTx(conn),
    new PgSettingsTx(conn),
    new PgSessionsTx(conn),
  );
}
