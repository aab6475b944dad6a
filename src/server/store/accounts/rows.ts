// Row shapes of the account tables as either database returns them, and their one mapping to the
// account types (the shared columns' mapping is store/rows.ts).
import { USER_COLUMNS, isTrue, prefixed, toUser, type UserCells } from '../rows.ts';
import type { DeviceRow, DeviceSession, EnrolmentRow, HamletAdminRow, TeamRow } from './types.ts';

export interface DeviceCells {
  id: string;
  user_id: string;
  label: string;
  created_at: string;
  last_seen_at: string;
  revoked_at: string | null;
  revoked_by: string | null;
}

export const DEVICE_COLUMNS = 'id, user_id, label, created_at, last_seen_at, revoked_at, revoked_by';

export function toDevice(r: DeviceCells): DeviceRow {
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

export interface HamletCells {
  id: string;
  commune_code: string;
  name: string;
  sort_order: number;
  active: number | boolean;
}

export const toHamlet = (r: HamletCells): HamletAdminRow => ({
  id: r.id,
  communeCode: r.commune_code,
  name: r.name,
  sortOrder: r.sort_order,
  active: isTrue(r.active),
});

export interface TeamCells {
  id: string;
  commune_code: string;
  name: string;
}

export const toTeam = (r: TeamCells): TeamRow => ({ id: r.id, communeCode: r.commune_code, name: r.name });

export interface EnrolmentCells {
  token_hash: string;
  user_id: string;
  created_by: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export const ENROLMENT_COLUMNS = 'token_hash, user_id, created_by, created_at, expires_at, used_at';

export const toEnrolment = (r: EnrolmentCells): EnrolmentRow => ({
  tokenHash: r.token_hash,
  userId: r.user_id,
  createdBy: r.created_by,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  usedAt: r.used_at,
});

/**
 * findDeviceSession's query up to the token's parameter (`?` or `$1`): the user, the session's
 * times and the device, its columns as `d_…`.
 */
export const DEVICE_SESSION_SQL = `SELECT ${prefixed(USER_COLUMNS, 'u')}, s.last_seen_at AS s_last_seen_at,
  s.revoked_at AS s_revoked_at, ${DEVICE_COLUMNS.split(', ')
    .map((c) => `d.${c} AS d_${c}`)
    .join(', ')}
  FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN devices d ON d.id = s.device_id
  WHERE s.token_hash = `;

export type DeviceSessionCells = UserCells & { s_last_seen_at: string; s_revoked_at: string | null } & Record<
    string,
    string | null
  >;

export function toDeviceSession(r: DeviceSessionCells): DeviceSession {
  const device =
    r.d_id == null
      ? null
      : toDevice({
          id: r.d_id,
          user_id: r.d_user_id ?? '',
          label: r.d_label ?? '',
          created_at: r.d_created_at ?? '',
          last_seen_at: r.d_last_seen_at ?? '',
          revoked_at: r.d_revoked_at ?? null,
          revoked_by: r.d_revoked_by ?? null,
        });
  return { user: toUser(r), lastSeenAt: r.s_last_seen_at, revokedAt: r.s_revoked_at, device };
}
