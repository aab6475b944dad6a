// The Store's Reads and a transaction's Tx on one better-sqlite3 connection, composed from each
// domain's part (store/<domain>/sqlite.ts).
import { SqliteAccountReads, SqliteAccountWrites } from '../accounts/sqlite.ts';
import { compose } from '../compose.ts';
import { SqliteSessionsReads, SqliteSessionsTx } from '../sessions/sqlite.ts';
import { SqliteSettingsReads, SqliteSettingsTx } from '../settings/sqlite.ts';
import { SqliteReportingTx } from '../reporting/sqlite.ts';
import { SqliteTargetsTx } from '../targets/sqlite.ts';
import { SqliteReviewTx } from '../reviews/sqlite.ts';
import { SqlitePrivacyTx } from '../privacy/sqlite.ts';
import { SqliteHandoffTx } from '../handoff/sqlite.ts';
import type { Statements } from './statements.ts';
import { SqliteSyncReads, SqliteSyncTx } from '../sync/sqlite.ts';
import type { Reads, Tx } from '../store.ts';

export { citizenNo } from '../sync/sqlite.ts';

/** The Store's reads on one connection: every domain's read part. */
export function sqliteReads(sql: Statements): Reads {
  return compose(
    new SqliteSyncReads(sql),
    new SqliteAccountReads(sql),
    new SqliteSettingsReads(sql),
    new SqliteSessionsReads(sql),
  );
}

/** A write transaction's methods on the writer connection: every domain's part. */
export function sqliteTx(sql: Statements): Tx {
  return compose(
    new SqliteSyncTx(sql),
    new SqliteAccountReads(sql),
    new SqliteAccountWrites(sql),
    new SqliteHandoffTx(sql),
    new SqlitePrivacyTx(sql),
    new SqliteReviewTx(sql),
    new SqliteTargetsTx(sql),
    new SqliteReportingTx(sql),
    new SqliteSettingsTx(sql),
    new SqliteSessionsTx(sql),
  );
}
