// A commune's first set-up (docs/operations.md): the commune, its hamlets and teams, and its first
// admin, checked the same way on the set-up page, by the server and by the CLI's set-up file.
import { freeTextFieldIssue } from './citizen/free-text.ts';
import type { FieldIssue } from './errors.ts';

/** Commune codes are the 5-digit codes of the administrative-unit list (QĐ 19/2025/QĐ-TTg). */
export const COMMUNE_CODE = /^\d{5}$/;
/** The same rules as the admin screen's accounts (src/shared/admin.ts). */
export const USERNAME = /^[a-z0-9][a-z0-9._-]{2,31}$/;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;
export const NAME_MAX = 80;
/** A commune with more hamlets or teams than this is a pasted mistake, not a commune. */
export const LIST_MAX = 200;

/** What the page and the set-up file send: lists as arrays or as one text, a line each. */
export interface SetupInput {
  commune?: { code?: unknown; name?: unknown };
  hamlets?: unknown;
  teams?: unknown;
  admin?: { displayName?: unknown; username?: unknown; password?: unknown; passwordConfirm?: unknown };
}

export interface SetupPlan {
  commune: { code: string; name: string };
  hamlets: string[];
  teams: string[];
  admin: { displayName: string; username: string; password: string };
}

export type SetupChecked = { ok: true; value: SetupPlan } | { ok: false; issues: FieldIssue[] };

const LABELS: Record<string, string> = {
  'commune.name': 'Tên xã/phường',
  hamlets: 'Tên thôn/ấp/tổ dân phố',
  teams: 'Tên tổ',
  'admin.displayName': 'Tên hiển thị',
};

const text = (v: unknown): string => (typeof v === 'string' ? v.normalize('NFC').trim() : '');

/** One name a line: trimmed, empty lines dropped, the same name twice kept once (case ignored). */
export function splitLines(v: unknown): string[] | null {
  const lines =
    typeof v === 'string'
      ? v.split(/\r?\n|\r/)
      : Array.isArray(v) && v.every((x) => typeof x === 'string')
        ? v
        : null;
  if (lines === null) return null;
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of lines as string[]) {
    const name = raw.normalize('NFC').replace(/\s+/g, ' ').trim();
    const key = name.toLocaleLowerCase('vi');
    if (name === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(name);
  }
  return out;
}

function nameIssue(field: string, value: string): FieldIssue | null {
  if (value === '')
    return { field, code: 'required', message: `Vui lòng nhập ${LABELS[field]?.toLowerCase()}.` };
  if (value.length > NAME_MAX)
    return { field, code: 'too_long', message: `${LABELS[field]} dài quá ${NAME_MAX} ký tự.` };
  return freeTextFieldIssue(field, LABELS[field] ?? field, value);
}

function listIssues(field: 'hamlets' | 'teams', names: string[] | null): FieldIssue[] {
  const what = field === 'hamlets' ? 'thôn/ấp/tổ dân phố' : 'tổ';
  if (names === null) return [{ field, code: 'invalid', message: `Danh sách ${what} không hợp lệ.` }];
  if (names.length === 0)
    return [{ field, code: 'required', message: `Vui lòng nhập ít nhất một ${what}, mỗi dòng một tên.` }];
  if (names.length > LIST_MAX)
    return [
      { field, code: 'too_many', message: `Nhiều quá ${LIST_MAX} ${what}; hãy kiểm tra lại danh sách.` },
    ];
  for (const [i, n] of names.entries()) {
    if (n.length > NAME_MAX)
      return [
        {
          field,
          code: 'too_long',
          message: `Dòng ${i + 1} (“${n.slice(0, 20)}…”) dài quá ${NAME_MAX} ký tự.`,
        },
      ];
    const issue = freeTextFieldIssue(field, `Dòng ${i + 1} của danh sách ${what}`, n);
    if (issue) return [issue];
  }
  return [];
}

/** Every problem of a set-up, each naming its field in Vietnamese; or the clean plan. */
export function checkSetup(input: unknown): SetupChecked {
  const i: SetupInput = typeof input === 'object' && input !== null ? (input as SetupInput) : {};
  const commune = typeof i.commune === 'object' && i.commune !== null ? i.commune : {};
  const admin = typeof i.admin === 'object' && i.admin !== null ? i.admin : {};
  const issues: FieldIssue[] = [];
  const add = (x: FieldIssue | null) => {
    if (x) issues.push(x);
  };

  const code = text(commune.code);
  if (code === '') add({ field: 'commune.code', code: 'required', message: 'Vui lòng nhập mã xã/phường.' });
  else if (!COMMUNE_CODE.test(code))
    add({
      field: 'commune.code',
      code: 'invalid',
      message: 'Mã xã/phường gồm đúng 5 chữ số, theo danh mục đơn vị hành chính (QĐ 19/2025/QĐ-TTg).',
    });
  const name = text(commune.name);
  add(nameIssue('commune.name', name));
  const hamlets = splitLines(i.hamlets);
  issues.push(...listIssues('hamlets', hamlets));
  const teams = splitLines(i.teams);
  issues.push(...listIssues('teams', teams));

  const displayName = text(admin.displayName);
  add(nameIssue('admin.displayName', displayName));
  const username = text(admin.username);
  if (username === '')
    add({ field: 'admin.username', code: 'required', message: 'Vui lòng nhập tên đăng nhập.' });
  else if (!USERNAME.test(username))
    add({
      field: 'admin.username',
      code: 'invalid',
      message: 'Tên đăng nhập dài 3–32 ký tự: chữ thường không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới.',
    });
  const password = typeof admin.password === 'string' ? admin.password : '';
  if (password === '') add({ field: 'admin.password', code: 'required', message: 'Vui lòng nhập mật khẩu.' });
  else if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX)
    add({
      field: 'admin.password',
      code: 'invalid',
      message: `Mật khẩu cần từ ${PASSWORD_MIN} đến ${PASSWORD_MAX} ký tự.`,
    });
  // The page sends the confirmation; a set-up file has none to send.
  if (admin.passwordConfirm !== undefined && admin.passwordConfirm !== password)
    add({ field: 'admin.passwordConfirm', code: 'mismatch', message: 'Hai lần nhập mật khẩu không khớp.' });

  if (issues.length > 0 || hamlets === null || teams === null) return { ok: false, issues };
  return {
    ok: true,
    value: { commune: { code, name }, hamlets, teams, admin: { displayName, username, password } },
  };
}

/** What POST /api/setup answers once everything was created. */
export interface SetupResponse {
  communeCode: string;
  communeName: string;
  username: string;
  hamlets: number;
  teams: number;
}
