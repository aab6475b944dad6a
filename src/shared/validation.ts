// Validation written once for every kind of entity a client writes (record.ts, group-session.ts):
// zod's issues as our field issues (stable codes, Vietnamese messages), a whole and a patch. A kind
// gives its schema, its message function, what counts as not given and the codes it reads its own way.
import type * as z from 'zod/mini';
import type { FieldIssue } from './errors.ts';

/**
 * The Vietnamese sentence of a code every kind words alike, for a field named `label`; a field of
 * `choices` is picked from a list ("chọn"), any other typed ("nhập"). Unknown codes are "invalid".
 */
export function commonFieldMessageVi(
  field: string,
  label: string,
  code: string,
  choices: ReadonlySet<string>,
): string {
  switch (code) {
    case 'required':
      return choices.has(field)
        ? `Vui lòng chọn ${label.toLowerCase()}.`
        : `Vui lòng nhập ${label.toLowerCase()}.`;
    case 'too_long':
      return `${label} quá dài.`;
    case 'unknown_field':
      return `Trường "${field}" không được phép gửi lên.`;
    case 'unknown_hamlet':
      return 'Thôn/ấp không thuộc xã của bạn.';
    case 'forbidden':
      return 'Bạn không được ghi thay người này.';
    case 'looks_like_id':
      return `${label} có vẻ chứa số định danh cá nhân. Không ghi số định danh; hãy xoá số này.`;
    case 'in_future':
      return `${label} ở tương lai (sau ngày mai). Hãy kiểm tra ngày giờ của điện thoại.`;
    default:
      return `${label} không hợp lệ.`;
  }
}

/** The field issue of one code, worded by a kind's message function. */
export type IssueOf = (field: string, code: string) => FieldIssue;

export function issueOf(message: (field: string, code: string) => string): IssueOf {
  return (field, code) => ({ field, code, message: message(field, code) });
}

/** How one kind turns zod's issues into its field issues. */
export interface IssueWording {
  issue: IssueOf;
  /** A field holding one of these counts as not given: whatever zod says of it, it is `required`. */
  blank: readonly unknown[];
  /** The kind's own code for a zod issue on a given field; undefined leaves it to the common rules. */
  ownCode?: (field: string, issue: z.core.$ZodIssue) => string | undefined;
}

/** One issue per field and code, the first kept: several zod issues often say the same thing. */
export function dedupeIssues(issues: readonly FieldIssue[]): FieldIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.field}:${i.code}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** zod issues → field issues: unknown keys by name, then one code per failing top-level field. */
export function zodFieldIssues(error: z.core.$ZodError, input: unknown, wording: IssueWording): FieldIssue[] {
  const given = (field: string): boolean =>
    typeof input === 'object' &&
    input !== null &&
    !wording.blank.includes((input as Record<string, unknown>)[field]);
  const codeOf = (field: string, i: z.core.$ZodIssue): string => {
    if (!given(field)) return 'required';
    const own = wording.ownCode?.(field, i);
    if (own !== undefined) return own;
    if (i.code === 'too_big') return 'too_long';
    if (i.code === 'too_small' && i.input === '') return 'required';
    return 'invalid';
  };
  const out: FieldIssue[] = [];
  for (const i of error.issues) {
    if (i.code === 'unrecognized_keys') {
      for (const key of i.keys) out.push(wording.issue(key, 'unknown_field'));
      continue;
    }
    const field = i.path.length > 0 ? String(i.path[0]) : '_';
    out.push(wording.issue(field, codeOf(field, i)));
  }
  return dedupeIssues(out);
}

export type Validated<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

/** A whole: its shape, then the kind's rules across fields. Nulls are dropped from the value. */
export function validateWhole<T extends Record<string, unknown>>(
  schema: z.ZodMiniType<T>,
  input: unknown,
  wording: IssueWording,
  crossIssues: (value: T) => FieldIssue[],
): Validated<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) return { ok: false, issues: zodFieldIssues(parsed.error, input, wording) };
  const cross = crossIssues(parsed.data);
  return cross.length ? { ok: false, issues: cross } : { ok: true, value: stripNulls(parsed.data) };
}

/** A patch: its shape only (the rules across fields apply once it is merged into the whole). */
export function validateShape<T>(
  schema: z.ZodMiniType<T>,
  input: unknown,
  wording: IssueWording,
): Validated<T> {
  const parsed = schema.safeParse(input);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, issues: zodFieldIssues(parsed.error, input, wording) };
}

/** Drop null/undefined fields so stored records hold only what was said. */
export function stripNulls<T extends Record<string, unknown>>(record: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (v !== null && v !== undefined) out[k] = v;
  return out as T;
}
