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

/** Ask the browser not to evict our data (after the first saved record). Never throws. */
export async function requestPersist(): Promise<boolean> {
  try {
    const s = globalThis.navigator?.storage;
    if (!s?.persist) return false;
    return (await s.persisted?.()) || (await s.persist());
  } catch {
    return false;
  }
}

export interface StorageInfo {
  persisted: boolean | null;
  usage: number | null;
  quota: number | null;
}

/** Whether storage is persisted and how much is used and available (null where unknown). */
export async function storageInfo(): Promise<StorageInfo> {
  const s = globalThis.navigator?.storage;
  const [persisted, estimate] = await Promise.all([
    s?.persisted ? s.persisted().catch(() => null) : Promise.resolve(null),
    s?.estimate ? s.estimate().catch(() => null) : Promise.resolve(null),
  ]);
  return { persisted, usage: estimate?.usage ?? null, quota: estimate?.quota ?? null };
}

/** iOS/iPadOS Safari outside the installed app: data is wiped after 7 days without use. */
export function iosNotInstalled(nav: Navigator = navigator, standalone?: boolean): boolean {
  const ua = nav.userAgent;
  const ios = /iPhone|iPad|iPod/.test(ua) || (/Macintosh/.test(ua) && nav.maxTouchPoints > 1);
  if (!ios) return false;
  const installed =
    standalone ??
    ((nav as Navigator & { standalone?: boolean }).standalone === true ||
      globalThis.matchMedia?.('(display-mode: standalone)').matches === true);
  return !installed;
}

/** 1536000 → "1,5 MB". */
export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1).replace('.', ',')} ${units[i]}`;
}
