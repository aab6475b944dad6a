// Wiping the device after a revocation (docs/operations.md): the Dexie database, the app's keys in
// local and session storage, and any runtime cache. The precached app shell stays, so the
// explanation still shows and a new enrolment works offline-first again.
import { deleteDatabase, type SotayDB } from './database.ts';

/** Kept across a wipe: only the chosen UI language, no personal data. */
const KEEP_KEYS = new Set(['sotay.lang']);
/** Set by a wipe; the next start shows the explanation again until it is acknowledged. */
export const REVOKED_KEY = 'sotay.revoked';

export async function wipeDeviceData(db: SotayDB, reason: string): Promise<void> {
  // Closing first and never reopening: a late write from a screen must not recreate the database.
  await deleteDatabase(db);
  try {
    for (const key of Object.keys(localStorage))
      if (key.startsWith('sotay.') && !KEEP_KEYS.has(key)) localStorage.removeItem(key);
    sessionStorage.clear();
    localStorage.setItem(REVOKED_KEY, reason);
  } catch {
    // Storage disabled: nothing of ours was kept there either.
  }
  if (typeof caches !== 'undefined') {
    for (const name of await caches.keys()) if (!name.includes('precache')) await caches.delete(name);
  }
}

export function storedRevocation(): string | null {
  try {
    return localStorage.getItem(REVOKED_KEY);
  } catch {
    return null;
  }
}

export function forgetRevocation(): void {
  try {
    localStorage.removeItem(REVOKED_KEY);
  } catch {
    // Nothing to forget.
  }
}
