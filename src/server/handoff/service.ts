// Hand-off on the server (docs/handoff.md): the commune's keys, device key registration, and a
// lead's upload of a volunteer's bundle, pushed on the volunteer's behalf with the volunteer's own
// clientId and seqs, so the volunteer's later push of the same mutations changes nothing.
import { AppError, MAX_PUSH_MUTATIONS, type MutationResult } from '../../shared/index.ts';
import {
  fromBase64Url,
  generateCommuneKey,
  importEcdhPrivate,
  importSignKey,
  importVerifyKey,
  keyIdOf,
  openBundle,
  parseBundle,
  signReceipt,
  toBase64Url,
  type BundleUploadResponse,
  type CommuneKeyResponse,
  type LoginHandoff,
  type RegisterDeviceKeyRequest,
  type TeamDeviceKey,
} from '../../shared/handoff/index.ts';
import type { ServerKeys } from '../privacy/keys.ts';
import type { HandoffCommuneKeyRow, Store, UserRow } from '../store/store.ts';
import { claimClient } from '../sync/clients.ts';
import { push } from '../sync/push.ts';

/** The commune's key pairs, made on first use (two racing requests keep the first one stored). */
export async function communeKey(
  store: Store,
  communeCode: string,
  now = new Date(),
): Promise<HandoffCommuneKeyRow> {
  const found = await store.transaction((tx) => tx.getHandoffCommuneKey(communeCode));
  if (found) return found;
  const made = await generateCommuneKey();
  return store.transaction(async (tx) => {
    await tx.insertHandoffCommuneKey({ communeCode, ...made, createdAt: now.toISOString() });
    const row = await tx.getHandoffCommuneKey(communeCode);
    if (!row) throw new Error(`no hand-off key stored for commune ${communeCode}`);
    return row;
  });
}

/** What every phone receives at login. */
export async function loginHandoff(store: Store, communeCode: string): Promise<LoginHandoff> {
  const k = await communeKey(store, communeCode);
  return { communeKeyId: k.keyId, encryptPublic: k.encryptPublic, receiptPublic: k.receiptPublic };
}

/** Leads and admins of the commune only: the private key that opens bundles offline. */
export async function communePrivateKey(store: Store, user: UserRow): Promise<CommuneKeyResponse> {
  if (user.role !== 'lead' && user.role !== 'admin') throw new AppError('forbidden', { reason: 'role' });
  const k = await communeKey(store, user.communeCode);
  return {
    communeCode: k.communeCode,
    communeKeyId: k.keyId,
    encryptPublic: k.encryptPublic,
    encryptPrivate: k.encryptPrivate,
    receiptPublic: k.receiptPublic,
  };
}

/** A phone registers its signing key, bound to its user and its sync clientId. */
export async function registerDeviceKey(
  store: Store,
  user: UserRow,
  req: RegisterDeviceKeyRequest,
  /** The enrolled device whose session registers the key; null from a password session. */
  deviceId: string | null,
  now = new Date(),
): Promise<{ keyId: string }> {
  const raw = fromBase64Url(req.publicKey);
  try {
    if (!raw) throw new Error('not base64url');
    await importVerifyKey(req.publicKey);
  } catch {
    throw new AppError('invalid_request', {
      fields: [{ field: 'publicKey', code: 'invalid', message: 'Khóa công khai không hợp lệ.' }],
    });
  }
  const keyId = await keyIdOf(raw);
  const at = now.toISOString();
  await claimClient(store, user.id, req.clientId, at);
  await store.transaction(async (tx) => {
    const known = await tx.getHandoffDeviceKey(keyId);
    if (known && (known.userId !== user.id || known.clientId !== req.clientId))
      throw new AppError('id_conflict', { reason: 'key_of_another_device' });
    if (!known)
      await tx.insertHandoffDeviceKey({
        keyId,
        userId: user.id,
        clientId: req.clientId,
        publicKey: req.publicKey,
        createdAt: at,
        revokedAt: null,
        deviceId,
      });
  });
  return { keyId };
}

/** A lead's team's device keys (revoked ones included, marked), for offline verification. */
export async function teamDeviceKeys(store: Store, user: UserRow): Promise<TeamDeviceKey[]> {
  if (user.role !== 'lead' || user.teamId === null) throw new AppError('forbidden', { reason: 'role' });
  const teamId = user.teamId;
  const rows = await store.transaction((tx) => tx.listHandoffDeviceKeys(teamId));
  const people = new Map<string, UserRow | null>();
  for (const r of rows) if (!people.has(r.userId)) people.set(r.userId, await store.getUser(r.userId));
  return rows.map((r) => {
    const u = people.get(r.userId);
    return {
      keyId: r.keyId,
      userId: r.userId,
      username: u?.username ?? '',
      displayName: u?.displayName ?? '',
      clientId: r.clientId,
      publicKey: r.publicKey,
      revoked: r.revokedAt !== null || u?.active === false,
    };
  });
}

async function digestOf(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return toBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
}

/**
 * A lead uploads a volunteer's bundle. Every check of the lead's device is made again here with
 * the server's own records (key registered, not revoked, bound to the volunteer; signature; commune
 * key), the volunteer must be in the lead's team (else 403), then the mutations go through the
 * ordinary push, as the volunteer, with the volunteer's clientId and seqs, 100 at a time.
 */
