// The group-session schema is a contract of both sides: what it accepts, and how it refuses.
import { describe, expect, test } from 'vitest';
import {
  ATTENDANCE_CELLS,
  DEFAULT_SESSION_TOPICS,
  Mutation,
  PullResponse,
  applySessionPatch,
  attendeeTotal,
  newId,
  topicsOrDefault,
  validateSession,
  validateSessionPatch,
  type GroupSession,
} from '../../src/shared/index.ts';

const ctx = { hamletIds: new Set(['thon-dong']), topicCodes: new Set(['ai_apps', 'vneid']) };
const session = (over: Partial<GroupSession> = {}): GroupSession => ({
  id: newId(),
  heldOn: '2026-12-05',
  hamletId: 'thon-dong',
  place: 'Nhà văn hóa thôn Đông',
  topic: 'ai_apps',
  attendance: { 'female:60_plus': 12, 'male:18_59': 7 },
  facilitators: ['Tình nguyện viên A'],
  ...over,
});

describe('a whole session', () => {
  test('a complete session is valid and keeps what was said', () => {
    const s = session({ note: 'Mang theo điện thoại' });
    expect(validateSession(s, ctx)).toEqual({ ok: true, value: s });
  });

  test('a session with nobody attending is refused with a Vietnamese reason', () => {
    const v = validateSession(session({ attendance: { 'female:60_plus': 0 } }), ctx);
    expect(v.ok).toBe(false);
    if (!v.ok)
      expect(v.issues).toEqual([expect.objectContaining({ field: 'attendance', code: 'no_attendees' })]);
  });

  test('missing fields, an unknown topic or hamlet, a cell over the limit are each named', () => {
    const { place: _, ...noPlace } = session();
    const missing = validateSession({ ...noPlace, facilitators: [] }, ctx);
    expect(missing.ok || missing.issues.map((i) => `${i.field}:${i.code}`).sort()).toEqual([
      'facilitators:required',
      'place:required',
    ]);
    const unknown = validateSession(session({ topic: 'cooking', hamletId: 'thon-xa' }), ctx);
    expect(unknown.ok || unknown.issues.map((i) => i.code).sort()).toEqual([
      'unknown_hamlet',
      'unknown_topic',
    ]);
    const big = validateSession(session({ attendance: { 'male:14_17': 1001 } }), ctx);
    expect(big.ok || big.issues[0]).toMatchObject({ field: 'attendance', code: 'too_many' });
    expect(big.ok || big.issues[0]?.message).toMatch(/tối đa 1000/);
  });

  test('no attendee is named: an unknown cell or field is refused, an ID number in free text too', () => {
    const named = validateSession({ ...session(), attendees: ['Nguyễn Văn A'] }, ctx);
    expect(named.ok || named.issues[0]).toMatchObject({ field: 'attendees', code: 'unknown_field' });
    const cell = validateSession(session({ attendance: { 'other:18_59': 3 } as never }), ctx);
    expect(cell.ok).toBe(false);
    const id = validateSession(session({ note: 'Bà B, 001 086 012 345' }), ctx);
    expect(id.ok || id.issues[0]).toMatchObject({ field: 'note', code: 'looks_like_id' });
  });

  test('a patch is checked for shape, and merging null clears the note', () => {
    expect(validateSessionPatch({ place: '' }).ok).toBe(false);
    expect(validateSessionPatch({ attendance: { 'male:60_plus': 4 } }).ok).toBe(true);
    const merged = applySessionPatch(session({ note: 'x' }), { note: null, place: 'Sân UBND xã' });
    expect(merged.note).toBeUndefined();
    expect(merged.place).toBe('Sân UBND xã');
  });
});

describe('around the session', () => {
  test('the grid has a cell per sex and age band, and the total sums it', () => {
    expect(ATTENDANCE_CELLS).toHaveLength(8);
    expect(attendeeTotal(session().attendance)).toBe(19);
    expect(attendeeTotal(undefined)).toBe(0);
  });

  test('a commune without its own list uses the defaults, which include AI apps', () => {
    const topics = topicsOrDefault([]);
    expect(topics.map((t) => t.code)).toEqual(DEFAULT_SESSION_TOPICS.map((t) => t.code));
    expect(topics.find((t) => t.code === 'ai_apps')).toMatchObject({ label: 'Ứng dụng AI', active: true });
    const own = [{ code: 'zalo', label: 'Dùng Zalo an toàn', active: true }];
    expect(topicsOrDefault(own)).toEqual(own);
  });

  test('the wire carries the kind of a mutation and a change; absent means a record', () => {
    const m = { seq: 1, mutationId: newId(), recordId: newId(), op: 'upsert', baseVersion: null };
    expect(Mutation.safeParse({ ...m, kind: 'session' }).success).toBe(true);
    expect(Mutation.safeParse({ ...m, kind: 'citizen' }).success).toBe(false);
    const page = PullResponse.parse({
      changes: [{ id: newId(), kind: 'session', version: 3, deleted: false, data: {} }],
      cursor: 'c',
      hasMore: false,
      sessionTopics: [{ code: 'ai_apps', label: 'Ứng dụng AI', active: true }],
    });
    expect(page.changes[0]?.kind).toBe('session');
  });
});
