// The capture form as plain data: its blank state, how it becomes a wire record, and the checks
// (shared validateRecord plus the note's personal-data guard) mapped to one message per field.
import {
  CATEGORIES,
  crossFieldIssues,
  freeTextIssue,
  isFutureDay,
  localDay,
  validateRecord,
  type FieldIssue,
  type Hamlet,
  type LogRecord,
} from '../../shared/index.ts';
import { t } from '../i18n/index.ts';

/** What the inputs hold; '' means "not chosen". Keys match record fields so issues map 1:1. */
export interface CaptureValues {
  category: string;
  hamletId: string;
  outcome: string;
  serviceCode: string;
  failReason: string;
  occurredOn: string;
  place: string;
  paidOnline: boolean;
  ageBand: string;
  sex: string;
  followUpOn: string;
  note: string;
}

export type FieldMessages = Partial<Record<string, string>>;

/** Fields folded away under "Thông tin thêm". */
export const OPTIONAL_FIELDS = ['occurredOn', 'place', 'paidOnline', 'ageBand', 'sex', 'followUpOn', 'note'];

/** The device clock (informative only: it stamps createdAt/updatedAt and defaults the day). */
export function systemNow(): Date {
  return new Date();
}

export function blankValues(now: Date, keep: { hamletId?: string; category?: string } = {}): CaptureValues {
  return {
    category: keep.category ?? '',
    hamletId: keep.hamletId ?? '',
    outcome: '',
    serviceCode: '',
    failReason: '',
    occurredOn: localDay(now),
    place: '',
    paidOnline: false,
    ageBand: '',
    sex: '',
    followUpOn: '',
    note: '',
  };
}

/**
 * The category codes, the volunteer's most used first (`counts`: records per code on this phone);
 * ties and unused codes keep the catalogue's order, so a new phone shows the catalogue as it is.
 */
export function categoriesByUse(counts: Readonly<Record<string, number>>): string[] {
  const n = (code: string) => counts[code] ?? 0;
  // Array.prototype.sort is stable: equal counts stay in catalogue order.
  return CATEGORIES.map((c) => c.code).sort((a, b) => n(b) - n(a));
}

/** Build the record to store; fields that do not apply (service, fail reason) are left out. */
export function valuesToRecord(v: CaptureValues, id: string, now: Date): Record<string, unknown> {
  const at = now.toISOString();
  // Unchosen fields are left out (not sent as ''), so validation reports them as "required".
  const r: Record<string, unknown> = { id };
  if (v.occurredOn) r.occurredOn = v.occurredOn;
  if (v.hamletId) r.hamletId = v.hamletId;
  if (v.category) r.category = v.category;
  if (v.outcome) r.outcome = v.outcome;
  if (v.category === 'online_filing' && v.serviceCode) r.serviceCode = v.serviceCode;
  if (v.outcome === 'failed' && v.failReason) r.failReason = v.failReason;
  if (v.place) r.place = v.place;
  if (v.paidOnline) r.paidOnline = true;
  if (v.ageBand) r.ageBand = v.ageBand;
  if (v.sex) r.sex = v.sex;
  if (v.followUpOn) r.followUpOn = v.followUpOn;
  const note = v.note.trim();
  if (note) r.note = note;
  r.createdAt = at;
  r.updatedAt = at;
  return r;
}

/**
 * An ID or phone number in the note, however disguised (the shared free-text screen). The server
 * refuses only the ID number; the phone number is refused here, before anything is stored.
 */
export function looksPersonal(note: string): boolean {
  return freeTextIssue(note, { phone: true }) !== null;
}

export type CheckResult = { ok: true; record: LogRecord } | { ok: false; issues: FieldMessages };

/**
 * Validate the built record; all problems at once, the first message per field. `now` (this phone's
 * clock) bounds the day: after tomorrow in commune time is refused, as the server refuses it.
 */
export function checkRecord(
  record: Record<string, unknown>,
  hamlets: readonly Hamlet[],
  now: Date = systemNow(),
): CheckResult {
  const hamletIds = new Set(hamlets.map((h) => h.id));
  const result = validateRecord(record, { hamletIds });
  const issues: FieldIssue[] = result.ok ? [] : [...result.issues];
  if (!result.ok) {
    // Shape errors stop validateRecord before the cross-field rules; run those too so the user
    // sees every problem in one go (e.g. a missing hamlet AND a missing service).
    const cross = crossFieldIssues(record as LogRecord, { hamletIds });
    issues.push(...cross.filter((i) => !(i.field === 'hamletId' && !record.hamletId)));
  }
  const messages: FieldMessages = {};
  for (const i of issues) messages[i.field] ??= i.message;
  if (typeof record.note === 'string' && looksPersonal(record.note)) messages.note ??= t.capture.notePersonal;
  if (typeof record.occurredOn === 'string' && isFutureDay(record.occurredOn, now))
    messages.occurredOn ??= t.capture.occurredInFuture;
  if (result.ok && Object.keys(messages).length === 0) return { ok: true, record: result.value };
  return { ok: false, issues: messages };
}

/** The fields the form edits; everything else of a record (ids, author, citizenSeal) is left alone. */
export const FORM_FIELDS = [
  'occurredOn',
  'hamletId',
  'category',
  'outcome',
  'serviceCode',
  'failReason',
  'place',
  'paidOnline',
  'ageBand',
  'sex',
  'followUpOn',
  'note',
] as const;

/** A stored record as form values (the reverse of valuesToRecord). */
export function recordToValues(r: Partial<Record<string, unknown>>): CaptureValues {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    category: text(r.category),
    hamletId: text(r.hamletId),
    outcome: text(r.outcome),
    serviceCode: text(r.serviceCode),
    failReason: text(r.failReason),
    occurredOn: text(r.occurredOn),
    place: text(r.place),
    paidOnline: r.paidOnline === true,
    ageBand: text(r.ageBand),
    sex: text(r.sex),
    followUpOn: text(r.followUpOn),
    note: text(r.note),
  };
}

/**
 * The patch of an edit: only form fields whose value changed, `null` for a cleared one. Both sides
 * go through the form's own normalisation, so "false" vs "absent" or trailing spaces are no change.
 */
export function editPatch(before: Record<string, unknown>, after: CaptureValues): Record<string, unknown> {
  const at = new Date(0);
  const old = valuesToRecord(recordToValues(before), '', at);
  const next = valuesToRecord(after, '', at);
  const patch: Record<string, unknown> = {};
  for (const f of FORM_FIELDS) {
    if (JSON.stringify(old[f]) === JSON.stringify(next[f])) continue;
    patch[f] = next[f] ?? null;
  }
  return patch;
}
