// The record form's state for a new record (capture) or a stored one (edit, delete): values, field
// messages, and saves that store record + outbox row together; an edit queues only changed fields.
// The capture screen gets its forms from `CaptureState`, provided by the shell through `captureSlot`.
import { newId, type Hamlet } from '../../shared/index.ts';
import type { LocalRecord, SotayDB } from '../db/database.ts';
import { getMeta } from '../db/meta-repo.ts';
import {
  RecordGoneError,
  tallyOwn,
  deleteRecord,
  saveNewRecord,
  saveRecordEdit,
  wireFields,
} from '../db/records-repo.ts';
import { StorageError } from '../db/storage.ts';
import { t } from '../i18n/index.ts';
import {
  OPTIONAL_FIELDS,
  blankValues,
  categoriesByUse,
  checkRecord,
  editPatch,
  recordToValues,
  systemNow,
  valuesToRecord,
  type CaptureValues,
  type FieldMessages,
} from './capture-form.ts';
import {
  blankContact,
  contactFields,
  contactIssues,
  keepLocalCopy,
  typedContact,
  type ContactValues,
} from './capture-contact.ts';
import type { Vault } from '../privacy/vault.svelte.ts';
import { hasLocalContact } from '../db/vault-tables.ts';
import { contextSlot } from './context.ts';
import { lastDays } from '../../shared/periods.ts';

export interface CaptureDeps {
  db: SotayDB;
  hamlets: readonly Hamlet[];
  onSaved?: () => void;
  now?: () => Date;
  /** Edit this stored record instead of capturing a new one. */
  editing?: LocalRecord;
  /** The server's public key that seals follow-up contacts (from login). */
  contactKey?: string | undefined;
}

export type Notice = { kind: 'saved' | 'error' | 'undone'; text: string };

/** How long "Hoàn tác" stays offered after a save. */
export const UNDO_MS = 6000;

/** The window of own records whose counts order the category list ("the usual ones first"). */
export const CATEGORY_USE_DAYS = 90;

export class CaptureForm {
  readonly #deps: CaptureDeps;
  readonly #now: () => Date;
  #values = $state<CaptureValues>(blankValues(systemNow()));
  #issues = $state<FieldMessages>({});
  #notice = $state<Notice | null>(null);
  #saving = $state(false);
  #editing: LocalRecord | undefined;
  /** What the inputs held when the form was last reset (dirty = differs from it). */
  #baseline = $state('');
  /** The record just saved, while its undo is offered. */
  #undoId = $state<string | null>(null);
  #undoTimer: ReturnType<typeof setTimeout> | undefined;
  #categoryOrder = $state<string[]>(categoriesByUse({}));
  /** An order read while a category was already chosen: applied when the next record starts. */
  #pendingOrder: string[] | null = null;
  /** "Liên hệ theo dõi": in memory only (the ID number must never reach storage). */
  #contact = $state<ContactValues>(blankContact());

  constructor(deps: CaptureDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? systemNow;
    this.#editing = deps.editing;
    this.#values = deps.editing ? recordToValues(deps.editing) : blankValues(this.#now());
    this.#baseline = JSON.stringify(this.#values);
  }

