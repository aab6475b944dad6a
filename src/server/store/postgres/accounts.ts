// The SQL of accounts and devices (store/accounts.ts) on PostgreSQL, on the pool or on one
// transaction's client; PgReads and PgTx delegate to these.
import type { QueryResultRow } from 'pg';
import type {
  AccountReads,
  AccountWrites,
  DeviceRow,
  EnrolmentRow,
  HamletAdminRow,
  TeamRow,
  UserChange,
} from '../accounts.ts';
import type { UserRow } from '../store.ts';
import { USER_COLUMNS, toUser, type PgUser } from './rows.ts';

/** The query helpers of PgReads (errors already mapped). */
export interface PgQuery {
  rows<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  run(text: string, values?: unknown[]): Promise<number>;
}

export interface PgDevice {
  id: string;
  user_id: string;
  label: string;
  created_at: string;
  last_seen_at: string;
  revoked_at: string | null;
  revoked_by: string | null;
}

export const DEVICE_COLUMNS = 'id, user_id, label, created_at, last_seen_at, revoked_at, revoked_by';

export function toDevice(r: PgDevice): DeviceRow {
  return {
    id: r.id,
    userId: r.user_id,
    label: r.label,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    revokedAt: r.revoked_at,
    revokedBy: r.revoked_by,
  };
}

interface PgHamlet {
  id: string;
  commune_code: string;
  name: string;
  sort_order: number;
  active: boolean;
}
const toHamlet = (r: PgHamlet): HamletAdminRow => ({
  id: r.id,
  communeCode: r.commune_code,
  name: r.name,
  sortOrder: r.sort_order,
  active: r.active,
});

interface PgTeam {
  id: string;
  commune_code: string;
  name: string;
}
const toTeam = (r: PgTeam): TeamRow => ({ id: r.id, communeCode: r.commune_code, name: r.name });

export class PgAccountReads implements AccountReads {
  constructor(private readonly q: PgQuery) {}

  async listUsers(communeCode: string): Promise<UserRow[]> {
    const rows = await this.q.rows<PgUser>(
      `SELECT ${USER_COLUMNS} FROM users WHERE commune_code = $1 ORDER BY username`,
      [communeCode],
    );
    return rows.map(toUser);
  }

  async listTeams(communeCode: string): Promise<TeamRow[]> {
    const rows = await this.q.rows<PgTeam>(
      'SELECT id, commune_code, name FROM teams WHERE commune_code = $1 ORDER BY name, id',
      [communeCode],
    );
    return rows.map(toTeam);
  }

  async getTeam(id: string): Promise<TeamRow | null> {
    const [r] = await this.q.rows<PgTeam>('SELECT id, commune_code, name FROM teams WHERE id = $1', [id]);
    return r ? toTeam(r) : null;
  }

  async listHamlets(communeCode: string): Promise<HamletAdminRow[]> {
    const rows = await this.q.rows<PgHamlet>(
      'SELECT id, commune_code, name, sort_order, active FROM hamlets WHERE commune_code = $1 ORDER BY sort_order, id',
      [communeCode],
    );
    return rows.map(toHamlet);
  }

  async getHamlet(id: string): Promise<HamletAdminRow | null> {
    const [r] = await this.q.rows<PgHamlet>(
      'SELECT id, commune_code, name, sort_order, active FROM hamlets WHERE id = $1',
      [id],
    );
    return r ? toHamlet(r) : null;
  }

  async listDevices(communeCode: string): Promise<DeviceRow[]> {
    const cols = DEVICE_COLUMNS.split(', ')
      .map((c) => `d.${c}`)
      .join(', ');
    const rows = await this.q.rows<PgDevice>(
      `SELECT ${cols} FROM devices d JOIN users u ON u.id = d.user_id
       WHERE u.commune_code = $1 ORDER BY d.last_seen_at DESC, d.id`,
      [communeCode],
    );
    return rows.map(toDevice);
  }

  async getDevice(id: string): Promise<DeviceRow | null> {
    const [r] = await this.q.rows<PgDevice>(`SELECT ${DEVICE_COLUMNS} FROM devices WHERE id = $1`, [id]);
    return r ? toDevice(r) : null;
  }

