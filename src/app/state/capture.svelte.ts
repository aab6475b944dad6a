// The capture screen's state: form values, field messages, and the save that stores record +
// outbox row together, resets the form (keeping hamlet and category) and asks for a sync.
import { newId, type Hamlet } from '../../shared/index.ts';
import type { SotayDB } from '../db/database.ts';
import { getMeta } from '../db/meta-repo.ts';
import { saveNewRecord } from '../db/records-repo.ts';
import { StorageError } from '../db/storage.ts';
import { t } from '../i18n/index.ts';
import {
  OPTIONAL_FIELDS,
  blankValues,
  checkRecord,
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
}

export type Notice = { kind: 'saved' | 'error'; text: string };

export class CaptureForm {
  readonly #deps: CaptureDeps;
  readonly #now: () => Date;
  #values = $state<CaptureValues>(blankValues(systemNow()));
  #issues = $state<FieldMessages>({});
  #notice = $state<Notice | null>(null);
  #saving = $state(false);

  constructor(deps: CaptureDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? systemNow;
    this.#values = blankValues(this.#now());
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
    const built = valuesToRecord(this.#values, newId(), now);
    const checked = checkRecord(built, this.#deps.hamlets);
    if (!checked.ok) {
      this.#issues = checked.issues;
      this.#notice = { kind: 'error', text: t.capture.fixFields };
      return false;
    }
    this.#saving = true;
    this.#notice = null;
    try {
      await saveNewRecord(this.#deps.db, checked.record, now);
    } catch (err) {
      // The form keeps every value so the user can retry after freeing space.
      this.#notice = { kind: 'error', text: err instanceof StorageError ? err.message : t.storage.failed };
      return false;
    } finally {
      this.#saving = false;
    }
    const { hamletId, category } = this.#values;
    this.#values = blankValues(now, { hamletId, category });
    this.#issues = {};
    this.#notice = { kind: 'saved', text: t.capture.saved };
    this.#deps.onSaved?.();
    return true;
  }
}
