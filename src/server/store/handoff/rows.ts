// Column lists and row mapping of the hand-off tables (migration 20261128-08-handoff), shared by
// the SQLite and PostgreSQL stores.
import type { HandoffBundleRow, HandoffCommuneKeyRow, HandoffDeviceKeyRow } from './types.ts';

export const COMMUNE_KEY_COLUMNS =
  'commune_code, key_id, encrypt_public, encrypt_private, receipt_public, receipt_private, created_at';
export const DEVICE_KEY_COLUMNS = 'key_id, user_id, client_id, public_key, created_at, revoked_at, device_id';
export const BUNDLE_COLUMNS =
  'bundle_id, key_id, client_id, volunteer_id, lead_id, digest, mutation_count, receipt, received_at';

type Raw = Record<string, unknown>;
const s = (v: unknown): string => String(v);
const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v));

export function toCommuneKey(r: Raw): HandoffCommuneKeyRow {
  return {
    communeCode: s(r.commune_code),
    keyId: s(r.key_id),
    encryptPublic: s(r.encrypt_public),
    encryptPrivate: s(r.encrypt_private),
    receiptPublic: s(r.receipt_public),
    receiptPrivate: s(r.receipt_private),
    createdAt: iso(r.created_at),
  };
}

export function communeKeyValues(k: HandoffCommuneKeyRow): string[] {
  return [
    k.communeCode,
    k.keyId,
    k.encryptPublic,
    k.encryptPrivate,
    k.receiptPublic,
    k.receiptPrivate,
    k.createdAt,
  ];
}

export function toDeviceKey(r: Raw): HandoffDeviceKeyRow {
  return {
    keyId: s(r.key_id),
    userId: s(r.user_id),
    clientId: s(r.client_id),
    publicKey: s(r.public_key),
    createdAt: iso(r.created_at),
    revokedAt: r.revoked_at === null || r.revoked_at === undefined ? null : iso(r.revoked_at),
    deviceId: r.device_id === null || r.device_id === undefined ? null : s(r.device_id),
  };
}

export function deviceKeyValues(k: HandoffDeviceKeyRow): (string | null)[] {
  return [k.keyId, k.userId, k.clientId, k.publicKey, k.createdAt, k.revokedAt, k.deviceId];
}

export function toBundle(r: Raw): HandoffBundleRow {
  return {
    bundleId: s(r.bundle_id),
    keyId: s(r.key_id),
    clientId: s(r.client_id),
    volunteerId: s(r.volunteer_id),
    leadId: s(r.lead_id),
    digest: s(r.digest),
    count: Number(r.mutation_count),
    receipt: s(r.receipt),
    receivedAt: iso(r.received_at),
  };
}

export function bundleValues(b: HandoffBundleRow): (string | number)[] {
  return [
    b.bundleId,
    b.keyId,
    b.clientId,
    b.volunteerId,
    b.leadId,
    b.digest,
    b.count,
    b.receipt,
    b.receivedAt,
  ];
}
