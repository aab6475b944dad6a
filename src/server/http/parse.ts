// Request bodies are parsed with the shared zod schemas (Fastify's own validation is not used), so
// the server accepts exactly what src/shared says and nothing more.
import type * as z from 'zod/mini';
import { AppError, fieldMessageVi, toFieldIssues } from '../../shared/index.ts';
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
