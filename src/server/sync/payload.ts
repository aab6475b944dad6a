// What a push mutation carries, checked before anything walks it: a bound on how deep its patch
// nests (walked without recursion), and the fingerprint that tells a replay from a reused mutationId.
import { createHash } from 'node:crypto';
import type { Mutation } from '../../shared/index.ts';

/**
 * A record's fields are scalars, so a valid patch is one level deep; the bound leaves room for
 * nested fields to come. Anything deeper is refused before a recursive walk (the storable check,
 * JSON.stringify into the database) could overflow the stack and fail the whole push.
 */
export const MAX_PATCH_DEPTH = 16;

/** The top-level fields of `patch` whose values nest deeper than MAX_PATCH_DEPTH (iterative walk). */
export function tooDeepFields(patch: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [field, value] of Object.entries(patch)) {
    // Depth 1 is the patch itself; its fields' values start at 2.
    const stack: { value: unknown; depth: number }[] = [{ value, depth: 2 }];
    while (stack.length > 0) {
      const { value: v, depth } = stack.pop()!;
      if (typeof v !== 'object' || v === null) continue;
      if (depth > MAX_PATCH_DEPTH) {
        out.push(field);
        break;
      }
      for (const child of Object.values(v)) stack.push({ value: child, depth: depth + 1 });
    }
  }
  return out;
}

/** The JSON of `value` with object keys sorted: the same content gives the same text, whatever its order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort();
    const parts = keys
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * A value sealed for the server (`v1.<epk>.<iv>.<ciphertext>`, like `contact`): sealing is random,
 * and a resend may seal the same content again, so only its presence counts as content.
 */
const SEALED = /^v\d+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const SEALED_MARK = '<sealed>';

/**
 * SHA-256 of what a mutation asks for: its record, op, base version and patch (sealed values as a
 * mark), and its kind when it is a group session. Stored with its result, so the same mutationId
 * sent again is recognised as the same mutation (a retry, a lead's hand-off) or as another one
 * reusing the id. A hash, never the content: the stored results keep no record data. Null for a
 * patch too deep to walk (that mutation is rejected anyway).
 */
export function payloadHash(m: Mutation): string | null {
  if (m.patch !== undefined && tooDeepFields(m.patch).length > 0) return null;
  const patch = Object.fromEntries(
    Object.entries(m.patch ?? {}).map(([k, v]) => [
      k,
      typeof v === 'string' && SEALED.test(v) ? SEALED_MARK : v,
    ]),
  );
  // A session's kind is part of what it asks for; a record's hash stays as it always was.
  const payload = {
    recordId: m.recordId,
    op: m.op,
    baseVersion: m.baseVersion ?? 0,
    patch,
    ...(m.kind === 'session' ? { kind: m.kind } : {}),
  };
  return createHash('sha256').update(canonical(payload)).digest('hex');
}
