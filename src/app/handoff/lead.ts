// The lead's side of the hand-off (docs/handoff.md): while online, fetch the commune's private key
// and the team's device keys; offline, open a bundle (file or QR frames), verify it and queue it;
// online again, upload the queued bundles (the server pushes them on each volunteer's behalf) and
// keep the signed receipt to show the volunteer.
import { AppError } from '../../shared/index.ts';
import {
  BundleUploadResponse,
  CommuneKeyResponse,
  TeamDeviceKeysResponse,
  fromBase64Url,
  importEcdhPrivate,
  importVerifyKey,
  openBundle,
  toBase64Url,
  type BundleHeader,
} from '../../shared/handoff/index.ts';
import type { SotayDB, StoredSession } from '../db/database.ts';
import type { ApiClient, ApiFailure } from '../sync/api.ts';
import { tables, type InboxRow, type LeadCacheRow } from '../db/handoff-tables.ts';

export interface LeadReadiness {
  communeKey: boolean;
  teamKeys: number;
  /** When the team's keys were last fetched (ISO), null never. */
  fetchedAt: string | null;
}

export async function leadReadiness(db: SotayDB): Promise<LeadReadiness> {
  const T = tables(db);
  const [key, team] = await Promise.all([T.leadCache.get('communeKey'), T.leadCache.get('teamKeys')]);
  return {
    communeKey: Boolean(key),
    teamKeys: team?.id === 'teamKeys' ? team.keys.length : 0,
    fetchedAt: team?.at ?? null,
  };
}

/** Fetches what opening bundles offline needs. Answers the failure, if any. */
export async function prepareLead(
  db: SotayDB,
  api: ApiClient,
  session: StoredSession,
): Promise<ApiFailure | null> {
  const T = tables(db);
  const at = new Date().toISOString();
  const key = await api.get(session.token, '/api/v1/handoff/commune-key', CommuneKeyResponse);
  if (!key.ok) return key.failure;
  // Imported non-extractable: the key opens bundles on this device and cannot be read back out.
  const privateKey = await importEcdhPrivate(key.value.encryptPrivate);
  const team = await api.get(session.token, '/api/v1/handoff/device-keys', TeamDeviceKeysResponse);
  if (!team.ok) return team.failure;
  const rows: LeadCacheRow[] = [
    {
      id: 'communeKey',
      communeCode: key.value.communeCode,
      communeKeyId: key.value.communeKeyId,
      privateKey,
      at,
    },
    { id: 'teamKeys', keys: team.value.keys, at },
  ];
  await T.leadCache.bulkPut(rows);
  return null;
}

/**
 * Opens and verifies a bundle with the cached keys (nothing online), then queues it. Throws
 * AppError with a handoff_* code (corrupt, truncated, tampered, unknown device, revoked, wrong
 * commune, replayed, other team); nothing is stored then.
 */
export async function importBundle(
  db: SotayDB,
  session: StoredSession,
  bytes: Uint8Array,
  now: Date = new Date(),
): Promise<InboxRow> {
  const T = tables(db);
  const [key, team] = await Promise.all([T.leadCache.get('communeKey'), T.leadCache.get('teamKeys')]);
  if (key?.id !== 'communeKey') throw new AppError('handoff_no_key');
  const keys = team?.id === 'teamKeys' ? team.keys : [];
  const opened = await openBundle(bytes, {
    communeCode: session.user.communeCode,
    communeKeyId: key.communeKeyId,
    communePrivate: key.privateKey,
    findDeviceKey: async (keyId) => keys.find((k) => k.keyId === keyId) ?? null,
    importVerifyKey,
    seen: async (bundleId) => (await T.handoffInbox.get(bundleId)) !== undefined,
  });
  // The device keys listed are the lead's team's only: a known key of another team cannot occur,
  // but a volunteer moved away since is caught by the server (403).
  const row: InboxRow = {
    bundleId: opened.header.bundleId,
    header: opened.header,
    bundle: toBase64Url(bytes),
    status: 'queued',
    importedAt: now.toISOString(),
  };
  await T.handoffInbox.add(row);
  return row;
}

/** Reads a chosen file's bytes. */
export async function fileBytes(file: Blob): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer());
}

export function inboxRows(db: SotayDB): Promise<InboxRow[]> {
  return tables(db).handoffInbox.orderBy('importedAt').reverse().toArray();
}

export interface UploadOutcome {
  sent: number;
  refused: number;
  /** The first failure that stopped the run (network, expired session), if any. */
  failure: ApiFailure | null;
}

/** Uploads every queued bundle; a refusal is kept with its message, a network failure stops. */
export async function uploadQueued(
  db: SotayDB,
  api: ApiClient,
  session: StoredSession,
): Promise<UploadOutcome> {
  const T = tables(db);
  const queued = await T.handoffInbox.where('status').equals('queued').toArray();
  const out: UploadOutcome = { sent: 0, refused: 0, failure: null };
  for (const row of queued) {
    const res = await api.postJson(
      session.token,
      '/api/v1/handoff/bundles',
      { bundle: row.bundle },
      BundleUploadResponse,
    );
    if (res.ok) {
      await T.handoffInbox.update(row.bundleId, { status: 'sent', result: res.value });
      out.sent += 1;
    } else if (
      res.failure.kind === 'http' &&
      res.failure.status >= 400 &&
      res.failure.status < 500 &&
      res.failure.status !== 429
    ) {
      await T.handoffInbox.update(row.bundleId, { status: 'refused', error: res.failure.message ?? '' });
      out.refused += 1;
    } else {
      out.failure = res.failure;
      break;
    }
  }
  return out;
}

/** "Nguyễn Văn An: 12 bản ghi, 03/11–20/11/2026" style summary parts of a header. */
export function headerSummary(h: BundleHeader): {
  volunteer: string;
  count: number;
  from: string | null;
  to: string | null;
} {
  return {
    volunteer: h.volunteer.displayName || h.volunteer.username,
    count: h.count,
    from: h.dateFrom,
    to: h.dateTo,
  };
}

/** The bundle bytes back from an inbox row (for a second upload attempt elsewhere). */
export function inboxBytes(row: InboxRow): Uint8Array | null {
  return fromBase64Url(row.bundle);
}
