// The fields of stored data that never leave the server (docs/privacy.md): sync's answers and the
// data-subject answers both strip them.

/** Fields of stored data that no answer carries. */
export const SERVER_ONLY_FIELDS: ReadonlySet<string> = new Set(['citizenKey']);

/** `data` without the server-only fields (a copy; null and non-objects pass through). */
export function withoutServerOnly<T>(data: T): T {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return data;
  return Object.fromEntries(Object.entries(data).filter(([k]) => !SERVER_ONLY_FIELDS.has(k))) as T;
}
