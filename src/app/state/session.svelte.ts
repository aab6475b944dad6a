// The signed-in account as the UI sees it: load at start (works offline), log in, expire, log out.
// Persistence lives in db/meta-repo; this class turns outcomes into Vietnamese messages.
import type { Hamlet, SessionUser } from '../../shared/index.ts';
import type { SotayDB, StoredSession } from '../db/database.ts';
import { OtherUserPendingError, clearAccount, getSession, storeLogin } from '../db/meta-repo.ts';
import { countUnsynced } from '../db/records-repo.ts';
import { StorageError, guardStorage } from '../db/storage.ts';
import { t } from '../i18n/index.ts';
import type { ApiClient } from '../sync/api.ts';

export type ActionResult = { ok: true } | { ok: false; message: string };

export class SessionState {
  readonly #db: SotayDB;
  readonly #api: ApiClient;
  readonly #isOnline: () => boolean;
  #current = $state<StoredSession | null>(null);
  #loaded = $state(false);
  #storageError = $state<string | null>(null);

  constructor(deps: { db: SotayDB; api: ApiClient; isOnline?: () => boolean }) {
    this.#db = deps.db;
    this.#api = deps.api;
    this.#isOnline = deps.isOnline ?? (() => (typeof navigator === 'undefined' ? true : navigator.onLine));
  }

  get current(): StoredSession | null {
    return this.#current;
  }
  get user(): SessionUser | null {
    return this.#current?.user ?? null;
  }
  get hamlets(): Hamlet[] {
    return this.#current?.commune.hamlets ?? [];
  }
  get expired(): boolean {
    return this.#current?.expired === true;
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  /** Set when the device storage cannot be opened at all. */
  get storageError(): string | null {
    return this.#storageError;
  }

  /** Read the stored session; no network needed. */
  async load(): Promise<void> {
    try {
      this.#current = (await getSession(this.#db)) ?? null;
    } catch {
      this.#storageError = t.storage.unavailable;
    }
    this.#loaded = true;
    rememberSignedIn(this.#current !== null);
  }

  async login(username: string, password: string): Promise<ActionResult> {
    if (!this.#isOnline()) return { ok: false, message: t.login.offline };
    const res = await this.#api.login({ username: username.trim(), password });
    if (!res.ok) {
      const f = res.failure;
      if (f.kind === 'unauthorized') return { ok: false, message: t.login.badCredentials };
      if (f.kind === 'http' && f.message) return { ok: false, message: f.message };
      return { ok: false, message: this.#isOnline() ? t.login.unreachable : t.login.offline };
    }
    try {
      this.#current = await guardStorage(() => storeLogin(this.#db, res.value));
    } catch (err) {
      if (err instanceof StorageError && err.cause instanceof OtherUserPendingError)
        return { ok: false, message: t.login.otherUserPending };
      return { ok: false, message: err instanceof Error ? err.message : t.storage.failed };
    }
    rememberSignedIn(true);
    return { ok: true };
  }

  /** The server said 401: keep everything local, ask for a new login. */
  markExpired(): void {
    if (this.#current && !this.#current.expired) this.#current = { ...this.#current, expired: true };
  }

  /** Refused while anything is unsynced: logging out wipes this device's copy. */
  async logout(): Promise<ActionResult> {
    try {
      const unsynced = await countUnsynced(this.#db);
      if (unsynced > 0) return { ok: false, message: t.status.logoutRefused(unsynced) };
      await guardStorage(() => clearAccount(this.#db));
    } catch (err) {
      return { ok: false, message: err instanceof Error ? err.message : t.storage.failed };
    }
    this.#current = null;
    rememberSignedIn(false);
    return { ok: true };
  }
}

/** index.html reads this flag before any JS loads, to paint the right static shell. */
function rememberSignedIn(yes: boolean): void {
  try {
    if (yes) localStorage.setItem('sotay.signedIn', '1');
    else localStorage.removeItem('sotay.signedIn');
  } catch {
    // Only a paint hint.
  }
}
