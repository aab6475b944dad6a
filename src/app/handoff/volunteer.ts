// The volunteer's side of the hand-off (docs/handoff.md): a device signing key registered while
// online, "Gửi cho tổ trưởng" (every unsent outbox mutation in one signed, encrypted bundle), and
// the lead's receipt that marks those records delivered. Nothing here removes an outbox row: only
// the server's acknowledgement in a sync does.
import { AppError, SCHEMA_VERSION, newId } from '../../shared/index.ts';
import {
  BUNDLE_EXTENSION,
  MAX_QR_FRAMES,
  RegisterDeviceKeyResponse,
  encodeBundle,
  generateDeviceKey,
  importEcdhPublic,
  importVerifyKey,
  parseBundle,
  toFrames,
  verifyReceipt,
  type Bytes,
  type BundleHeader,
} from '../../shared/handoff/index.ts';
import type { SotayDB, StoredSession } from '../db/database.ts';
import { getSyncMeta } from '../db/meta-repo.ts';
import type { ApiClient } from '../sync/api.ts';
import { toMutation } from '../sync/engine.ts';
import { tables, type DeviceKeyRow } from '../db/handoff-tables.ts';

/**
 * This device's signing key for the current user and clientId, made when missing and registered
 * with the server when online. Answers the row (registered or not yet).
 */
export async function ensureDeviceKey(
  db: SotayDB,
  api: ApiClient,
  session: StoredSession,
  online: boolean,
): Promise<DeviceKeyRow | null> {
  const meta = await getSyncMeta(db);
  if (!meta) return null;
  const T = tables(db);
  let row = await T.handoffDevice.get('device');
  if (!row || row.userId !== session.user.id || row.clientId !== meta.clientId) {
    const made = await generateDeviceKey();
    row = {
      id: 'device',
      keyId: made.keyId,
      privateKey: made.privateKey,
      publicRaw: made.publicRaw,
      userId: session.user.id,
      clientId: meta.clientId,
      registered: false,
    };
    await T.handoffDevice.put(row);
  }
  if (!row.registered && online && !session.expired) {
    const res = await api.postJson(
      session.token,
      '/api/v1/handoff/device-keys',
      { clientId: row.clientId, publicKey: row.publicRaw },
      RegisterDeviceKeyResponse,
    );
    if (res.ok && res.value.keyId === row.keyId) {
      row = { ...row, registered: true };
      await T.handoffDevice.update('device', { registered: true });
    }
  }
  return row;
}

export interface ExportedBundle {
  bytes: Bytes;
  header: BundleHeader;
  fileName: string;
  /** The QR sequence, when the batch is small enough for the camera route. */
  frames: string[] | null;
}

/**
 * Packs every unsent outbox mutation into one bundle and marks them handed over. Throws AppError
 * handoff_no_key when the device has no commune key or no signing key yet (log in online first).
 */
export async function exportBundle(
  db: SotayDB,
  session: StoredSession,
  now: Date = new Date(),
): Promise<ExportedBundle | null> {
  const T = tables(db);
  const [outbox, meta, device] = await Promise.all([
    db.outbox.orderBy('seq').toArray(),
    getSyncMeta(db),
    T.handoffDevice.get('device'),
  ]);
  if (outbox.length === 0) return null;
  if (
    !session.handoff ||
    !meta ||
    !device ||
    device.userId !== session.user.id ||
    device.clientId !== meta.clientId
  )
    throw new AppError('handoff_no_key');
  const bundleId = newId();
  const mutations = outbox.map(toMutation);
  const bytes = await encodeBundle({
    bundleId,
    volunteer: {
      id: session.user.id,
      username: session.user.username,
      displayName: session.user.displayName,
    },
    clientId: meta.clientId,
    schemaVersion: SCHEMA_VERSION,
    deviceKeyId: device.keyId,
    deviceKey: device.privateKey,
    communeCode: session.user.communeCode,
    communeKeyId: session.handoff.communeKeyId,
    communePublic: await importEcdhPublic(session.handoff.encryptPublic),
    mutations,
    createdAt: now.toISOString(),
  });
  const at = now.toISOString();
  await db.transaction('rw', T.handoffMarks, async () => {
    const marks = await T.handoffMarks.bulkGet(outbox.map((o) => o.mutationId));
    // A delivered mark stays delivered; everything else is (again) handed over in this bundle.
    await T.handoffMarks.bulkPut(
      outbox
        .filter((_, i) => marks[i]?.state !== 'delivered')
        .map((o) => ({
          mutationId: o.mutationId,
          recordId: o.recordId,
          bundleId,
          state: 'handed_over' as const,
          at,
        })),
    );
  });
  const frames = toFrames(bytes, bundleId);
  const day = at.slice(0, 10);
  return {
    bytes,
    header: parseBundle(bytes).header,
    fileName: `gui-to-truong-${session.user.username}-${day}-${bundleId.slice(-6)}${BUNDLE_EXTENSION}`,
    frames: frames.length <= MAX_QR_FRAMES ? frames : null,
  };
}