  async findEnrolment(tokenHash: string): Promise<EnrolmentRow | null> {
    const [r] = await this.q.rows<{
      token_hash: string;
      user_id: string;
      created_by: string;
      created_at: string;
      expires_at: string;
      used_at: string | null;
    }>(
      'SELECT token_hash, user_id, created_by, created_at, expires_at, used_at FROM enrolments WHERE token_hash = $1',
      [tokenHash],
    );
    return r
      ? {
          tokenHash: r.token_hash,
          userId: r.user_id,
          createdBy: r.created_by,
          createdAt: r.created_at,
          expiresAt: r.expires_at,
          usedAt: r.used_at,
        }
      : null;
  }
}

export class PgAccountWrites implements AccountWrites {
  constructor(private readonly q: PgQuery) {}

  async updateUser(id: string, change: UserChange): Promise<void> {
    const sets: string[] = [];
    const values: unknown[] = [];
    const set = (column: string, value: unknown) => {
      values.push(value);
      sets.push(`${column} = $${values.length}`);
    };
    if (change.displayName !== undefined) set('display_name', change.displayName);
    if (change.role !== undefined) set('role', change.role);
    if (change.teamId !== undefined) set('team_id', change.teamId);
    if (change.active !== undefined) set('active', change.active);
    if (change.passwordHash !== undefined) set('password_hash', change.passwordHash);
    if (sets.length === 0) return;
    values.push(id);
    await this.q.run(`UPDATE users SET ${sets.join(', ')} WHERE id = $${values.length}`, values);
  }

  async renameTeam(id: string, name: string): Promise<void> {
    await this.q.run('UPDATE teams SET name = $1 WHERE id = $2', [name, id]);
  }

  async updateHamlet(id: string, change: { name?: string; active?: boolean }): Promise<void> {
    if (change.name !== undefined)
      await this.q.run('UPDATE hamlets SET name = $1 WHERE id = $2', [change.name, id]);
    if (change.active !== undefined)
      await this.q.run('UPDATE hamlets SET active = $1 WHERE id = $2', [change.active, id]);
  }

  async insertEnrolment(e: EnrolmentRow): Promise<void> {
    await this.q.run(
      `INSERT INTO enrolments (token_hash, user_id, created_by, created_at, expires_at, used_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [e.tokenHash, e.userId, e.createdBy, e.createdAt, e.expiresAt, e.usedAt],
    );
  }

  async useEnrolment(tokenHash: string, deviceId: string, at: string): Promise<boolean> {
    const n = await this.q.run(
      'UPDATE enrolments SET used_at = $1, device_id = $2 WHERE token_hash = $3 AND used_at IS NULL',
      [at, deviceId, tokenHash],
    );
    return n === 1;
  }

  async insertDevice(d: { id: string; userId: string; label: string; createdAt: string }): Promise<void> {
    await this.q.run(
      'INSERT INTO devices (id, user_id, label, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)',
      [d.id, d.userId, d.label, d.createdAt],
    );
  }

  async touchDevice(id: string, at: string): Promise<void> {
    await this.q.run('UPDATE devices SET last_seen_at = $1 WHERE id = $2', [at, id]);
  }

  async revokeDevice(id: string, by: string, at: string): Promise<boolean> {
    const n = await this.q.run(
      'UPDATE devices SET revoked_at = $1, revoked_by = $2 WHERE id = $3 AND revoked_at IS NULL',
      [at, by, id],
    );
    // The hand-off signing keys that phone registered end with it: a lost phone signs no bundle a
    // lead would upload. Keys of the user's other phones and password sessions stay (docs/handoff.md).
    await this.q.run(
      'UPDATE handoff_device_keys SET revoked_at = $1 WHERE device_id = $2 AND revoked_at IS NULL',
      [at, id],
    );
    return n === 1;
  }

  async createDeviceSession(tokenHash: string, userId: string, deviceId: string, at: string): Promise<void> {
    await this.q.run(
      'INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, device_id) VALUES ($1, $2, $3, $3, $4)',
      [tokenHash, userId, at, deviceId],
    );
  }

  async endUserSessions(userId: string, at: string): Promise<void> {
    await this.q.run('UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL', [
      at,
      userId,
    ]);
    // A QR code made before the change would hand out a new device token: it expires now.
    await this.q.run(
      'UPDATE enrolments SET expires_at = $1 WHERE user_id = $2 AND used_at IS NULL AND expires_at > $1',
      [at, userId],
    );
    // The phones' hand-off signing keys too: a stolen phone signs no bundle a lead would upload.
    // Signed in again, a phone has a new clientId and registers a new key (docs/handoff.md).
    await this.q.run(
      'UPDATE handoff_device_keys SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL',
      [at, userId],
    );
  }
}
