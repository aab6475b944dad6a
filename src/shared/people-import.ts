// Wire messages of importing volunteers and leads from a spreadsheet (docs/operations.md, "Nhập
// người từ bảng tính"): the file sent for a preview, the rows with their problems, the commit.
// Not re-exported from index.ts: only the server and the admin's lazy screen need them.
import * as z from 'zod/mini';
import { AdminUser, EnrolmentResponse } from './admin.ts';

/** Data rows a file may hold (blank rows not counted); a bigger commune imports in several files. */
export const MAX_IMPORT_ROWS = 500;
/** Bytes of the file itself (an XLSX of 500 people is well under 200 KiB). */
export const MAX_IMPORT_FILE_BYTES = 2 * 1024 * 1024;
/** The JSON body around the file in base64. */
export const IMPORT_BODY_LIMIT = Math.ceil((MAX_IMPORT_FILE_BYTES * 4) / 3) + 1024;

/** The roles an import may create: admins and supervisors are made one by one in the form. */
export const ImportRole = z.enum(['volunteer', 'lead']);
export type ImportRole = z.infer<typeof ImportRole>;

/** POST /api/v1/admin/users/import/preview: the file's bytes in base64 (CSV or XLSX, told by its bytes). */
export const ImportPreviewRequest = z.strictObject({
  file: z.string().check(z.minLength(1), z.maxLength(IMPORT_BODY_LIMIT)),
});
export type ImportPreviewRequest = z.infer<typeof ImportPreviewRequest>;

/** One problem of one row: the column, a stable code and the Vietnamese sentence shown beside it. */
export const ImportProblem = z.object({ field: z.string(), code: z.string(), message: z.string() });
export type ImportProblem = z.infer<typeof ImportProblem>;

/** One row as read: the cells (trimmed), what they resolve to, and every problem found. */
export const ImportRow = z.object({
  /** The row's number in the spreadsheet (the header row is 1), so the admin finds it. */
  line: z.number(),
  name: z.string(),
  username: z.string(),
  role: z.string(),
  team: z.string(),
  phone: z.string(),
  /** The role and team the row resolves to; null when the cell is missing or unknown. */
  roleValue: z.nullable(ImportRole),
  teamId: z.nullable(z.string()),
  teamName: z.nullable(z.string()),
  problems: z.array(ImportProblem),
});
export type ImportRow = z.infer<typeof ImportRow>;

export const ImportPreviewResponse = z.object({ rows: z.array(ImportRow) });
export type ImportPreviewResponse = z.infer<typeof ImportPreviewResponse>;

const cell = z.string().check(z.maxLength(200));

/** The rows the admin saw in the preview; the server checks them all again before writing any. */
export const ImportCommitRequest = z.strictObject({
  rows: z
    .array(
      z.strictObject({
        line: z.int().check(z.minimum(1)),
        name: cell,
        username: cell,
        role: cell,
        team: cell,
        phone: z.optional(cell),
      }),
    )
    .check(z.minLength(1), z.maxLength(MAX_IMPORT_ROWS)),
});
export type ImportCommitRequest = z.infer<typeof ImportCommitRequest>;

/** One created person: the account, the team's name, and a one-time enrolment code for the QR sheet. */
export const ImportedPerson = z.object({
  line: z.number(),
  user: AdminUser,
  teamName: z.string(),
  enrolment: EnrolmentResponse,
});
export type ImportedPerson = z.infer<typeof ImportedPerson>;

export const ImportCommitResponse = z.object({ people: z.array(ImportedPerson) });
export type ImportCommitResponse = z.infer<typeof ImportCommitResponse>;

/** The template's header row (the order the admin's template has; any order is read). */
export const TEMPLATE_HEADERS = ['Họ tên', 'Tên đăng nhập', 'Vai trò', 'Tổ', 'Số điện thoại'] as const;
