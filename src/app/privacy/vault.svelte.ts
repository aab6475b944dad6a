// The PIN vault (docs/privacy.md, "PIN-encrypted copy"): a random AES-256-GCM data key encrypts the
// volunteer's own readable copy of each follow-up contact; the data key is stored only wrapped
// under a key derived from the PIN (PBKDF2-SHA-256, per-device salt). Unwrapped, it is
// non-extractable and lives in memory only while unlocked; it is dropped after LOCK_AFTER_MS
// without activity, on logout and on a wipe. Five wrong PINs in a row wipe the wrapped key and every
// local copy (the records stay and sync; the server keeps its own sealed copy).
// Loaded lazily: only the contact section, a contact view or the lock prompt import this module.
import type { Dexie } from 'dexie';
import type { ContactFields } from '../../shared/index.ts';
import type { SotayDB } from '../db/database.ts';
import { scheduleVaultSweep } from './vault-retention.ts';
import { clearVault, onVaultCleared, vaultTables, type VaultContactRow } from '../db/vault-tables.ts';

/** Lock after this long without a tap or key press (and after the page was hidden this long). */
export const LOCK_AFTER_MS = 5 * 60 * 1000;
/** Wrong PINs in a row that wipe the vault. */
export const MAX_PIN_TRIES = 5;
/**
 * PBKDF2-SHA-256 rounds (OWASP 2023 figure for SHA-256): slow enough against guessing a short PIN,
 * and paid once per unlock, never during a capture (timings in docs/privacy.md).
 */
export const PBKDF2_ITERATIONS = 600_000;
export const PIN_PATTERN = /^\d{4,8}$/;

export type VaultStatus = 'loading' | 'none' | 'locked' | 'unlocked';
export type PinProblem = 'pin_required' | 'pin_digits' | 'pin_mismatch';
export type UnlockResult =
  { ok: true } | { ok: false; wiped: false; triesLeft: number } | { ok: false; wiped: true };

const subtle = () => crypto.subtle;
const enc = new TextEncoder();
const dec = new TextDecoder();

// Bytes are stored as base64url text: plain strings survive every IndexedDB and Dexie path.
function b64(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
function bytes(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (ch) => ch.charCodeAt(0));
}

function random(n: number): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(n));
}

async function pinKey(pin: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> {
  const base = await subtle().importKey('raw', enc.encode(pin), 'PBKDF2', false, ['deriveKey']);
  return subtle().deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['wrapKey', 'unwrapKey'],
  );
}

/** What is wrong with a new PIN typed twice; null when it can be used. */
export function pinProblem(pin: string, again: string): PinProblem | null {
  if (pin === '') return 'pin_required';
  if (!PIN_PATTERN.test(pin)) return 'pin_digits';
  if (pin !== again) return 'pin_mismatch';
  return null;
}

export class Vault {
  readonly #db: Dexie;
  readonly #now: () => number;
  #status = $state<VaultStatus>('loading');
  #failures = $state(0);
  /** Set when the vault was wiped (5 wrong PINs or a forgotten PIN), for the message. */
  #wiped = $state(false);
  #key: CryptoKey | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #loading: Promise<void> | null = null;

  constructor(db: Dexie, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
    onVaultCleared(() => this.#forgetKey('none'));
  }

  get status(): VaultStatus {
    return this.#status;
  }
  get failures(): number {
    return this.#failures;
  }
  get triesLeft(): number {
    return MAX_PIN_TRIES - this.#failures;
  }
  get wiped(): boolean {
    return this.#wiped;
  }

  /** Read whether a PIN is set (once; call again after an outside change with force). */
  load(force = false): Promise<void> {
    if (force || !this.#loading) {
      this.#loading = (async () => {
        const row = await vaultTables(this.#db).vaultKey.get('pin');
        this.#failures = row?.failures ?? 0;
        if (!row) this.#forgetKey('none');
        else if (!this.#key) this.#status = 'locked';
      })();
    }
    return this.#loading;
  }

  /** First use: a new data key wrapped under the PIN; the vault is then unlocked. */
  async setup(pin: string, again: string): Promise<PinProblem | null> {
    const problem = pinProblem(pin, again);
    if (problem) return problem;
    const session = (await this.#db.table('meta').get('session')) as
      { value?: { user?: { id?: string } } } | undefined;
    const userId = session?.value?.user?.id ?? '';
    const salt = random(16);
    const iv = random(12);
    const kek = await pinKey(pin, salt, PBKDF2_ITERATIONS);
    // Extractable only for this one wrap; the copy kept in memory is unwrapped non-extractable.
    const fresh = await subtle().generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
    const wrapped = new Uint8Array(await subtle().wrapKey('raw', fresh, kek, { name: 'AES-GCM', iv }));
    const key = await this.#unwrap(kek, iv, wrapped);
    const T = vaultTables(this.#db);
    await this.#db.transaction('rw', [T.vaultKey, T.vaultContacts], async () => {
      // A new data key cannot open older copies: none may stay.
      await T.vaultContacts.clear();
      await T.vaultKey.put({
        id: 'pin',
        userId,
        salt: b64(salt),
        iterations: PBKDF2_ITERATIONS,
        iv: b64(iv),
        wrapped: b64(wrapped),
        failures: 0,
      });
    });
    this.#wiped = false;
    this.#failures = 0;
    this.#unlocked(key);
    return null;
  }

  #unwrap(kek: CryptoKey, iv: Uint8Array<ArrayBuffer>, wrapped: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
    return subtle().unwrapKey(
      'raw',
      wrapped,
      kek,
      { name: 'AES-GCM', iv },
      { name: 'AES-GCM', length: 256 },
      false,
      ['encrypt', 'decrypt'],
    );
  }

