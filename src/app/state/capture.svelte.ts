// The record form's state for a new record (capture) or a stored one (edit, delete): values, field
// messages, and saves that store record + outbox row together; an edit queues only changed fields.
import { newId, type Hamlet } from '../../shared/index.ts';
import type { LocalRecord, SotayDB } from '../db/database.ts';
import { getMeta } from '../db/meta-repo.ts';
import {
  RecordGoneError,
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
  checkRecord,
  editPatch,
  recordToValues,
  systemNow,
  valuesToRecord,
  type CaptureValues,
  type FieldMessages,
} from './capture-form.ts';

export interface CaptureDeps {
  db: SotayDB;
  hamlets: readonly Hamlet[];
  onSaved?: () => void;
  now?: () => Date;
  /** Edit this stored record instead of capturing a new one. */
  editing?: LocalRecord;
}

export type Notice = { kind: 'saved' | 'error'; text: string };

export class CaptureForm {
  readonly #deps: CaptureDeps;
  readonly #now: () => Date;
  #values = $state<CaptureValues>(blankValues(systemNow()));
  #issues = $state<FieldMessages>({});
  #notice = $state<Notice | null>(null);
  #saving = $state(false);
  #editing: LocalRecord | undefined;

  constructor(deps: CaptureDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? systemNow;
    this.#editing = deps.editing;
    this.#values = deps.editing ? recordToValues(deps.editing) : blankValues(this.#now());
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

  /** Pre-select the hamlet and category used last time (if the hamlet still exists). */
  async restoreLast(): Promise<void> {
    try {
      const prefs = await getMeta(this.#deps.db, 'prefs');
      const known = this.#deps.hamlets.some((h) => h.id === prefs?.lastHamletId);
      if (known && !this.#values.hamletId) this.#values.hamletId = prefs!.lastHamletId!;
      if (prefs?.lastCategory && !this.#values.category) this.#values.category = prefs.lastCategory;
    } catch {
      // Only a convenience: a storage hiccup here must not block capture.
    }
    if (!this.#values.hamletId && this.#deps.hamlets.length === 1)
      this.#values.hamletId = this.#deps.hamlets[0]!.id;
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
    const checked = checkRecord(built, this.#deps.hamlets);
    if (!checked.ok) {
      this.#issues = checked.issues;
      this.#notice = { kind: 'error', text: t.capture.fixFields };
      return false;
    }
    const patch = editing ? editPatch(editing, this.#values) : null;
    if (patch && Object.keys(patch).length === 0) {
      this.#issues = {};
      this.#notice = { kind: 'error', text: t.edit.noChange };
      return false;
    }
    const stored = await this.#store(async () => {
      if (editing && patch) this.#editing = await saveRecordEdit(this.#deps.db, editing.id, patch, now);
      else await saveNewRecord(this.#deps.db, checked.record, now);
    });
    if (!stored) return false;
    this.#issues = {};
    if (this.#editing) {
      this.#notice = { kind: 'saved', text: t.edit.saved };
      this.#deps.onSaved?.();
      return true;
    }
    const { hamletId, category } = this.#values;
    this.#values = blankValues(now, { hamletId, category });
    this.#notice = { kind: 'saved', text: t.capture.saved };
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
