// A group session ("buổi sinh hoạt nhóm"): a class a team runs for many citizens at once, defined
// once for both sides (docs/group-sessions.md). It names no attendee: only counts by sex and age
// band. It travels in the same outbox and push as records, as a mutation of kind 'session'.
import * as z from 'zod/mini';
import { AGE_BAND_CODES, SEX_CODES, type AgeBand, type Sex } from './catalogue/index.ts';
import { freeTextIssue } from './citizen/index.ts';
import { isCalendarDay } from './dates.ts';
import type { FieldIssue } from './errors.ts';
import { UUID_V7_RE } from './ids.ts';
import { applyPatch } from './record.ts';
import {
  commonFieldMessageVi,
  dedupeIssues,
  issueOf,
  validateShape,
  validateWhole,
  type IssueWording,
  type Validated,
} from './validation.ts';

/** What a mutation or a pulled change is about; absent on the wire means 'record'. */
export const ENTITY_KINDS = ['record', 'session'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

export const SESSION_PLACE_MAX = 120;
export const SESSION_NOTE_MAX = 500;
export const FACILITATOR_NAME_MAX = 80;
export const FACILITATORS_MAX = 10;
/** No hall in a commune seats more; a larger figure is a typing slip. */
export const ATTENDANCE_CELL_MAX = 1000;

/** One cell of the attendance grid: `${sex}:${ageBand}`, e.g. "female:60_plus". */
export type AttendanceCell = `${Sex}:${AgeBand}`;
export const ATTENDANCE_CELLS: readonly AttendanceCell[] = SEX_CODES.flatMap((s) =>
  AGE_BAND_CODES.map((a) => `${s}:${a}` as AttendanceCell),
);

/** The topics every commune starts with; the admin adds, renames and retires its own (docs/group-sessions.md). */
export const DEFAULT_SESSION_TOPICS = [
  { code: 'digital_skills', label: 'Kỹ năng số cơ bản' },
  { code: 'vneid', label: 'VNeID và định danh điện tử' },
  { code: 'online_services', label: 'Dịch vụ công trực tuyến' },
  { code: 'online_payment', label: 'Thanh toán không dùng tiền mặt' },
  { code: 'online_safety', label: 'An toàn trên không gian mạng' },
  { code: 'ai_apps', label: 'Ứng dụng AI' },
] as const;

/** A topic of the commune's list; a retired topic (`active: false`) stays valid for sessions already logged. */
export const SessionTopic = z.object({
  code: z.string().check(z.regex(/^[a-z0-9_]{1,32}$/)),
  label: z.string().check(z.minLength(1), z.maxLength(80)),
  active: z.boolean(),
});
export type SessionTopic = z.infer<typeof SessionTopic>;

const day = z.string().check(z.refine(isCalendarDay));
const shortText = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
const count = z.int().check(z.gte(0), z.lte(ATTENDANCE_CELL_MAX));

/** Every field a client may write; optional ones may be null in a patch ("clear it"). */
export const sessionFields = {
  id: z.string().check(z.regex(UUID_V7_RE)),
  heldOn: day,
  hamletId: shortText(64),
  /** Where it was held, in words ("Nhà văn hóa thôn 3"). */
  place: shortText(SESSION_PLACE_MAX),
  /** A code of the commune's topic list. */
  topic: z.string().check(z.regex(/^[a-z0-9_]{1,32}$/)),
  /** Head counts by `${sex}:${ageBand}`; missing cells are 0; at least one attendee in all. */
  attendance: z.partialRecord(z.enum(ATTENDANCE_CELLS as [AttendanceCell, ...AttendanceCell[]]), count),
  /** Who ran it, by name (staff, never citizens); the logger is usually the first. */
  facilitators: z.array(shortText(FACILITATOR_NAME_MAX)).check(z.minLength(1), z.maxLength(FACILITATORS_MAX)),
  note: z.nullish(z.string().check(z.maxLength(SESSION_NOTE_MAX))),
  /** Server-derived (who logged it); a client's value is ignored like a record's. */
  volunteerId: z.nullish(shortText(64)),
  createdAt: z.nullish(z.iso.datetime({ offset: true })),
  updatedAt: z.nullish(z.iso.datetime({ offset: true })),
};
export type SessionField = keyof typeof sessionFields;
export const SESSION_FIELDS = Object.keys(sessionFields) as SessionField[];

/** A whole session as a client writes it (the patch of a first upsert). Unknown fields are refused. */
export const GroupSession = z.strictObject(sessionFields);
export type GroupSession = z.infer<typeof GroupSession>;
export const GroupSessionPatch = z.partial(GroupSession);
export type GroupSessionPatch = z.infer<typeof GroupSessionPatch>;

const LABELS_VI: Record<string, string> = {
  id: 'Mã buổi',
  heldOn: 'Ngày tổ chức',
  hamletId: 'Thôn/ấp',
  place: 'Địa điểm',
  topic: 'Chủ đề',
  attendance: 'Số người tham dự',
  facilitators: 'Người hướng dẫn',
  note: 'Ghi chú',
  volunteerId: 'Người ghi',
  createdAt: 'Thời điểm tạo',
  updatedAt: 'Thời điểm sửa',
};

export function sessionFieldLabelVi(field: string): string {
  return LABELS_VI[field] ?? field;
}

/** The session fields picked from a list. */
const SESSION_CHOICE_FIELDS: ReadonlySet<string> = new Set(['hamletId', 'topic']);

/** The Vietnamese sentence for one session field issue code. */
export function sessionFieldMessageVi(field: string, code: string): string {
  const label = sessionFieldLabelVi(field);
  switch (code) {
    case 'unknown_topic':
      return 'Chủ đề không có trong danh sách của xã.';
    case 'no_attendees':
      return 'Buổi sinh hoạt phải có ít nhất một người tham dự.';
    case 'too_many':
      return `${label}: mỗi ô tối đa ${ATTENDANCE_CELL_MAX} người.`;
    case 'id_mismatch':
      return 'Mã buổi không khớp.';
    default:
      return commonFieldMessageVi(field, label, code, SESSION_CHOICE_FIELDS);
  }
}

const issue = issueOf(sessionFieldMessageVi);

/** A null where a value is needed reads as not given, `required` (a record calls it invalid). */
const SESSION_WORDING: IssueWording = {
  issue,
  blank: [undefined, null, ''],
  ownCode: (field, i) => {
    if (field === 'attendance' && i.code === 'too_big') return 'too_many';
    // An empty list of facilitators is one not given.
    if (field === 'facilitators' && i.code === 'too_small') return 'required';
    return undefined;
  },
};

/** Sessions held and the people who came to them, as every session figure counts them. */
export interface SessionCount {
  sessions: number;
  attendees: number;
}

/** Everyone who came, summed over the grid. */
export function attendeeTotal(attendance: Partial<Record<AttendanceCell, number>> | undefined): number {
  let n = 0;
  for (const v of Object.values(attendance ?? {})) n += v ?? 0;
  return n;
}

export interface SessionContext {
  /** Hamlet ids of the caller's commune; when given, hamletId must be one of them. */
  hamletIds?: ReadonlySet<string>;
  /** Topic codes of the commune's list (retired ones included); when given, topic must be one. */
  topicCodes?: ReadonlySet<string>;
}

/** Rules across fields, on a whole (merged) session. */
export function sessionCrossIssues(s: GroupSession, ctx: SessionContext = {}): FieldIssue[] {
  const out: FieldIssue[] = [];
  if (attendeeTotal(s.attendance) < 1) out.push(issue('attendance', 'no_attendees'));
  if (ctx.hamletIds && !ctx.hamletIds.has(s.hamletId)) out.push(issue('hamletId', 'unknown_hamlet'));
  if (ctx.topicCodes && !ctx.topicCodes.has(s.topic)) out.push(issue('topic', 'unknown_topic'));
  // Free text never holds an ID number, wherever it is typed (docs/privacy.md).
  for (const [field, text] of [
    ['place', s.place],
    ['note', s.note],
    ...s.facilitators.map((f) => ['facilitators', f] as const),
  ] as const)
    if (text && freeTextIssue(text) === 'looks_like_id') out.push(issue(field, 'looks_like_id'));
  return dedupeIssues(out);
}

/** Validate a whole session: shape, then rules across fields. Nulls are dropped from the value. */
export function validateSession(input: unknown, ctx: SessionContext = {}): Validated<GroupSession> {
  return validateWhole(GroupSession, input, SESSION_WORDING, (s) => sessionCrossIssues(s, ctx));
}

/** Validate the shape of a session patch (rules across fields apply once it is merged). */
export function validateSessionPatch(input: unknown): Validated<GroupSessionPatch> {
  return validateShape(GroupSessionPatch, input, SESSION_WORDING);
}

/** A session with a patch merged in (null clears an optional field). Pure. */
export function applySessionPatch(base: GroupSession, patch: GroupSessionPatch): GroupSession {
  return applyPatch(base as Record<string, unknown>, patch as Record<string, unknown>) as GroupSession;
}

/** The commune's topic list: its own when it has one, else the defaults (all active). */
export function topicsOrDefault(own: readonly SessionTopic[]): SessionTopic[] {
  return own.length > 0 ? [...own] : DEFAULT_SESSION_TOPICS.map((t) => ({ ...t, active: true }));
}

// ---- HTTP beside sync (docs/group-sessions.md, "API") ----------------------------------------

export const SESSION_TOPICS_MAX = 40;
/** GET and PUT /api/v1/session-topics: the whole list; a PUT must keep every code (retire, never drop). */
export const SessionTopicsBody = z.strictObject({
  topics: z.array(SessionTopic).check(
    z.minLength(1),
    z.maxLength(SESSION_TOPICS_MAX),
    z.refine((ts) => new Set(ts.map((t) => t.code)).size === ts.length, { message: 'duplicate_code' }),
  ),
});
export type SessionTopicsBody = z.infer<typeof SessionTopicsBody>;

/**
 * One session as GET /api/v1/sessions lists it for a lead, supervisor or admin (review, reports).
 * POST /api/v1/sessions/:id/review takes the record review's body and answers a ReviewResponse.
 */
export const SessionListItem = z.object({
  id: z.string(),
  version: z.int(),
  heldOn: z.string(),
  hamletId: z.string(),
  place: z.string(),
  topic: z.string(),
  attendance: z.record(z.string(), z.int()),
  attendees: z.int(),
  facilitators: z.array(z.string()),
  note: z.optional(z.string()),
  volunteerId: z.string(),
  teamId: z.string(),
  reviewState: z.nullable(z.string()),
  reviewComment: z.nullable(z.string()),
  updatedAt: z.string(),
});
export type SessionListItem = z.infer<typeof SessionListItem>;
export const SessionListResponse = z.object({
  sessions: z.array(SessionListItem),
  /** Pass back as `cursor` for the next page; null on the last. */
  next: z.nullable(z.string()),
});
export type SessionListResponse = z.infer<typeof SessionListResponse>;
