// The SQL of accounts, sessions and devices (accounts/types.ts) on PostgreSQL, on the pool or on
// one transaction's client.
import type {
  AccountReads,
  AccountWrites,
  CommuneInfo,
  DeviceRow,
  EnrolmentRow,
  HamletAdminRow,
  HamletRow,
  TeamRow,
  UserChange,
  UserRow,
} from './types.ts';
import { PgPart } from '../postgres/conn.ts';
import { USER_COLUMNS, toUser, type UserCells } from '../rows.ts';
import {
  DEVICE_COLUMNS,
  ENROLMENT_COLUMNS,
  toDevice,
  toEnrolment,
  toHamlet,
  toTeam,
  type DeviceCells,
  type EnrolmentCells,
  type HamletCells,
  type TeamCells,
} from './rows.ts';

export class PgAccountReads extends PgPart implements AccountReads {
  async getUser(id: string): Promise<UserRow | null> {
    await this.ready();
    const [r] = await this.rows<UserCells>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
    return r ? toUser(r) : null;
  }

  async findUserByUsername(username: string): Promise<UserRow | null> {
    await this.ready();
    const [r] = await this.rows<UserCells>(`SELECT ${USER_COLUMNS} FROM users WHERE username = $1`, [
      username,
    ]);
    return r ? toUser(r) : null;
  }

  async getCommune(code: string): Promise<CommuneInfo | null> {
    await this.ready();
    const [c] = await this.rows<{ code: string; name: string }>(
      'SELECT code, name FROM communes WHERE code = $1',
      [code],
    );
    if (!c) return null;
    const hamlets = await this.rows<HamletRow>(
      'SELECT id, name FROM hamlets WHERE commune_code = $1 AND active ORDER BY sort_order, id',
      [code],
    );
    return {
      code: c.code,
      name: c.name,
      hamlets: hamlets.map((h) => ({ id: h.id, name: h.name })),
    };
  }

  async hamletIds(communeCode: string): Promise<Set<string>> {
    await this.ready();
    const rows = await this.rows<{ id: string }>('SELECT id FROM hamlets WHERE commune_code = $1', [
      communeCode,
    ]);
    return new Set(rows.map((r) => r.id));
  }

  async listUsers(communeCode: string): Promise<UserRow[]> {
    const rows = await this.conn.rows<UserCells>(
      `SELECT ${USER_COLUMNS} FROM users WHERE commune_code = $1 ORDER BY username`,
      [communeCode],
    );
    return rows.map(toUser);
  }

  async listTeams(communeCode: string): Promise<TeamRow[]> {
    const rows = await this.conn.rows<TeamCells>(
      'SELECT id, commune_code, name FROM teams WHERE commune_code = $1 ORDER BY name, id',
      [communeCode],
    );
    return rows.map(toTeam);
  }

  async getTeam(id: string): Promise<TeamRow | null> {
    const [r] = await this.conn.rows<TeamCells>('SELECT id, commune_code, name FROM teams WHERE id = $1', [
      id,
    ]);
    return r ? toTeam(r) : null;
  }

  async listHamlets(communeCode: string): Promise<HamletAdminRow[]> {
    const rows = await this.conn.rows<HamletCells>(
      'SELECT id, commune_code, name, sort_order, active FROM hamlets WHERE commune_code = $1 ORDER BY sort_order, id',
      [communeCode],
    );
    return rows.map(toHamlet);
  }

  async getHamlet(id: string): Promise<HamletAdminRow | null> {
    const [r] = await this.conn.rows<HamletCells>(
      'SELECT id, commune_code, name, sort_order, active FROM hamlets WHERE id = $1',
      [id],
    );
    return r ? toHamlet(r) : null;
  }

  async listDevices(communeCode: string): Promise<DeviceRow[]> {
    const cols = DEVICE_COLUMNS.split(', ')
      .map((c) => `d.${c}`)
      .join(', ');
    const rows = await this.conn.rows<DeviceCells>(
      `SELECT ${cols} FROM devices d JOIN users u ON u.id = d.user_id
       WHERE u.commune_code = $1 ORDER BY d.last_seen_at DESC, d.id`,
      [communeCode],
    );
    return rows.map(toDevice);
  }

  async getDevice(id: string): Promise<DeviceRow | null> {
    const [r] = await this.conn.rows<DeviceCells>(`SELECT ${DEVICE_COLUMNS} FROM devices WHERE id = $1`, [
      id,
    ]);
    return r ? toDevice(r) : null;
  }

  async findEnrolment(tokenHash: string): Promise<EnrolmentRow | null> {
    const [r] = await this.conn.rows<EnrolmentCells>(
      `SELECT ${ENROLMENT_COLUMNS} FROM enrolments WHERE token_hash = $1`,
      [tokenHash],
    );
    return r ? toEnrolment(r) : null;
  }
}

export class PgAccountWrites extends PgPart implements AccountWrites {
  async communeCount(): Promise<number> {
    await this.ready();
    const [r] = await this.rows<{ n: number }>('SELECT count(*)::int AS n FROM communes');
    return r?.n ?? 0;
  }

  async addSetupToken(tokenHash: string, at: string): Promise<void> {
    await this.ready();
    await this.run('INSERT INTO setup_tokens (token_hash, created_at) VALUES ($1, $2)', [tokenHash, at]);
  }

  async hasSetupToken(tokenHash: string): Promise<boolean> {
    await this.ready();
    const rows = await this.rows('SELECT 1 FROM setup_tokens WHERE token_hash = $1', [tokenHash]);
    return rows.length > 0;
  }

  async clearSetupTokens(): Promise<void> {
    await this.ready();
    await this.run('DELETE FROM setup_tokens');
  }

