// Request bodies are parsed with the shared zod schemas (Fastify's own validation is not used), so
// the server accepts exactly what src/shared says and nothing more.
import type * as z from 'zod/mini';
import { AppError, fieldMessageVi, freeTextFieldIssue, toFieldIssues } from '../../shared/index.ts';
import { unstorableFields } from '../sync/storable.ts';

/**
 * `skip`: top-level fields checked later, piece by piece (a push's mutations: one bad record is
 * `rejected` on its own rather than failing the batch).
 */
export function parseBody<T>(schema: z.ZodMiniType<T>, body: unknown, skip: readonly string[] = []): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new AppError('invalid_request', { fields: toFieldIssues(parsed.error, body) });
  const bad = unstorableFields(parsed.data, skip);
  if (bad.length > 0)
    throw new AppError('invalid_request', {
      fields: bad.map((field) => ({ field, code: 'invalid', message: fieldMessageVi(field, 'invalid') })),
    });
  return parsed.data;
}

/**
 * Free text a person typed (a name, a label, a comment): refused with 400 `invalid_request` naming
 * the field when it holds an ID number, however disguised (docs/privacy.md). Nothing is stored.
 * Each entry: [wire field, its Vietnamese label, the value].
 */
export function screenFreeText(...fields: [string, string, string | null | undefined][]): void {
  const issues = fields.flatMap(([field, label, text]) => freeTextFieldIssue(field, label, text) ?? []);
  if (issues.length > 0) throw new AppError('invalid_request', { fields: issues });
}

/** 400 `invalid_request` naming one field, with its code and Vietnamese message. */
export function badField(field: string, code: string, message: string): AppError {
  return new AppError('invalid_request', { fields: [{ field, code, message }] });
}
