// The assistance log ("the record") as it travels on the wire, defined once (sync-protocol.md,
// "The record on the wire"). There is deliberately no field for a raw ID number, nor for citizenKey:
// a create may carry the number sealed for the server (`citizenSeal`), which alone can open it and
// key it; the key stays on the server (docs/privacy.md).
import * as z from 'zod/mini';
import {
  AGE_BAND_CODES,
  CATEGORY_CODES,
  FAIL_REASON_CODES,
  OUTCOME_CODES,
  PLACE_CODES,
  SERVICE_CATALOGUE,
  SEX_CODES,
  isKnownService,
  type ServiceCatalogue,
} from './catalogue/index.ts';
import {
  CONSENT_METHOD_CODES,
  CONSENT_NOTICE_VERSIONS,
  SEALED_CITIZEN_RE,
  SEALED_CONTACT_RE,
  freeTextIssue,
} from './citizen/index.ts';
import { isCalendarDay } from './dates.ts';
import type { FieldIssue } from './errors.ts';
import { UUID_V7_RE } from './ids.ts';
import {
  commonFieldMessageVi,
  issueOf,
  validateShape,
  validateWhole,
  zodFieldIssues,
  type IssueWording,
  type Validated,
} from './validation.ts';

/** The record schema the client speaks; bump when the record changes shape. */
export const SCHEMA_VERSION = 1;
/** The oldest record schema the server still accepts (older answers 426). */
export const MIN_SCHEMA_VERSION = 1;

export const NOTE_MAX = 500;

const day = z.string().check(z.refine(isCalendarDay));
const shortText = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

/** Every field a client may write. Optional fields may be `null` in a patch, meaning "clear it". */
export const recordFields = {
  id: z.string().check(z.regex(UUID_V7_RE)),
  occurredOn: day,
  hamletId: shortText(64),
  category: z.enum(CATEGORY_CODES),
  outcome: z.enum(OUTCOME_CODES),
  serviceCode: z.nullish(shortText(32)),
  failReason: z.nullish(z.enum(FAIL_REASON_CODES)),
  place: z.nullish(z.enum(PLACE_CODES)),
  paidOnline: z.nullish(z.boolean()),
  ageBand: z.nullish(z.enum(AGE_BAND_CODES)),
  sex: z.nullish(z.enum(SEX_CODES)),
  followUpOn: z.nullish(day),
  note: z.nullish(z.string().check(z.maxLength(NOTE_MAX))),
  // The ID number sealed for the server (create only); the server keeps only the key it makes of it.
  citizenSeal: z.nullish(z.string().check(z.regex(SEALED_CITIZEN_RE))),
  volunteerId: z.nullish(shortText(64)),
  createdAt: z.nullish(z.iso.datetime({ offset: true })),
  updatedAt: z.nullish(z.iso.datetime({ offset: true })),
  // Consent of the "Liên hệ theo dõi" section (docs/privacy.md): given, how, which notice, when.
  consentGiven: z.nullish(z.boolean()),
  consentMethod: z.nullish(z.enum(CONSENT_METHOD_CODES)),
  consentNotice: z.nullish(z.enum(CONSENT_NOTICE_VERSIONS)),
  consentAt: z.nullish(z.iso.datetime({ offset: true })),
  // Name, phone, dossier code sealed for the server (docs/privacy.md); never in pull, never in clear.
  contact: z.nullish(z.string().check(z.regex(SEALED_CONTACT_RE))),
};

export type RecordField = keyof typeof recordFields;
export const RECORD_FIELDS = Object.keys(recordFields) as RecordField[];

/** A whole record as a client writes it (the patch of a first upsert). Unknown fields are refused. */
export const LogRecord = z.strictObject(recordFields);
export type LogRecord = z.infer<typeof LogRecord>;

/** Only the changed fields (later upserts). */
export const LogPatch = z.partial(LogRecord);
export type LogPatch = z.infer<typeof LogPatch>;

/** Fields the server derives and never takes from a client. */
export interface ServerFields {
  volunteerId: string;
  teamId: string;
  communeCode: string;
}
/** A record's data as the server stores it: the key it made of a seal, never the seal. */
export type StoredData = Omit<LogRecord, 'citizenSeal'> & { citizenKey?: string };
/** A record as the server stores it (pull `data` never carries citizenKey, nor citizenSeal). */
export type StoredRecord = StoredData & ServerFields;

const FIELD_LABELS_VI: Record<string, string> = {
  id: 'Mã bản ghi',
  occurredOn: 'Ngày hỗ trợ',
  hamletId: 'Thôn/ấp',
  category: 'Loại hỗ trợ',
  outcome: 'Kết quả',
  serviceCode: 'Dịch vụ công',
  failReason: 'Lý do không thành công',
  place: 'Nơi hỗ trợ',
  paidOnline: 'Thanh toán trực tuyến',
  ageBand: 'Nhóm tuổi',
  sex: 'Giới tính',
  followUpOn: 'Ngày hẹn theo dõi',
  note: 'Ghi chú',
  citizenKey: 'Mã công dân',
  citizenSeal: 'Số định danh (niêm phong)',
  volunteerId: 'Tình nguyện viên',
  createdAt: 'Thời điểm tạo',
  updatedAt: 'Thời điểm sửa',
  consentGiven: 'Sự đồng ý của người dân',
  consentMethod: 'Cách đồng ý',
  consentNotice: 'Phiên bản thông báo',
  consentAt: 'Thời điểm đồng ý',
  contact: 'Thông tin liên hệ',
};

