// Communes, hamlets, teams, users, sessions and devices as the Store sees them (migration
// 20261128-07-devices); both stores implement these in accounts/sqlite.ts and accounts/postgres.ts.
import type { Role } from '../../../shared/index.ts';

/** A user account as stored (the password only as its hash). */
export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
  role: Role;
  communeCode: string;
  teamId: string | null;
  active: boolean;
}

export interface HamletRow {
  id: string;
  name: string;
}

export interface CommuneInfo {
  code: string;
  name: string;
  /** Active hamlets, in the commune's own order. */
  hamlets: HamletRow[];
}

/** A live session of a user (by its token hash). */
export interface Session {
  user: UserRow;
  lastSeenAt: string;
}
export interface TeamRow {
  id: string;
  communeCode: string;
  name: string;
}

export interface HamletAdminRow {
  id: string;
  communeCode: string;
  name: string;
  sortOrder: number;
  active: boolean;
}

export interface DeviceRow {
  id: string;
  userId: string;
  label: string;
  createdAt: string;
  /** Last authenticated request from this device (written at most every few minutes). */
  lastSeenAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
}

export interface EnrolmentRow {
  tokenHash: string;
  userId: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

/**
 * A session by its token, whatever its own, its user's or its device's state (the hook decides: a
 * disabled user or a revoked device is told apart from a session that was merely ended).
 */
export interface DeviceSession {
  user: UserRow;
  lastSeenAt: string;
  /** Set by a logout, or by an admin's change that ends every session of the user. */
  revokedAt: string | null;
  /** Null for a session made before devices existed. */
  device: DeviceRow | null;
}

export interface UserChange {
  displayName?: string;
  role?: Role;
  teamId?: string | null;
  active?: boolean;
  passwordHash?: string;
}

export interface AccountReads {
  getUser(id: string): Promise<UserRow | null>;
  findUserByUsername(username: string): Promise<UserRow | null>;
  getCommune(code: string): Promise<CommuneInfo | null>;
  /** All hamlet ids of a commune, active or not (an old record may name a retired hamlet). */
  hamletIds(communeCode: string): Promise<Set<string>>;
  /** Every user of a commune, by username. */
  listUsers(communeCode: string): Promise<UserRow[]>;
  listTeams(communeCode: string): Promise<TeamRow[]>;
  getTeam(id: string): Promise<TeamRow | null>;
  /** Every hamlet of a commune, retired ones included, in the commune's order. */
  listHamlets(communeCode: string): Promise<HamletAdminRow[]>;
  getHamlet(id: string): Promise<HamletAdminRow | null>;
  /** Devices of the commune's users, most recent contact first. */
  listDevices(communeCode: string): Promise<DeviceRow[]>;
  getDevice(id: string): Promise<DeviceRow | null>;
  findEnrolment(tokenHash: string): Promise<EnrolmentRow | null>;
}

export interface AccountWrites {
  insertCommune(code: string, name: string): Promise<void>;
  /** How many communes exist (none: the first-run set-up is pending). */
  communeCount(): Promise<number>;
  /** Keep the SHA-256 of a set-up link's token (docs/operations.md, first run). */
  addSetupToken(tokenHash: string, at: string): Promise<void>;
  hasSetupToken(tokenHash: string): Promise<boolean>;
  /** Spend every set-up link: the set-up is done. */
  clearSetupTokens(): Promise<void>;
  /** Secrets of citizenKey still in the database (communes older than migration 20261207-01), by commune code. */
  legacyCitizenSecrets(): Promise<Map<string, string>>;
  /** Empty the database's copy of these communes' secrets (once the key file holds them). */
  forgetLegacyCitizenSecrets(codes: readonly string[]): Promise<void>;
  insertHamlet(h: { id: string; communeCode: string; name: string; sortOrder: number }): Promise<void>;
  insertTeam(t: { id: string; communeCode: string; name: string }): Promise<void>;
  insertUser(u: UserRow): Promise<void>;
  /** Move a user to another team (or none). Their next pull with an older cursor resets. */
  setUserTeam(userId: string, teamId: string | null): Promise<void>;

  createSession(tokenHash: string, userId: string, at: string): Promise<void>;
  touchSession(tokenHash: string, at: string): Promise<void>;
  revokeSession(tokenHash: string, at: string): Promise<void>;
  updateUser(id: string, change: UserChange): Promise<void>;
  renameTeam(id: string, name: string): Promise<void>;
  updateHamlet(id: string, change: { name?: string; active?: boolean }): Promise<void>;
  insertEnrolment(e: EnrolmentRow): Promise<void>;
  /** Marks an unused enrolment used by `deviceId`; false when it was used already. */
  useEnrolment(tokenHash: string, deviceId: string, at: string): Promise<boolean>;
  insertDevice(d: { id: string; userId: string; label: string; createdAt: string }): Promise<void>;
  touchDevice(id: string, at: string): Promise<void>;
  /** Also revokes the hand-off signing keys the device registered. False when revoked already. */
  revokeDevice(id: string, by: string, at: string): Promise<boolean>;
  createDeviceSession(tokenHash: string, userId: string, deviceId: string, at: string): Promise<void>;
  /**
   * Ends every live session (password and enrolled devices alike) of a user; its unused enrolments
   * expire and its hand-off signing keys are revoked.
   */
  endUserSessions(userId: string, at: string): Promise<void>;
}