export interface HandoffCounts {
  /** Unsent outbox mutations. */
  pending: number;
  /** Of those, handed over in a bundle, no receipt yet. */
  handedOver: number;
  /** Of those, receipted by the lead; a sync will confirm them. */
  delivered: number;
}

/** Counts of the outbox by hand-off state; marks of mutations the server acknowledged are dropped. */
export async function handoffCounts(db: SotayDB): Promise<HandoffCounts> {
  const T = tables(db);
  return db.transaction('rw', [db.outbox, T.handoffMarks], async () => {
    const outbox = await db.outbox.toArray();
    const live = new Set(outbox.map((o) => o.mutationId));
    const marks = await T.handoffMarks.toArray();
    const gone = marks.filter((m) => !live.has(m.mutationId)).map((m) => m.mutationId);
    if (gone.length > 0) await T.handoffMarks.bulkDelete(gone);
    const kept = marks.filter((m) => live.has(m.mutationId));
    return {
      pending: outbox.length,
      handedOver: kept.filter((m) => m.state === 'handed_over').length,
      delivered: kept.filter((m) => m.state === 'delivered').length,
    };
  });
}

/**
 * Applies a receipt (scanned or from a file): checks the commune's signature and that it is this
 * volunteer's, then marks the mutations it names delivered. Answers how many were marked.
 */
export async function applyReceipt(db: SotayDB, session: StoredSession, text: string): Promise<number> {
  if (!session.handoff) throw new AppError('handoff_no_key');
  const receipt = await verifyReceipt(text, await importVerifyKey(session.handoff.receiptPublic));
  if (receipt.volunteerId !== session.user.id || receipt.communeCode !== session.user.communeCode)
    throw new AppError('handoff_bad_receipt', { reason: 'not_mine' });
  const T = tables(db);
  const ids = new Set(receipt.mutationIds);
  const at = new Date().toISOString();
  return db.transaction('rw', [db.outbox, T.handoffMarks], async () => {
    const rows = (await db.outbox.toArray()).filter((o) => ids.has(o.mutationId));
    await T.handoffMarks.bulkPut(
      rows.map((o) => ({
        mutationId: o.mutationId,
        recordId: o.recordId,
        bundleId: receipt.bundleId,
        state: 'delivered' as const,
        at,
      })),
    );
    return rows.length;
  });
}

/** Shares the bundle as a file (Zalo, Bluetooth, e-mail) where the browser can, else downloads it. */
export async function shareOrDownload(
  bytes: Bytes,
  fileName: string,
  title: string,
): Promise<'shared' | 'downloaded'> {
  const file = new File([bytes], fileName, { type: 'application/octet-stream' });
  const nav = globalThis.navigator as Navigator | undefined;
  if (nav?.canShare?.({ files: [file] }) && typeof nav.share === 'function') {
    try {
      await nav.share({ files: [file], title });
      return 'shared';
    } catch (e) {
      // The person closed the share sheet: fall back to a download so the file is not lost.
      if ((e as { name?: string }).name !== 'AbortError') throw e;
    }
  }
  download(file, fileName);
  return 'downloaded';
}

export function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
