// The audit log on PostgreSQL: one multi-row INSERT on the pool (autocommit, no sync lock taken) and
// reads newest first.
import { SYNC_PULL_TARGET } from '../../../shared/index.ts';
import type { AuditFilter, AuditRow } from '../store.ts';

/** True while the database holds a single commune (docs/operations.md, several communes). */
const ONE_COMMUNE_ONLY = '(SELECT count(*) FROM communes) = 1';

interface Queryable {
  query<R>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

interface PgAudit {
  id: string;
  at: string;
  commune_code: string | null;
  user_id: string | null;
  username: string | null;
  role: string | null;
  action: string;
  target: string | null;
  detail: Record<string, unknown> | null;
  ip: string | null;
  status: number;
}

const COLUMNS = 11;

export async function appendAuditPostgres(db: Queryable, entries: readonly AuditRow[]): Promise<void> {
  if (entries.length === 0) return;
  const values: unknown[] = [];
  const tuples = entries.map((e, i) => {
    values.push(
      e.id,
      e.at,
      e.communeCode,
      e.userId,
      e.username,
      e.role,
      e.action,
      e.target,
      e.detail === null ? null : JSON.stringify(e.detail),
      e.ip,
      e.status,
    );
    const base = i * COLUMNS;
    return `(${Array.from({ length: COLUMNS }, (_, k) => `$${base + k + 1}`).join(', ')})`;
  });
  await db.query(
    `INSERT INTO audit_log (id, at, commune_code, user_id, username, role, action, target, detail, ip, status)
     VALUES ${tuples.join(', ')}`,
    values,
  );
}

export async function listAuditPostgres(db: Queryable, q: AuditFilter): Promise<AuditRow[]> {
  const params: unknown[] = [q.communeCode];
  // An entry of no commune (a failed login for an unknown username) belongs to the host: shown to
  // the admin only while the deployment holds one commune, never to one commune among several.
  const where = [`(commune_code = $1 OR (commune_code IS NULL AND ${ONE_COMMUNE_ONLY}))`];
  const add = (sql: string, value: unknown): void => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (q.action !== undefined) add('action = ?', q.action);
  if (q.userId !== undefined) add('user_id = ?', q.userId);
  if (q.fromAt !== undefined) add('at >= ?', q.fromAt);
  if (q.toAt !== undefined) add('at <= ?', q.toAt);
  if (q.beforeId !== undefined) add('id < ?', q.beforeId);
  // COALESCE: an entry without a target must not vanish with the NULL of a comparison.
  if (q.hideSyncPulls) add("NOT (action = 'view' AND COALESCE(target, '') = ?)", SYNC_PULL_TARGET);
  params.push(q.limit);
  const { rows } = await db.query<PgAudit>(
    `SELECT * FROM audit_log WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    communeCode: r.commune_code,
    userId: r.user_id,
    username: r.username,
    role: r.role,
    action: r.action,
    target: r.target,
    detail: r.detail,
    ip: r.ip,
    status: Number(r.status),
  }));
}
