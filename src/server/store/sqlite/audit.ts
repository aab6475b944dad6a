// The audit log on SQLite: appended in one small write (its own transaction, queued on the writer's
// mutex like every write) and read newest first from the reader connection.
import type Database from 'better-sqlite3';
import { SYNC_PULL_TARGET } from '../../../shared/index.ts';
import type { AuditFilter, AuditRow } from '../store.ts';

/** True while the database holds a single commune (docs/operations.md, several communes). */
const ONE_COMMUNE_ONLY = '(SELECT count(*) FROM communes) = 1';

interface RawAudit {
  id: string;
  at: string;
  commune_code: string | null;
  user_id: string | null;
  username: string | null;
  role: string | null;
  action: string;
  target: string | null;
  detail: string | null;
  ip: string | null;
  status: number;
}

export function appendAuditSqlite(db: Database.Database, entries: readonly AuditRow[]): void {
  const insert = db.prepare(
    `INSERT INTO audit_log (id, at, commune_code, user_id, username, role, action, target, detail, ip, status)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const e of entries)
      insert.run(
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
  }).immediate();
}

export function listAuditSqlite(db: Database.Database, q: AuditFilter): AuditRow[] {
  // An entry of no commune (a failed login for an unknown username) belongs to the host: shown to
  // the admin only while the deployment holds one commune, never to one commune among several.
  const where = [`(commune_code = ? OR (commune_code IS NULL AND ${ONE_COMMUNE_ONLY}))`];
  const params: unknown[] = [q.communeCode];
  const add = (sql: string, value: unknown): void => {
    where.push(sql);
    params.push(value);
  };
  if (q.action !== undefined) add('action = ?', q.action);
  if (q.userId !== undefined) add('user_id = ?', q.userId);
  if (q.fromAt !== undefined) add('at >= ?', q.fromAt);
  if (q.toAt !== undefined) add('at <= ?', q.toAt);
  if (q.beforeId !== undefined) add('id < ?', q.beforeId);
  // COALESCE: an entry without a target must not vanish with the NULL of a comparison.
  if (q.hideSyncPulls) add("NOT (action = 'view' AND COALESCE(target, '') = ?)", SYNC_PULL_TARGET);
  params.push(q.limit);
  const rows = db
    .prepare(`SELECT * FROM audit_log WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`)
    .all(...params) as RawAudit[];
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    communeCode: r.commune_code,
    userId: r.user_id,
    username: r.username,
    role: r.role,
    action: r.action,
    target: r.target,
    detail: r.detail === null ? null : (JSON.parse(r.detail) as Record<string, unknown>),
    ip: r.ip,
    status: r.status,
  }));
}