const CHOICE_FIELDS = new Set([
  'hamletId',
  'category',
  'outcome',
  'serviceCode',
  'failReason',
  'place',
  'ageBand',
  'sex',
  'consentMethod',
]);

export function fieldLabelVi(field: string): string {
  return FIELD_LABELS_VI[field] ?? field;
}

/** The Vietnamese sentence for one field issue code. */
export function fieldMessageVi(field: string, code: string): string {
  const label = fieldLabelVi(field);
  switch (code) {
    case 'not_applicable':
      return `${label} chỉ dùng cho trường hợp phù hợp; hãy bỏ trống.`;
    case 'unknown_service':
      return 'Dịch vụ công không có trong danh mục.';
    case 'vneid_l2_at_home':
      return 'Kích hoạt VNeID mức 2 không hoàn thành được tại nhà dân (phải qua công an hoặc thẻ căn cước).';
    case 'id_mismatch':
      return 'Mã bản ghi không khớp.';
    case 'consent_incomplete':
      return 'Thiếu thông tin về sự đồng ý (cách đồng ý, phiên bản thông báo, thời điểm).';
    case 'consent_required':
      return 'Cần người dân đồng ý trước khi ghi thông tin này.';
    case 'create_only':
      return `${label} chỉ được gửi khi tạo bản ghi.`;
    case 'seal_invalid':
      return 'Số định danh không mở được hoặc không hợp lệ. Hãy nhập lại trên điện thoại.';
    default:
      return commonFieldMessageVi(field, label, code, CHOICE_FIELDS);
  }
}

const issue = issueOf(fieldMessageVi);

/** A field left out or empty is `required`; a null where a value is needed is `invalid`. */
const RECORD_WORDING: IssueWording = { issue, blank: [undefined, ''] };

/** zod issues → our field issues (stable codes, Vietnamese messages). */
export function toFieldIssues(error: z.core.$ZodError, input?: unknown): FieldIssue[] {
  return zodFieldIssues(error, input, RECORD_WORDING);
}

export interface RecordContext {
  /** Hamlet ids of the caller's commune; when given, hamletId must be one of them. */
  hamletIds?: ReadonlySet<string>;
  catalogue?: ServiceCatalogue;
}

/** Rules that span fields; run on a whole (merged) record. */
export function crossFieldIssues(r: LogRecord, ctx: RecordContext = {}): FieldIssue[] {
  const out: FieldIssue[] = [];
  const catalogue = ctx.catalogue ?? SERVICE_CATALOGUE;
  if (r.category === 'online_filing' && !r.serviceCode) out.push(issue('serviceCode', 'required'));
  if (r.serviceCode) {
    if (r.category !== 'online_filing' && r.category !== 'online_payment')
      out.push(issue('serviceCode', 'not_applicable'));
    else if (!isKnownService(r.serviceCode, catalogue)) out.push(issue('serviceCode', 'unknown_service'));
  }
  if (r.outcome === 'failed' && !r.failReason) out.push(issue('failReason', 'required'));
  if (r.outcome !== 'failed' && r.failReason) out.push(issue('failReason', 'not_applicable'));
  if (r.category === 'vneid_l2' && r.place === 'home' && r.outcome === 'done')
    out.push(issue('place', 'vneid_l2_at_home'));
  if (ctx.hamletIds && !ctx.hamletIds.has(r.hamletId)) out.push(issue('hamletId', 'unknown_hamlet'));
  // A raw ID number is never accepted anywhere, not even inside the note, however it is disguised.
  if (r.note && freeTextIssue(r.note) === 'looks_like_id') out.push(issue('note', 'looks_like_id'));
  out.push(...consentIssues(r));
  return out;
}

/** Consent is all or nothing: given (true) with its method, notice version and time; or absent. */
function consentIssues(r: LogRecord): FieldIssue[] {
  const parts = [r.consentMethod, r.consentNotice, r.consentAt];
  if (r.contact && r.consentGiven !== true) return [issue('contact', 'consent_required')];
  if (r.citizenSeal && r.consentGiven !== true) return [issue('citizenSeal', 'consent_required')];
  if (r.consentGiven === true) {
    const missing = (['consentMethod', 'consentNotice', 'consentAt'] as const).filter((f) => !r[f]);
    return missing.map((f) => issue(f, 'required'));
  }
  // Refused or not asked: nothing about consent is kept (a refusal keeps no personal data either).
  if (r.consentGiven === false || parts.some((p) => p !== undefined && p !== null))
    return [issue('consentGiven', 'consent_incomplete')];
  return [];
}

/** Validate a whole record: shape, then cross-field rules. */
export function validateRecord(input: unknown, ctx: RecordContext = {}): Validated<LogRecord> {
  return validateWhole(LogRecord, input, RECORD_WORDING, (r) => crossFieldIssues(r, ctx));
}

/** Validate the shape of a patch (cross-field rules apply after it is merged). */
export function validatePatch(input: unknown): Validated<LogPatch> {
  return validateShape(LogPatch, input, RECORD_WORDING);
}

/** Merge a patch into a record: a `null` clears an optional field. Pure. */
export function applyPatch<T extends Record<string, unknown>>(base: T, patch: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || v === undefined) delete out[k];
    else out[k] = v;
  }
  return out as T;
}

/** Field names whose values differ between two records (for patches and history). */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}
