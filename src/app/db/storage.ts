// Turns IndexedDB failures (full disk, blocked storage) into one error with a Vietnamese message,
// so every screen can show it and keep what the user typed.
import { t } from '../i18n/index.ts';

export class StorageError extends Error {
  readonly kind: 'quota' | 'failed';
  override readonly cause: unknown;
  constructor(kind: 'quota' | 'failed', cause: unknown) {
    super(kind === 'quota' ? t.storage.quota : t.storage.failed);
    this.name = 'StorageError';
    this.kind = kind;
    this.cause = cause;
  }
}

function isQuota(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    const name = (e as { name?: unknown }).name;
    if (name === 'QuotaExceededError' || name === 'QuotaExceeded') return true;
    // Dexie wraps the DOM error as `inner`; a transaction abort carries it as `cause`.
    e = (e as { inner?: unknown; cause?: unknown }).inner ?? (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Run a storage call; any failure comes out as a StorageError. */
export async function guardStorage<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof StorageError) throw err;
    throw new StorageError(isQuota(err) ? 'quota' : 'failed', err);
  }
}
