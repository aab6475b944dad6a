// The signed-in account as the UI sees it: load at start (works offline), log in, expire, log out.
// Persistence lives in db/meta-repo; this class turns outcomes into Vietnamese messages.
import type { Hamlet, SessionUser } from '../../shared/index.ts';
import type { SotayDB, StoredSession } from '../db/database.ts';
import { OtherUserPendingError, clearAccount, getSession, storeLogin } from '../db/meta-repo.ts';
import { countUnsynced } from '../db/records-repo.ts';
import { StorageError, guardStorage } from '../db/storage.ts';
import { forgetRevocation, storedRevocation, wipeDeviceData } from '../db/wipe.ts';
import { t } from '../i18n/index.ts';
import { clearVault, clearVaultOfOthers, lockVaults } from '../db/vault-tables.ts';
import { isRevokedCode, type ApiClient, type RevokedCode } from '../sync/api.ts';

export type ActionResult = { ok: true } | { ok: false; message: string };
/** `retry`: no answer from the server (offline); the enrolment link may be opened again. */
export type EnrolResult = { ok: true } | { ok: false; message: string; retry: boolean };

export class SessionState {
  readonly #db: SotayDB;
  readonly #api: ApiClient;
  readonly #isOnline: () => boolean;
  readonly #beforeWipe: () => Promise<void>;
  #current = $state<StoredSession | null>(null);
  #revoked = $state<RevokedCode | null>(null);
  #wipeFailed = $state(false);
  #enrolling = $state(false);
  #enrolMessage = $state<string | null>(null);
  #wiping: Promise<void> | null = null;
  #loaded = $state(false);
  #storageError = $state<string | null>(null);

  constructor(deps: {
    db: SotayDB;
    api: ApiClient;
    isOnline?: () => boolean;
    /** Stops syncing and waits for a run in progress to end, before a wipe. */
    beforeWipe?: () => Promise<void>;
  }) {
    this.#db = deps.db;
    this.#api = deps.api;
    this.#beforeWipe = deps.beforeWipe ?? (() => Promise.resolve());
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

  /** Set after the server refused this device (revoked) or its user (disabled) and data was wiped. */
  get revoked(): RevokedCode | null {
    return this.#revoked;
  }
  /** The wipe after a revocation did not complete. */
  get wipeFailed(): boolean {
    return this.#wipeFailed;
  }
  get enrolling(): boolean {
    return this.#enrolling;
  }
  /** Why the last enrolment failed, for the login screen. */
  get enrolMessage(): string | null {
    return this.#enrolMessage;
  }

  /** Read the stored session; no network needed. */
  async load(): Promise<void> {
    const revoked = storedRevocation();
    if (isRevokedCode(revoked)) {
      // The explanation stays until acknowledged, even across a restart.
      this.#revoked = revoked;
      this.#loaded = true;
      return;
    }
    try {
      this.#current = (await getSession(this.#db)) ?? null;
    } catch {
      this.#storageError = t.storage.unavailable;
    }
    this.#loaded = true;
    rememberSignedIn(this.#current !== null);
  }

  /**
   * `sent`: the request index.html's static form already made with these credentials (the app
   * arrived while it was under way); its answer is taken instead of asking again.
   */
  async login(username: string, password: string, sent?: Promise<Response>): Promise<ActionResult> {
    if (!sent && !this.#isOnline()) return { ok: false, message: t.login.offline };
    const res = sent
      ? await this.#api.adoptLogin(sent)
      : await this.#api.login({ username: username.trim(), password });
    if (!res.ok) {
      const f = res.failure;
      if (f.kind === 'unauthorized') return { ok: false, message: t.login.badCredentials };
      if (f.kind === 'http' && f.message) return { ok: false, message: f.message };
      return { ok: false, message: this.#isOnline() ? t.login.unreachable : t.login.offline };
    }
    try {
      this.#current = await guardStorage(() => storeLogin(this.#db, res.value));
      // Another account's PIN and contact copies never stay on a shared phone.
      await clearVaultOfOthers(this.#db, res.value.user.id).catch(() => undefined);
    } catch (err) {
      if (err instanceof StorageError && err.cause instanceof OtherUserPendingError)
        return { ok: false, message: t.login.otherUserPending };
      return { ok: false, message: err instanceof Error ? err.message : t.storage.failed };
    }
    rememberSignedIn(true);
    return { ok: true };
  }

  /**
   * Trade a one-time enrolment token (from the admin's QR code) for this device's own token.
   * No password is ever asked. Another account's unsynced records on this phone block it.
   */
  async enrol(token: string): Promise<EnrolResult> {
    this.#enrolling = true;
    this.#enrolMessage = null;
    try {
      const result = await this.#enrol(token);
      if (!result.ok) this.#enrolMessage = result.message;
      return result;
    } finally {
      this.#enrolling = false;
    }
  }

  async #enrol(token: string): Promise<EnrolResult> {
    if (!this.#isOnline()) return { ok: false, message: t.accounts.enrolOffline, retry: true };
    const res = await this.#api.enrol({ token });
    if (!res.ok) {
      const f = res.failure;
      if (f.kind === 'network') return { ok: false, message: t.accounts.enrolOffline, retry: true };
      if ((f.kind === 'http' || f.kind === 'unauthorized') && f.message)
        return { ok: false, message: f.message, retry: false };
      return { ok: false, message: t.accounts.enrolFailed, retry: f.kind === 'invalid_answer' };
    }
    try {
      this.#current = await guardStorage(() => storeLogin(this.#db, res.value));
      // Another account's PIN and contact copies never stay on a shared phone.
      await clearVaultOfOthers(this.#db, res.value.user.id).catch(() => undefined);
    } catch (err) {
      if (err instanceof StorageError && err.cause instanceof OtherUserPendingError)
        return { ok: false, message: t.login.otherUserPending, retry: false };
      return { ok: false, message: err instanceof Error ? err.message : t.storage.failed, retry: false };
    }
    rememberSignedIn(true);
    return { ok: true };
  }

  /**
   * The server refused this device (revoked) or its user (disabled). It refuses pushes too
   * (docs/operations.md), so nothing more can be sent: wipe everything of the app on this device
   * and explain why. Runs once however many answers say so.
   */
  wipe(code: RevokedCode): Promise<void> {
    this.#wiping ??= this.#wipe(code);
    return this.#wiping;
  }

  async #wipe(code: RevokedCode): Promise<void> {
    lockVaults(); // the unlocked contact key leaves memory; the database (and its vault) is deleted
    try {
      await this.#beforeWipe();
    } catch {
      // Wipe anyway: the device is no longer allowed to hold this data.
    }
    try {
      await wipeDeviceData(this.#db, code);
    } catch {
      this.#wipeFailed = true;
    }
    this.#current = null;
    this.#revoked = code;
  }

  /** The person read the explanation: back to an empty login screen, on a new empty database. */
  async acknowledgeRevoked(): Promise<void> {
    forgetRevocation();
    try {
      if (!this.#db.isOpen()) await this.#db.open();
    } catch {
      this.#storageError = t.storage.unavailable;
    }
    this.#wiping = null;
    this.#wipeFailed = false;
    this.#revoked = null;
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
      await guardStorage(() => clearVault(this.#db));
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
