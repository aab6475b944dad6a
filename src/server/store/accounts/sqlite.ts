// The SQL of accounts, sessions and devices (accounts/types.ts) for one better-sqlite3 connection.
import type {
  AccountReads,
  AccountWrites,
  DeviceRow,
  EnrolmentRow,
  HamletAdminRow,
  TeamRow,
  CommuneInfo,
  HamletRow,
  UserChange,
  UserRow,
} from './types.ts';
import type { Statements } from '../sqlite/statements.ts';
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

export class SqliteAccountReads implements AccountReads {
  async getUser(id: string): Promise<UserRow | null> {
    const r = this.sql.get(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`).get(id) as UserCells | undefined;
    return r ? toUser(r) : null;
  }

  async findUserByUsername(username: string): Promise<UserRow | null> {
    const r = this.sql.get(`SELECT ${USER_COLUMNS} FROM users WHERE username = ?`).get(username) as
      UserCells | undefined;
    return r ? toUser(r) : null;
  }

  async getCommune(code: string): Promise<CommuneInfo | null> {
    const c = this.sql.get('SELECT code, name FROM communes WHERE code = ?').get(code) as
      { code: string; name: string } | undefined;
    if (!c) return null;
    const hamlets = this.sql
      .get('SELECT id, name FROM hamlets WHERE commune_code = ? AND active = 1 ORDER BY sort_order, id')
      .all(code) as HamletRow[];
    return { code: c.code, name: c.name, hamlets };
  }

  async hamletIds(communeCode: string): Promise<Set<string>> {
    const rows = this.sql.get('SELECT id FROM hamlets WHERE commune_code = ?').all(communeCode) as {
      id: string;
    }[];
    return new Set(rows.map((r) => r.id));
  }

  constructor(private readonly sql: Statements) {}

  async listUsers(communeCode: string): Promise<UserRow[]> {
    const rows = this.sql
      .get(`SELECT ${USER_COLUMNS} FROM users WHERE commune_code = ? ORDER BY username`)
      .all(communeCode) as UserCells[];
    return rows.map(toUser);
  }

  async listTeams(communeCode: string): Promise<TeamRow[]> {
    const rows = this.sql
      .get('SELECT id, commune_code, name FROM teams WHERE commune_code = ? ORDER BY name, id')
      .all(communeCode) as TeamCells[];
    return rows.map(toTeam);
  }

  async getTeam(id: string): Promise<TeamRow | null> {
    const r = this.sql.get('SELECT id, commune_code, name FROM teams WHERE id = ?').get(id) as
      TeamCells | undefined;
    return r ? toTeam(r) : null;
  }

  async listHamlets(communeCode: string): Promise<HamletAdminRow[]> {
    const rows = this.sql
      .get(
        'SELECT id, commune_code, name, sort_order, active FROM hamlets WHERE commune_code = ? ORDER BY sort_order, id',
      )
      .all(communeCode) as HamletCells[];
    return rows.map(toHamlet);
  }

  async getHamlet(id: string): Promise<HamletAdminRow | null> {
    const r = this.sql
      .get('SELECT id, commune_code, name, sort_order, active FROM hamlets WHERE id = ?')
      .get(id) as HamletCells | undefined;
    return r ? toHamlet(r) : null;
  }

  async listDevices(communeCode: string): Promise<DeviceRow[]> {
    const cols = DEVICE_COLUMNS.split(', ')
      .map((c) => `d.${c}`)
      .join(', ');
    const rows = this.sql
      .get(
        `SELECT ${cols} FROM devices d JOIN users u ON u.id = d.user_id
         WHERE u.commune_code = ? ORDER BY d.last_seen_at DESC, d.id`,
      )
      .all(communeCode) as DeviceCells[];
    return rows.map(toDevice);
  }

  async getDevice(id: string): Promise<DeviceRow | null> {
    const r = this.sql.get(`SELECT ${DEVICE_COLUMNS} FROM devices WHERE id = ?`).get(id) as
      DeviceCells | undefined;
    return r ? toDevice(r) : null;
  }

  async findEnrolment(tokenHash: string): Promise<EnrolmentRow | null> {
    const r = this.sql
      .get(`SELECT ${ENROLMENT_COLUMNS} FROM enrolments WHERE token_hash = ?`)
      .get(tokenHash) as EnrolmentCells | undefined;
    return r ? toEnrolment(r) : null;
  }
}

export class SqliteAccountWrites implements AccountWrites {
  async communeCount(): Promise<number> {
    return (this.sql.get('SELECT count(*) AS n FROM communes').get() as { n: number }).n;
  }

  async addSetupToken(tokenHash: string, at: string): Promise<void> {
    this.sql.get('INSERT INTO setup_tokens (token_hash, created_at) VALUES (?, ?)').run(tokenHash, at);
  }

  async hasSetupToken(tokenHash: string): Promise<boolean> {
    return this.sql.get('SELECT 1 FROM setup_tokens WHERE token_hash = ?').get(tokenHash) !== undefined;
  }

  async clearSetupTokens(): Promise<void> {
    this.sql.get('DELETE FROM setup_tokens').run();
  }

  async insertCommune(code: string, name: string): Promise<void> {
    this.sql.get('INSERT INTO communes (code, name) VALUES (?, ?)').run(code, name);
  }

  async legacyCitizenSecrets(): Promise<Map<string, string>> {
    const rows = this.sql
      .get('SELECT code, legacy_citizen_secret FROM communes WHERE legacy_citizen_secret IS NOT NULL')
      .all() as { code: string; legacy_citizen_secret: string }[];
    return new Map(rows.map((r) => [r.code, r.legacy_citizen_secret]));
  }

  async forgetLegacyCitizenSecrets(codes: readonly string[]): Promise<void> {
    this.sql
      .get('UPDATE communes SET legacy_citizen_secret = NULL WHERE code IN (SELECT value FROM json_each(?))')
      .run(JSON.stringify(codes));
  }

  async insertHamlet(h: { id: string; communeCode: string; name: string; sortOrder: number }): Promise<void> {
    this.sql
      .get('INSERT INTO hamlets (id, commune_code, name, sort_order, active) VALUES (?, ?, ?, ?, 1)')
      .run(h.id, h.communeCode, h.name, h.sortOrder);
  }

  async insertTeam(t: { id: string; communeCode: string; name: string }): Promise<void> {
    this.sql
      .get('INSERT INTO teams (id, commune_code, name) VALUES (?, ?, ?)')
      .run(t.id, t.communeCode, t.name);
  }

  async insertUser(u: UserRow): Promise<void> {
    this.sql
      .get(`INSERT INTO users (${USER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(
        u.id,
        u.username,
        u.displayName,
        u.passwordHash,
        u.role,
        u.communeCode,
        u.teamId,
        u.active ? 1 : 0,
      );
  }

  async setUserTeam(userId: string, teamId: string | null): Promise<void> {
    this.sql.get('UPDATE users SET team_id = ? WHERE id = ?').run(teamId, userId);
  }

  async createSession(tokenHash: string, userId: string, at: string): Promise<void> {
    this.sql
      .get('INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)')
      .run(tokenHash, userId, at, at);
  }

  async touchSession(tokenHash: string, at: string): Promise<void> {
    this.sql.get('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?').run(at, tokenHash);
  }

  async revokeSession(tokenHash: string, at: string): Promise<void> {
    this.sql
      .get('UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL')
      .run(at, tokenHash);
  }

  constructor(private readonly sql: Statements) {}

  async updateUser(id: string, change: UserChange): Promise<void> {
    const sets: string[] = [];
    const values: unknown[] = [];
    const set = (column: string, value: unknown) => {
      sets.push(`${column} = ?`);
      values.push(value);
    };
    if (change.displayName !== undefined) set('display_name', change.displayName);
    if (change.role !== undefined) set('role', change.role);
    if (change.teamId !== undefined) set('team_id', change.teamId);
    if (change.active !== undefined) set('active', change.active ? 1 : 0);
    if (change.passwordHash !== undefined) set('password_hash', change.passwordHash);
    if (sets.length === 0) return;
    this.sql.get(`UPDATE users SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
  }

  async renameTeam(id: string, name: string): Promise<void> {
    this.sql.get('UPDATE teams SET name = ? WHERE id = ?').run(name, id);
  }

  async updateHamlet(id: string, change: { name?: string; active?: boolean }): Promise<void> {
    if (change.name !== undefined)
      this.sql.get('UPDATE hamlets SET name = ? WHERE id = ?').run(change.name, id);
    if (change.active !== undefined)
      this.sql.get('UPDATE hamlets SET active = ? WHERE id = ?').run(change.active ? 1 : 0, id);
  }

  async insertEnrolment(e: EnrolmentRow): Promise<void> {
    this.sql
      .get(
        `INSERT INTO enrolments (token_hash, user_id, created_by, created_at, expires_at, used_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(e.tokenHash, e.userId, e.createdBy, e.createdAt, e.expiresAt, e.usedAt);
  }

  async useEnrolment(tokenHash: string, deviceId: string, at: string): Promise<boolean> {
    const r = this.sql
      .get('UPDATE enrolments SET used_at = ?, device_id = ? WHERE token_hash = ? AND used_at IS NULL')
      .run(at, deviceId, tokenHash);
    return r.changes === 1;
  }

  async insertDevice(d: { id: string; userId: string; label: string; createdAt: string }): Promise<void> {
    this.sql
      .get('INSERT INTO devices (id, user_id, label, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)')
      .run(d.id, d.userId, d.label, d.createdAt, d.createdAt);
  }

  async touchDevice(id: string, at: string): Promise<void> {
    this.sql.get('UPDATE devices SET last_seen_at = ? WHERE id = ?').run(at, id);
  }

  async revokeDevice(id: string, by: string, at: string): Promise<boolean> {
    const r = this.sql
      .get('UPDATE devices SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL')
      .run(at, by, id);
    // The hand-off signing keys that phone registered end with it: a lost phone signs no bundle a
    // lead would upload. Keys of the user's other phones and password sessions stay (docs/handoff.md).
    this.sql
      .get('UPDATE handoff_device_keys SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL')
      .run(at, id);
    return r.changes === 1;
  }

  async createDeviceSession(tokenHash: string, userId: string, deviceId: string, at: string): Promise<void> {
    this.sql
      .get(
        'INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, device_id) VALUES (?, ?, ?, ?, ?)',
      )
      .run(tokenHash, userId, at, at, deviceId);
  }

  async endUserSessions(userId: string, at: string): Promise<void> {
    this.sql
      .get('UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL')
      .run(at, userId);
    // A QR code made before the change would hand out a new device token: it expires now.
    this.sql
      .get('UPDATE enrolments SET expires_at = ? WHERE user_id = ? AND used_at IS NULL AND expires_at > ?')
      .run(at, userId, at);
    // The phones' hand-off signing keys too: a stolen phone signs no bundle a lead would upload.
    // Signed in again, a phone has a new clientId and registers a new key (docs/handoff.md).
    this.sql
      .get('UPDATE handoff_device_keys SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL')
      .run(at, userId);
  }
}