  /** The user changed something not yet saved (an update must not reload over it). */
  get dirty(): boolean {
    const c = this.#contact;
    return JSON.stringify(this.#values) !== this.#baseline || c.open || c.idNumber !== '';
  }

  /** The follow-up contact section (capture only); mutate its fields. */
  get contact(): ContactValues {
    return this.#contact;
  }

  /** Category codes in list order: for a capture the volunteer's most used first, else the catalogue's. */
  get categoryOrder(): string[] {
    return this.#categoryOrder;
  }

  /** A save can still be undone ("Hoàn tác"). */
  get canUndo(): boolean {
    return this.#undoId !== null;
  }

  /** VNeID level 2 cannot be done at home: when it is chosen, the place defaults to the commune office. */
  categoryChosen(): void {
    const v = this.#values;
    if (!this.isEdit && v.category === 'vneid_l2' && (v.place === '' || v.place === 'home')) {
      v.place = 'commune_office';
    }
  }

  /** Take back the record just saved: a delete through the outbox (never posted → gone cleanly). */
  async undo(): Promise<boolean> {
    const id = this.#undoId;
    if (!id || this.#saving) return false;
    this.#clearUndo();
    const ok = await this.#store(() => deleteRecord(this.#deps.db, id, this.#now()));
    if (ok) {
      this.#notice = { kind: 'undone', text: t.capture.undone };
      this.#deps.onSaved?.();
    }
    return ok;
  }

  #clearUndo(): void {
    clearTimeout(this.#undoTimer);
    this.#undoId = null;
  }

  /**
   * The first change after a save or an undo starts the next record: "Đã lưu · Hoàn tác" goes, so
   * it cannot be read as being about the record now being typed (the capture screen calls it).
   */
  nextRecordStarted(): void {
    if (this.#notice?.kind === 'error') return;
    this.#notice = null;
    this.#clearUndo();
  }

  /** Forget the pending undo (the component went away). */
  dispose(): void {
    this.#clearUndo();
  }

  get isEdit(): boolean {
    return this.#editing !== undefined;
  }

  /** Bound to the inputs; mutate its fields. */
  get values(): CaptureValues {
    return this.#values;
  }
  get issues(): FieldMessages {
    return this.#issues;
  }
  get notice(): Notice | null {
    return this.#notice;
  }
  get saving(): boolean {
    return this.#saving;
  }
  get showService(): boolean {
    return this.#values.category === 'online_filing';
  }
  get showFailReason(): boolean {
    return this.#values.outcome === 'failed';
  }
  /** An optional field has a problem: the folded section must be open to show it. */
  get optionalHasIssue(): boolean {
    return OPTIONAL_FIELDS.some((f) => this.#issues[f]);
  }

  /**
   * Pre-select the hamlet used last time (if it still exists) and order the categories by use. The
   * category is never pre-selected: each record's is a choice the volunteer makes.
   */
  async restoreLast(): Promise<void> {
    const ordered = this.#loadCategoryOrder();
    try {
      const prefs = await getMeta(this.#deps.db, 'prefs');
      const known = this.#deps.hamlets.some((h) => h.id === prefs?.lastHamletId);
      if (known && !this.#values.hamletId) this.#values.hamletId = prefs!.lastHamletId!;
    } catch {
      // Only a convenience: a storage hiccup here must not block capture.
    }
    if (!this.#values.hamletId && this.#deps.hamlets.length === 1)
      this.#values.hamletId = this.#deps.hamlets[0]!.id;
    if (!this.dirty || this.#isPristineExceptPrefs()) this.#baseline = JSON.stringify(this.#values);
    await ordered;
  }

  /** Read once per form from the own counters, so the list does not move while the form is used. */
  async #loadCategoryOrder(): Promise<void> {
    if (this.isEdit) return;
    const { from, to } = lastDays(CATEGORY_USE_DAYS, this.#now());
    try {
      const order = categoriesByUse((await tallyOwn(this.#deps.db, from, to)).byCategory);
      // Never move the list under a choice already made: wait for the next record.
      if (this.#values.category) this.#pendingOrder = order;
      else this.#categoryOrder = order;
    } catch {
      // Only an ordering: the catalogue's order still works.
    }
  }

  /**
   * While the browser is idle after the form is shown: run what a save runs before it stores —
   * building and checking a sample record, and a read-only transaction over the tables a save
   * writes — so the first tap does not also pay for compiling that code, which
   * made the first save of a session a task over the save budget's 50 ms where later ones had none.
   * Stores nothing and shows nothing.
   */
  async warm(): Promise<void> {
    const hamletId = this.#deps.hamlets[0]?.id;
    if (!hamletId) return;
    const now = this.#now();
    const sample = { ...blankValues(now), hamletId, category: 'vneid_l2', outcome: 'done' };
    checkRecord(valuesToRecord(sample, newId(), now), this.#deps.hamlets, now);
    const { db } = this.#deps;
    try {
      await db.transaction('r', [db.records, db.outbox, db.meta], () =>
        Promise.all([getMeta(db, 'sync'), getMeta(db, 'prefs'), db.outbox.limit(1).first()]),
      );
    } catch {
      // Only a warm-up.
    }
  }

  /** Only the remembered hamlet differs from a blank form. */
  #isPristineExceptPrefs(): boolean {
    const { hamletId } = this.#values;
    return JSON.stringify(this.#values) === JSON.stringify({ ...JSON.parse(this.#baseline), hamletId });
  }

  /** Validate and store. Returns false (nothing stored) when a field needs fixing or storage failed. */
  async save(): Promise<boolean> {
    if (this.#saving) return false;
    const now = this.#now();
    const editing = this.#editing;
    const built = editing
      ? {
          ...wireFields(editing),
          ...valuesToRecord(this.#values, editing.id, now),
          createdAt: editing.createdAt,
        }
      : valuesToRecord(this.#values, newId(), now);
    if (editing && !editing.createdAt) delete built.createdAt;
    const keys = { contactKey: this.#deps.contactKey };
    const contactProblems = editing ? {} : contactIssues(this.#contact, keys);
    let deviceOnly: { deviceCitizenKey?: string } = {};
    if (!editing && Object.keys(contactProblems).length === 0) {
      this.#saving = true; // sealing is async: a second tap must not save twice
      try {
        const added = await contactFields(this.#contact, keys, String(built.id), now, this.#deps.db);
        Object.assign(built, added.fields);
        if (added.deviceCitizenKey) deviceOnly = { deviceCitizenKey: added.deviceCitizenKey };
      } finally {
        this.#saving = false;
      }
    }
    const checked = checkRecord(built, this.#deps.hamlets, now);
    if (!checked.ok || Object.keys(contactProblems).length > 0) {
      this.#issues = { ...(checked.ok ? {} : checked.issues), ...contactProblems };
      this.#notice = { kind: 'error', text: t.capture.fixFields };
      return false;
    }
    const patch = editing ? editPatch(editing, this.#values) : null;
    if (patch && Object.keys(patch).length === 0) {
      this.#issues = {};
      this.#notice = { kind: 'error', text: t.edit.noChange };
      return false;
    }
    const localCopy = !editing && this.#contact.open ? typedContact(this.#contact) : null;
    const stored = await this.#store(async () => {
      if (editing && patch) this.#editing = await saveRecordEdit(this.#deps.db, editing.id, patch, now);
      else {
        await saveNewRecord(this.#deps.db, checked.record, now, deviceOnly);
        // The PIN-encrypted local copy, while still "saving" (no second tap): only when the vault
        // is unlocked, never waiting for a PIN; its failure leaves the saved record as it is.
        if (localCopy)
          await keepLocalCopy(this.#deps.db, checked.record.id, localCopy, checked.record.outcome).catch(
            () => false,
          );
      }
    });
    if (!stored) return false;
    this.#issues = {};
    if (this.#editing) {
      this.#baseline = JSON.stringify(this.#values);
      this.#notice = { kind: 'saved', text: t.edit.saved };
      this.#deps.onSaved?.();
      return true;
    }
    // The hamlet stays (the volunteer is still in the same village); the category is chosen afresh.
    this.#values = blankValues(now, { hamletId: this.#values.hamletId });
    this.#contact = blankContact();
    if (this.#pendingOrder) [this.#categoryOrder, this.#pendingOrder] = [this.#pendingOrder, null];
    this.#baseline = JSON.stringify(this.#values);
    this.#notice = { kind: 'saved', text: t.capture.saved };
    this.#clearUndo();
    this.#undoId = checked.record.id;
    this.#undoTimer = setTimeout(() => (this.#undoId = null), UNDO_MS);
    this.#deps.onSaved?.();
    return true;
  }

  /** Delete the record being edited (a tombstone through the outbox). */
  async remove(): Promise<boolean> {
    const editing = this.#editing;
    if (!editing || this.#saving) return false;
    return this.#store(() => deleteRecord(this.#deps.db, editing.id, this.#now()));
  }

  /** Run a storage write; on failure say why and keep every value so the user can retry. */
  async #store(write: () => Promise<void>): Promise<boolean> {
    this.#saving = true;
    this.#notice = null;
    try {
      await write();
      return true;
    } catch (err) {
      const gone = err instanceof StorageError && err.cause instanceof RecordGoneError;
      const text = gone ? t.edit.missing : err instanceof StorageError ? err.message : t.storage.failed;
      this.#notice = { kind: 'error', text };
      return false;
    } finally {
      this.#saving = false;
    }
  }
}

/** What the capture screen needs from the shell: this phone's database, the commune's hamlets and key. */
export interface CaptureSource {
  readonly db: SotayDB;
  readonly hamlets: readonly Hamlet[];
  /** The server's public key that seals ID numbers and follow-up contacts (from login). */
  readonly contactKey?: string | undefined;
  readonly now?: () => Date;
}

/**
 * The capture side of the phone's state, provided by the shell through `captureSlot`: the capture
 * screen takes its forms from here and never sees the database itself.
 */
export class CaptureState {
  readonly #source: CaptureSource;

  constructor(source: CaptureSource) {
    this.#source = source;
  }

  get hamlets(): readonly Hamlet[] {
    return this.#source.hamlets;
  }

  /** A blank capture form (one per mounted capture screen: a new user gets a new one). */
  newForm(onSaved?: () => void): CaptureForm {
    const source = this.#source;
    return new CaptureForm({
      get db() {
        return source.db;
      },
      get hamlets() {
        return source.hamlets;
      },
      get contactKey() {
        return source.contactKey;
      },
      onSaved: () => onSaved?.(),
      now: () => (source.now ?? systemNow)(),
    });
  }
}

export const captureSlot = contextSlot<CaptureState>('capture');

/**
 * The PIN vault of this phone as the PIN screens see it (docs/privacy.md, "PIN-encrypted copy"),
 * provided by the shell through `vaultSlot`: those screens never hold the database. The vault's code
 * (crypto, timers) is a lazy chunk, loaded on the first `open()`. It lives in this module because
 * the capture form is in the first load anyway: a module of its own would be one more chunk there.
 */
export class VaultAccess {
  readonly #db: () => SotayDB;

  /** `db` is read on each call, so the shell can hand in a getter over its services. */
  constructor(db: () => SotayDB) {
    this.#db = db;
  }

  /**
   * The one vault of this phone, its inactivity lock and retention sweep started (once per page):
   * the PIN prompt and the contact view read and unlock it.
   */
  async open(): Promise<Vault> {
    const { startVault, vaultFor } = await import('../privacy/vault.svelte.ts');
    const db = this.#db();
    startVault(db);
    return vaultFor(db);
  }

  /** This record has the volunteer's own encrypted contact copy on this phone. */
  hasLocalContact(recordId: string): Promise<boolean> {
    return hasLocalContact(this.#db(), recordId);
  }
}

export const vaultSlot = contextSlot<VaultAccess>('vault');
