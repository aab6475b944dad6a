// Records and group sessions share one zod-to-field-issue walk (src/shared/validation.ts): these
// pin where the two kinds word it differently, so the walk cannot quietly make them alike.
import { describe, expect, test } from 'vitest';
import {
  LogRecord,
  fieldMessageVi,
  newId,
  sessionFieldMessageVi,
  toFieldIssues,
  validatePatch,
  validateSession,
  validateSessionPatch,
  type GroupSession,
} from '../../src/shared/index.ts';
import { makeRecord } from '../support/factories.ts';

const session = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: newId(),
  heldOn: '2026-12-05',
  hamletId: 'thon-dong',
  place: 'Nhà văn hóa thôn Đông',
  topic: 'ai_apps',
  attendance: { 'female:60_plus': 12 },
  facilitators: ['Tình nguyện viên A'],
  ...over,
});

const issuesOf = (v: { ok: true } | { ok: false; issues: unknown[] }): unknown[] => (v.ok ? [] : v.issues);

describe('a null where a value is needed', () => {
  test('is invalid in a record patch', () => {
    expect(issuesOf(validatePatch({ category: null, occurredOn: null }))).toEqual([
      { field: 'occurredOn', code: 'invalid', message: 'Ngày hỗ trợ không hợp lệ.' },
      { field: 'category', code: 'invalid', message: 'Loại hỗ trợ không hợp lệ.' },
    ]);
  });

  test('is not given in a session patch', () => {
    expect(issuesOf(validateSessionPatch({ heldOn: null, topic: null }))).toEqual([
      { field: 'heldOn', code: 'required', message: 'Vui lòng nhập ngày tổ chức.' },
      { field: 'topic', code: 'required', message: 'Vui lòng chọn chủ đề.' },
    ]);
  });
});

describe("a session's own codes", () => {
  test('a cell over the limit is too_many, a name too long is too_long, no facilitator is required', () => {
    const long = 'A'.repeat(81);
    expect(issuesOf(validateSession(session({ attendance: { 'male:18_59': 1001 } })))).toEqual([
      { field: 'attendance', code: 'too_many', message: 'Số người tham dự: mỗi ô tối đa 1000 người.' },
    ]);
    expect(issuesOf(validateSessionPatch({ facilitators: [long] }))).toEqual([
      { field: 'facilitators', code: 'too_long', message: 'Người hướng dẫn quá dài.' },
    ]);
    expect(issuesOf(validateSessionPatch({ facilitators: [] }))).toEqual([
      { field: 'facilitators', code: 'required', message: 'Vui lòng nhập người hướng dẫn.' },
    ]);
  });

  test('in a record an empty choice is required, a value of the wrong type invalid', () => {
    const parsed = LogRecord.safeParse({ ...makeRecord(), note: 7, hamletId: '' });
    expect(parsed.success).toBe(false);
    if (!parsed.success)
      expect(toFieldIssues(parsed.error, { ...makeRecord(), note: 7, hamletId: '' })).toEqual([
        { field: 'hamletId', code: 'required', message: 'Vui lòng chọn thôn/ấp.' },
        { field: 'note', code: 'invalid', message: 'Ghi chú không hợp lệ.' },
      ]);
  });
});

describe('issues said once', () => {
  test('one issue per field and code, unknown keys by name, in the order zod gave them', () => {
    const v = validateSessionPatch({ place: '', facilitators: ['', ''], extra: 1, other: 2 });
    expect(issuesOf(v)).toEqual([
      { field: 'place', code: 'required', message: 'Vui lòng nhập địa điểm.' },
      { field: 'facilitators', code: 'required', message: 'Vui lòng nhập người hướng dẫn.' },
      { field: 'extra', code: 'unknown_field', message: 'Trường "extra" không được phép gửi lên.' },
      { field: 'other', code: 'unknown_field', message: 'Trường "other" không được phép gửi lên.' },
    ]);
  });

  test('a free-text ID number in two facilitators is named once', () => {
    const s = session({ facilitators: ['Anh 001203004567', 'Chị 001203004568'] }) as GroupSession;
    expect(issuesOf(validateSession(s))).toEqual([
      {
        field: 'facilitators',
        code: 'looks_like_id',
        message: 'Người hướng dẫn có vẻ chứa số định danh cá nhân. Không ghi số định danh; hãy xoá số này.',
      },
    ]);
  });
});

describe('the sentences both kinds share', () => {
  const codes = ['too_long', 'unknown_field', 'unknown_hamlet', 'forbidden', 'in_future', 'invalid'];
  test("a record's", () => {
    expect(codes.map((c) => fieldMessageVi('occurredOn', c))).toEqual([
      'Ngày hỗ trợ quá dài.',
      'Trường "occurredOn" không được phép gửi lên.',
      'Thôn/ấp không thuộc xã của bạn.',
      'Bạn không được ghi thay người này.',
      'Ngày hỗ trợ ở tương lai (sau ngày mai). Hãy kiểm tra ngày giờ của điện thoại.',
      'Ngày hỗ trợ không hợp lệ.',
    ]);
    expect(fieldMessageVi('sex', 'required')).toBe('Vui lòng chọn giới tính.');
    expect(fieldMessageVi('note', 'looks_like_id')).toBe(
      'Ghi chú có vẻ chứa số định danh cá nhân. Không ghi số định danh; hãy xoá số này.',
    );
    expect(fieldMessageVi('id', 'id_mismatch')).toBe('Mã bản ghi không khớp.');
  });

  test("a session's", () => {
    expect(codes.map((c) => sessionFieldMessageVi('heldOn', c))).toEqual([
      'Ngày tổ chức quá dài.',
      'Trường "heldOn" không được phép gửi lên.',
      'Thôn/ấp không thuộc xã của bạn.',
      'Bạn không được ghi thay người này.',
      'Ngày tổ chức ở tương lai (sau ngày mai). Hãy kiểm tra ngày giờ của điện thoại.',
      'Ngày tổ chức không hợp lệ.',
    ]);
    expect(sessionFieldMessageVi('sex', 'required')).toBe('Vui lòng nhập sex.');
    expect(sessionFieldMessageVi('topic', 'required')).toBe('Vui lòng chọn chủ đề.');
    expect(sessionFieldMessageVi('id', 'id_mismatch')).toBe('Mã buổi không khớp.');
    expect(sessionFieldMessageVi('note', 'consent_required')).toBe('Ghi chú không hợp lệ.');
  });
});
