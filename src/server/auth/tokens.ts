// Session tokens: 32 random bytes, base64url, handed to the client once. The database holds only
// their SHA-256, so any process can verify a token and a leaked database leaks none.
import { createHash, randomBytes } from 'node:crypto';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

const BEARER_RE = /^Bearer ([A-Za-z0-9_-]{20,128})$/;

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  return BEARER_RE.exec(header.trim())?.[1] ?? null;
}
