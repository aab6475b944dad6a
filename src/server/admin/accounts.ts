// Accounts and devices on the server side: wire shapes of the admin's lists, the device label made
// from a User-Agent, and the rules an admin's change must follow (own commune, team required).
import type { AdminDevice, AdminUser } from '../../shared/admin.ts';
import { AppError, fieldMessageVi, type Role } from '../../shared/index.ts';
import type { DeviceRow } from '../store/accounts/types.ts';
import type { Reads, UserRow } from '../store/store.ts';

/** Stored as the password hash of an account made without a password: no password ever matches it. */
export const NO_PASSWORD = 'none';

export function toAdminUser(u: UserRow): AdminUser {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    teamId: u.teamId,
    active: u.active,
    hasPassword: u.passwordHash !== NO_PASSWORD,
  };
}

export function toAdminDevice(d: DeviceRow): AdminDevice {
  return {
    id: d.id,
    userId: d.userId,
    label: d.label,
    createdAt: d.createdAt,
    lastSeenAt: d.lastSeenAt,
    revokedAt: d.revokedAt,
  };
}

/** A short human label for a device from its User-Agent (the admin tells phones apart by it). */
export function deviceLabel(userAgent: string | undefined, given?: string): string {
  const own = given?.trim();
  if (own) return own.slice(0, 80);
  const ua = userAgent ?? '';
  const os = /Android/i.test(ua)
    ? 'Android'
    : /iPhone|iPad|iOS/i.test(ua)
      ? 'iPhone/iPad'
      : /Windows/i.test(ua)
        ? 'Windows'
        : /Mac OS X|Macintosh/i.test(ua)
          ? 'Mac'
          : /Linux/i.test(ua)
            ? 'Linux'
            : 'Thiết bị';
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\//.test(ua)
      ? 'Firefox'
      : /Chrome\/|Chromium\//.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : '';
  return browser ? `${os} · ${browser}` : os;
}

export function fieldError(field: string, code: string, message?: string): AppError {
  return new AppError('invalid_request', {
    fields: [{ field, code, message: message ?? fieldMessageVi(field, code) }],
  });
}

/** A trimmed, non-empty name (a field of spaces only is refused as missing). */
export function cleanName(field: string, value: string): string {
  const v = value.normalize('NFC').trim();
  if (!v) throw fieldError(field, 'required', 'Vui lòng nhập tên.');
  return v;
}

/** Volunteers and leads belong to a team of the admin's commune; others may have none. */
export async function checkTeam(
  reads: Reads,
  communeCode: string,
  role: Role,
  teamId: string | null,
): Promise<void> {
  if (teamId === null) {
    if (role === 'volunteer' || role === 'lead')
      throw fieldError('teamId', 'required', 'Tình nguyện viên và tổ trưởng phải thuộc một tổ.');
    return;
  }
  const team = await reads.getTeam(teamId);
  if (!team || team.communeCode !== communeCode)
    throw fieldError('teamId', 'unknown_team', 'Tổ không thuộc xã của bạn.');
}
