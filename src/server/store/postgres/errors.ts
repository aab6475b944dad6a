// Which PostgreSQL failures are temporary (503, retry later) and which transaction failures are
// worth running again at once. Everything else is a bug or bad data and keeps its own error.
import { TemporaryStoreError } from '../store.ts';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs: 08… connection exception, 53… insufficient resources (too many connections),
 * 57P01–57P03 server shutting down or starting, 57014 statement timeout, 55P03 lock timeout,
 * 40001/40P01 serialization failure or deadlock (when retries ran out).
 */
const TEMPORARY_SQLSTATE = /^(08...|53...|57P0[123]|57014|55P03|40001|40P01)$/;

/** Errors pg and pg-pool raise without a code when the connection or the pool fails. */
const TEMPORARY_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|connection error and is not queryable|Client was closed|Cannot use a pool after calling end|Query read timeout/i;

function codeOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A serialization failure or a deadlock: the transaction rolled back and may simply run again. */
export function isRetryable(e: unknown): boolean {
  const code = codeOf(e);
  return code === '40001' || code === '40P01';
}

export function isTemporary(e: unknown): boolean {
  if (e instanceof TemporaryStoreError) return true;
  const code = codeOf(e);
  if (code !== undefined && (NETWORK_CODES.has(code) || TEMPORARY_SQLSTATE.test(code))) return true;
  if (e instanceof AggregateError) return e.errors.some(isTemporary);
  return e instanceof Error && TEMPORARY_MESSAGE.test(e.message);
}

/** The error to throw: temporary failures become TemporaryStoreError, the rest stay as they are. */
export function storeError(e: unknown): unknown {
  if (e instanceof TemporaryStoreError || !isTemporary(e)) return e;
  const why = e instanceof Error && e.message ? e.message : (codeOf(e) ?? 'unknown error');
  return new TemporaryStoreError(`PostgreSQL is unavailable: ${why}`, { cause: e });
}