  /** Try a PIN. A right one resets the count; the MAX_PIN_TRIES-th wrong one in a row wipes. */
  async unlock(pin: string): Promise<UnlockResult> {
    const T = vaultTables(this.#db);
    const row = await T.vaultKey.get('pin');
    if (!row) {
      this.#forgetKey('none');
      return { ok: false, wiped: true };
    }
    let key: CryptoKey | null = null;
    if (PIN_PATTERN.test(pin)) {
      try {
        const kek = await pinKey(pin, bytes(row.salt), row.iterations);
        key = await this.#unwrap(kek, bytes(row.iv), bytes(row.wrapped));
      } catch (err) {
        // AES-GCM refused the tag: a wrong PIN. Anything else is not the volunteer's fault.
        if (!(err instanceof Error && err.name === 'OperationError')) throw err;
        key = null;
      }
    }
    if (key) {
      if (row.failures !== 0) await T.vaultKey.update('pin', { failures: 0 });
      this.#failures = 0;
      this.#wiped = false;
      this.#unlocked(key);
      return { ok: true };
    }
    const failures = row.failures + 1;
    if (failures >= MAX_PIN_TRIES) {
      await this.wipe();
      return { ok: false, wiped: true };
    }
    await T.vaultKey.update('pin', { failures });
    this.#failures = failures;
    return { ok: false, wiped: false, triesLeft: MAX_PIN_TRIES - failures };
  }

  /** Forgotten PIN, or too many wrong ones: the wrapped key and every local copy go. */
  async wipe(): Promise<void> {
    await clearVault(this.#db);
    this.#failures = 0;
    this.#wiped = true;
  }

  lock(): void {
    if (this.#key) this.#forgetKey('locked');
  }

  #forgetKey(status: 'none' | 'locked'): void {
    this.#key = null;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#status = status;
  }

  #unlocked(key: CryptoKey): void {
    this.#key = key;
    this.#status = 'unlocked';
    this.touch();
  }

  /** Activity: the inactivity countdown starts again (only while unlocked). */
  touch(): void {
    if (!this.#key) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.lock(), LOCK_AFTER_MS);
  }

  /** Store a record's contact, encrypted. False when locked (nothing stored, nothing asked). */
  async keep(recordId: string, contact: ContactFields, closed: boolean): Promise<boolean> {
    const key = this.#key;
    if (!key) return false;
    const iv = random(12);
    const data = new Uint8Array(
      await subtle().encrypt(
        { name: 'AES-GCM', iv, additionalData: enc.encode(recordId) },
        key,
        enc.encode(JSON.stringify(contact)),
      ),
    );
    const row: VaultContactRow = { recordId, iv: b64(iv), data: b64(data) };
    // Not reactive state: a one-off timestamp.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    if (closed) row.closedAt = new Date(this.#now()).toISOString();
    await vaultTables(this.#db).vaultContacts.put(row);
    return true;
  }

  /** A record's contact: null when there is no copy, 'locked' when the PIN is needed first. */
  async read(recordId: string): Promise<ContactFields | null | 'locked'> {
    const row = await vaultTables(this.#db).vaultContacts.get(recordId);
    if (!row) return null;
    const key = this.#key;
    if (!key) return 'locked';
    const clear = await subtle().decrypt(
      { name: 'AES-GCM', iv: bytes(row.iv), additionalData: enc.encode(recordId) },
      key,
      bytes(row.data),
    );
    return JSON.parse(dec.decode(clear)) as ContactFields;
  }
}

const vaults = new WeakMap<Dexie, Vault>();
/** The one vault of a database (the lock state is shared by every screen). */
export function vaultFor(db: Dexie): Vault {
  let v = vaults.get(db);
  if (!v) {
    v = new Vault(db);
    vaults.set(db, v);
  }
  void v.load();
  return v;
}

/**
 * Lock after LOCK_AFTER_MS without a tap or key press, and when the page comes back after being
 * hidden that long (timers may not run while hidden). Returns the stop function.
 */
export function watchActivity(
  vault: Vault,
  target: Window = window,
  now: () => number = Date.now,
): () => void {
  let hiddenAt: number | null = null;
  const touch = () => vault.touch();
  const visibility = () => {
    if (target.document.visibilityState === 'hidden') hiddenAt = now();
    else {
      if (hiddenAt !== null && now() - hiddenAt >= LOCK_AFTER_MS) vault.lock();
      hiddenAt = null;
    }
  };
  const events = ['pointerdown', 'keydown'] as const;
  for (const e of events) target.addEventListener(e, touch, { passive: true, capture: true });
  target.document.addEventListener('visibilitychange', visibility);
  return () => {
    for (const e of events) target.removeEventListener(e, touch, { capture: true });
    target.document.removeEventListener('visibilitychange', visibility);
  };
}

const started = new WeakSet<Dexie>();
/**
 * Once per page: the inactivity lock and the retention sweep of the local copies (at start, then
 * every 10 minutes). Called by the app shell when a PIN is set, and by the PIN prompt.
 */
export function startVault(db: SotayDB): void {
  if (started.has(db)) return;
  started.add(db);
  scheduleVaultSweep(db);
  if (typeof window !== 'undefined') watchActivity(vaultFor(db));
}
