// The one place where failures become `{ error: { code, message, details? } }` with the catalogue's
// status. Fastify's own errors (bad JSON, body too large, wrong content type) map to catalogue codes
// here, so no bad input ever answers 500.
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { AppError, errorBody, statusOf, type ErrorCode } from '../../shared/index.ts';
import { TemporaryStoreError } from '../store/store.ts';

/** Seconds a client waits before retrying after a 503. */
export const RETRY_AFTER_SECONDS = 5;

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_request',
  // Router errors (through Fastify's frameworkErrors): a path parameter over 100 characters names
  // nothing that exists; a URL that does not decode is a bad request.
  FST_ERR_MAX_PARAM_LENGTH: 'not_found',
  FST_ERR_BAD_URL: 'invalid_request',
};

export function sendError(reply: FastifyReply, code: ErrorCode, details?: unknown): FastifyReply {
  if (code === 'unavailable') reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  const wait = (details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  if (code === 'rate_limited' && typeof wait === 'number') reply.header('retry-after', String(wait));
  return reply.status(statusOf(code)).type('application/json; charset=utf-8').send(errorBody(code, details));
}

/** The catalogue code for any thrown value. */
export function codeOf(err: unknown): ErrorCode {
  if (err instanceof AppError) return err.code;
  // The database is busy, locked, unreachable or closing: nothing was committed; retry later.
  if (err instanceof TemporaryStoreError) return 'unavailable';
  const e = err as Partial<FastifyError>;
  const mapped = e.code !== undefined ? FASTIFY_CODES[e.code] : undefined;
  if (mapped) return mapped;
  // SQLite gave up waiting for a lock outside a transaction (a read): temporary as well.
  if (typeof e.code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(e.code)) return 'unavailable';
  const status = e.statusCode;
  if (status === 404) return 'not_found';
  if (status === 413) return 'payload_too_large';
  if (status === 415) return 'unsupported_media_type';
  if (status !== undefined && status >= 400 && status < 500) return 'invalid_request';
  return 'internal';
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const code = codeOf(err);
    if (code === 'internal') request.log.error({ err }, 'unhandled error');
    else if (code === 'unavailable') request.log.warn({ err }, 'store unavailable');
    return sendError(reply, code, err instanceof AppError ? err.details : undefined);
  });
}