  async insertCommune(code: string, name: string): Promise<void> {
    await this.ready();
    await this.run('INSERT INTO communes (code, name) VALUES ($1, $2)', [code, name]);
  }

  async legacyCitizenSecrets(): Promise<Map<string, string>> {
    await this.ready();
    const rows = await this.rows<{ code: string; legacy_citizen_secret: string }>(
      'SELECT code, legacy_citizen_secret FROM communes WHERE legacy_citizen_secret IS NOT NULL',
    );
    return new Map(rows.map((r) => [r.code, r.legacy_citizen_secret]));
  }

  async forgetLegacyCitizenSecrets(codes: readonly string[]): Promise<void> {
    await this.ready();
    await this.run('UPDATE communes SET legacy_citizen_secret = NULL WHERE code = ANY($1::text[])', [
      [...codes],
    ]);
  }

  async insertHamlet(h: { id: string; communeCode: string; name: string; sortOrder: number }): Promise<void> {
    await this.ready();
    await this.run(
      'INSERT INTO hamlets (id, commune_code, name, sort_order, active) VALUES ($1, $2, $3, $4, TRUE)',
      [h.id, h.communeCode, h.name, h.sortOrder],
    );
  }

  async insertTeam(t: { id: string; communeCode: string; name: string }): Promise<void> {
    await this.ready();
    await this.run('INSERT INTO teams (id, commune_code, name) VALUES ($1, $2, $3)', [
      t.id,
      t.communeCode,
      t.name,
    ]);
  }

  async insertUser(u: UserRow): Promise<void> {
    await this.ready();
    await this.run(`INSERT INTO users (${USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
      u.id,
      u.username,
      u.displayName,
      u.passwordHash,
      u.role,
      u.communeCode,
      u.teamId,
      u.active,
    ]);
  }

  async setUserTeam(userId: string, teamId: string | null): Promise<void> {
    await this.ready();
    await this.run('UPDATE users SET team_id = $1 WHERE id = $2', [teamId, userId]);
  }

  async createSession(tokenHash: string, userId: string, at: string): Promise<void> {
    await this.run(
      'INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)',
      [tokenHash, userId, at],
    );
  }

  async touchSession(tokenHash: string, at: string): Promise<void> {
    await this.run('UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2', [at, tokenHash]);
  }

  async revokeSession(tokenHash: string, at: string): Promise<void> {
    await this.run('UPDATE sessions SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL', [
      at,
      tokenHash,
    ]);
  }

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
    await this.conn.run(`UPDATE users SET ${sets.join(', ')} WHERE id = $${values.length}`, values);
  }

  async renameTeam(id: string, name: string): Promise<void> {
    await this.conn.run('UPDATE teams SET name = $1 WHERE id = $2', [name, id]);
  }

  async updateHamlet(id: string, change: { name?: string; active?: boolean }): Promise<void> {
    if (change.name !== undefined)
      await this.conn.run('UPDATE hamlets SET name = $1 WHERE id = $2', [change.name, id]);
    if (change.active !== undefined)
      await this.conn.run('UPDATE hamlets SET active = $1 WHERE id = $2', [change.active, id]);
  }

  async insertEnrolment(e: EnrolmentRow): Promise<void> {
    await this.conn.run(
      `INSERT INTO enrolments (token_hash, user_id, created_by, created_at, expires_at, used_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [e.tokenHash, e.userId, e.createdBy, e.createdAt, e.expiresAt, e.usedAt],
    );
  }

  async useEnrolment(tokenHash: string, deviceId: string, at: string): Promise<boolean> {
    const n = await this.conn.run(
      'UPDATE enrolments SET used_at = $1, device_id = $2 WHERE token_hash = $3 AND used_at IS NULL',
      [at, deviceId, tokenHash],
    );
    return n === 1;
  }

  async insertDevice(d: { id: string; userId: string; label: string; createdAt: string }): Promise<void> {
    await this.conn.run(
      'INSERT INTO devices (id, user_id, label, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)',
      [d.id, d.userId, d.label, d.createdAt],
    );
  }

  async touchDevice(id: string, at: string): Promise<void> {
    await this.conn.run('UPDATE devices SET last_seen_at = $1 WHERE id = $2', [at, id]);
  }

  async revokeDevice(id: string, by: string, at: string): Promise<boolean> {
    const n = await this.conn.run(
      'UPDATE devices SET revoked_at = $1, revoked_by = $2 WHERE id = $3 AND revoked_at IS NULL',
      [at, by, id],
    );
    // The hand-off signing keys that phone registered end with it: a lost phone signs no bundle a
    // lead would upload. Keys of the user's other phones and password sessions stay (docs/handoff.md).
    await this.conn.run(
      'UPDATE handoff_device_keys SET revoked_at = $1 WHERE device_id = $2 AND revoked_at IS NULL',
      [at, id],
    );
    return n === 1;
  }

  async createDeviceSession(tokenHash: string, userId: string, deviceId: string, at: string): Promise<void> {
    await this.conn.run(
      'INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, device_id) VALUES ($1, $2, $3, $3, $4)',
      [tokenHash, userId, at, deviceId],
    );
  }

  async endUserSessions(userId: string, at: string): Promise<void> {
    await this.conn.run('UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL', [
      at,
      userId,
    ]);
    // A QR code made before the change would hand out a new device token: it expires now.
    await this.conn.run(
      'UPDATE enrolments SET expires_at = $1 WHERE user_id = $2 AND used_at IS NULL AND expires_at > $1',
      [at, userId],
    );
    // The phones' hand-off signing keys too: a stolen phone signs no bundle a lead would upload.
    // Signed in again, a phone has a new clientId and registers a new key (docs/handoff.md).
    await this.conn.run(
      'UPDATE handoff_device_keys SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL',
      [at, userId],
    );
  }
}
