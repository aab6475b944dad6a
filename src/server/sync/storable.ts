// Text both stores can keep: PostgreSQL refuses U+0000 and lone UTF-16 surrogates (SQLite would not),
// so such input is refused up front on either store — both answer alike, never with a 500.
// eslint-disable-next-line no-control-regex -- U+0000 is exactly what must be found.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isStorable(value: unknown): boolean {
  if (typeof value === 'string') return !UNSTORABLE.test(value);
  if (Array.isArray(value)) return value.every(isStorable);
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).every(([k, v]) => !UNSTORABLE.test(k) && isStorable(v));
  return true;
}

/** The top-level fields of `value` holding (at any depth) text that cannot be stored. */
export function unstorableFields(value: unknown, skip: readonly string[] = []): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return isStorable(value) ? [] : ['_'];
  return Object.entries(value)
    .filter(([k, v]) => !skip.includes(k) && (UNSTORABLE.test(k) || !isStorable(v)))
    .map(([k]) => k);
}
