// Checks shared by the proofs: which rows a user may see, that a device holds exactly the server's
// records of its scope, and that no queued local edit was overwritten.
import type { SessionUser } from '../../../src/shared/index.ts';
import { isDeletedHere, sharedFields, type Device } from './device.ts';
import type { ServerRow, ServerSnapshot } from './server.ts';

/** The pull scope of sync-protocol.md, written out independently of the server's scope.ts. */
export function inScope(
  user: SessionUser,
  row: Pick<ServerRow, 'volunteerId' | 'teamId' | 'communeCode'>,
): boolean {
  if (row.communeCode !== user.communeCode) return false;
  switch (user.role) {
    case 'volunteer':
      return row.volunteerId === user.id || (user.teamId !== null && row.teamId === user.teamId);
    case 'lead':
      return user.teamId !== null && row.teamId === user.teamId;
    default:
      return true;
  }
}

/** Differences between a device's records and the live server records of its scope. */
export async function divergence(device: Device, server: ServerSnapshot): Promise<string[]> {
  const out: string[] = [];
  const expected = new Map(
    server.records.filter((r) => !r.deleted && inScope(device.login.user, r)).map((r) => [r.id, r]),
  );
  const local = await device.records();
  for (const rec of local) {
    const row = expected.get(rec.id);
    if (!row) {
      const there = server.records.find((r) => r.id === rec.id);
      out.push(
        `${device.name}: has ${rec.id} (${rec.syncState}) that the server ${
          there ? (there.deleted ? 'deleted' : 'holds out of scope') : 'never stored'
        }`,
      );
      continue;
    }
    expected.delete(rec.id);
    if (rec.syncState !== 'synced')
      out.push(`${device.name}: ${rec.id} is ${rec.syncState} ${rec.syncError ?? ''}`);
    if (rec.serverVersion !== row.version)
      out.push(`${device.name}: ${rec.id} at version ${rec.serverVersion}, server ${row.version}`);
    const mine = sharedFields(rec);
    for (const field of new Set([...Object.keys(mine), ...Object.keys(row.wire)])) {
      if (JSON.stringify(mine[field]) !== JSON.stringify(row.wire[field]))
        out.push(
          `${device.name}: ${rec.id}.${field} is ${JSON.stringify(mine[field])}, server ${JSON.stringify(row.wire[field])}`,
        );
    }
  }
  for (const id of expected.keys()) out.push(`${device.name}: misses ${id}`);
  return out;
}

/**
 * Pull never overwrites pending local edits (invariant 6): every field a queued mutation sets must
 * read as that mutation's value on the device, and a record with a queued delete stays hidden.
 * A record already gone from the device (a pulled tombstone: delete beats update) is fine.
 */
export async function pendingOverwritten(device: Device): Promise<string[]> {
  const rows = await device.outbox();
  const fields = new Map<string, Map<string, unknown>>();
  const deletes = new Set<string>();
  for (const row of rows) {
    if (row.op === 'delete') {
      deletes.add(row.recordId);
      continue;
    }
    const f = fields.get(row.recordId) ?? new Map<string, unknown>();
    for (const [k, v] of Object.entries(row.patch)) f.set(k, v ?? undefined);
    fields.set(row.recordId, f);
  }
  const out: string[] = [];
  for (const [id, f] of fields) {
    const rec = (await device.db.records.get(id)) as Record<string, unknown> | undefined;
    if (!rec) continue;
    for (const [k, v] of f)
      if (JSON.stringify(rec[k]) !== JSON.stringify(v))
        out.push(
          `${device.name}: ${id}.${k} reads ${JSON.stringify(rec[k])} while ${JSON.stringify(v)} is queued`,
        );
  }
  for (const id of deletes) {
    const rec = await device.db.records.get(id);
    if (rec && !isDeletedHere(rec)) out.push(`${device.name}: ${id} shows again while its delete is queued`);
  }
  return out;
}