export async function receiveBundle(
  store: Store,
  lead: UserRow,
  bundleText: string,
  now = new Date(),
  keys?: ServerKeys,
): Promise<BundleUploadResponse> {
  if (lead.role !== 'lead' || lead.teamId === null) throw new AppError('forbidden', { reason: 'role' });
  const bytes = fromBase64Url(bundleText);
  if (!bytes) throw new AppError('handoff_corrupt', { reason: 'base64' });
  const { header } = parseBundle(bytes);
  const digest = await digestOf(bytes);
  const stored = await store.transaction((tx) => tx.getHandoffBundle(header.bundleId));
  if (stored) {
    // Only a lead of the volunteer's team, as for the first upload: holding the bytes is not enough
    // to be answered the receipt (checked first, so others cannot probe which bundle ids exist).
    const owner = await store.getUser(stored.volunteerId);
    if (!owner || owner.communeCode !== lead.communeCode || owner.teamId !== lead.teamId)
      throw new AppError('handoff_other_team');
    // The same bytes again (a lost answer, a second lead): the stored receipt, nothing new.
    if (stored.digest !== digest) throw new AppError('handoff_replayed');
    return {
      bundleId: stored.bundleId,
      volunteerId: stored.volunteerId,
      clientId: stored.clientId,
      count: stored.count,
      ackedSeq: header.seqTo,
      statuses: {},
      repeated: true,
      receipt: stored.receipt,
    };
  }
  const key = await communeKey(store, lead.communeCode);
  const opened = await openBundle(bytes, {
    communeCode: lead.communeCode,
    communeKeyId: key.keyId,
    communePrivate: await importEcdhPrivate(key.encryptPrivate),
    findDeviceKey: async (keyId) => {
      const k = await store.transaction((tx) => tx.getHandoffDeviceKey(keyId));
      return k && { ...k, revoked: k.revokedAt !== null };
    },
    importVerifyKey,
    seen: async () => false,
  });
  const volunteer = await store.getUser(opened.device.userId);
  if (!volunteer || !volunteer.active) throw new AppError('handoff_revoked', { reason: 'user_inactive' });
  if (volunteer.communeCode !== lead.communeCode || volunteer.teamId !== lead.teamId)
    throw new AppError('handoff_other_team');

  const statuses: Record<string, number> = {};
  let ackedSeq = 0;
  const mutations = [...opened.mutations].sort((a, b) => a.seq - b.seq);
  for (let i = 0; i < mutations.length; i += MAX_PUSH_MUTATIONS) {
    const res = await push(
      store,
      volunteer,
      {
        clientId: header.clientId,
        schemaVersion: header.schemaVersion,
        mutations: mutations.slice(i, i + MAX_PUSH_MUTATIONS),
      },
      now,
      // Sealed ID numbers and contacts in the bundle open here, as in the volunteer's own push.
      keys,
    );
    ackedSeq = res.ackedSeq;
    count(statuses, res.results);
  }
  const acked = mutations.filter((m) => m.seq <= ackedSeq);
  const receipt = await signReceipt(
    {
      bundleId: header.bundleId,
      clientId: header.clientId,
      volunteerId: volunteer.id,
      communeCode: lead.communeCode,
      seqFrom: header.seqFrom,
      ackedSeq: Math.min(ackedSeq, header.seqTo),
      mutationIds: acked.map((m) => m.mutationId),
      at: now.toISOString(),
    },
    await importSignKey(key.receiptPrivate),
  );
  // Kept (for replay checks and the stored receipt) only once every mutation was acknowledged; a
  // bundle stopped at a seq gap may be uploaded again and goes on from the server's acked seq.
  if (ackedSeq >= header.seqTo)
    await store.transaction(async (tx) => {
      if (await tx.getHandoffBundle(header.bundleId)) return;
      await tx.insertHandoffBundle({
        bundleId: header.bundleId,
        keyId: header.deviceKeyId,
        clientId: header.clientId,
        volunteerId: volunteer.id,
        leadId: lead.id,
        digest,
        count: header.count,
        receipt,
        receivedAt: now.toISOString(),
      });
    });
  return {
    bundleId: header.bundleId,
    volunteerId: volunteer.id,
    clientId: header.clientId,
    count: header.count,
    ackedSeq: Math.min(ackedSeq, header.seqTo),
    statuses,
    repeated: false,
    receipt,
  };
}

function count(into: Record<string, number>, results: readonly MutationResult[]): void {
  for (const r of results) into[r.status] = (into[r.status] ?? 0) + 1;
}

/** Device revocation: every hand-off key of that device's sync client is revoked with it. */
export async function revokeClientKeys(store: Store, clientId: string, now = new Date()): Promise<number> {
  return store.transaction((tx) => tx.revokeHandoffKeysOfClient(clientId, now.toISOString()));
}

/** One key revoked by its id. */
export async function revokeDeviceKey(store: Store, keyId: string, now = new Date()): Promise<void> {
  await store.transaction((tx) => tx.revokeHandoffDeviceKey(keyId, now.toISOString()));
}
