// The group session form's rules, pure (docs/group-sessions.md): what the form holds, the session
// it makes, its field-level Vietnamese messages (the shared validateSession's, plus "not after
// tomorrow"), and the patch of an edit (changed fields only). Loaded with the sessions screen.
import {
  ATTENDANCE_CELLS,
  isFutureDay,
  localDay,
  newId,
  sessionCrossIssues,
  sessionFieldMessageVi,
  validateSession,
  type AttendanceCell,
  type GroupSession,
  type GroupSessionPatch,
} from '../../shared/index.ts';
import type { LocalGroupSession } from '../db/database.ts';

/** Everything the form holds; counts are numbers, the rest text as typed. */
export interface SessionDraft {
  heldOn: string;
  hamletId: string;
  place: string;
  topic: string;
  attendance: Record<AttendanceCell, number>;
  facilitators: string[];
  note: string;
}

export function emptyAttendance(): Record<AttendanceCell, number> {
  return Object.fromEntries(ATTENDANCE_CELLS.map((c) => [c, 0])) as Record<AttendanceCell, number>;
}

/** A new form: today, the hamlet last used, the user's own name as the first facilitator. */
export function newDraft(defaults: { hamletId?: string; me?: string; now?: Date } = {}): SessionDraft {
  return {
    heldOn: localDay(defaults.now),
    hamletId: defaults.hamletId ?? '',
    place: '',
    topic: '',
    attendance: emptyAttendance(),
    facilitators: defaults.me ? [defaults.me] : [],
    note: '',
  };
}

/** The form of a stored session, for editing. */
export function draftOf(s: LocalGroupSession): SessionDraft {
  const attendance = emptyAttendance();
  for (const c of ATTENDANCE_CELLS) attendance[c] = s.attendance[c] ?? 0;
  return {
    heldOn: s.heldOn,
    hamletId: s.hamletId,
    place: s.place,
    topic: s.topic,
    attendance,
    facilitators: [...s.facilitators],
    note: s.note ?? '',
  };
}

/** A cell's count after a typed value: digits only, empty is 0 (the schema caps it). */
export function parseCount(text: string): number {
  const digits = text.replace(/\D/g, '');
  return digits === '' ? 0 : Number(digits);
}

/** The wire session a draft stands for (empty cells left out, text trimmed). */
export function sessionOf(
  draft: SessionDraft,
  id: string,
  times: { createdAt: string; updatedAt: string },
): GroupSession {
  const attendance: Partial<Record<AttendanceCell, number>> = {};
  for (const c of ATTENDANCE_CELLS) if (draft.attendance[c] > 0) attendance[c] = draft.attendance[c];
  const s: GroupSession = {
    id,
    heldOn: draft.heldOn,
    hamletId: draft.hamletId,
    place: draft.place.trim(),
    topic: draft.topic,
    attendance,
    facilitators: draft.facilitators.map((f) => f.trim()).filter((f) => f !== ''),
    createdAt: times.createdAt,
    updatedAt: times.updatedAt,
  };
  const note = draft.note.trim();
  if (note) s.note = note;
  return s;
}

export type FieldMessages = Partial<Record<string, string>>;

export type DraftCheck = { ok: true; session: GroupSession } | { ok: false; messages: FieldMessages };

/**
 * Check a draft as the server will: the shared schema and rules (a known hamlet and topic), and a
 * day not after tomorrow. One Vietnamese message per field, the first found.
 */
export function checkDraft(
  draft: SessionDraft,
  ctx: {
    id?: string;
    createdAt?: string;
    hamletIds: ReadonlySet<string>;
    topicCodes: ReadonlySet<string>;
    now?: Date;
  },
): DraftCheck {
  const now = ctx.now ?? new Date();
  const at = now.toISOString();
  const candidate = sessionOf(draft, ctx.id ?? newId(), { createdAt: ctx.createdAt ?? at, updatedAt: at });
  const messages: FieldMessages = {};
  const res = validateSession(candidate, { hamletIds: ctx.hamletIds, topicCodes: ctx.topicCodes });
  if (!res.ok) for (const i of res.issues) messages[i.field] ??= i.message;
  // A shape error stops the shared rules across fields: they are said now too, not after a fix.
  if (!res.ok) for (const i of sessionCrossIssues(candidate)) messages[i.field] ??= i.message;
  if (!messages.heldOn && draft.heldOn && isFutureDay(draft.heldOn, now))
    messages.heldOn = sessionFieldMessageVi('heldOn', 'in_future');
  if (Object.keys(messages).length > 0 || !res.ok) return { ok: false, messages };
  return { ok: true, session: res.value };
}

const EDITABLE = ['heldOn', 'hamletId', 'place', 'topic', 'attendance', 'facilitators', 'note'] as const;

/** The fields an edit changed, and only those (a cleared note is null: "clear it"). */
export function editPatch(before: LocalGroupSession, after: GroupSession): GroupSessionPatch {
  const patch: Record<string, unknown> = {};
  for (const f of EDITABLE) {
    const was = before[f] ?? null;
    const now = after[f] ?? null;
    const same =
      f === 'attendance'
        ? ATTENDANCE_CELLS.every((c) => (before.attendance[c] ?? 0) === (after.attendance[c] ?? 0))
        : JSON.stringify(was) === JSON.stringify(now);
    if (!same) patch[f] = now;
  }
  return patch as GroupSessionPatch;
}
