// Request bodies are parsed with the shared zod schemas (Fastify's own validation is not used), so
// the server accepts exactly what src/shared says and nothing more.
import type * as z from 'zod/mini';
import { AppError, toFieldIssues } from '../../shared/index.ts';

export function parseBody<T>(schema: z.ZodMiniType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new AppError('invalid_request', { fields: toFieldIssues(parsed.error, body) });
  return parsed.data;
}
